// The workspace as the server knows it: every file of ours in the workspace
// folders, open or not, kept current by file events.
//
// In the `workspace` scope (datadogWif.scope, the default) the folders are
// walked (shared/discovery.ts, the same walk as `dd-wif lint FOLDER`) and
// every file found is checked in the background and published, with work
// done progress. The scan runs in slices of a few milliseconds and lets any
// check that is due go first: the document being edited never waits for it.
// A closed file keeps its findings (checked again from the disk); a deleted
// one loses them. In the `openFiles` scope only open documents are published,
// as before.
//
// In both scopes this is where the files that judge others come from:
// a Terraform file's folder-mates (read once per folder, then kept current
// by file events, instead of from the disk on every check), and every file
// of ours for the findings that need the whole workspace
// (LanguageService.workspaceFindings), merged into each file's own.
//
// Memory: the text of each file of ours is kept (the service's cache of its
// analysis holds that text anyway, and the cross-file rules and folder facts
// need every text on every change; re-reading them from the disk would cost
// more than the memory). Only files of ours are kept, at most
// MAX_SCANNED_FILES looked at, none above the size the service refuses; a
// YAML or JSON file that is not ours is read to sniff it and dropped.

import * as fs from 'fs';
import * as path from 'path';
import { fileURLToPath, pathToFileURL } from 'url';
import type { Connection, FileEvent, TextDocuments } from 'vscode-languageserver/node';
import { FileChangeType } from 'vscode-languageserver/node';
import type { TextDocument } from 'vscode-languageserver-textdocument';
import { FileClassifier, type FileKind, type Finding, type LanguageService, type SourceDocument } from '../service';
import { MAX_INPUT_BYTES } from '../service/common/inputGuard';
import { Excludes, SKIP_DIRS, kindByName, kindOfFile, walkFolder } from '../shared/discovery';
import { readText } from '../shared/regularFile';
import { isTerraformFileName, readTerraformFolder } from '../shared/terraformFolder';
import type { CheckedDocument, DiagnosticsPublisher } from './diagnostics';
import type { Logger } from './logger';
import { innermostFolder } from './settings';

export type Scope = 'workspace' | 'openFiles';

/** How long a slice of the scan may run before it lets the event loop (and an edited document's check) in. */
const SLICE_MS = 4;
/** An edit this recent means someone is typing: the scan pauses TYPING_PAUSE_MS between slices. */
const TYPING_MS = 1000;
const TYPING_PAUSE_MS = 2;
/** How long after a change the cross-file findings are computed again: changes in between are one computation. */
export const CROSS_FILE_DELAY_MS = 50;

/** A file of ours known from the disk. */
interface DiskFile {
  kind: FileKind;
  text: string;
}

/** A file of the workspace as the publisher checks it: the disk's text, no version. */
class DiskDocument implements CheckedDocument {
  constructor(
    readonly uri: string,
    private readonly text: string,
  ) {}

  getText(): string {
    return this.text;
  }
}

export interface WorkspaceSettings {
  scope: Scope;
  /** `datadogWif.agentConfigFiles`. */
  agentGlobs: readonly string[];
  /** `datadogWif.exclude`. */
  exclude: readonly string[];
  /** `files.exclude` per workspace folder URI. */
  filesExclude: ReadonlyMap<string, Readonly<Record<string, unknown>>>;
}

export interface WorkspaceHost {
  connection: Connection;
  service: LanguageService;
  documents: TextDocuments<TextDocument>;
  publisher: DiagnosticsPublisher;
  log: Logger;
  /** A Terraform file was found: the HCL runtime is needed (loaded once, then its files are checked again). */
  needsHcl(): void;
  /** Publishing `uri` now would say nothing: the runtime that checks it is on its way (and republishes). */
  waitsForHcl(uri: string): boolean;
  /** The cross-file findings were computed again (the scan ended, or a file of ours changed): what the workspace declares may have changed. */
  settled?(): void;
}

const isFileUri = (uri: string) => uri.startsWith('file:');
const dirOf = (uri: string) => uri.slice(0, uri.lastIndexOf('/'));

