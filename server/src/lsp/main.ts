// The language server: thin LSP wiring around the pure language service.
// Started by the extension over IPC, or by any LSP client with `--stdio`.

import { createConnection, DidChangeConfigurationNotification, DidChangeWatchedFilesNotification, ProposedFeatures, WatchKind, TextDocuments, TextDocumentSyncKind, type ConfigurationItem, type Disposable, type InitializeParams, type InitializeResult, type Position } from 'vscode-languageserver/node';
import { TextDocument } from 'vscode-languageserver-textdocument';
import { LanguageService, rangesOverlap, setDocsLocation } from '../service';
import { agentGlobPattern } from '../service/agentGlobs';
import { packageReadmeUri } from '../shared/readmeLocation';
import { LoginCodeLenses } from './codeLens';
import { toCodeAction, toCompletionItem } from './convert';
import { DiagnosticsPublisher } from './diagnostics';
import { loadHclLanguage, replaceHclLanguage, type LoadedHclRuntime } from '../shared/treeSitter';
import { connectionLogger, guarded } from './logger';
import { FileKindRequest, OrgMappingsNotification, ServerInfoRequest, SETTINGS_SECTION, type FileKindParams, type FileKindResult, type OrgMappingsParams, type ServerInfoResult, type ServerSettings } from './protocol';
import { DeclaredMappingsChangedNotification, MappingsDriftRequest } from './protocol';
import { MappingsDriftAnswers } from './mappingsDrift';
import { diffMappings } from '../service/orgSync/diff';
import { OrgFactsNotification, type OrgFactsParams } from './protocol';
import { FolderSeverities, toServiceSettings, toWorkspaceSettings } from './settings';
import { Workspace } from './workspace';

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
const diagnostics: DiagnosticsPublisher = new DiagnosticsPublisher(
  connection,
  service,
  log,
  (uri) => workspace.folderDocuments(uri),
  (uri) => folderSeverities.forDocument(uri),
  {},
  (uri, text) => workspace.kindOf(uri, text),
  (uri) => workspace.crossFileFindings(uri),
);
/** Every file of ours in the workspace folders, open or not (datadogWif.scope), and the cross-file findings. */
const workspace: Workspace = new Workspace({
  connection,
  service,
  documents,
  publisher: diagnostics,
  log,
  needsHcl: () => requireHclRuntime(),
  waitsForHcl: (uri) => waitsForHclRuntime(uri),
  settled: () => mappingsDrift.settled(),
});
/** `datadogWif/mappingsDrift`: the org's mappings (from the client) against those the workspace declares. */
const mappingsDrift = new MappingsDriftAnswers({
  declared: () => service.declaredMappings(workspace.documents()),
  diff: diffMappings,
  // Until the settings are in (no folders yet), the scan has read every file and the Terraform parser is in, the workspace may declare more.
  pending: () => !settingsLoaded || workspace.isScanning || hclLoads > 0,
  notify: (params) => void connection.sendNotification(DeclaredMappingsChangedNotification, params).catch((err) => log.error('sending declaredMappingsChanged failed', err)),
  log,
});
const lenses = new LoginCodeLenses(connection, service, documents, log);

let canPullConfiguration = false;
/** Until the first settings pull answers, opened documents wait for it (refreshSettings publishes them all). */
let settingsLoaded = false;
let snippetSupport = false;
let registerForSettingsChanges = false;
let supportsWorkspaceFolders = false;
/** The client lets the server say which files to watch (workspace/didChangeWatchedFiles, dynamic registration). */
let canRegisterWatchers = false;
/** The watchers registered last, and for which globs. */
let watchers: { globs: string; registration: Promise<Disposable> } | undefined;
/** The workspace folders' URIs, each asked for its own `datadogWif.severity`. */
let workspaceFolders: string[] = [];
/** Bumped by each settings pull. */
let settingsGeneration = 0;
/** The pull whose answer was applied last: an answer to an earlier pull, arriving after it, is stale. */
let appliedGeneration = 0;
/** The settings last applied, as JSON: an answer equal to them republishes nothing. */
let appliedSettings: string | undefined;
/** Settings pushed by a client that cannot be asked (initializationOptions, didChangeConfiguration): window-level only. */
let pushedSettings: ServerSettings | null = null;

