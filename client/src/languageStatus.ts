// The language status item: what this file is to us, its problems, and the
// server when it is not running. VS Code's language status hover puts the
// text, the detail and the command's link on one line that never wraps, in
// a hover at most 500 px wide: what does not fit is cut off. So the text and
// detail stay short ("Datadog WIF: Agent configuration – 2 errors, 1
// warning") and the only link is Restart, when the server stopped (Show
// Logs is in the command palette).

import * as vscode from 'vscode';
import { State, type LanguageClient } from 'vscode-languageclient/node';
import { FileKindRequest, type FileKindParams, type FileKindResult } from '../../server/src/lsp/protocol';
import { DIAGNOSTIC_SOURCE } from '../../server/src/shared/diagnosticSource';
import { problemSummary } from './problemSummary';

const KIND_LABELS: Record<string, string> = {
  agent: 'Agent configuration',
  'agent-env': 'Agent settings (environment)',
  terraform: 'Terraform',
  'terraform-lock': 'Terraform lock file',
};

const RESTART = { title: 'Restart', command: 'datadogWif.restartServer' };

export class LanguageStatus implements vscode.Disposable {
  private readonly item: vscode.LanguageStatusItem;
  private client: LanguageClient | undefined;
  private readonly disposables: vscode.Disposable[] = [];
  private clientDisposables: vscode.Disposable[] = [];
  /** Why the server is stopped for good (set by failed(), cleared by the next attach()). */
  private stoppedReason: string | undefined;
  /** The active file's kind, as the server said, and for which file. */
  private kind: { uri: string; label: string } | undefined;
  /** The files ours by name (the client's selector). */
  private byName: readonly vscode.DocumentFilter[];
  /**
   * The open files ours by content ('agent-env', as the server said): no
   * glob names them all (any YAML or JSON file may be one, most are not), so
   * each is added to the item's selector by its own path, and dropped when
   * closed. A YAML or JSON file that is not ours shows no item.
   */
  private readonly byContent = new Map<string, vscode.DocumentFilter>();

  constructor(selector: readonly vscode.DocumentFilter[]) {
    this.byName = selector;
    this.item = vscode.languages.createLanguageStatusItem('datadogWif.status', [...selector]);
    this.item.name = 'Datadog WIF';
    this.item.text = 'Datadog WIF';
    this.disposables.push(
      vscode.window.onDidChangeActiveTextEditor(() => void this.refresh()),
      vscode.workspace.onDidCloseTextDocument((d) => {
        if (this.byContent.delete(d.uri.toString())) this.applySelector();
      }),
      // The counts are VS Code's own view of our diagnostics: they follow every publish, with no request.
      vscode.languages.onDidChangeDiagnostics((e) => {
        const uri = activeUri()?.toString();
        if (uri && e.uris.some((u) => u.toString() === uri)) this.render();
      }),
    );
    this.render();
  }

  /** The documents the item shows for (the client's selector; it changes with `datadogWif.agentConfigFiles`). */
  set selector(selector: readonly vscode.DocumentFilter[]) {
    this.byName = selector;
    this.applySelector();
  }

  private applySelector(): void {
    this.item.selector = [...this.byName, ...this.byContent.values()];
  }

  /** The server said what `uri` is: an Agent-env file joins the item's selector, any other leaves it. */
  private knownKind(uri: vscode.Uri, kind: string | null): void {
    const key = uri.toString();
    if (kind === 'agent-env' && !this.byContent.has(key)) this.byContent.set(key, exactFilter(uri));
    else if (kind !== 'agent-env' && this.byContent.has(key)) this.byContent.delete(key);
    else return;
    this.applySelector();
  }

  attach(client: LanguageClient): void {
    for (const d of this.clientDisposables) d.dispose();
    this.client = client;
    this.stoppedReason = undefined;
    this.kind = undefined; // a new server may read new settings
    this.clientDisposables = [client.onDidChangeState(() => void this.refresh())];
    void this.refresh();
  }

  /** The server could not be kept running: `reason` is a few words (the full story is in the log and a notification). */
  failed(reason: string): void {
    this.stoppedReason = reason;
    this.render();
  }

  /** Asks the server what the active file is (once per file and server), then shows it. */
  async refresh(): Promise<void> {
    const client = this.client;
    const active = activeUri();
    const uri = active?.toString();
    if (client?.state === State.Running && active && uri && this.kind?.uri !== uri) {
      try {
        const result = await client.sendRequest<FileKindResult>(FileKindRequest, { uri } satisfies FileKindParams);
        this.kind = { uri, label: result.kind ? KIND_LABELS[result.kind] ?? result.kind : 'not checked' };
        this.knownKind(active, result.kind);
      } catch {
        this.kind = undefined;
      }
    }
    this.render();
  }

  private render(): void {
    const state = this.client?.state;
    this.item.busy = this.stoppedReason === undefined && state !== State.Running && state !== State.Stopped;
    if (this.stoppedReason !== undefined || state === State.Stopped) {
      this.item.severity = vscode.LanguageStatusSeverity.Error;
      this.item.text = 'Datadog WIF: server stopped';
      this.item.detail = this.stoppedReason ?? 'restart it';
      this.item.command = RESTART;
      return;
    }
    this.item.severity = vscode.LanguageStatusSeverity.Information;
    this.item.command = undefined;
    if (state !== State.Running) {
      this.item.text = 'Datadog WIF: starting';
      this.item.detail = undefined;
      return;
    }
    const uri = activeUri();
    this.item.text = `Datadog WIF: ${uri && this.kind?.uri === uri.toString() ? this.kind.label : '…'}`;
    this.item.detail = uri ? problemSummary(ourDiagnostics(uri).map((d) => d.severity)) : undefined;
  }

  get text(): string {
    return this.item.text;
  }

  get detail(): string | undefined {
    return this.item.detail;
  }

  dispose(): void {
    this.item.dispose();
    for (const d of [...this.disposables, ...this.clientDisposables]) d.dispose();
  }
}

/**
 * A filter for one file and no other: its folder, and its name as a glob
 * whose special characters each match one character (`?`): VS Code's globs
 * have no escape, and a name of the same length that differs only there is
 * not worth a wrong status item.
 */
function exactFilter(uri: vscode.Uri): vscode.DocumentFilter {
  const slash = uri.path.lastIndexOf('/');
  const literal = (s: string) => s.replace(/[*?[\]{}!,]/g, '?');
  if (uri.scheme === 'file') return { scheme: 'file', pattern: new vscode.RelativePattern(uri.with({ path: uri.path.slice(0, slash) || '/' }), literal(uri.path.slice(slash + 1))) };
  return { scheme: uri.scheme, pattern: literal(uri.path) };
}

function activeUri(): vscode.Uri | undefined {
  return vscode.window.activeTextEditor?.document.uri;
}

function ourDiagnostics(uri: vscode.Uri): vscode.Diagnostic[] {
  return vscode.languages.getDiagnostics(uri).filter((d) => d.source === DIAGNOSTIC_SOURCE);
}
