// A stand-in for the `vscode` module, so that the extension's bundles can be
// loaded and activated in plain Node (which bundle loads when). What the
// tests look at is real: a command registry that refuses a second command
// under one id (as VS Code does) and runs what was registered, mementos,
// events the test fires (a document opened), and `languages.match` for the
// `**/name` and `**/*.ext` patterns of our document selector. Everything else
// is inert: any property, call or `new` gives another inert value, never a
// promise (`then` is undefined), so code that only wires things up runs.

import Module from 'node:module';

type Handler = (...args: unknown[]) => unknown;

export interface FakeDocument {
  uri: { scheme: string; path: string; fsPath: string; toString(): string };
  fileName: string;
  languageId: string;
}

export interface FakeVscode {
  /** Registered commands by id. */
  readonly commands: Map<string, Handler>;
  /** `setContext` calls: context key → last value. */
  readonly contextKeys: Map<string, unknown>;
  /** The documents `workspace.textDocuments` lists (tests add to it). */
  readonly textDocuments: FakeDocument[];
  /** Fires workspace.onDidOpenTextDocument. */
  openDocument(doc: FakeDocument): void;
  /** An extension context whose `extension.packageJSON` is `packageJSON`. */
  context(packageJSON: unknown): { subscriptions: { dispose(): unknown }[]; workspaceState: Memento; globalState: Memento; [k: string]: unknown };
  /** Puts the real `vscode` resolution back. */
  restore(): void;
}

interface Memento {
  get<T>(key: string, fallback?: T): T | undefined;
  update(key: string, value: unknown): Promise<void>;
  keys(): readonly string[];
}

export function fakeDocument(path: string, languageId = 'plaintext'): FakeDocument {
  const uri = { scheme: 'file', path, fsPath: path, toString: () => `file://${path}` };
  return { uri, fileName: path, languageId };
}

/** Any member, call or construction: another inert value (assigned members read back). */
function inert(name: string): any {
  const cache = new Map<PropertyKey, unknown>();
  return new Proxy(function () {}, {
    get(_t, prop) {
      if (prop === 'then') return undefined;
      if (prop === Symbol.toPrimitive) return () => `[vscode ${name}]`;
      if (prop === Symbol.iterator) return undefined;
      if (!cache.has(prop)) cache.set(prop, inert(`${name}.${String(prop)}`));
      return cache.get(prop);
    },
    // What is assigned (an item's text, name…) reads back.
    set: (_t, prop, value) => {
      cache.set(prop, value);
      return true;
    },
    apply: () => inert(`${name}()`),
    construct: () => inert(`new ${name}`),
  });
}

/**
 * The vscode API's namespaces, classes and enums the client uses: esbuild's
 * import interop copies the module's own keys, so these must be listed.
 */
const API_NAMES = ['commands', 'workspace', 'languages', 'window', 'env', 'extensions', 'l10n', 'version', 'Uri', 'Disposable', 'EventEmitter', 'ThemeIcon', 'ThemeColor', 'TreeItem', 'TreeItemCollapsibleState', 'MarkdownString', 'Diagnostic', 'DiagnosticSeverity', 'LanguageStatusSeverity', 'QuickPickItemKind', 'QuickInputButtons', 'InputBoxValidationSeverity', 'ProgressLocation', 'Range', 'Position', 'Selection', 'CodeLens', 'CodeAction', 'CodeActionKind', 'StatusBarAlignment', 'ViewColumn', 'RelativePattern'];

/** `obj`'s own members, and an inert value for any other; `names` are reported as own keys too. */
function withFallback<T extends object>(obj: T, name: string, names: readonly string[] = []): T {
  const get = (t: T, prop: PropertyKey) => (prop in t ? Reflect.get(t, prop) : prop === 'then' ? undefined : inert(`${name}.${String(prop)}`));
  return new Proxy(obj, {
    get,
    ownKeys: (t) => [...new Set([...Reflect.ownKeys(t), ...names])],
    getOwnPropertyDescriptor: (t, prop) => Reflect.getOwnPropertyDescriptor(t, prop) ?? (names.includes(prop as string) ? { configurable: true, enumerable: true, value: get(t, prop) } : undefined),
  });
}

