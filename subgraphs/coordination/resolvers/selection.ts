import { Kind, type GraphQLResolveInfo, type SelectionSetNode } from 'graphql';

/**
 * Does the field being resolved select `name` directly (through inline fragments and fragment spreads
 * too)? A list that is not asked for its `totalCount` need not count a million rows.
 */
export function selectsField(info: Pick<GraphQLResolveInfo, 'fieldNodes' | 'fragments'>, name: string): boolean {
  const seen = new Set<string>();
  const within = (set: SelectionSetNode | undefined): boolean =>
    (set?.selections ?? []).some((selection) => {
      if (selection.kind === Kind.FIELD) return selection.name.value === name;
      if (selection.kind === Kind.INLINE_FRAGMENT) return within(selection.selectionSet);
      const fragment = info.fragments[selection.name.value];
      if (!fragment || seen.has(fragment.name.value)) return false;
      seen.add(fragment.name.value);
      return within(fragment.selectionSet);
    });
  return info.fieldNodes.some((node) => within(node.selectionSet));
}
