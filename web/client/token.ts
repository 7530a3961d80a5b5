/**
 * The bearer token: taken from the URL fragment once (`/app/#token=...`, what `npm start` prints; a
 * fragment never reaches a server), kept in sessionStorage (gone with the tab), sent to `/graphql`.
 */
const STORAGE_KEY = 'ungegraf.token';

/** What the screen shows about who is signed in. Read from the token unverified: display only. */
export interface TokenInfo {
  role: string | undefined;
  subject: string | undefined;
  /** Expiry in ms since the epoch, when the token says. */
  expiresAt: number | undefined;
  /** The `scope` claim: decides which controls the screen offers (the graph enforces them regardless). */
  scopes: string[];
}

/** Moves a `#token=` fragment into sessionStorage and removes it from the address bar and history. */
export function adoptTokenFromFragment(location: Location, history: History, storage: Storage): void {
  const fragment = new URLSearchParams(location.hash.replace(/^#/, ''));
  const token = fragment.get('token');
  if (token === null) return;
  if (token.trim() !== '') storage.setItem(STORAGE_KEY, token.trim());
  history.replaceState(history.state, '', location.pathname + location.search);
}

export function storedToken(storage: Storage): string | undefined {
  return storage.getItem(STORAGE_KEY) ?? undefined;
}

export function storeToken(storage: Storage, token: string): void {
  storage.setItem(STORAGE_KEY, token.trim());
}

export function forgetToken(storage: Storage): void {
  storage.removeItem(STORAGE_KEY);
}

/** The claims the screen displays, or undefined when the text is not a JWT at all. */
export function tokenInfo(token: string): TokenInfo | undefined {
  const payload = token.split('.')[1];
  if (token.split('.').length !== 3 || !payload) return undefined;
  try {
    const base64 = payload.replace(/-/g, '+').replace(/_/g, '/');
    const json = new TextDecoder().decode(Uint8Array.from(atob(base64), (char) => char.charCodeAt(0)));
    const claims: unknown = JSON.parse(json);
    if (typeof claims !== 'object' || claims === null) return undefined;
    const { role, sub, exp, scope } = claims as Record<string, unknown>;
    return {
      role: typeof role === 'string' ? role : undefined,
      subject: typeof sub === 'string' ? sub : undefined,
      expiresAt: typeof exp === 'number' ? exp * 1000 : undefined,
      scopes: typeof scope === 'string' ? scope.split(' ').filter(Boolean) : [],
    };
  } catch {
    return undefined;
  }
}