function memento(): Memento {
  const values = new Map<string, unknown>();
  return {
    get: <T>(key: string, fallback?: T) => (values.has(key) ? (values.get(key) as T) : fallback),
    update: async (key, value) => void (value === undefined ? values.delete(key) : values.set(key, value)),
    keys: () => [...values.keys()],
  };
}

class EventEmitter<T> {
  private listeners = new Set<(e: T) => unknown>();
  readonly event = (listener: (e: T) => unknown) => {
    this.listeners.add(listener);
    return { dispose: () => this.listeners.delete(listener) };
  };
  fire(e: T): void {
    for (const l of [...this.listeners]) l(e);
  }
  dispose(): void {
    this.listeners.clear();
  }
}

/** Matches the selector's `**\/name` and `**\/*.ext` patterns against a document's path. */
function match(selector: unknown, doc: FakeDocument): number {
  const filters = (Array.isArray(selector) ? selector : [selector]) as { pattern?: string }[];
  const hit = filters.some(({ pattern }) => {
    if (!pattern?.startsWith('**/')) return false;
    const rest = pattern.slice(3);
    return rest.startsWith('*.') ? doc.uri.path.endsWith(rest.slice(1)) : doc.uri.path.endsWith(`/${rest}`);
  });
  return hit ? 10 : 0;
}

/** Makes `require('vscode')` answer the fake until restore(). */
export function installFakeVscode(): FakeVscode {
  const commands = new Map<string, Handler>();
  const contextKeys = new Map<string, unknown>();
  const textDocuments: FakeDocument[] = [];
  const opened = new EventEmitter<FakeDocument>();
  const configurationChanged = new EventEmitter<unknown>();

  const vscode = withFallback(
    {
      version: '1.82.0',
      EventEmitter,
      commands: withFallback(
        {
          registerCommand(id: string, handler: Handler) {
            if (commands.has(id)) throw new Error(`command '${id}' already exists`);
            commands.set(id, handler);
            return { dispose: () => commands.get(id) === handler && commands.delete(id) };
          },
          async executeCommand(id: string, ...args: unknown[]) {
            if (id === 'setContext') return void contextKeys.set(String(args[0]), args[1]);
            const handler = commands.get(id);
            if (!handler) throw new Error(`command '${id}' not found`);
            return handler(...args);
          },
        },
        'commands',
      ),
      workspace: withFallback(
        {
          textDocuments,
          onDidOpenTextDocument: opened.event,
          onDidChangeConfiguration: configurationChanged.event,
          getConfiguration: () => withFallback({ get: (_key: string, fallback?: unknown) => fallback }, 'configuration'),
          isTrusted: true,
        },
        'workspace',
      ),
      languages: withFallback({ match }, 'languages'),
    },
    'vscode',
    API_NAMES,
  );

  const load = (Module as unknown as { _load: (request: string, ...rest: unknown[]) => unknown })._load;
  (Module as unknown as { _load: typeof load })._load = function (request: string, ...rest: unknown[]) {
    return request === 'vscode' ? vscode : load.call(this, request, ...rest);
  };

  return {
    commands,
    contextKeys,
    textDocuments,
    openDocument: (doc) => opened.fire(doc),
    context: (packageJSON) =>
      withFallback(
        { subscriptions: [] as { dispose(): unknown }[], workspaceState: memento(), globalState: memento(), extension: { packageJSON }, secrets: withFallback({ onDidChange: new EventEmitter<unknown>().event }, 'secrets') },
        'context',
      ),
    restore: () => void ((Module as unknown as { _load: typeof load })._load = load),
  };
}
