import { createRequire } from 'node:module';
import Module from 'node:module';
import { describe, expect, it } from 'vitest';
import { installBuiltinResolveFastPath } from '../../subgraphs/kit/builtinResolve.js';

const require = createRequire(import.meta.url);
const resolveFilename = () => (Module as unknown as { _resolveFilename: { builtinFastPath?: true } })._resolveFilename;

describe('installBuiltinResolveFastPath', () => {
  it('resolves built-ins to themselves and everything else as before; installing twice wraps once', () => {
    const packageBefore = require.resolve('dataloader');
    const relativeBefore = require.resolve('./sharedBatchLoader.test.ts');
    installBuiltinResolveFastPath();
    const installed = resolveFilename();
    installBuiltinResolveFastPath();
    expect(resolveFilename()).toBe(installed);
    expect(installed.builtinFastPath).toBe(true);
    expect(require.resolve('crypto')).toBe('crypto');
    expect(require.resolve('node:crypto')).toBe('node:crypto');
    expect(require('crypto')).toBe(require('node:crypto'));
    expect(require.resolve('dataloader')).toBe(packageBefore);
    expect(require.resolve('./sharedBatchLoader.test.ts')).toBe(relativeBefore);
    expect(() => require.resolve('./no-such-file')).toThrow(/Cannot find module/);
  });
});