/**
 * One spelling of a file's URI (Node's), whatever the client's: VS Code
 * escapes more characters (`+`, `@`, `,`…) than Node does, and an open
 * document must be recognised as the file a scan found.
 */
export function canonicalUri(uri: string): string {
  if (!isFileUri(uri)) return uri;
  try {
    return pathToFileURL(fileURLToPath(uri)).href;
  } catch {
    return uri;
  }
}

export class Workspace {
  private readonly files = new Map<string, DiskFile>();
  /** Files of ours not read (too large, undecodable): published with their one finding. */
  private readonly refused = new Set<string>();
  /** Folders (URIs) whose Terraform files were all read: their files are kept current by events. */
  private readonly terraformFolders = new Set<string>();
  private folders: string[] = [];
  /** `files.exclude` by (canonical) workspace folder URI. */
  private filesExclude = new Map<string, Readonly<Record<string, unknown>>>();
  private settings: WorkspaceSettings = { scope: 'workspace', agentGlobs: [], exclude: [], filesExclude: new Map() };
  private classifier = new FileClassifier([]);
  /** Bumped to stop a scan under way (new settings or folders start another). */
  private scanGeneration = 0;
  private scanning = false;
  /** Cross-file findings by URI, as last computed. */
  private crossFile = new Map<string, Finding[]>();
  private crossFileTimer: NodeJS.Timeout | undefined;
  /** When an open document last changed (performance.now()). */
  private lastEditAt = -Infinity;

  constructor(private readonly host: WorkspaceHost) {}

  get scope(): Scope {
    return this.settings.scope;
  }

  /** The background scan is under way: what documents() holds is not the whole workspace yet. */
  get isScanning(): boolean {
    return this.scanning;
  }

  /** What a file is to us: by its name, else (a YAML/JSON file) by its text. */
  kindOf(uri: string, text: string): FileKind | undefined {
    return kindOfFile(uri, text, this.classifier);
  }

  /** Findings of `uri` that need the whole workspace, as last computed. */
  crossFileFindings(uri: string): readonly Finding[] {
    return this.crossFile.get(canonicalUri(uri)) ?? [];
  }

  /**
   * New folders or settings. A change to what the scan sees (the folders,
   * the scope, the globs, the excludes) starts it again; otherwise nothing
   * happens.
   */
  configure(folders: readonly string[], settings: WorkspaceSettings): boolean {
    const before = JSON.stringify([this.folders, this.settings.scope, this.settings.agentGlobs, this.settings.exclude, [...this.settings.filesExclude]]);
    // Canonical URIs: the scan's files are compared with them by prefix.
    this.folders = folders.map(canonicalUri);
    this.filesExclude = new Map([...settings.filesExclude].map(([folder, globs]) => [canonicalUri(folder), globs]));
    this.settings = settings;
    this.classifier = new FileClassifier(settings.agentGlobs);
    const after = JSON.stringify([this.folders, settings.scope, settings.agentGlobs, settings.exclude, [...settings.filesExclude]]);
    if (before === after && this.started) return false;
    this.restart();
    return true;
  }

  private started = false;

  /** Drops what the last scan found (their diagnostics too, unless open) and scans again in the workspace scope. */
  private restart(): void {
    this.started = true;
    const generation = ++this.scanGeneration;
    const forgotten = [...this.files.keys(), ...this.refused];
    this.files.clear();
    this.refused.clear();
    this.terraformFolders.clear();
    for (const uri of forgotten) if (!this.openDoc(uri)) this.host.publisher.clear(uri);
    // A scan stopped by this one says nothing more; the new one (if any) is under way.
    this.scanning = this.settings.scope === 'workspace';
    if (!this.scanning) {
      this.scheduleCrossFile();
      return;
    }
    void this.scan(generation).catch((err) => this.host.log.error('checking the workspace failed', err));
  }

