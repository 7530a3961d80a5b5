/**
 * A fast path for `require()` of Node's built-in modules while tsx is the runtime (as deployed:
 * `node --import tsx`). tsx wraps `Module._resolveFilename` and, for every call, parses the request's
 * query string, builds an Error to inspect its stack and tries tsconfig paths, also for `crypto`.
 * Apollo Server calls `module.require('crypto')` for the document hash of every request
 * (@apollo/utils.createhash): profiled under the dossier load that was 2.4% of the subgraphs' CPU.
 *
 * Node's own `_resolveFilename` answers a built-in's id unchanged before anything else, and tsx has
 * nothing to rewrite for one, so answering it here resolves exactly as before. Everything else goes to
 * the resolver installed before (tsx's, which keeps the `.ts` and path-mapping behaviour).
 */
import Module, { isBuiltin } from 'node:module';

type ResolveFilename = (this: unknown, request: string, ...rest: unknown[]) => string;
const moduleInternals = Module as unknown as { _resolveFilename: ResolveFilename & { builtinFastPath?: true } };

export function installBuiltinResolveFastPath(): void {
  const current = moduleInternals._resolveFilename;
  if (current.builtinFastPath) return;
  const fast: ResolveFilename & { builtinFastPath?: true } = function (this: unknown, request, ...rest) {
    return typeof request === 'string' && isBuiltin(request) ? request : current.call(this, request, ...rest);
  };
  fast.builtinFastPath = true;
  moduleInternals._resolveFilename = fast;
}
