/**
 * Argument rules (docs/access.md, "Filter rules"): an argument that filters or sorts on protected data
 * needs the scopes of that data, like a field. Without them a filter reads what the field rules hide:
 * `youths(filter: { indicator: SOCIAL_CASE })` with only `youth:identity` listed the young people with a
 * social case while `targetGroup` and `socialSummary` were refused (issue 11, finding 4).
 *
 * The table below maps every argument of the graph (an input object's fields one by one, as
 * `Type.field(argument.inputField)`) to the schema coordinates whose data it filters on. The scopes are
 * not written here: they are READ from those fields' `@requiresScopes` in the supergraph (the field's own
 * rule, its type's and its return type's), so the two cannot drift. An argument that filters on nothing
 * protected beyond what its field already requires says why instead (`open`).
 *
 * Enforced twice, as field rules are: at the gateway before planning (filterOperation.ts refuses the
 * field, `UNAUTHORIZED_FIELD_OR_TYPE` at its path, with a message naming the argument and the missing
 * scope; no subgraph is asked), and in the subgraph that resolves the field (subgraphRules.ts).
 * tests/security/filterScopes.test.ts walks the supergraph and fails for any argument the table lacks, so
 * a new filter cannot ship unguarded; and at run time a value of a listed field's argument that the table
 * does not know (a condition added to `YouthFilter` without a rule) is refused, closed rather than open.
 */
import { readFileSync } from 'node:fs';
import { Kind, getNamedType, isInputObjectType, parse, type DocumentNode, type GraphQLSchema } from 'graphql';
import { hasScopes } from './roles.js';
import { readSupergraphRules, type AccessRules, type ScopeRule } from './rules.js';

export type ArgumentRule =
  /** Filters on the data of these schema coordinates (`Type.field`): every one's rule must hold. */
  | { filtersOn: readonly string[] }
  /** Filters on nothing protected beyond what the field itself requires; says why. */
  | { open: string };

const WRITE = { open: 'what the mutation writes, not a filter: the mutation field’s own rule covers it' } as const;

