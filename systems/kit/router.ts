import type { IncomingMessage } from 'node:http';

/** What a handler gets: the path parameters, the query and the raw request (for bodies). */
export interface RouteContext {
  params: Record<string, string>;
  query: URLSearchParams;
  req: IncomingMessage;
}

/** Answers a value, or a promise of one. */
export type Handler = (ctx: RouteContext) => unknown;

export interface Route {
  method: 'GET' | 'POST';
  /** `/api/v2/elever/:cpr`: literal segments and `:name` parameters. */
  path: string;
  /** Only when the query says so (several operations on one path, as UU's register has). */
  when?: (query: URLSearchParams) => boolean;
  /** Name in the call stats; `"METHOD path"` by default. */
  name?: string;
  handler: Handler;
}

export interface Match {
  route: Route;
  name: string;
  params: Record<string, string>;
}

/** A tiny router: exact segment matching, first route that fits wins. */
export class Router {
  private readonly routes: { route: Route; segments: string[] }[] = [];

  add(route: Route): this {
    this.routes.push({ route, segments: route.path.split('/').filter(Boolean) });
    return this;
  }

  match(method: string, pathname: string, query: URLSearchParams): Match | null {
    const parts = pathname.split('/').filter(Boolean);
    for (const { route, segments } of this.routes) {
      if (route.method !== method || segments.length !== parts.length) continue;
      if (route.when && !route.when(query)) continue;
      const params: Record<string, string> = {};
      let ok = true;
      for (let i = 0; i < segments.length && ok; i++) {
        const segment = segments[i]!;
        const part = parts[i]!;
        if (segment.startsWith(':')) {
          try {
            params[segment.slice(1)] = decodeURIComponent(part);
          } catch {
            ok = false;
          }
        } else if (segment !== part) {
          ok = false;
        }
      }
      if (ok) return { route, name: route.name ?? `${route.method} ${route.path}`, params };
    }
    return null;
  }
}
