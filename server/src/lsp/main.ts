// The language server: thin LSP wiring around the pure language service.
// Started by the extension over IPC, or by any LSP client with `--stdio`.

import { createConnection, DidChangeConfigurationNotification, ProposedFeatures, TextDocuments, TextDocumentSyncKind, type ConfigurationItem, type InitializeParams, type InitializeResult, type Position } from 'vscode-languageserver/node';
import { TextDocument } from 'vscode-languageserver-textdocument';
import { LanguageService, setDocsLocation } from '../service';
import { packageReadmeUri } from '../shared/readmeLocation';
import { LoginCodeLenses } from './codeLens';
import { toCodeAction, toCompletionItem } from './convert';
import { DiagnosticsPublisher } from './diagnostics';
import { folderDocuments, isTerraformUri, sameFolder } from './folder';
import { loadHclLanguage, replaceHclLanguage, type LoadedHclRuntime } from '../shared/treeSitter';
import { connectionLogger, guarded } from './logger';
import { FileKindRequest, ServerInfoRequest, SETTINGS_SECTION, type FileKindParams, type FileKindResult, type ServerInfoResult, type ServerSettings } from './protocol';
import { FolderSeverities, toServiceSettings } from './settings';

declare const DD_WIF_VERSION: string | undefined;
const SERVER_VERSION = typeof DD_WIF_VERSION === 'string' ? DD_WIF_VERSION : 'dev';

const connection = createConnection(ProposedFeatures.all);
const documents = new TextDocuments(TextDocument);
const log = connectionLogger(connection);
// Rule links open the README shipped beside this bundle.
const readme = packageReadmeUri();
if (readme) setDocsLocation(readme);
const service = new LanguageService();
/** `datadogWif.severity` per workspace folder (multi-root); the service holds the window-level value. */
const folderSeverities = new FolderSeverities();
const diagnostics = new DiagnosticsPublisher(
  connection,
  service,
  log,
  (uri) => folderDocuments(uri, documents),
  (uri) => folderSeverities.forDocument(uri),
);
const lenses = new LoginCodeLenses(connection, service, documents, log);

let canPullConfiguration = false;
/** Until the first settings pull answers, opened documents wait for it (refreshSettings publishes them all). */
let settingsLoaded = false;
let snippetSupport = false;
let registerForSettingsChanges = false;
let supportsWorkspaceFolders = false;
/** The workspace folders' URIs, each asked for its own `datadogWif.severity`. */
let workspaceFolders: string[] = [];
/** Bumped by each settings pull. */
let settingsGeneration = 0;
/** The pull whose answer was applied last: an answer to an earlier pull, arriving after it, is stale. */
let appliedGeneration = 0;
/** The settings last applied, as JSON: an answer equal to them republishes nothing. */
let appliedSettings: string | undefined;

connection.onInitialize((params: InitializeParams): InitializeResult => {
  canPullConfiguration = !!params.capabilities.workspace?.configuration;
  settingsLoaded = !canPullConfiguration;
  snippetSupport = !!params.capabilities.textDocument?.completion?.completionItem?.snippetSupport;
  registerForSettingsChanges = !!params.capabilities.workspace?.didChangeConfiguration?.dynamicRegistration;
  supportsWorkspaceFolders = !!params.capabilities.workspace?.workspaceFolders;
  workspaceFolders = (params.workspaceFolders ?? []).map((f) => f.uri);
  // Clients without workspace/configuration (some editors) pass settings here.
  const init = params.initializationOptions as { settings?: ServerSettings } | undefined;
  if (init?.settings) service.configure(toServiceSettings(init.settings, log));
  if (init?.settings) lenses.configure(init.settings);
  const codeLensProvider = lenses.initialize(params);
  return {
    capabilities: {
      textDocumentSync: TextDocumentSyncKind.Incremental,
      hoverProvider: true,
      completionProvider: { triggerCharacters: [':', ' ', ','], resolveProvider: false },
      codeActionProvider: { codeActionKinds: ['quickfix'] },
      codeLensProvider,
      ...(supportsWorkspaceFolders ? { workspace: { workspaceFolders: { supported: true, changeNotifications: true } } } : {}),
    },
    serverInfo: { name: 'datadog-wif-language-server', version: SERVER_VERSION },
  };
});