  /**
   * Waits for a turn of the event loop, after any check that is due (an
   * edited document's goes first). While someone types, it also sleeps a
   * little between slices: a process that never sleeps is the last the
   * operating system wakes on a busy machine, and the next keystroke would
   * wait for the scan's time slice instead of being read at once.
   */
  private async yieldTurn(): Promise<void> {
    if (performance.now() - this.lastEditAt < TYPING_MS) await new Promise<void>((resolve) => setTimeout(resolve, TYPING_PAUSE_MS));
    do await new Promise<void>((resolve) => setImmediate(resolve));
    while (this.host.publisher.hasUrgentWork);
  }

  private async scan(generation: number): Promise<void> {
    const stale = () => generation !== this.scanGeneration;
    try {
      // 1. The walk: which files may be ours.
      const found: { uri: string; file: string; kind: FileKind | 'sniff' }[] = [];
      let sliceEnd = performance.now() + SLICE_MS;
      for (const folder of this.folders) {
        if (!isFileUri(folder)) continue;
        let root: string;
        try {
          root = fileURLToPath(folder);
        } catch {
          continue;
        }
        const excludes = new Excludes(this.filesExclude.get(folder), this.settings.exclude);
        for (const item of walkFolder(root, { classifier: this.classifier, excludes })) {
          if (item.type === 'candidate') found.push({ uri: pathToFileURL(item.absolute).href, file: item.absolute, kind: item.kind });
          else if (item.type === 'capped') this.host.log.warn(`${folder}: stopped looking after ${item.scanned.toLocaleString('en-US')} files; the rest is not checked in the background (leave folders out with datadogWif.exclude)`);
          if (performance.now() > sliceEnd) {
            await this.yieldTurn();
            if (stale()) return;
            sliceEnd = performance.now() + SLICE_MS;
          }
        }
      }
      if (stale()) return;
      // 2. Read, sniff and check each, a slice at a time, with progress.
      const progress = await this.host.connection.window.createWorkDoneProgress();
      const total = found.length;
      progress.begin(`Datadog WIF: checking ${total.toLocaleString('en-US')} file${total === 1 ? '' : 's'}`, 0, undefined, false);
      try {
        let done = 0;
        let lastReported = -1;
        sliceEnd = performance.now() + SLICE_MS;
        for (const f of found) {
          if (stale()) return;
          this.load(f.uri, f.file, f.kind);
          done++;
          if (performance.now() > sliceEnd) {
            const percentage = Math.floor((done / total) * 100);
            if (percentage !== lastReported) progress.report(percentage, `${done.toLocaleString('en-US')} of ${total.toLocaleString('en-US')}`);
            lastReported = percentage;
            await this.yieldTurn();
            sliceEnd = performance.now() + SLICE_MS;
          }
        }
      } finally {
        progress.done();
      }
      if (stale()) return;
      this.host.log.info(`Checked ${total.toLocaleString('en-US')} file${total === 1 ? '' : 's'} of the workspace in the background.`);
      // Done before the cross-file pass, so that whoever it tells (settled) sees the scan ended.
      this.scanning = false;
      this.computeCrossFile();
    } finally {
      if (!stale()) this.scanning = false;
    }
  }

  /**
   * Reads a file of the disk, keeps it if it is ours (else forgets it), and
   * publishes it when it is not open (in the workspace scope). Says whether
   * it is ours.
   */
  private load(uri: string, file: string, byName: FileKind | 'sniff' | undefined): boolean {
    const read = byName ? readFromDisk(file, byName === 'sniff' ? 'agent-env' : byName) : undefined;
    const text = typeof read === 'string' ? read : undefined;
    const kind = byName === 'sniff' ? (text !== undefined ? this.kindOf(uri, text) : undefined) : byName;
    if (kind && read && typeof read === 'object' && this.settings.scope === 'workspace') {
      // Ours by name but not read: its one finding, as dd-wif reports it (a YAML/JSON file only might have been ours).
      this.files.delete(uri);
      this.refused.add(uri);
      if (!this.openDoc(uri)) this.host.publisher.publishFindings(uri, 'bytes' in read ? this.host.service.tooLarge({ path: uri, kind }, read.bytes) ?? [] : this.host.service.undecodable({ path: uri, kind }, read.reason));
      return true;
    }
    if (!kind || text === undefined) {
      this.remove(uri);
      return false;
    }
    this.refused.delete(uri);
    const known = this.files.get(uri);
    this.files.set(uri, { kind, text });
    if (kind === 'terraform' || kind === 'terraform-lock') this.host.needsHcl();
    if (this.settings.scope === 'workspace' && !this.openDoc(uri) && !this.host.waitsForHcl(uri)) {
      if (!known || known.text !== text) this.host.publisher.publish(new DiskDocument(uri, text));
    }
    return true;
  }

