/**
 * ESLint for every TypeScript file in the repository, with typescript-eslint's type-aware rules: a promise
 * nobody awaits or handles (no-floating-promises) lets a failure pass unseen or end the process, and an async
 * function where a callback's return is ignored (no-misused-promises) does the same in an event handler.
 * Type-only imports stay `import type` (the tsconfig's verbatimModuleSyntax erases nothing else).
 * Formatting is Prettier's (eslint-config-prettier turns off the rules that would argue with it).
 */
import js from '@eslint/js';
import prettier from 'eslint-config-prettier';
import globals from 'globals';
import { defineConfig } from 'eslint/config';
import tseslint from 'typescript-eslint';

export default defineConfig(
  {
    ignores: [
      // Generated and checked by `npm run codegen:check`.
      'operations/examples/generated/',
      '**/node_modules/',
      '.data/',
      '**/dist/',
      'coverage/',
      'tests/artifacts/',
      'test-results/',
      'bench/results/',
    ],
  },
  js.configs.recommended,
  tseslint.configs.recommendedTypeChecked,
  {
    languageOptions: {
      parserOptions: {
        projectService: true,
        tsconfigRootDir: import.meta.dirname,
      },
      globals: { ...globals.node },
    },
    linterOptions: {
      reportUnusedDisableDirectives: 'error',
    },
    rules: {
      '@typescript-eslint/consistent-type-imports': ['error', { fixStyle: 'inline-type-imports' }],
      '@typescript-eslint/consistent-type-exports': ['error', { fixMixedExportsWithInlineTypeSpecifier: true }],
      '@typescript-eslint/no-import-type-side-effects': 'error',
      '@typescript-eslint/no-unused-vars': [
        'error',
        { argsIgnorePattern: '^_', varsIgnorePattern: '^_', caughtErrors: 'none', ignoreRestSiblings: true },
      ],
      '@typescript-eslint/no-floating-promises': 'error',
      '@typescript-eslint/no-misused-promises': 'error',
      '@typescript-eslint/await-thenable': 'error',
      '@typescript-eslint/switch-exhaustiveness-check': ['error', { considerDefaultExhaustiveForUnions: true }],
      // Server code logs through pino (platform/logger.ts); the few figures a test prints say why on the line.
      'no-console': 'error',
      // Off: Apollo's plugin hooks, the IDE's and the stores' interfaces want a function that returns a promise,
      // and `async` without an await is the plain way to write one that has nothing to wait for.
      '@typescript-eslint/require-await': 'off',
    },
  },
  {
    // The browser bundles (the IDE and the dossier screen), built by esbuild.
    files: ['gateway/ide/client/**/*.ts', 'web/client/**/*.ts'],
    languageOptions: { globals: { ...globals.browser } },
  },
  {
    // The few JavaScript files (this one, the image's health check, the benchmark's peer gateway) are
    // outside tsconfig.json: linted without types.
    files: ['**/*.js', '**/*.mjs'],
    extends: [tseslint.configs.disableTypeChecked],
  },
  prettier,
);
