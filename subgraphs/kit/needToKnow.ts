import { userError, ErrorCode } from './errors.js';

/**
 * Need to know where a category is resolved (docs/access.md, "Need to know"): a relation opens categories
 * (UU's statutory one opens identity and guidance only), so each system's subgraph decides, per young
 * person, whether its category reaches this caller. It cannot know the relation itself (it is keyed by
 * CPR and holds no register); the categories the caller's relation opens come with the entity's
 * representation (`releasedCategories`, the coordination's, fetched by the gateway for the whole batch
 * in the same `_entities` call as the consent units: `@requires`, never a call per young person).
 * Missing categories (the coordination could not be read) count as none: closed, not open.
 */
export interface ReleaseRepresentation {
  releasedCategories?: readonly string[] | null;
}

/** Throws UNAUTHORIZED_FIELD_OR_TYPE (null at the field's path) unless the relation opens `category`. */
export function requireCategory(category: string, youth: ReleaseRepresentation): void {
  if (!(youth.releasedCategories ?? []).includes(category)) {
    throw userError(ErrorCode.UNAUTHORIZED_FIELD_OR_TYPE, 'Unauthorized field or type');
  }
}