  /** Forgets a file (deleted, or no longer ours) and, unless it is open, its diagnostics. */
  private remove(uri: string): void {
    if (!this.files.delete(uri) && !this.refused.delete(uri)) return;
    if (!this.openDoc(uri)) this.host.publisher.clear(uri);
  }

  /** The open document of a file (canonical URI), whatever URI spelling the client used for it. */
  private openDoc(uri: string): TextDocument | undefined {
    return this.host.documents.get(uri) ?? this.host.documents.all().find((d) => canonicalUri(d.uri) === uri);
  }

  /** A document was closed: in the workspace scope it keeps its findings, for what the disk holds; else they go. */
  closed(clientUri: string): void {
    const uri = canonicalUri(clientUri);
    if (this.settings.scope !== 'workspace' || !isFileUri(uri)) {
      this.host.publisher.clear(clientUri);
      this.scheduleCrossFile();
      return;
    }
    let file: string;
    try {
      file = fileURLToPath(uri);
    } catch {
      this.host.publisher.clear(clientUri);
      return;
    }
    // The disk may differ from the closed editor (changes not saved): what the disk holds is checked.
    const known = this.files.get(uri);
    if (known) this.files.delete(uri);
    // The closed editor's diagnostics were published under the client's spelling: those go, the disk's come under ours.
    if (clientUri !== uri) this.host.publisher.clear(clientUri);
    const ours = this.inWorkspace(uri) && !this.excluded(uri) && this.load(uri, file, kindByName(file, this.classifier));
    if (!ours) this.host.publisher.clear(uri);
    this.scheduleCrossFile();
  }

  /** The open document changed: the folder-mates and the cross-file findings may judge differently. */
  changed(clientUri: string): void {
    this.lastEditAt = performance.now();
    const uri = canonicalUri(clientUri);
    if (isTerraformFileName(uri.slice(uri.lastIndexOf('/') + 1))) this.refreshFolderOf(uri);
    this.scheduleCrossFile();
  }

  /** Files changed on the disk (the client's watchers). */
  filesChanged(changes: readonly FileEvent[]): void {
    for (const change of changes) {
      if (!isFileUri(change.uri)) continue;
      let file: string;
      try {
        file = fileURLToPath(change.uri);
      } catch {
        continue;
      }
      const uri = pathToFileURL(file).href;
      if (change.type === FileChangeType.Deleted) {
        // A folder's deletion comes as one event for the folder.
        for (const known of [...this.files.keys(), ...this.refused]) if (known === uri || known.startsWith(uri + '/')) this.remove(known);
        for (const folder of [...this.terraformFolders]) if (folder === uri || folder.startsWith(uri + '/')) this.terraformFolders.delete(folder);
      } else if (this.watched(uri)) {
        let stat: fs.Stats | undefined;
        try {
          stat = fs.statSync(file);
        } catch {
          stat = undefined;
        }
        if (stat?.isDirectory()) {
          if (this.settings.scope === 'workspace') this.scanFolder(uri, file);
          continue;
        }
        const byName = kindByName(file, this.classifier);
        if (this.settings.scope === 'workspace' || this.terraformFolders.has(dirOf(uri))) this.load(uri, file, byName);
      }
      if (isTerraformFileName(file.slice(file.lastIndexOf(path.sep) + 1))) this.refreshFolderOf(uri);
    }
    this.scheduleCrossFile();
  }

