// The extension: starts the language server and wires the few things only
// VS Code can do. It holds no rules: everything else asks the server.

import * as vscode from 'vscode';
import type { LanguageClient } from 'vscode-languageclient/node';
import { SETTINGS_SECTION } from '../../server/src/lsp/protocol';
import { CLIENT_NAME, createLanguageClient, documentSelector } from './languageClient';
import { LanguageStatus } from './languageStatus';

let client: LanguageClient | undefined;

/** What tests (and other extensions) may ask of us. */
export interface DatadogWifApi {
  readonly client: LanguageClient | undefined;
  readonly statusText: string;
}

export async function activate(context: vscode.ExtensionContext): Promise<DatadogWifApi> {
  const output = vscode.window.createOutputChannel(CLIENT_NAME, { log: true });
  context.subscriptions.push(output);
  const globs = () => vscode.workspace.getConfiguration(SETTINGS_SECTION).get<string[]>('agentConfigFiles') ?? [];
  const status = new LanguageStatus(documentSelector(globs()) as vscode.DocumentSelector);
  context.subscriptions.push(status);

  const crashPolicy = {
    onGiveUp: () => {
      const message = 'The Datadog WIF language server stopped twice and will not be restarted. Diagnostics are off until you restart it.';
      output.error(message);
      status.failed(message);
      void vscode.window.showErrorMessage(message, 'Open Logs', 'Restart').then((choice) => {
        if (choice === 'Open Logs') output.show();
        if (choice === 'Restart') void vscode.commands.executeCommand('datadogWif.restartServer');
      });
    },
  };

  const start = async () => {
    client = createLanguageClient(context, output, crashPolicy);
    status.attach(client);
    try {
      await client.start();
    } catch (err) {
      output.error(`The language server did not start: ${err instanceof Error ? err.message : String(err)}`);
      status.failed('The language server did not start. See the logs.');
    }
  };

  const restart = async () => {
    const old = client;
    client = undefined;
    if (old) {
      try {
        await old.stop();
      } catch (err) {
        output.warn(`Stopping the old server: ${err instanceof Error ? err.message : String(err)}`);
      }
    }
    await start();
  };

  context.subscriptions.push(
    vscode.commands.registerCommand('datadogWif.restartServer', async () => {
      output.info('Restarting the language server.');
      await restart();
    }),
    vscode.commands.registerCommand('datadogWif.showLogs', () => output.show()),
    vscode.workspace.onDidChangeConfiguration((e) => {
      // The document selector is fixed when the client starts: new globs need a new client.
      if (e.affectsConfiguration(`${SETTINGS_SECTION}.agentConfigFiles`)) void restart();
    }),
    { dispose: () => void client?.stop() },
  );

  await start();
  return {
    get client() {
      return client;
    },
    get statusText() {
      return status.text;
    },
  };
}

export async function deactivate(): Promise<void> {
  await client?.stop();
  client = undefined;
}
