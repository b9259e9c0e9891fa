// Publishes diagnostics: at once when a document opens or is edited after a
// pause; while it is being edited, at most once per "window" that follows what
// checking that document costs; and never faster than the client reads.

import type { Connection, Diagnostic, PublishDiagnosticsParams } from 'vscode-languageserver/node';
import type { FileKind, Finding, LanguageService, SeverityOverrides, SourceDocument } from '../service';
import { toDiagnostic } from './convert';
import type { Logger } from './logger';

/**
 * The longest a check waits for more keystrokes. The wait is the document's
 * last check time, so a cheap document (most) is checked on every keystroke
 * and only a costly one waits, never longer than this.
 */
export const MAX_COALESCE_MS = 100;

/**
 * What is checked: an open document (a TextDocument) or a file of the
 * workspace read from disk, which has no version (its diagnostics are for
 * whatever the file holds).
 */
export interface CheckedDocument {
  readonly uri: string;
  readonly version?: number;
  getText(): string;
}

/** What a document's next message will say: its diagnostics as it is then, or an empty list (it was closed). */
type Next = { doc: CheckedDocument } | { closed: true } | { findings: readonly Finding[] };

/** A check waiting for its turn: the newest state of the document replaces an older one's. */
interface Pending {
  doc: CheckedDocument;
  /** Check even if this text was published (another file of its folder changed). */
  force: boolean;
  cancel: () => void;
  /** Due on the next turn of the event loop (not waiting out a coalescing window). */
  immediate: boolean;
}

/** When a document was last checked and what it cost, on the publisher's clock (ms). */
interface LastCheck {
  end: number;
  cost: number;
}

export interface PublisherOptions {
  /** A monotonic clock in ms (default `performance.now`); tests pass a fake one. */
  now?: () => number;
}

export class DiagnosticsPublisher {
  private readonly pending = new Map<string, Pending>();
  private readonly lastCheck = new Map<string, LastCheck>();
  /** The text each published list is for. */
  private readonly texts = new Map<string, string>();
  /**
   * Documents with a publishDiagnostics written but not yet flushed to the
   * client. A client that stops reading (or reads slowly) must not make the
   * server queue a message per keystroke: while one is in flight only the
   * newest state waits in `next` (linted when its turn comes), so the server
   * holds at most two messages per document whatever the client does.
   */
  private readonly inFlight = new Set<string>();
  private readonly next = new Map<string, Next>();
  private readonly now: () => number;

  constructor(
    private readonly connection: Connection,
    private readonly service: LanguageService,
    private readonly log: Logger,
    /** The other documents that decide this one's folder-wide rules (Terraform). */
    private readonly folderOf: (uri: string) => SourceDocument[] = () => [],
    /** The severity overrides of the workspace folder holding a document (undefined: the window-level ones). */
    private readonly severityOf: (uri: string) => SeverityOverrides | undefined = () => undefined,
    options: PublisherOptions = {},
    /** What a document is when its name alone does not say (an Agent's environment in a YAML/JSON file). */
    private readonly kindOf: (uri: string, text: string) => FileKind | undefined = () => undefined,
    /** The document's findings that need the whole workspace (LanguageService.workspaceFindings), added to its own. */
    private readonly crossFileOf: (uri: string) => readonly Finding[] = () => [],
  ) {
    this.now = options.now ?? (() => performance.now());
  }

  /**
   * The document changed (`force`: another file of its folder did). A document
   * not checked within its window is checked on the next turn of the event
   * loop; one checked less than a window ago waits for the window's end. The
   * window is the last check's cost (capped): checking the newest text then
   * replaces every check of the keystrokes in between, and a document being
   * typed into takes at most about half the server's time.
   */
  schedule(doc: CheckedDocument, force = false): void {
    const pending = this.pending.get(doc.uri);
    if (pending) {
      // Its turn is already set: it will check this newer state instead.
      pending.doc = doc;
      pending.force ||= force;
      return;
    }
    // An open is reported as a content change too: what was just published needs no second run.
    if (!force && this.texts.get(doc.uri) === doc.getText()) return;
    const entry: Pending = { doc, force, cancel: () => undefined, immediate: false };
    const run = () => {
      this.pending.delete(doc.uri);
      if (!entry.force && this.texts.get(doc.uri) === entry.doc.getText()) return; // typed, then undone
      this.send(doc.uri, { doc: entry.doc });
    };
    const wait = this.waitFor(doc.uri);
    if (wait > 0) {
      const timer = setTimeout(run, wait);
      entry.cancel = () => clearTimeout(timer);
    } else {
      // Not synchronous: what else this turn schedules for the document (a folder's files, several changes) is one check.
      const immediate = setImmediate(run);
      entry.cancel = () => clearImmediate(immediate);
      entry.immediate = true;
    }
    this.pending.set(doc.uri, entry);
  }

