// Publishes diagnostics: at once when a document opens, after a short quiet
// period while it is being edited; and never faster than the client reads.

import type { Connection, Diagnostic, PublishDiagnosticsParams } from 'vscode-languageserver/node';
import type { TextDocument } from 'vscode-languageserver-textdocument';
import type { LanguageService, SeverityOverrides, SourceDocument } from '../service';
import { toDiagnostic } from './convert';
import type { Logger } from './logger';

export const DEBOUNCE_MS = 200;

/** What a document's next message will say: its diagnostics as it is then, or an empty list (it was closed). */
type Next = { doc: TextDocument } | { closed: true };

export class DiagnosticsPublisher {
  private readonly timers = new Map<string, NodeJS.Timeout>();
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

  constructor(
    private readonly connection: Connection,
    private readonly service: LanguageService,
    private readonly log: Logger,
    /** The other documents that decide this one's folder-wide rules (Terraform). */
    private readonly folderOf: (uri: string) => SourceDocument[] = () => [],
    /** The severity overrides of the workspace folder holding a document (undefined: the window-level ones). */
    private readonly severityOf: (uri: string) => SeverityOverrides | undefined = () => undefined,
  ) {}

  /** `force`: run even if this text was published (another file of its folder changed). */
  schedule(doc: TextDocument, delay = DEBOUNCE_MS, force = false): void {
    // An open is reported as a content change too: what was just published needs no second run.
    if (!force && this.texts.get(doc.uri) === doc.getText() && !this.timers.has(doc.uri)) return;
    const prior = this.timers.get(doc.uri);
    if (prior) clearTimeout(prior);
    this.timers.set(
      doc.uri,
      setTimeout(() => {
        this.timers.delete(doc.uri);
        this.publish(doc);
      }, delay),
    );
  }

  publish(doc: TextDocument): void {
    // Publishing the current text makes a pending debounced run redundant.
    this.cancelTimer(doc.uri);
    this.send(doc.uri, { doc });
  }

  clear(uri: string): void {
    this.cancelTimer(uri);
    this.texts.delete(uri);
    this.service.forget(uri);
    this.send(uri, { closed: true });
  }

  private cancelTimer(uri: string): void {
    const t = this.timers.get(uri);
    if (t) clearTimeout(t);
    this.timers.delete(uri);
  }

  /** Sends now, or, while this document's last message is still being written, remembers only this newest state. */
  private send(uri: string, what: Next): void {
    if (this.inFlight.has(uri)) {
      this.next.set(uri, what);
      return;
    }
    const params = 'doc' in what ? this.lint(what.doc) : { uri, diagnostics: [] };
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

  private lint(doc: TextDocument): PublishDiagnosticsParams {
    let diagnostics: Diagnostic[] = [];
    const text = doc.getText();
    try {
      diagnostics = this.service.lint({ path: doc.uri, text, severity: this.severityOf(doc.uri) }, this.folderOf(doc.uri)).map((f) => toDiagnostic(f, doc.uri));
    } catch (err) {
      this.log.error(`linting ${doc.uri} failed`, err);
    }
    this.texts.set(doc.uri, text);
    return { uri: doc.uri, version: doc.version, diagnostics };
  }
}