connection.onInitialize((params: InitializeParams): InitializeResult => {
  canPullConfiguration = !!params.capabilities.workspace?.configuration;
  settingsLoaded = !canPullConfiguration;
  snippetSupport = !!params.capabilities.textDocument?.completion?.completionItem?.snippetSupport;
  registerForSettingsChanges = !!params.capabilities.workspace?.didChangeConfiguration?.dynamicRegistration;
  supportsWorkspaceFolders = !!params.capabilities.workspace?.workspaceFolders;
  canRegisterWatchers = !!params.capabilities.workspace?.didChangeWatchedFiles?.dynamicRegistration;
  workspaceFolders = (params.workspaceFolders ?? []).map((f) => f.uri);
  // A client without workspace folders may still name one root.
  if (!params.workspaceFolders && params.rootUri) workspaceFolders = [params.rootUri];
  // Clients without workspace/configuration (some editors) pass settings here.
  const init = params.initializationOptions as { settings?: ServerSettings } | undefined;
  if (init?.settings) service.configure(toServiceSettings(init.settings, log));
  if (init?.settings) lenses.configure(init.settings);
  pushedSettings = init?.settings ?? null;
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
      // VS Code's own files.exclude, per folder, in the same request: the workspace scan leaves those files out.
      const items: ConfigurationItem[] = [
        { section: SETTINGS_SECTION },
        ...folders.map((scopeUri) => ({ section: SETTINGS_SECTION, scopeUri })),
        ...folders.map((scopeUri) => ({ section: FILES_EXCLUDE, scopeUri })),
      ];
      const all = (await connection.workspace.getConfiguration(items)) as unknown[];
      const answers = all.slice(0, folders.length + 1) as (ServerSettings | null)[];
      const filesExclude = all.slice(folders.length + 1);
      // At start a client asks for several pulls at once (VS Code: after initialized, for its
      // configuration sync, and on registering for changes): the first answer is applied, not held
      // back for the last, so the first diagnostics wait for one round trip. Answers come in order;
      // one older than the settings applied is dropped, and one equal to them republishes nothing.
      if (generation < appliedGeneration) return;
      appliedGeneration = generation;
      const fingerprint = JSON.stringify([folders, all]);
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
      configureWorkspace(raw, folders, filesExclude);
    } catch (err) {
      if (generation !== settingsGeneration) return; // a later pull is under way: its answer decides
      log.error('reading settings failed', err);
    }
  } else {
    configureWorkspace(pushedSettings, [...workspaceFolders], []);
  }
  settingsLoaded = true;
  for (const doc of documents.all()) if (!waitsForHclRuntime(doc.uri)) diagnostics.publish(doc);
  // The files of the workspace that are not open: new severities, or the first scan's files (a restarted scan publishes its own).
  if (!workspaceRestarted) workspace.republish();
  workspaceRestarted = false;
}

/** The last configureWorkspace started the scan again (it publishes what it finds). */
let workspaceRestarted = false;
const FILES_EXCLUDE = 'files.exclude';

/** Hands the workspace its folders and settings, and watches the files it needs to hear about. */
function configureWorkspace(raw: ServerSettings | null, folders: readonly string[], filesExclude: readonly unknown[]): void {
  const settings = toWorkspaceSettings(raw, folders, filesExclude, log);
  workspaceRestarted = workspace.configure(folders, settings);
  watchFiles(settings.agentGlobs);
}

/**
 * Asks the client to report changes of the files the server reads from the
 * disk: Terraform files and the lock file (folder facts), YAML and JSON
 * (datadog.yaml, and the environment forms the server sniffs), and the
 * user's Agent globs; and the creation and deletion of anything (a folder).
 * Registered again when the globs change.
 */
function watchFiles(agentGlobs: readonly string[]): void {
  if (!canRegisterWatchers) return;
  const globs = ['**/*.tf', '**/.terraform.lock.hcl', '**/*.{yaml,yml,json}', ...agentGlobs.map((g) => {
    const p = agentGlobPattern(g);
    return p.includes('/') ? p : `**/${p}`;
  })];
  const key = JSON.stringify(globs);
  if (watchers?.globs === key) return;
  const previous = watchers;
  // Folders created or deleted too (a checkout, `rm -r`): an editor reports a folder's deletion as one
  // event for the folder, which the globs above do not match.
  const folders = { globPattern: '**/*', kind: WatchKind.Create | WatchKind.Delete };
  watchers = { globs: key, registration: connection.client.register(DidChangeWatchedFilesNotification.type, { watchers: [...globs.map((globPattern) => ({ globPattern })), folders] }) };
  watchers.registration.catch((err) => log.error('registering file watchers failed', err));
  void previous?.registration.then((d) => d.dispose()).catch(() => undefined);
}