  /** A folder appeared (a checkout, a copy): its files, as the scan would find them. */
  private scanFolder(uri: string, dir: string): void {
    const workspaceFolder = innermostFolder(uri, this.folders);
    const excludes = new Excludes(workspaceFolder ? this.filesExclude.get(workspaceFolder) : undefined, this.settings.exclude);
    const prefix = workspaceFolder ? path.relative(fileURLToPath(workspaceFolder), dir).split(path.sep).join('/') : '';
    for (const item of walkFolder(dir, { classifier: this.classifier })) {
      if (item.type !== 'candidate' || excludes.excludes(prefix ? `${prefix}/${item.rel}` : item.rel)) continue;
      this.load(pathToFileURL(item.absolute).href, item.absolute, item.kind);
    }
  }

  /** In a workspace folder, not excluded, not in a folder never walked: what the scan would have looked at. */
  private watched(uri: string): boolean {
    return this.settings.scope === 'openFiles' ? this.terraformFolders.has(dirOf(uri)) : this.inWorkspace(uri) && !this.excluded(uri);
  }

  private inWorkspace(uri: string): boolean {
    return innermostFolder(uri, this.folders) !== undefined;
  }

  private excluded(uri: string): boolean {
    const folder = innermostFolder(uri, this.folders);
    if (!folder) return false;
    const rel = decodeURIComponent(uri.slice(folder.replace(/\/+$/, '').length + 1));
    const parts = rel.split('/');
    if (parts.slice(0, -1).some((p) => SKIP_DIRS.has(p))) return true;
    const excludes = new Excludes(this.filesExclude.get(folder), this.settings.exclude);
    // A file is left out when it, or a folder holding it, matches (the walk does not go into such a folder).
    for (let i = 1; i <= parts.length; i++) if (excludes.excludes(parts.slice(0, i).join('/'))) return true;
    return false;
  }

  /**
   * The Terraform files of `uri`'s folder other than itself, for the rules
   * that judge a folder as a whole: open documents first (unsaved edits, new
   * files), then the files of the disk, read once per folder and kept
   * current by file events.
   */
  folderDocuments(clientUri: string): SourceDocument[] {
    const uri = canonicalUri(clientUri);
    if (!isTerraformFileName(uri.slice(uri.lastIndexOf('/') + 1))) return [];
    const dir = dirOf(uri);
    const out = new Map<string, SourceDocument>();
    for (const d of this.host.documents.all()) {
      const key = canonicalUri(d.uri);
      if (key !== uri && dirOf(key) === dir && isTerraformFileName(key.slice(key.lastIndexOf('/') + 1))) out.set(key, { path: d.uri, text: d.getText() });
    }
    this.loadTerraformFolder(dir);
    for (const [other, f] of this.files) if (other !== uri && !out.has(other) && dirOf(other) === dir && (f.kind === 'terraform' || f.kind === 'terraform-lock')) out.set(other, { path: other, text: f.text, kind: f.kind });
    return [...out.values()];
  }

  /** Reads a folder's Terraform files once (a scan may not have reached it, or the scope is openFiles). */
  private loadTerraformFolder(dir: string): void {
    if (this.terraformFolders.has(dir) || !isFileUri(dir)) return;
    this.terraformFolders.add(dir);
    let folder: string;
    try {
      folder = fileURLToPath(dir);
    } catch {
      return;
    }
    for (const { file, text } of readTerraformFolder(folder)) {
      const uri = pathToFileURL(file).href;
      if (!this.files.has(uri)) this.files.set(uri, { kind: file.endsWith('.tf') ? 'terraform' : 'terraform-lock', text });
    }
  }

  /** A Terraform file changed: the other files of its folder are checked again. */
  private refreshFolderOf(uri: string): void {
    const dir = dirOf(uri);
    for (const d of this.host.documents.all()) {
      const key = canonicalUri(d.uri);
      if (key !== uri && dirOf(key) === dir && isTerraformFileName(key.slice(key.lastIndexOf('/') + 1)) && !this.host.waitsForHcl(d.uri)) this.host.publisher.schedule(d, true);
    }
    if (this.settings.scope !== 'workspace') return;
    for (const [other, f] of this.files) {
      if (other === uri || dirOf(other) !== dir || this.openDoc(other) || this.host.waitsForHcl(other)) continue;
      if (f.kind === 'terraform' || f.kind === 'terraform-lock') this.host.publisher.schedule(new DiskDocument(other, f.text), true);
    }
  }

