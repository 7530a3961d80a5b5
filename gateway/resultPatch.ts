/**
 * Puts the removed fields back into an answer as `null`, each with an error coded
 * `UNAUTHORIZED_FIELD_OR_TYPE` (docs/access.md, "Field rules"), so the client sees the shape it asked for.
 *
 * One error per removed field position, not per occurrence: like Apollo Router, and so that a list of
 * ten thousand young people does not bring ten thousand identical errors. The error's path is the first
 * concrete place the field would have been (`["youths", 0, "cprNumber"]`), or the position with `'@'` for
 * list items when it occurs nowhere (an empty list, a null parent).
 *
 * A non-null field's null goes up to its nearest nullable parent, as GraphQL's own error propagation does
 * (`nullAt`); when nothing above is nullable, `data` becomes null.
 */
import { GraphQLError, type GraphQLFormattedError } from 'graphql';
import { ACCESS_TYPENAME_KEY, type RemovalCondition, type RemovedField } from './operationFilter.js';
import { UNAUTHORIZED_CODE, UNAUTHORIZED_MESSAGE } from '../platform/authorization/rules.js';

export { UNAUTHORIZED_CODE, UNAUTHORIZED_MESSAGE };

type JsonObject = Record<string, unknown>;

export interface PatchableResult {
  data?: JsonObject | null | undefined;
  errors?: readonly GraphQLFormattedError[] | undefined;
}

export interface ApplyRemovalsOptions {
  /** The request's variables, for removed fields under `@include`/`@skip`. */
  variables?: Readonly<Record<string, unknown>> | undefined;
}

function isObject(value: unknown): value is JsonObject {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function holds(condition: RemovalCondition, variables: Readonly<Record<string, unknown>> | undefined): boolean {
  let value: unknown = condition.value;
  if (condition.variable !== undefined) {
    value = variables && Object.hasOwn(variables, condition.variable) ? variables[condition.variable] : condition.defaultValue;
  }
  return condition.directive === 'include' ? value === true : value !== true;
}

interface Parent {
  object: JsonObject;
  path: (string | number)[];
}

/** Every object at `path` (`'@'` walks each list item); null or absent places are passed over. */
function objectsAt(data: JsonObject, path: readonly string[]): Parent[] {
  let current: { value: unknown; path: (string | number)[] }[] = [{ value: data, path: [] }];
  for (const segment of path) {
    const next: typeof current = [];
    for (const { value, path: at } of current) {
      if (segment === '@') {
        if (Array.isArray(value)) value.forEach((item, index) => next.push({ value: item, path: [...at, index] }));
      } else if (isObject(value) && value[segment] !== undefined && value[segment] !== null) {
        next.push({ value: value[segment], path: [...at, segment] });
      }
    }
    current = next;
  }
  return current
    .filter((entry): entry is { value: JsonObject; path: (string | number)[] } => isObject(entry.value))
    .map(({ value, path: at }) => ({ object: value, path: at }));
}

/** The type name the filtered operation asked for, or the client's own `__typename`. */
function typenameOf(object: JsonObject): string | undefined {
  const name = object[ACCESS_TYPENAME_KEY] ?? object['__typename'];
  return typeof name === 'string' ? name : undefined;
}

/**
 * Sets null where each removed field would have been and adds one error per removed field. `data` is
 * changed in place (it is the answer being built); the result returned carries the errors added, as
 * GraphQLError instances (Apollo Server keeps `path` and `extensions` only of those; their JSON is the
 * formatted error).
 */
export function applyRemovals<T extends PatchableResult>(
  result: T,
  removed: readonly RemovedField[],
  options: ApplyRemovalsOptions = {},
): T {
  // A request that never executed (no `data` at all) gets no field errors on top of its own.
  if (removed.length === 0 || result.data === undefined) return result;
  let data = result.data;
  const visited = new Set<JsonObject>();
  const errors: GraphQLError[] = [];

  for (const removal of removed) {
    const key = removal.path[removal.path.length - 1];
    if (key === undefined) continue;
    const parents = data ? objectsAt(data, removal.path.slice(0, -1)) : [];
    for (const parent of parents) visited.add(parent.object);
    if (removal.conditions && !removal.conditions.every((condition) => holds(condition, options.variables))) continue;

    let firstPath: (string | number)[] | undefined;
    for (const parent of parents) {
      if (removal.types) {
        const typename = typenameOf(parent.object);
        if (typename !== undefined && !removal.types.includes(typename)) continue;
      }
      // Present means another, allowed selection of the same response key brought it (an interface field
      // allowed on one implementation): that value stays.
      if (parent.object[key] !== undefined) continue;
      const at = [...parent.path, key];
      firstPath ??= at;
      if (removal.nullAt >= removal.path.length) {
        parent.object[key] = null;
      } else if (removal.nullAt === 0) {
        data = null;
        break;
      } else {
        // The null goes up to the nearest nullable position: the same place, concretely, in this branch.
        const target = at.slice(0, removal.nullAt);
        let container: unknown = data;
        for (const segment of target.slice(0, -1)) {
          container =
            isObject(container) || Array.isArray(container) ? (container as Record<string | number, unknown>)[segment] : undefined;
        }
        const last = target[target.length - 1];
        if (last !== undefined && (isObject(container) || Array.isArray(container)))
          (container as Record<string | number, unknown>)[last] = null;
      }
    }
    errors.push(
      new GraphQLError(removal.message ?? UNAUTHORIZED_MESSAGE, {
        path: firstPath ?? [...removal.path],
        extensions: { code: UNAUTHORIZED_CODE },
      }),
    );
  }
  for (const object of visited) delete object[ACCESS_TYPENAME_KEY];

  // The spec wants no `errors` key rather than an empty list.
  return errors.length === 0 ? { ...result, data } : { ...result, data, errors: [...(result.errors ?? []), ...errors] };
}
