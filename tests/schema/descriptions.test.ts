/**
 * The public API schema is something a reader can learn from (issue 6): every type, field, argument,
 * enum value and input field the clients can introspect has a description; a nullable field says what
 * null means; the scalars say their format; a deprecation always gives its reason; the Danish terms
 * sit where a caseworker looks for them; and the subgraphs do not disagree about a shared description.
 *
 * The API schema is built the way the gateway serves it: the subgraphs composed (schema/compose.ts),
 * then ApolloGateway's API schema of that supergraph (scripts/apiSchema.ts; no subgraph is called).
 */
import { readFileSync } from 'node:fs';
import { isAbsolute, resolve } from 'node:path';
import { composeServices } from '@apollo/composition';
import {
  buildSchema,
  DEFAULT_DEPRECATION_REASON,
  isEnumType,
  isInputObjectType,
  isInterfaceType,
  isIntrospectionType,
  isNullableType,
  isObjectType,
  isScalarType,
  isSpecifiedScalarType,
  Kind,
  parse,
  visit,
  type DirectiveNode,
  type DocumentNode,
  type GraphQLNamedType,
  type GraphQLSchema,
} from 'graphql';
import { beforeAll, describe, expect, it } from 'vitest';
import { composeSupergraph, REPO_ROOT } from '../../schema/compose.js';
import { SUBGRAPHS } from '../../schema/subgraphs.js';
import { apiSchemaOfSupergraph } from '../../scripts/apiSchema.js';

// ---------------------------------------------------------------------------------------- the audit

/** Federation's machinery: not part of the public API even where a schema still carries it. */
const INTERNAL_TYPES = new Set(['_Service', '_Any', '_Entity', '_FieldSet']);
const INTERNAL_FIELDS = new Set(['_entities', '_service']);
const INTERNAL_PREFIXES = ['link__', 'join__', 'federation__', 'requiresScopes__', 'policy__'];

function isInternalType(type: GraphQLNamedType): boolean {
  return (
    isIntrospectionType(type) ||
    isSpecifiedScalarType(type) ||
    INTERNAL_TYPES.has(type.name) ||
    INTERNAL_PREFIXES.some((prefix) => type.name.startsWith(prefix))
  );
}

const blank = (text: string | null | undefined): boolean => text === null || text === undefined || text.trim() === '';

/** `@deprecated` with no reason reads "No longer supported" in graphql-js: no reason at all for a reader. */
function deprecatedWithoutReason(reason: string | null | undefined): boolean {
  return reason !== null && reason !== undefined && (blank(reason) || reason === DEFAULT_DEPRECATION_REASON);
}

/** A nullable output field must say what its null means (no record, not asked, system unavailable...). */
const SAYS_WHAT_NULL_MEANS = /\bnull\b/i;

/**
 * Every gap in the schema's documentation, one line each, by schema coordinate (`Type.field(arg)`),
 * sorted: missing descriptions, nullable fields silent about null, deprecations without a reason.
 */
export function documentationGaps(schema: GraphQLSchema): string[] {
  const gaps: string[] = [];
  const missing = (coordinate: string, description: string | null | undefined): void => {
    if (blank(description)) gaps.push(`${coordinate}: no description`);
  };
  const deprecation = (coordinate: string, reason: string | null | undefined): void => {
    if (deprecatedWithoutReason(reason)) gaps.push(`${coordinate}: deprecated without a reason`);
  };

  for (const type of Object.values(schema.getTypeMap())) {
    if (isInternalType(type)) continue;
    missing(type.name, type.description);
    if (isObjectType(type) || isInterfaceType(type)) {
      for (const field of Object.values(type.getFields())) {
        if (INTERNAL_FIELDS.has(field.name)) continue;
        const coordinate = `${type.name}.${field.name}`;
        missing(coordinate, field.description);
        deprecation(coordinate, field.deprecationReason);
        if (!blank(field.description) && isNullableType(field.type) && !SAYS_WHAT_NULL_MEANS.test(field.description ?? '')) {
          gaps.push(`${coordinate}: nullable, but the description does not say when it is null`);
        }
        for (const arg of field.args) {
          missing(`${coordinate}(${arg.name}:)`, arg.description);
          deprecation(`${coordinate}(${arg.name}:)`, arg.deprecationReason);
        }
      }
    } else if (isInputObjectType(type)) {
      for (const field of Object.values(type.getFields())) {
        missing(`${type.name}.${field.name}`, field.description);
        deprecation(`${type.name}.${field.name}`, field.deprecationReason);
      }
    } else if (isEnumType(type)) {
      for (const value of type.getValues()) {
        missing(`${type.name}.${value.name}`, value.description);
        deprecation(`${type.name}.${value.name}`, value.deprecationReason);
      }
    }
  }
  return gaps.sort();
}