/** Every argument of the graph: `Type.field(argument)` or, for an input object, `Type.field(argument.field)`. */
export const ARGUMENT_RULES: Readonly<Record<string, ArgumentRule>> = {
  // The screening register's filters read the status the rules computed: the same data as these fields.
  'Query.youths(filter.inTargetGroup)': { filtersOn: ['Youth.targetGroup'] },
  'Query.youths(filter.indicator)': { filtersOn: ['Youth.targetGroup'] },
  'Query.youths(filter.contactPersonStatus)': { filtersOn: ['Youth.contactPersonEligibility'] },
  'Query.youths(filter.contactPersonCandidate)': { filtersOn: ['Youth.contactPersonEligibility'] },
  'Query.youths(filter.schoolId)': { filtersOn: ['Youth.school'] },
  // Age is identity, which `youths` itself requires: read from `Youth.age` all the same, so a stricter
  // rule on age would apply here at once.
  'Query.youths(filter.ageMin)': { filtersOn: ['Youth.age'] },
  'Query.youths(filter.ageMax)': { filtersOn: ['Youth.age'] },
  // Worklists (issue 13 s4): due dates are the coordinated plan's transitions (and a contact person's
  // review), computed from the register: the data of `Youth.coordinatedPlan` and `Youth.contactPerson`.
  'Query.youths(filter.dueWithinDays)': { filtersOn: ['Youth.coordinatedPlan', 'Youth.contactPerson'] },
  'Query.youths(filter.dueKinds)': { filtersOn: ['Youth.coordinatedPlan', 'Youth.contactPerson'] },
  'Query.youths(filter.mine)': {
    open: 'identity only: it compares the caller’s own staff id with who the systems name, among the young people the caller may list anyway (need to know); it tells them which name THEM, their own caseload, and reads no other category',
  },
  'Query.youths(filter.nameContains)': { filtersOn: ['Youth.firstName', 'Youth.lastName'] },
  'Query.youths(orderBy)': {
    open: 'NAME sorts on identity, which the field itself requires; DUE_DATE is refused without filter.dueWithinDays, whose rule covers the due dates',
  },
  'Youth.due(withinDays)': { open: 'the window of the field’s own data, whose rule the field itself carries' },
  // Issue 15: the language a code's text is worded in; it selects words, never data.
  'TargetGroupIndicatorDetail.text(language)': { open: 'the language of the text: selects words, not data' },
  'EligibilityReason.text(language)': { open: 'the language of the text: selects words, not data' },
  'Transition.text(language)': { open: 'the language of the text: selects words, not data' },
  'DueItem.text(language)': { open: 'the language of the text: selects words, not data' },
  'GoalConflict.text(language)': { open: 'the language of the text: selects words, not data' },
  'UnitAction.text(language)': { open: 'the language of the text: selects words, not data' },
  'Query.youths(first)': { open: 'page size: filters on nothing' },
  'Query.youths(after)': { open: 'a sealed cursor, valid only for the list with the same filter (subgraphs/coordination/cursor.ts)' },
  'Query.youth(id)': { open: 'the young person’s own pseudonymous id: identity, which the field itself requires' },
  'Query.contactPerson(id)': { open: 'the contact person’s id: staff data the field itself requires contact-person:read for' },
  'Report.handovers(from)': { open: 'the period of an aggregate the report itself requires reporting:read for' },
  'Report.handovers(to)': { open: 'the period of an aggregate the report itself requires reporting:read for' },
  // Issue 15: the success measures over time and the CSV export, aggregates like the rest of the report.
  'Report.measures(month)': { open: 'the month of an aggregate the report itself requires reporting:read for' },
  'Report.measureSeries(months)': { open: 'the length of a series of aggregates the report itself requires reporting:read for' },
  'Report.csv(locale)': { open: 'how the report’s own aggregates are written (separator, decimals): filters on nothing' },
  'Report.csv(from)': { open: 'the period of an aggregate the report itself requires reporting:read for' },
  'Report.csv(to)': { open: 'the period of an aggregate the report itself requires reporting:read for' },
  'Report.csv(months)': { open: 'the length of a series of aggregates the report itself requires reporting:read for' },
  'Mutation.assignContactPerson(input)': WRITE,
  'Mutation.endContactPersonAssignment(input)': WRITE,
  'Mutation.createContactPerson(input)': WRITE,
  'Mutation.deactivateContactPerson(input)': WRITE,
  'Mutation.setContactPersonCaseloadLimit(input)': WRITE,
  'Mutation.addPlanAction(input)': WRITE,
  'Mutation.completePlanAction(input)': WRITE,
  'Mutation.recordJointDecision(input)': WRITE,
  // Issue 14: consent and the education plan's sharing with partners.
  'Mutation.recordConsent(input)': WRITE,
  'Mutation.withdrawConsent(input)': WRITE,
  'Mutation.setEducationPlanSharing(input)': WRITE,
  // Issue 15: meetings, and plan actions edited and cancelled with a reason.
  'Mutation.recordMeeting(input)': WRITE,
  'Mutation.editPlanAction(input)': WRITE,
  'Mutation.cancelPlanAction(input)': WRITE,
};

/** What an argument needs: every rule of `needs` (each ORs its alternatives), and a caller when `authenticated`. */
export interface ArgumentGuard {
  /** `Type.field(path)` */
  key: string;
  /** The coordinates it filters on; empty for an open argument. */
  filtersOn: readonly string[];
  needs: { coordinate: string; rule: ScopeRule }[];
  authenticated: boolean;
  /** A coordinate of the table names no field of the schema: refused for everyone until the table is fixed. */
  unknownData: string | undefined;
}

/** The guards of one supergraph; `fields` holds every field (`Type.field`) the table has arguments of. */
export interface ArgumentGuards {
  byKey: ReadonlyMap<string, ArgumentGuard>;
  fields: ReadonlySet<string>;
}