connection.onInitialized(() => {
  // Clients that register notifications dynamically send settings changes only once asked to.
  if (registerForSettingsChanges) void connection.client.register(DidChangeConfigurationNotification.type, { section: SETTINGS_SECTION }).catch((err) => log.error('registering for settings changes failed', err));
  if (supportsWorkspaceFolders) {
    connection.workspace.onDidChangeWorkspaceFolders(
      guarded(log, 'didChangeWorkspaceFolders', undefined, async (event) => {
        const removed = new Set(event.removed.map((f) => f.uri));
        workspaceFolders = [...workspaceFolders.filter((f) => !removed.has(f)), ...event.added.map((f) => f.uri)];
        await refreshSettings();
      }),
    );
  }
  void refreshSettings();
});

/**
 * Pulls `datadogWif` for the window and, in the same request, for each
 * workspace folder (with its scopeUri): `severity` is resource-scoped and may
 * differ per folder. `agentConfigFiles` and the lens settings stay
 * window-level: the client's document selector, built from agentConfigFiles,
 * is window-level anyway.
 */
async function refreshSettings(): Promise<void> {
  if (canPullConfiguration) {
    const generation = ++settingsGeneration;
    const folders = [...workspaceFolders];
    try {
      const items: ConfigurationItem[] = [{ section: SETTINGS_SECTION }, ...folders.map((scopeUri) => ({ section: SETTINGS_SECTION, scopeUri }))];
      const answers = (await connection.workspace.getConfiguration(items)) as (ServerSettings | null)[];
      // At start a client asks for several pulls at once (VS Code: after initialized, for its
      // configuration sync, and on registering for changes): the first answer is applied, not held
      // back for the last, so the first diagnostics wait for one round trip. Answers come in order;
      // one older than the settings applied is dropped, and one equal to them republishes nothing.
      if (generation < appliedGeneration) return;
      appliedGeneration = generation;
      const fingerprint = JSON.stringify([folders, answers]);
      if (settingsLoaded && fingerprint === appliedSettings) return;
      appliedSettings = fingerprint;
      const raw = answers[0] ?? null;
      const window = toServiceSettings(raw, log);
      service.configure(window);
      lenses.configure(raw);
      const windowSeverity = JSON.stringify(raw?.severity ?? {});
      folderSeverities.replace(
        folders.map((folder, i) => {
          const own = answers[i + 1];
          // A folder that states nothing of its own answers the window's value: warn about its junk once, above.
          const sameAsWindow = JSON.stringify(own?.severity ?? {}) === windowSeverity;
          return [folder, own ? toServiceSettings(own, sameAsWindow ? undefined : log).severity ?? {} : window.severity ?? {}] as const;
        }),
      );
    } catch (err) {
      if (generation !== settingsGeneration) return; // a later pull is under way: its answer decides
      log.error('reading settings failed', err);
    }
  }
  settingsLoaded = true;
  for (const doc of documents.all()) if (!waitsForHclRuntime(doc.uri)) diagnostics.publish(doc);
}

connection.onDidChangeConfiguration(
  guarded(log, 'didChangeConfiguration', undefined, async (change) => {
    if (!canPullConfiguration) {
      // Pushed settings are window-level: no per-folder values from such a client.
      const raw = (change.settings as Record<string, ServerSettings> | undefined)?.[SETTINGS_SECTION];
      service.configure(toServiceSettings(raw, log));
      lenses.configure(raw);
    }
    await refreshSettings();
  }),
);

documents.onDidOpen((e) => {
  if (needsHclRuntime(e.document.uri)) requireHclRuntime();
  if (settingsLoaded && !waitsForHclRuntime(e.document.uri)) diagnostics.publish(e.document);
});
documents.onDidChangeContent((e) => {
  // Before the settings are in, nothing is checked: refreshSettings then publishes every open document.
  if (!settingsLoaded) return;
  // (An open is reported here too.) A Terraform document waiting for the runtime is published when it comes.
  if (!waitsForHclRuntime(e.document.uri)) diagnostics.schedule(e.document);
  if (isTerraformUri(e.document.uri)) refreshFolder(e.document.uri);
});

/** A Terraform file changed: the other open files of its folder may judge differently now. */
function refreshFolder(uri: string): void {
  for (const d of documents.all()) if (d.uri !== uri && isTerraformUri(d.uri) && sameFolder(d.uri, uri) && !waitsForHclRuntime(d.uri)) diagnostics.schedule(d, true);
}

// The lock file (or a .tf file) changed on disk, e.g. after `terraform init -upgrade`.
connection.onDidChangeWatchedFiles(
  guarded(log, 'didChangeWatchedFiles', undefined, (params) => {
    for (const change of params.changes) refreshFolder(change.uri);
  }),
);

/**
 * Terraform needs the tree-sitter runtime (wasm). It is loaded when the first
 * Terraform document opens, not at start: a session with only datadog.yaml
 * files never loads it, and nothing delays their first diagnostics. A
 * Terraform document opened while it loads waits for it (no empty list
 * first); once it has loaded, it is handed to the service and the open
 * Terraform files are checked. A runtime that fails on a file (the service
 * reports that file as not checked) is replaced the same way, and the open
 * Terraform files, checked meanwhile without one, are checked again.
 */