/**
 * `@deprecated` applications in an SDL document that give no reason, or a blank one. Read from the
 * source, because once built a schema cannot tell a missing reason from graphql-js's default text.
 */
export function deprecationsWithoutReason(document: DocumentNode): string[] {
  const found: string[] = [];
  const path: string[] = [];
  const enter = (node: { name: { value: string } }): void => void path.push(node.name.value);
  const leave = (): void => void path.pop();
  visit(document, {
    ObjectTypeDefinition: { enter, leave },
    ObjectTypeExtension: { enter, leave },
    InterfaceTypeDefinition: { enter, leave },
    InterfaceTypeExtension: { enter, leave },
    InputObjectTypeDefinition: { enter, leave },
    InputObjectTypeExtension: { enter, leave },
    EnumTypeDefinition: { enter, leave },
    EnumTypeExtension: { enter, leave },
    FieldDefinition: { enter, leave },
    InputValueDefinition: { enter, leave },
    EnumValueDefinition: { enter, leave },
    Directive(node: DirectiveNode) {
      if (node.name.value !== 'deprecated') return;
      const reason = node.arguments?.find((arg) => arg.name.value === 'reason')?.value;
      if (!reason || reason.kind !== Kind.STRING || blank(reason.value)) found.push(path.join('.'));
    },
  });
  return found;
}

// ------------------------------------------------------------------------------------ the real graph

/** The API schema clients introspect: the subgraphs composed now, derived the way the gateway derives it. */
async function publicApiSchema(): Promise<GraphQLSchema> {
  return apiSchemaOfSupergraph(composeSupergraph().supergraphSdl);
}

function subgraphDocuments(): { name: string; document: DocumentNode }[] {
  return SUBGRAPHS.map((subgraph) => {
    const path = isAbsolute(subgraph.schemaPath) ? subgraph.schemaPath : resolve(REPO_ROOT, subgraph.schemaPath);
    return { name: subgraph.name, document: parse(readFileSync(path, 'utf8')) };
  });
}

/** The description at a schema coordinate: `Type`, `Type.field`, `Type.field(arg:)` or `Enum.VALUE`. */
function descriptionAt(schema: GraphQLSchema, coordinate: string): string {
  const match = /^(\w+)(?:\.(\w+)(?:\((\w+):\))?)?$/.exec(coordinate);
  const type = match?.[1] ? schema.getType(match[1]) : undefined;
  if (!match || !type) throw new Error(`no type at ${coordinate}`);
  const [, , member, arg] = match;
  if (!member) return type.description ?? '';
  if (isEnumType(type)) return type.getValue(member)?.description ?? '';
  if (!isObjectType(type) && !isInterfaceType(type) && !isInputObjectType(type)) throw new Error(`${type.name} has no members`);
  const field = type.getFields()[member];
  if (!field) throw new Error(`no field at ${coordinate}`);
  if (!arg) return field.description ?? '';
  if (!('args' in field)) throw new Error(`${coordinate}: an input field has no arguments`);
  return field.args.find((a) => a.name === arg)?.description ?? '';
}

/**
 * Where a caseworker looks, the term they look for (issue 6: "the Danish term where a caseworker
 * would look for it"), from the municipality's 2019 note and the units' own vocabulary.
 */
const DANISH_TERMS: ReadonlyArray<readonly [coordinate: string, term: string]> = [
  ['GuidanceRecord.readiness', 'uddannelsesparathedsvurdering'],
  ['GuidanceRecord.readiness', 'UPV'],
  ['ReadinessAssessment', 'UPV'],
  ['Readiness.NOT_READY', 'ikke-uddannelsesparat'],
  ['GuidanceRecord.educationPlan', 'uddannelsesplan'],
  ['GuidanceRecord.counsellor', 'UU-vejleder'],
  ['GuidanceRecord.educationDuty', 'uddannelsespligt'],
  ['Youth.targetGroup', 'målgruppe'],
  ['Youth.targetGroup', 'ungeindsats'],
  ['TargetGroupIndicator.CONCERNING_ABSENCE', 'bekymrende fravær'],
  ['SchoolYearAbsence.unlawfulAbsenceDates', 'ulovligt fravær'],
  ['SchoolRecord.wellbeingForum', 'trivselsforum'],
  ['Youth.contactPerson', 'gennemgående kontaktperson'],
  ['Youth.contactPersonEligibility', 'gennemgående kontaktperson'],
  ['Query.contactPersons', 'gennemgående kontaktperson'],
  ['JobcenterCategory.EDUCATION_READY', 'uddannelsesparat'],
  ['JobcenterCategory.ACTIVITY_READY', 'aktivitetsparat'],
  ['EffortType.BRIDGE_BUILDING', 'brobygning'],
  ['MeasureType.AFTERCARE', 'efterværn'],
  ['BenefitType.EDUCATION_BENEFIT', 'uddannelseshjælp'],
  ['JointDecision', 'fælles afgørelse'],
  ['Youth.cprNumber', 'personnummer'],
  ['Query.report', 'ledelsesinformation'],
];