/** An argument whose every value passes: it filters on nothing protected (an `open` entry). */
export function isOpenArgument(guards: ArgumentGuards, field: string, argument: string): boolean {
  const guard = guards.byKey.get(`${field}(${argument})`);
  return guard !== undefined && guard.filtersOn.length === 0 && guard.unknownData === undefined;
}

/** `Type.field(a.b)` → `Type.field` and `a.b`. */
export function splitArgumentKey(key: string): { field: string; path: string } {
  const match = /^([A-Za-z_]\w*\.[A-Za-z_]\w*)\(([A-Za-z_][\w.]*)\)$/.exec(key);
  if (!match) throw new Error(`argument rule key "${key}" is not Type.field(argument[.inputField...])`);
  return { field: match[1]!, path: match[2]! };
}

/**
 * The guards, with the rules of each coordinate read from `rules`; `returnTypeOf` names the type a field
 * returns (null for no such field), so the return type's own rule counts too.
 */
export function buildArgumentGuards(
  rules: AccessRules,
  returnTypeOf: (coordinate: string) => string | null,
  table = ARGUMENT_RULES,
): ArgumentGuards {
  const byKey = new Map<string, ArgumentGuard>();
  const fields = new Set<string>();
  for (const [key, rule] of Object.entries(table)) {
    fields.add(splitArgumentKey(key).field);
    const filtersOn = 'filtersOn' in rule ? rule.filtersOn : [];
    const guard: ArgumentGuard = { key, filtersOn, needs: [], authenticated: false, unknownData: undefined };
    for (const coordinate of filtersOn) {
      const returned = returnTypeOf(coordinate);
      if (returned === null) {
        guard.unknownData = coordinate;
        continue;
      }
      const typeName = coordinate.slice(0, coordinate.indexOf('.'));
      for (const ruleKey of [typeName, coordinate, returned]) {
        const scoped = rules.fields.get(ruleKey) ?? rules.types.get(ruleKey);
        if (scoped) guard.needs.push({ coordinate, rule: scoped });
        if (rules.authenticated.has(ruleKey)) guard.authenticated = true;
      }
    }
    byKey.set(key, guard);
  }
  return { byKey, fields };
}

const guardsBySchema = new WeakMap<GraphQLSchema, WeakMap<AccessRules, ArgumentGuards>>();

/** The guards for the API schema the gateway serves and the rules read from the same supergraph (memoized). */
export function argumentGuardsFor(schema: GraphQLSchema, rules: AccessRules): ArgumentGuards {
  let byRules = guardsBySchema.get(schema);
  if (!byRules) guardsBySchema.set(schema, (byRules = new WeakMap()));
  let guards = byRules.get(rules);
  if (!guards) {
    guards = buildArgumentGuards(rules, (coordinate) => {
      const [typeName = '', fieldName = ''] = coordinate.split('.');
      const type = schema.getType(typeName);
      const field = type && 'getFields' in type && !isInputObjectType(type) ? type.getFields()[fieldName] : undefined;
      return field ? getNamedType(field.type).name : null;
    });
    byRules.set(rules, guards);
  }
  return guards;
}

/** Return types of a supergraph's fields, from its SDL (no schema needs building for it). */
function returnTypesOfDocument(document: DocumentNode): (coordinate: string) => string | null {
  const types = new Map<string, string>();
  for (const definition of document.definitions) {
    if (
      definition.kind !== Kind.OBJECT_TYPE_DEFINITION &&
      definition.kind !== Kind.OBJECT_TYPE_EXTENSION &&
      definition.kind !== Kind.INTERFACE_TYPE_DEFINITION &&
      definition.kind !== Kind.INTERFACE_TYPE_EXTENSION
    ) {
      continue;
    }
    for (const field of definition.fields ?? []) {
      let type = field.type;
      while (type.kind !== Kind.NAMED_TYPE) type = type.type;
      types.set(`${definition.name.value}.${field.name.value}`, type.name.value);
    }
  }
  return (coordinate) => types.get(coordinate) ?? null;
}