  /**
   * Checks again every file of the disk that is not open (new settings, the
   * HCL runtime came), in slices like the scan: forty Terraform files parsed
   * at once would hold an edited document's check for half a second.
   */
  republish(filter: (uri: string, kind: FileKind, text: string) => boolean = () => true): void {
    if (this.settings.scope !== 'workspace') return;
    const generation = this.scanGeneration;
    const uris = [...this.files].filter(([uri, f]) => filter(uri, f.kind, f.text)).map(([uri]) => uri);
    void (async () => {
      let sliceEnd = performance.now() + SLICE_MS;
      for (const uri of uris) {
        if (generation !== this.scanGeneration) return; // a new scan publishes everything itself
        const f = this.files.get(uri);
        if (f && !this.openDoc(uri) && !this.host.waitsForHcl(uri)) this.host.publisher.publish(new DiskDocument(uri, f.text));
        if (performance.now() > sliceEnd) {
          await this.yieldTurn();
          sliceEnd = performance.now() + SLICE_MS;
        }
      }
    })().catch((err) => this.host.log.error('checking the workspace again failed', err));
  }

  /** The cross-file findings are computed again soon: the changes until then are one computation. */
  scheduleCrossFile(): void {
    if (this.crossFileTimer || this.scanning) return; // the scan computes them when it ends
    this.crossFileTimer = setTimeout(() => {
      this.crossFileTimer = undefined;
      this.computeCrossFile();
    }, CROSS_FILE_DELAY_MS);
  }

  /**
   * LanguageService.workspaceFindings over every file of ours (an open
   * document's text over the disk's), and each file whose cross-file
   * findings changed is published again.
   */
  private computeCrossFile(): void {
    try {
      this.computeCrossFileNow();
    } finally {
      this.host.settled?.();
    }
  }

  /** Every file of ours (an open document's text over the disk's), by canonical URI. */
  documents(): SourceDocument[] {
    const docs = new Map<string, SourceDocument>();
    for (const [uri, f] of this.files) docs.set(uri, { path: uri, text: f.text, kind: f.kind });
    for (const d of this.host.documents.all()) {
      const text = d.getText();
      const kind = this.kindOf(d.uri, text);
      const key = canonicalUri(d.uri);
      if (kind) docs.set(key, { path: key, text, kind });
    }
    return [...docs.values()];
  }

  private computeCrossFileNow(): void {
    let next: Map<string, Finding[]>;
    try {
      next = this.host.service.workspaceFindings(this.documents());
    } catch (err) {
      this.host.log.error('checking the workspace as a whole failed', err);
      return;
    }
    const before = this.crossFile;
    this.crossFile = next;
    for (const uri of new Set([...before.keys(), ...next.keys()])) {
      if (JSON.stringify(before.get(uri) ?? []) === JSON.stringify(next.get(uri) ?? [])) continue;
      const open = this.openDoc(uri);
      if (open) this.host.publisher.schedule(open, true);
      else if (this.settings.scope === 'workspace' && this.files.has(uri)) this.host.publisher.publish(new DiskDocument(uri, this.files.get(uri)!.text));
    }
  }
}

/**
 * A file's text as its reader decodes it; or why it is not read: too large
 * (its size) or not decodable (the reason); undefined when it cannot be read
 * at all (gone, not a regular file).
 */
function readFromDisk(file: string, kind: FileKind): string | { bytes: number } | { reason: string } | undefined {
  try {
    const bytes = fs.statSync(file).size;
    if (bytes > MAX_INPUT_BYTES) return { bytes };
    const read = readText(file, kind);
    return read.ok ? read.text : { reason: read.reason };
  } catch {
    return undefined;
  }
}