describe('the documentation audit', () => {
  // The audit must be able to fail: a schema with one hole of each kind yields exactly those holes.
  const holes = buildSchema(`
    "A calendar date."
    scalar Date
    scalar Undocumented
    "Documented."
    type Query {
      "Documented, nullable and says what null means: null when unknown."
      one("Documented." id: ID!): Thing
      silentAboutNull: String
      "Nullable without saying when."
      vague: String
      "Deprecated with a reason."
      old: String! @deprecated(reason: "Use \`one\`: it names the thing.")
      "Deprecated without one."
      older: String! @deprecated
      _service: String
    }
    type Thing {
      "Documented."
      id: ID!
      "Documented."
      name(
        "Documented."
        locale: String
        style: String
      ): String!
    }
    "Documented."
    enum Colour {
      "Documented."
      RED
      GREEN
    }
    "Documented."
    input Filter {
      "Documented."
      colour: Colour
      size: Int
    }
    type _Service { sdl: String }
    type join__Graph { name: String }
  `);

  it('lists every missing description, silent null and reasonless deprecation by coordinate', () => {
    expect(documentationGaps(holes)).toEqual([
      'Colour.GREEN: no description',
      'Filter.size: no description',
      'Query.older: deprecated without a reason',
      'Query.silentAboutNull: no description',
      'Query.vague: nullable, but the description does not say when it is null',
      'Thing.name(style:): no description',
      'Thing: no description',
      'Undocumented: no description',
    ]);
  });

  it('finds @deprecated without a reason in SDL, wherever it sits', () => {
    const document = parse(`
      type Query { a: String @deprecated b: String @deprecated(reason: " ") c: String @deprecated(reason: "Use d: it is typed.") }
      enum E { X @deprecated Y }
      input I { f: Int @deprecated }
      extend type T { g(h: Int @deprecated): Int }
    `);
    expect(deprecationsWithoutReason(document)).toEqual(['Query.a', 'Query.b', 'E.X', 'I.f', 'T.g.h']);
  });
});

describe('the public API schema', () => {
  let schema: GraphQLSchema;
  beforeAll(async () => {
    schema = await publicApiSchema();
  });

  it('documents every type, field, argument, enum value and input field, and what every null means', () => {
    const gaps = documentationGaps(schema);
    expect(gaps, `undocumented in the API schema:\n  ${gaps.join('\n  ')}`).toEqual([]);
  });

  it('exposes none of the federation machinery (the audit skips it; it must not be public either)', () => {
    const names = Object.keys(schema.getTypeMap());
    expect(names.filter((name) => INTERNAL_TYPES.has(name) || INTERNAL_PREFIXES.some((prefix) => name.startsWith(prefix)))).toEqual([]);
    expect(Object.keys(schema.getQueryType()?.getFields() ?? {}).filter((name) => INTERNAL_FIELDS.has(name))).toEqual([]);
  });

  it('says the format of every custom scalar', () => {
    expect(descriptionAt(schema, 'Date')).toContain('YYYY-MM-DD');
    expect(descriptionAt(schema, 'DateTime')).toMatch(/ISO 8601/);
    for (const type of Object.values(schema.getTypeMap())) {
      if (isScalarType(type) && !isInternalType(type)) {
        expect(type.description ?? '', `${type.name} says its format`).toMatch(/ISO 8601|format/i);
      }
    }
  });

  it.each(DANISH_TERMS)('%s names the Danish term "%s"', (coordinate, term) => {
    expect(descriptionAt(schema, coordinate).toLowerCase()).toContain(term.toLowerCase());
  });
});

describe('the subgraph SDL', () => {
  const documents = subgraphDocuments();

  it.each(documents.map((d) => [d.name, d.document] as const))('%s: every @deprecated gives a reason', (_name, document) => {
    expect(deprecationsWithoutReason(document)).toEqual([]);
  });

  it('the subgraphs agree on every shared description (composition would pick one of them silently)', () => {
    const result = composeServices(SUBGRAPHS.map((s, i) => ({ name: s.name, url: s.defaultUrl, typeDefs: documents[i]!.document })));
    expect(result.errors ?? []).toEqual([]);
    const inconsistent = (result.hints ?? [])
      .filter((hint) => hint.definition.code === 'INCONSISTENT_DESCRIPTION')
      .map((hint) => hint.message);
    expect(inconsistent, inconsistent.join('\n')).toEqual([]);
  });
});