/** The guards of a composed supergraph's SDL. */
export function argumentGuardsOfSupergraph(supergraphSdl: string): ArgumentGuards {
  return buildArgumentGuards(readSupergraphRules(supergraphSdl), returnTypesOfDocument(parse(supergraphSdl)));
}

let committed: ArgumentGuards | undefined;

/**
 * The guards of the committed supergraph (schema/supergraph.graphql, in every image): what a subgraph
 * applies. A filter may read another subgraph's field (`Youth.school` from the coordination's `youths`),
 * whose rule only the supergraph holds.
 */
export function committedArgumentGuards(): ArgumentGuards {
  committed ??= argumentGuardsOfSupergraph(readFileSync(new URL('../../schema/supergraph.graphql', import.meta.url), 'utf8'));
  return committed;
}

export interface ArgumentRefusal {
  /** The argument as the client wrote it: `filter.indicator`. */
  argument: string;
  message: string;
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** `scope a`, `scopes a and b`; alternatives joined with `or`: the scopes the caller lacks of each. */
function describeMissing(rule: ScopeRule, scopes: ReadonlySet<string>): string {
  const alternatives = rule.map((allOf) => {
    const missing = allOf.filter((scope) => !scopes.has(scope));
    const list = missing.length > 0 ? missing : allOf;
    return list.length === 1 ? `scope ${list[0]}` : `scopes ${list.join(' and ')}`;
  });
  return alternatives.length === 0 ? 'a scope nobody holds' : alternatives.join(' or ');
}

function judge(
  guard: ArgumentGuard,
  argument: string,
  field: string,
  scopes: ReadonlySet<string>,
  authenticated: boolean,
): ArgumentRefusal | undefined {
  const prefix = `Unauthorized argument: ${argument} of ${field}`;
  if (guard.unknownData !== undefined)
    return { argument, message: `${prefix} filters on ${guard.unknownData}, which the graph does not know` };
  if (guard.authenticated && !authenticated)
    return { argument, message: `${prefix} filters on ${guard.filtersOn.join(', ')}, which needs an authenticated caller` };
  for (const { coordinate, rule } of guard.needs) {
    if (!hasScopes(scopes, rule))
      return { argument, message: `${prefix} filters on ${coordinate}, which needs ${describeMissing(rule, scopes)}` };
  }
  return undefined;
}

/**
 * The first argument of `field` (`Type.field`) the caller may not use, given the values the field is
 * called with (`args`, coerced or as the document gives them; absent and null values filter on nothing).
 * An input object without a rule of its own is judged field by field; a value of a listed field the
 * table has no rule for is refused.
 */
export function refusedArgument(
  guards: ArgumentGuards,
  field: string,
  args: Readonly<Record<string, unknown>>,
  scopes: ReadonlySet<string>,
  authenticated: boolean,
): ArgumentRefusal | undefined {
  // A field the table does not list at all is the completeness test's to catch (fixture graphs have their own).
  if (!guards.fields.has(field)) return undefined;
  const visit = (path: string, value: unknown): ArgumentRefusal | undefined => {
    if (value === null || value === undefined) return undefined;
    const guard = guards.byKey.get(`${field}(${path})`);
    if (guard) return judge(guard, path, field, scopes, authenticated);
    if (Array.isArray(value)) {
      for (const item of value) {
        const refusal = visit(path, item);
        if (refusal) return refusal;
      }
      return undefined;
    }
    if (isRecord(value)) {
      for (const [key, inner] of Object.entries(value)) {
        const refusal = visit(`${path}.${key}`, inner);
        if (refusal) return refusal;
      }
      return undefined;
    }
    return { argument: path, message: `Unauthorized argument: ${path} of ${field} has no access rule, so it is refused` };
  };
  for (const [name, value] of Object.entries(args)) {
    const refusal = visit(name, value);
    if (refusal) return refusal;
  }
  return undefined;
}
