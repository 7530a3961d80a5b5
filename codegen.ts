/**
 * GraphQL Code Generator's configuration for the example operations in `operations/examples/`: the
 * client preset writes typed documents to `operations/examples/generated/`. `npm run codegen` (see
 * scripts/codegen.ts) runs it with the graph's API schema, built from `schema/supergraph.graphql` as the
 * gateway builds it; `npm run codegen:check` fails when the committed files are stale.
 *
 * A frontend team's own repository points `schema` at the gateway or a downloaded schema instead
 * (docs/frontend.md).
 */
import type { CodegenConfig } from '@graphql-codegen/cli';

export const EXAMPLES_DIR = 'operations/examples';
export const GENERATED_DIR = `${EXAMPLES_DIR}/generated/`;

/** Everything but the schema, which scripts/codegen.ts supplies. */
export const codegenConfig: Omit<CodegenConfig, 'schema'> = {
  documents: [`${EXAMPLES_DIR}/*.graphql`],
  ignoreNoDocuments: false,
  generates: {
    [GENERATED_DIR]: {
      preset: 'client',
      presetConfig: {
        // The examples are read whole (the IDE, a web screen); masking fragments would hide their fields.
        fragmentMasking: false,
      },
      config: {
        // What this repository's tsconfig demands: `import type`, `.js` in relative imports, no runtime enums.
        useTypeImports: true,
        emitLegacyCommonJSImports: false,
        enumsAsTypes: true,
        // Plain strings on the wire (fetch), no graphql-js AST needed in a browser bundle.
        documentMode: 'string',
        scalars: {
          ID: { input: 'string', output: 'string' },
          Date: { input: 'string', output: 'string' },
          DateTime: { input: 'string', output: 'string' },
        },
        avoidOptionals: { field: true, inputValue: false, object: true, defaultValue: false },
        strictScalars: true,
      },
    },
  },
};

export default codegenConfig;