let hclRequested = false;
/** Runtime loads under way (the first one, or a replacement). */
let hclLoads = 0;

function needsHclRuntime(uri: string): boolean {
  const kind = service.kindOf({ path: uri });
  return kind === 'terraform' || kind === 'terraform-lock';
}

/** Publishing `uri` now would say nothing: the runtime that checks it is on its way, and publishes it. */
function waitsForHclRuntime(uri: string): boolean {
  return hclLoads > 0 && !service.canCheckTerraform && needsHclRuntime(uri);
}

function requireHclRuntime(): void {
  if (hclRequested) return;
  hclRequested = true;
  useHclRuntime(loadHclLanguage());
}

function publishTerraformDocuments(): void {
  // Before the settings are in, refreshSettings publishes everything once they are.
  if (!settingsLoaded) return;
  for (const d of documents.all()) if (needsHclRuntime(d.uri)) diagnostics.publish(d);
}

function useHclRuntime(loading: Promise<LoadedHclRuntime>): void {
  hclLoads++;
  loading.then(
    (runtime) => {
      hclLoads--;
      log.info(`Loaded the HCL parser for Terraform files in ${Math.round(runtime.loadMs)} ms.`);
      service.setHclRuntime(runtime, (err) => {
        log.error('The HCL parser failed on a file (reported on that file as not checked); loading a fresh one', err);
        useHclRuntime(replaceHclLanguage(runtime));
      });
      publishTerraformDocuments();
      lenses.refresh();
    },
    (err: unknown) => {
      hclLoads--;
      // The next Terraform document opened tries again; those open now are published unchecked.
      hclRequested = false;
      log.error('Terraform files will not be checked: the HCL parser did not load', err);
      publishTerraformDocuments();
    },
  );
}
documents.onDidClose((e) => diagnostics.clear(e.document.uri));

/**
 * A client may send any numbers (a line past the end, a negative character);
 * the service gets a real place in the document, as LSP clamps positions.
 */
function inDocument(doc: TextDocument, pos: Position): Position {
  return doc.positionAt(doc.offsetAt(pos));
}

connection.onHover(
  guarded(log, 'hover', null, (params) => {
    const doc = documents.get(params.textDocument.uri);
    if (!doc) return null;
    const hover = service.hover({ path: doc.uri, text: doc.getText() }, inDocument(doc, params.position));
    return hover ? { contents: { kind: 'markdown', value: hover.contents }, range: hover.range } : null;
  }),
);

connection.onCompletion(
  guarded(log, 'completion', [], (params) => {
    const doc = documents.get(params.textDocument.uri);
    if (!doc) return [];
    return service.complete({ path: doc.uri, text: doc.getText() }, inDocument(doc, params.position)).map((i) => toCompletionItem(i, snippetSupport));
  }),
);

connection.onCodeAction(
  guarded(log, 'codeAction', [], (params) => {
    const doc = documents.get(params.textDocument.uri);
    if (!doc) return [];
    if (params.context.only && !params.context.only.some((k) => k === 'quickfix' || 'quickfix'.startsWith(k))) return [];
    const codes = params.context.diagnostics.map((d) => String(d.code ?? '')).filter(Boolean);
    const range = { start: inDocument(doc, params.range.start), end: inDocument(doc, params.range.end) };
    return service.quickFixes({ path: doc.uri, text: doc.getText(), severity: folderSeverities.forDocument(doc.uri) }, range, codes, folderDocuments(doc.uri, documents)).map(({ finding, fix }) => toCodeAction(doc.uri, finding, fix));
  }),
);

connection.onCodeLens(guarded(log, 'codeLens', [], (params) => lenses.provide(params)));

connection.onRequest(
  FileKindRequest,
  // An open document's text decides for a YAML or JSON file that configures Agents by environment ('agent-env').
  guarded(log, FileKindRequest, { kind: null }, (params: FileKindParams): FileKindResult => ({ kind: service.kindOf({ path: params.uri, text: documents.get(params.uri)?.getText() }) ?? null })),
);

connection.onRequest(ServerInfoRequest, (): ServerInfoResult => ({ version: SERVER_VERSION, pid: process.pid }));

// A throw that escapes a handler must not end the process: log it and go on.
process.on('uncaughtException', (err) => log.error('uncaught exception', err));
process.on('unhandledRejection', (err) => log.error('unhandled rejection', err));

documents.listen(connection);
connection.listen();
