import { GraphQLError } from 'graphql';

/**
 * A plain (non-federated) schema shaped like the graph around `Youth`: reached directly, in lists,
 * through contact persons' assignments, through a union and an interface.
 */
export const typeDefs = /* GraphQL */ `
  type Query {
    youth(id: ID!): Youth
    youths: [Youth!]!
    contactPersons: [ContactPerson!]!
    search(text: String!): [SearchResult!]!
    node(id: ID!): Node
    schools: [School!]!
  }
  type Mutation {
    touch(youthId: ID!): Youth
  }
  interface Node {
    id: ID!
  }
  type Youth implements Node {
    id: ID!
    firstName: String!
    lastName: String!
    cprNumber: String
    school: SchoolRecord
    guidance: GuidanceRecord
    contactPerson: ContactPersonAssignment
  }
  type SchoolRecord {
    grade: Int
    absence: [Absence!]!
  }
  type Absence {
    schoolYear: String!
    absentDays: Int!
  }
  type GuidanceRecord {
    readiness: String
  }
  type ContactPerson implements Node {
    id: ID!
    name: String!
    assignments: [ContactPersonAssignment!]!
  }
  type ContactPersonAssignment {
    id: ID!
    youth: Youth!
    contactPerson: ContactPerson!
  }
  type School {
    name: String!
  }
  union SearchResult = Youth | ContactPerson
`;

export interface YouthRow {
  __typename: 'Youth';
  id: string;
  firstName: string;
  lastName: string;
  cprNumber: string;
  school: { grade: number; absence: { schoolYear: string; absentDays: number }[] };
  guidance: { readiness: string };
  contactPerson: null;
}

export const YOUTHS: YouthRow[] = [
  { id: 'Y-1', firstName: 'Asta', lastName: 'Holm' },
  { id: 'Y-2', firstName: 'Bo', lastName: 'Krogh' },
  { id: 'Y-3', firstName: 'Carla', lastName: 'Lund' },
].map((y, i) => ({
  __typename: 'Youth' as const,
  ...y,
  cprNumber: `01010${i}-1234`,
  school: {
    grade: 8 + i,
    absence: [
      { schoolYear: '2024/25', absentDays: i },
      { schoolYear: '2023/24', absentDays: 2 * i },
    ],
  },
  guidance: { readiness: 'READY' },
  contactPerson: null,
}));

const [asta, bo, carla] = YOUTHS as [YouthRow, YouthRow, YouthRow];
const mette = { __typename: 'ContactPerson', id: 'CP-1', name: 'Mette Kjær', assignments: [] as unknown[] };
mette.assignments = [
  { id: 'A-1', youth: bo, contactPerson: mette },
  { id: 'A-2', youth: carla, contactPerson: mette },
];

/** Root values for graphql-js's default resolvers (`__typename` resolves the union and interface). */
export const rootValue = {
  youth: ({ id }: { id: string }) => YOUTHS.find((y) => y.id === id) ?? null,
  youths: () => YOUTHS,
  contactPersons: () => [mette],
  search: () => [asta, mette],
  node: ({ id }: { id: string }) => (id === mette.id ? mette : (YOUTHS.find((y) => y.id === id) ?? null)),
  schools: () => [{ name: 'Vestbjerg Skole' }],
  touch: ({ youthId }: { youthId: string }) => YOUTHS.find((y) => y.id === youthId) ?? null,
};

/** Category by coordinate, as the gateway derives it from the field rules. */
export function categoryOf(coordinate: string): string | null {
  if (coordinate === 'Youth.cprNumber') return 'CPR';
  if (['Youth.id', 'Youth.firstName', 'Youth.lastName'].includes(coordinate)) return 'identity';
  if (coordinate.startsWith('Youth.school') || coordinate.startsWith('SchoolRecord.') || coordinate.startsWith('Absence.')) return 'school';
  if (coordinate.startsWith('Youth.guidance') || coordinate.startsWith('GuidanceRecord.')) return 'guidance (UU)';
  if (coordinate === 'Youth.contactPerson') return 'contact person';
  return null;
}

/** A field the caller may not see, answered as the gateway's field rules answer it. */
export function unauthorized(coordinate: string): GraphQLError {
  return new GraphQLError(`Not authorized to see ${coordinate}`, { extensions: { code: 'UNAUTHORIZED_FIELD_OR_TYPE' } });
}
