/**
 * The IDE page's script (bundled by gateway/ide/bundle.ts, never run by Node): GraphiQL 5 over the
 * gateway's `/graphql`, the example operations as tabs, and a token field whose value is sent as the
 * `Authorization` header. Everything it loads comes from the gateway itself (no CDN).
 */
import { GraphiQL } from 'graphiql';
import { GraphQLError, type ExecutionResult } from 'graphql';
import { createElement, useState, type ComponentProps, type FormEvent } from 'react';
import { createRoot } from 'react-dom/client';
import 'graphiql/style.css';
import './ide.css';

/** What the server embeds in the page (`<script type="application/json" id="ide-config">`). */
interface IdeConfig {
  /** The GraphQL endpoint, relative to the page. */
  endpoint: string;
  /** The Monaco web workers by label (`editor`, `json`, `graphql`), relative to the page. */
  workers: Record<string, string>;
  examples: { name: string; audience: string; query: string; variables: string | null }[];
  /** Changes whenever an example does: GraphiQL's saved tabs are kept per version of the examples. */
  examplesVersion: string;
  /** Whether the server runs in production (no development tokens there). */
  production: boolean;
}

type GraphiQLProps = ComponentProps<typeof GraphiQL>;
type Fetcher = GraphiQLProps['fetcher'];
type GraphiQLStorage = NonNullable<GraphiQLProps['storage']>;

const configElement = document.getElementById('ide-config');
const config = JSON.parse(configElement?.textContent ?? '{}') as IdeConfig;

// Monaco starts its workers through this hook; same-origin scripts keep the CSP at worker-src 'self'.
(globalThis as { MonacoEnvironment?: unknown }).MonacoEnvironment = {
  getWorker(_workerId: string, label: string): Worker {
    const path = config.workers[label] ?? config.workers['editor'];
    if (!path) throw new Error(`No worker for ${label}`);
    return new Worker(new URL(path, document.baseURI), { name: label });
  },
};

const TOKEN_KEY = 'ungegraf-ide-token';

/**
 * A token handed over in the URL fragment (`#token=...`, printed by `npm start`; a fragment never
 * reaches a server) is taken into this tab's session storage and removed from the address bar and
 * history at once.
 */
function initialToken(): string {
  const fragment = new URLSearchParams(location.hash.replace(/^#/, ''));
  const handed = fragment.get('token');
  if (handed) {
    sessionStorage.setItem(TOKEN_KEY, handed);
    history.replaceState(null, '', location.pathname + location.search);
    return handed;
  }
  return sessionStorage.getItem(TOKEN_KEY) ?? '';
}

const tokenHint = config.production
  ? 'Paste a bearer token from the identity provider'
  : 'Paste a token: npm run -s token -- social-caseworker';

function hasAuthorization(headers: Record<string, unknown> | undefined): boolean {
  return Object.keys(headers ?? {}).some((name) => name.toLowerCase() === 'authorization');
}

/** POSTs to the gateway; the token field's token unless the tab's headers carry their own. */
function fetcherWith(token: string): Fetcher {
  return async (params, options) => {
    const headers: Record<string, string> = { 'content-type': 'application/json', accept: 'application/json' };
    for (const [name, value] of Object.entries(options?.headers ?? {})) headers[name] = String(value);
    if (!hasAuthorization(options?.headers)) {
      // Every request needs a token: say so here rather than send one the gateway answers 401.
      if (!token) {
        const noToken: ExecutionResult = { errors: [new GraphQLError(`No token. ${tokenHint} (in the Token field above).`)] };
        return noToken;
      }
      headers['authorization'] = `Bearer ${token}`;
    }
    const response = await fetch(new URL(config.endpoint, document.baseURI), { method: 'POST', headers, body: JSON.stringify(params) });
    const text = await response.text();
    try {
      return JSON.parse(text) as ExecutionResult;
    } catch {
      const notJson: ExecutionResult = { errors: [new GraphQLError(`HTTP ${response.status}: the answer is not JSON`)] };
      return notJson;
    }
  };
}

/**
 * GraphiQL keeps its tabs in local storage and shows the saved ones instead of `defaultTabs`; kept
 * under the examples' version, a changed example is seen at the next load without clearing anything.
 */
const storage = examplesStorage(`ungegraf-ide-${config.examplesVersion}:`);

/**
 * GraphiQL also saves the open editor's text on its own (`query`, `variables`, `headers`, 100 ms after an
 * edit) apart from the tabs (500 ms after). Read back before the tabs were saved (a reload, or the
 * remount a new token causes), a text that matches no saved tab becomes an extra tab. The tabs hold
 * each editor's text already, so only they are kept.
 */
const EDITOR_COPIES = new Set(['query', 'variables', 'headers']);

/** Local storage under `prefix`; what earlier versions of the examples left is removed. */
function examplesStorage(prefix: string): GraphiQLStorage {
  const keysWith = (test: (key: string) => boolean) => Object.keys(localStorage).filter(test);
  for (const key of keysWith((key) => key.startsWith('ungegraf-ide-') && !key.startsWith(prefix))) localStorage.removeItem(key);
  const ownKeys = () => keysWith((key) => key.startsWith(prefix));
  return {
    getItem: (key) => (EDITOR_COPIES.has(key) ? null : localStorage.getItem(prefix + key)),
    setItem: (key, value) => {
      if (!EDITOR_COPIES.has(key)) localStorage.setItem(prefix + key, value);
    },
    removeItem: (key) => localStorage.removeItem(prefix + key),
    clear: () => {
      for (const key of ownKeys()) localStorage.removeItem(key);
    },
    get length() {
      return ownKeys().length;
    },
  };
}

/** The examples as GraphiQL's first tabs: the operation (its leading comment names the audience) and its variables. */
const defaultTabs = config.examples.map((example) => ({ query: example.query, variables: example.variables }));

function TokenBar(props: { token: string; onToken: (token: string) => void }) {
  const [draft, setDraft] = useState(props.token);
  const submit = (event: FormEvent) => {
    event.preventDefault();
    const token = draft.trim().replace(/^Bearer\s+/i, '');
    if (token) sessionStorage.setItem(TOKEN_KEY, token);
    else sessionStorage.removeItem(TOKEN_KEY);
    props.onToken(token);
  };
  return createElement(
    'form',
    { className: 'ide-token', onSubmit: submit },
    createElement('label', { htmlFor: 'ide-token-input' }, 'Token'),
    createElement('input', {
      id: 'ide-token-input',
      type: 'password',
      autoComplete: 'off',
      spellCheck: false,
      placeholder: tokenHint,
      value: draft,
      onChange: (event: { target: { value: string } }) => setDraft(event.target.value),
    }),
    createElement('button', { type: 'submit' }, 'Use token'),
    createElement(
      'span',
      { className: 'ide-token-state', 'data-state': props.token ? 'set' : 'unset' },
      props.token ? 'token set' : 'no token yet: nothing can run',
    ),
  );
}

function App() {
  const [token, setToken] = useState(initialToken);
  return createElement(
    'div',
    { className: 'ide' },
    createElement(TokenBar, { token, onToken: setToken }),
    createElement(
      'div',
      { className: 'ide-graphiql' },
      // A new token remounts GraphiQL, which then fetches the schema with it.
      createElement(GraphiQL, {
        key: token,
        fetcher: fetcherWith(token),
        defaultTabs,
        storage,
        defaultEditorToolsVisibility: 'variables',
        shouldPersistHeaders: false,
      }),
    ),
  );
}

const root = document.getElementById('ide-root');
if (root) createRoot(root).render(createElement(App));
