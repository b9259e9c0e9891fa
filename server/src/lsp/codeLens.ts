// textDocument/codeLens: a "Test Login" lens on each `delegated_auth` section
// of a datadog.yaml and each `provider "datadog"` block of a .tf file. The
// lens only names a client command (`datadogWif.testLoginAgent` /
// `datadogWif.testLoginTerraform`) with what the file says as its argument;
// the client runs it. `datadogWif.codeLens.enabled: false` turns them off
// (the server asks the client to refresh its lenses when that changes).

import { CodeLensRefreshRequest, type CodeLens, type CodeLensParams, type Connection, type InitializeParams, type ServerCapabilities, type TextDocuments } from 'vscode-languageserver/node';
import type { TextDocument } from 'vscode-languageserver-textdocument';
import type { LanguageService, LoginTarget } from '../service';
import type { Logger } from './logger';

export const TEST_LOGIN_COMMANDS = {
  agent: 'datadogWif.testLoginAgent',
  terraform: 'datadogWif.testLoginTerraform',
} as const;

/** The argument of a lens's command: the target without its range, plus the document. */
export interface LoginLensArgument extends Omit<LoginTarget, 'range'> {
  uri: string;
  /** The line of the lens (0-based), so the command can say where it came from. */
  line: number;
}

/** `datadogWif.codeLens.enabled`, default true; anything but `false` keeps them. */
export function codeLensesEnabled(raw: unknown): boolean {
  const lens = (raw as { codeLens?: { enabled?: unknown } } | null | undefined)?.codeLens;
  return lens?.enabled !== false;
}

export function loginLenses(service: LanguageService, doc: TextDocument): CodeLens[] {
  return service.loginTargets({ path: doc.uri, text: doc.getText() }).map((t) => {
    const { range, ...rest } = t;
    const argument: LoginLensArgument = { ...rest, uri: doc.uri, line: range.start.line };
    const title = t.flow === 'agent' ? '$(play) Test Login (Agent)' : '$(play) Test Login (Terraform)';
    return { range, command: { title, command: TEST_LOGIN_COMMANDS[t.flow], arguments: [argument] } };
  });
}

/** Holds the setting and the client's refresh support; answers codeLens requests. */
export class LoginCodeLenses {
  private enabled = true;
  private canRefresh = false;

  constructor(
    private readonly connection: Connection,
    private readonly service: LanguageService,
    private readonly documents: TextDocuments<TextDocument>,
    private readonly log: Logger,
  ) {}

  /** Reads the client's capabilities; returns the server capability to announce. */
  initialize(params: InitializeParams): ServerCapabilities['codeLensProvider'] {
    this.canRefresh = !!params.capabilities.workspace?.codeLens?.refreshSupport;
    return { resolveProvider: false };
  }

  /** Takes the `datadogWif` settings object; asks the client to refresh its lenses when the switch flips. */
  configure(raw: unknown): void {
    const enabled = codeLensesEnabled(raw);
    if (enabled === this.enabled) return;
    this.enabled = enabled;
    this.refresh();
  }

  /** Asks the client to ask again (e.g. once the HCL parser has loaded). */
  refresh(): void {
    if (this.canRefresh) void this.connection.sendRequest(CodeLensRefreshRequest.type).catch((err: unknown) => this.log.warn(`codeLens refresh failed: ${String(err)}`));
  }

  provide(params: CodeLensParams): CodeLens[] {
    if (!this.enabled) return [];
    const doc = this.documents.get(params.textDocument.uri);
    return doc ? loginLenses(this.service, doc) : [];
  }
}