connection.onDidChangeConfiguration(
  guarded(log, 'didChangeConfiguration', undefined, async (change) => {
    if (!canPullConfiguration) {
      // Pushed settings are window-level: no per-folder values from such a client.
      const raw = (change.settings as Record<string, ServerSettings> | undefined)?.[SETTINGS_SECTION];
      service.configure(toServiceSettings(raw, log));
      lenses.configure(raw);
      pushedSettings = raw ?? null;
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
  // The other files of its Terraform folder, and the findings that need the whole workspace.
  workspace.changed(e.document.uri);
});

// Files changed on disk: a .tf file or the lock file (`terraform init -upgrade`), a manifest, a deletion.
connection.onDidChangeWatchedFiles(
  guarded(log, 'didChangeWatchedFiles', undefined, (params) => {
    if (settingsLoaded) workspace.filesChanged(params.changes);
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
  workspace.republish((_uri, kind) => kind === 'terraform' || kind === 'terraform-lock');
  // The cross-file findings computed before it came saw no Terraform (no intake mappings, no roles): again, with it.
  workspace.scheduleCrossFile();
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
// In the workspace scope a closed file keeps its findings (for what the disk holds); in openFiles they go.
documents.onDidClose((e) => workspace.closed(e.document.uri));

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
    const text = doc.getText();
    const kind = workspace.kindOf(doc.uri, text);
    const own = service.quickFixes({ path: doc.uri, text, severity: folderSeverities.forDocument(doc.uri), ...(kind ? { kind } : {}) }, range, codes, workspace.folderDocuments(doc.uri));
    // The fixes of the findings that need the whole workspace, as they were published.
    const crossFile = workspace
      .crossFileFindings(doc.uri)
      .filter((f) => (!codes.length || codes.includes(f.code)) && rangesOverlap(f.range, range))
      .flatMap((finding) => (finding.data?.fixes ?? []).map((fix) => ({ finding, fix })));
    return [...own, ...crossFile].map(({ finding, fix }) => toCodeAction(doc.uri, finding, fix));
  }),
);

connection.onCodeLens(guarded(log, 'codeLens', [], (params) => lenses.provide(params)));

connection.onRequest(
  FileKindRequest,
  // An open document's text decides for a YAML or JSON file that configures Agents by environment ('agent-env').
  guarded(log, FileKindRequest, { kind: null }, (params: FileKindParams): FileKindResult => ({ kind: service.kindOf({ path: params.uri, text: documents.get(params.uri)?.getText() }) ?? null })),
);

connection.onRequest(MappingsDriftRequest, (params: unknown) => mappingsDrift.answer(params));

connection.onRequest(ServerInfoRequest, (): ServerInfoResult => ({ version: SERVER_VERSION, pid: process.pid }));

/**
 * The org's mappings per site (`datadogWif.live`; an empty list when it is
 * turned off): the service holds the files' mapping patterns against them
 * (org/mapping-exists, org/mapping-conflict). Only files that hold a pattern
 * can change, so only those are published again: the open documents and the
 * workspace's files from the disk.
 */
connection.onNotification(
  OrgMappingsNotification,
  guarded(log, OrgMappingsNotification, undefined, (params: OrgMappingsParams) => {
    const sites = Array.isArray(params?.sites) ? params.sites : [];
    service.setOrgMappings(sites);
    const count = sites.reduce((n, s) => n + (Array.isArray(s?.mappings) ? s.mappings.length : 0), 0);
    log.info(sites.length ? `Live checks: ${count} mapping${count === 1 ? '' : 's'} of ${sites.length} site${sites.length === 1 ? '' : 's'}.` : 'Live checks: off.');
    // Before the settings are in, nothing is published: refreshSettings publishes everything once they are.
    if (!settingsLoaded) return;
    const holdsPattern = (text: string) => text.includes('arn_pattern');
    for (const doc of documents.all()) if (holdsPattern(doc.getText()) && !waitsForHclRuntime(doc.uri)) diagnostics.publish(doc);
    workspace.republish((_uri, _kind, text) => holdsPattern(text));
  }),
);

// The orgs the client reached with the user's stored credentials (issue #14): the org UUID quick fix and the
// org_uuid hover read them when asked; no finding changes, so nothing is published again.
connection.onNotification(
  OrgFactsNotification,
  guarded(log, OrgFactsNotification, undefined, (params: OrgFactsParams) => {
    service.setOrgFacts(Array.isArray(params?.orgs) ? params.orgs : []);
    log.info(`org facts: ${Array.isArray(params?.orgs) ? params.orgs.length : 0} org(s) from the client`);
  }),
);

// A throw that escapes a handler must not end the process: log it and go on.
process.on('uncaughtException', (err) => log.error('uncaught exception', err));
process.on('unhandledRejection', (err) => log.error('unhandled rejection', err));

documents.listen(connection);
connection.listen();
