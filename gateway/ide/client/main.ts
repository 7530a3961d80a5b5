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
  /** `queryDa`: the operation with its description in Danish, null where none is written (it stays English). */
  examples: { name: string; audience: string; query: string; queryDa: string | null; variables: string | null }[];
  /** Changes whenever an example does: GraphiQL's saved tabs are kept per version of the examples. */
  examplesVersion: string;
  /** The same per language: each language's tabs are saved apart. */
  examplesVersions: Record<Language, string>;
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
 * The language of the IDE's own words and of the examples' descriptions (issue 15): Danish unless English
 * was chosen, in this IDE or on the reference screen (the same origin and the same localStorage key).
 */
type Language = 'da' | 'en';
const LANGUAGE_KEY = 'ungegraf.language';

function storedLanguage(): Language {
  return localStorage.getItem(LANGUAGE_KEY) === 'en' ? 'en' : 'da';
}

const WORDS = {
  da: {
    token: 'Token',
    useToken: 'Brug token',
    tokenSet: 'token sat',
    noToken: 'intet token endnu: intet kan køre',
    hintProduction: 'Indsæt et bearer-token fra identitetsudbyderen',
    hintDevelopment: 'Indsæt et token: npm run -s token -- social-caseworker',
    missingToken: (hint: string) => `Intet token. ${hint} (i feltet Token ovenfor).`,
    language: 'Sprog',
  },
  en: {
    token: 'Token',
    useToken: 'Use token',
    tokenSet: 'token set',
    noToken: 'no token yet: nothing can run',
    hintProduction: 'Paste a bearer token from the identity provider',
    hintDevelopment: 'Paste a token: npm run -s token -- social-caseworker',
    missingToken: (hint: string) => `No token. ${hint} (in the Token field above).`,
    language: 'Language',
  },
} satisfies Record<Language, Record<string, unknown>>;

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

function tokenHint(language: Language): string {
  return config.production ? WORDS[language].hintProduction : WORDS[language].hintDevelopment;
}

function hasAuthorization(headers: Record<string, unknown> | undefined): boolean {
  return Object.keys(headers ?? {}).some((name) => name.toLowerCase() === 'authorization');
}

/** POSTs to the gateway; the token field's token unless the tab's headers carry their own. */
function fetcherWith(token: string, language: Language): Fetcher {
  return async (params, options) => {
    const headers: Record<string, string> = { 'content-type': 'application/json', accept: 'application/json' };
    for (const [name, value] of Object.entries(options?.headers ?? {})) headers[name] = String(value);
    if (!hasAuthorization(options?.headers)) {
      // Every request needs a token: say so here rather than send one the gateway answers 401.
      if (!token) {
        const noToken: ExecutionResult = { errors: [new GraphQLError(WORDS[language].missingToken(tokenHint(language)))] };
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
function versionFor(language: Language): string {
  return config.examplesVersions?.[language] ?? config.examplesVersion;
}
const storages = new Map<Language, GraphiQLStorage>();
function storageFor(language: Language): GraphiQLStorage {
  let storage = storages.get(language);
  if (!storage) storages.set(language, (storage = examplesStorage(`ungegraf-ide-${versionFor(language)}:`)));
  return storage;
}

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
  // The other language's tabs of the same examples stay (a switch back finds them).
  const current = new Set([prefix, ...Object.values(config.examplesVersions ?? {}).map((version) => `ungegraf-ide-${version}:`)]);
  for (const key of keysWith((key) => key.startsWith('ungegraf-ide-') && ![...current].some((own) => key.startsWith(own)))) {
    localStorage.removeItem(key);
  }
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
function defaultTabs(language: Language) {
  return config.examples.map((example) => ({
    query: language === 'da' ? (example.queryDa ?? example.query) : example.query,
    variables: example.variables,
  }));
}

function TokenBar(props: {
  token: string;
  onToken: (token: string) => void;
  language: Language;
  onLanguage: (language: Language) => void;
}) {
  const words = WORDS[props.language];
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
    createElement('label', { htmlFor: 'ide-token-input' }, words.token),
    createElement('input', {
      id: 'ide-token-input',
      type: 'password',
      autoComplete: 'off',
      spellCheck: false,
      placeholder: tokenHint(props.language),
      value: draft,
      onChange: (event: { target: { value: string } }) => setDraft(event.target.value),
    }),
    createElement('button', { type: 'submit' }, words.useToken),
    createElement(
      'span',
      { className: 'ide-token-state', 'data-state': props.token ? 'set' : 'unset' },
      props.token ? words.tokenSet : words.noToken,
    ),
    createElement(
      'span',
      { className: 'ide-language', role: 'group', 'aria-label': words.language },
      (['da', 'en'] as const).map((language) =>
        createElement(
          'button',
          {
            key: language,
            type: 'button',
            lang: language,
            'data-language': language,
            'aria-pressed': props.language === language ? 'true' : 'false',
            onClick: () => props.onLanguage(language),
          },
          language.toUpperCase(),
        ),
      ),
    ),
  );
}

function App() {
  const [token, setToken] = useState(initialToken);
  const [language, setLanguage] = useState(storedLanguage);
  document.documentElement.lang = language;
  const chooseLanguage = (next: Language) => {
    localStorage.setItem(LANGUAGE_KEY, next);
    setLanguage(next);
  };
  return createElement(
    'div',
    { className: 'ide' },
    createElement(TokenBar, { token, onToken: setToken, language, onLanguage: chooseLanguage }),
    createElement(
      'div',
      { className: 'ide-graphiql' },
      // A new token remounts GraphiQL, which then fetches the schema with it.
      createElement(GraphiQL, {
        // A new language remounts it too, with that language's tabs.
        key: `${language}:${token}`,
        fetcher: fetcherWith(token, language),
        defaultTabs: defaultTabs(language),
        storage: storageFor(language),
        defaultEditorToolsVisibility: 'variables',
        shouldPersistHeaders: false,
      }),
    ),
  );
}

const root = document.getElementById('ide-root');
if (root) createRoot(root).render(createElement(App));