  /** A check waits for its turn on the next turn of the event loop: background work (the workspace scan) lets it go first. */
  get hasUrgentWork(): boolean {
    for (const p of this.pending.values()) if (p.immediate) return true;
    return false;
  }

  /** Publishes the current text now (an open, new settings): a pending check of it is redundant. */
  publish(doc: CheckedDocument): void {
    this.cancelPending(doc.uri);
    this.send(doc.uri, { doc });
  }

  /**
   * A file of the disk that is not read (too large, in an encoding its reader
   * refuses): its one finding, from its size or bytes, as dd-wif reports it.
   */
  publishFindings(uri: string, findings: readonly Finding[]): void {
    this.cancelPending(uri);
    this.texts.delete(uri);
    this.send(uri, { findings });
  }

  /** No diagnostics for `uri` any more (closed in the openFiles scope, deleted, no longer ours). */
  clear(uri: string): void {
    this.cancelPending(uri);
    this.texts.delete(uri);
    this.lastCheck.delete(uri);
    this.service.forget(uri);
    this.send(uri, { closed: true });
  }

  /** How long a change must wait: what is left of the window that began when the last check ended. */
  private waitFor(uri: string): number {
    const last = this.lastCheck.get(uri);
    if (!last) return 0;
    const window = Math.min(MAX_COALESCE_MS, last.cost);
    return Math.max(0, Math.ceil(last.end + window - this.now()));
  }

  private cancelPending(uri: string): void {
    this.pending.get(uri)?.cancel();
    this.pending.delete(uri);
  }

  /** Sends now, or, while this document's last message is still being written, remembers only this newest state. */
  private send(uri: string, what: Next): void {
    if (this.inFlight.has(uri)) {
      this.next.set(uri, what);
      return;
    }
    const params = 'doc' in what ? this.lint(what.doc) : { uri, diagnostics: 'findings' in what ? what.findings.map((f) => toDiagnostic(f, uri)) : [] };
    this.inFlight.add(uri);
    const written = () => {
      this.inFlight.delete(uri);
      const waiting = this.next.get(uri);
      if (!waiting) return;
      this.next.delete(uri);
      this.send(uri, waiting);
    };
    try {
      // Settles once the message is written to the client's stream (vscode-jsonrpc's writer).
      this.connection.sendDiagnostics(params).then(written, written);
    } catch (err) {
      // The connection is closed or disposed: nothing more will go out.
      this.inFlight.delete(uri);
      this.next.delete(uri);
      this.log.error(`publishing diagnostics for ${uri} failed`, err);
    }
  }

  private lint(doc: CheckedDocument): PublishDiagnosticsParams {
    let diagnostics: Diagnostic[] = [];
    const text = doc.getText();
    const start = this.now();
    try {
      const kind = this.kindOf(doc.uri, text);
      const own = this.service.lint({ path: doc.uri, text, severity: this.severityOf(doc.uri), ...(kind ? { kind } : {}) }, this.folderOf(doc.uri));
      diagnostics = [...own, ...this.crossFileOf(doc.uri)].map((f) => toDiagnostic(f, doc.uri));
    } catch (err) {
      this.log.error(`linting ${doc.uri} failed`, err);
    }
    const end = this.now();
    this.lastCheck.set(doc.uri, { end, cost: end - start });
    this.texts.set(doc.uri, text);
    return { uri: doc.uri, ...(doc.version !== undefined ? { version: doc.version } : {}), diagnostics };
  }
}
