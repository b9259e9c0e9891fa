// Creates the language client: the server runs in its own Node process over
// IPC, for the documents ourDocuments.ts calls ours.

import * as vscode from 'vscode';
import { CloseAction, ErrorAction, LanguageClient, TransportKind, type LanguageClientOptions, type ServerOptions } from 'vscode-languageclient/node';
import { SETTINGS_SECTION } from '../../server/src/lsp/protocol';
import { SERVER_NODE_FLAGS, serverEnvironment } from '../../server/src/shared/serverProcess';
import { agentConfigGlobs, syncSelector } from './ourDocuments';
import { CHANNEL_NAME } from './outputRecorder';
import { ruleDocMiddleware } from './ruleDocs';

export const CLIENT_ID = 'datadogWif';

export interface CrashPolicy {
  /** Called when the server died twice: no more restarts. */
  onGiveUp(): void;
}

export function createLanguageClient(context: vscode.ExtensionContext, output: vscode.LogOutputChannel, crash: CrashPolicy): LanguageClient {
  const serverModule = context.asAbsolutePath('dist/server.js');
  const env = serverEnvironment(process.env);
  const serverOptions: ServerOptions = {
    run: { module: serverModule, transport: TransportKind.ipc, options: { execArgv: [...SERVER_NODE_FLAGS], env } },
    debug: { module: serverModule, transport: TransportKind.ipc, options: { execArgv: [...SERVER_NODE_FLAGS, '--nolazy', '--inspect=6010'], env } },
  };
  let restarts = 0;
  const clientOptions: LanguageClientOptions = {
    documentSelector: syncSelector(agentConfigGlobs()),
    outputChannel: output,
    traceOutputChannel: output,
    // files.exclude too: the server's workspace scan leaves those files out. The files to watch on
    // disk (Terraform, the lock file, YAML/JSON, the Agent globs) the server registers itself.
    synchronize: { configurationSection: [SETTINGS_SECTION, 'files.exclude'] },
    initializationOptions: { settings: vscode.workspace.getConfiguration(SETTINGS_SECTION) },
    middleware: {
      // Rule links open the rule's page, shipped in the extension, as a Markdown preview.
      ...ruleDocMiddleware(context),
      // A Test Login lens sends a proof: in an untrusted workspace it is not offered (linting still is).
      provideCodeLenses: (document, token, next) => (vscode.workspace.isTrusted ? next(document, token) : []),
    },
    errorHandler: {
      error: () => ({ action: ErrorAction.Continue }),
      closed: () => {
        // Restart once; if it dies again, stop and say so (with the logs one click away).
        restarts++;
        if (restarts <= 1) {
          output.warn('The Datadog WIF language server stopped unexpectedly; restarting it once.');
          return { action: CloseAction.Restart, handled: true };
        }
        crash.onGiveUp();
        return { action: CloseAction.DoNotRestart, handled: true };
      },
    },
  };
  return new LanguageClient(CLIENT_ID, CHANNEL_NAME, serverOptions, clientOptions);
}
