// The extension: starts the language server and wires the few things only
// VS Code can do. It holds no rules: everything else asks the server.

import * as vscode from 'vscode';
import type { LanguageClient } from 'vscode-languageclient/node';
import { SETTINGS_SECTION } from '../../server/src/lsp/protocol';
import { CLIENT_NAME, createLanguageClient, documentSelector } from './languageClient';
import { LanguageStatus } from './languageStatus';
import { AwsProfiles } from './awsProfile';
import { runTestLogin } from './commands/testLogin';
import { showCallerIdentity } from './commands/callerIdentity';
import { recordingChannel } from './outputRecorder';
import { registerMappingFeatures, type MappingFeatures } from './mappings/register';

let client: LanguageClient | undefined;

/** What tests (and other extensions) may ask of us. */
export interface DatadogWifApi {
  readonly client: LanguageClient | undefined;
  /** The language status item's text and detail (what the file is; its problems). */
  readonly statusText: string;
  readonly statusDetail: string | undefined;
  /** Where the log output channel writes its file (tests read it to check nothing secret was logged). */
  readonly logUri: vscode.Uri;
  /** The last lines written to the "Datadog WIF" output channel, by us or the language client. */
  readonly recentOutput: readonly string[];
  /** The mapping features: the Workload Identity Federation tree and the credential store. */
  readonly mappings: MappingFeatures;
}

declare const DD_WIF_VERSION: string | undefined;

export async function activate(context: vscode.ExtensionContext): Promise<DatadogWifApi> {
  const output = recordingChannel(vscode.window.createOutputChannel(CLIENT_NAME, { log: true }));
  context.subscriptions.push(output);
  const globs = () => vscode.workspace.getConfiguration(SETTINGS_SECTION).get<string[]>('agentConfigFiles') ?? [];
  const status = new LanguageStatus(documentSelector(globs()) as vscode.DocumentSelector);
  context.subscriptions.push(status);

  const crashPolicy = {
    onGiveUp: () => {
      const message = 'The Datadog WIF language server stopped twice and will not be restarted. Diagnostics are off until you restart it.';
      output.error(message);
      status.failed('it stopped twice');
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
      status.failed('it did not start');
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

  const profiles = new AwsProfiles(context.workspaceState, output);
  const version = typeof DD_WIF_VERSION === 'string' ? DD_WIF_VERSION : 'dev';
  const mappingFeatures = registerMappingFeatures(context, output, { profiles });
  const loginDeps = { output, profiles, onSecret: mappingFeatures.onLoginSecret, userAgent: `datadog-wif-vscode/${version} (vscode ${vscode.version})` };

  context.subscriptions.push(
    vscode.commands.registerCommand('datadogWif.restartServer', async () => {
      output.info('Restarting the language server.');
      await restart();
    }),
    vscode.commands.registerCommand('datadogWif.showLogs', () => output.show()),
    // Login tests and the caller identity: the commands return their result (no secrets in it) for tests and other commands.
    vscode.commands.registerCommand('datadogWif.testLoginTerraform', (args?: unknown) => runTestLogin('terraform', loginDeps, args)),
    vscode.commands.registerCommand('datadogWif.testLoginAgent', (args?: unknown) => runTestLogin('agent', loginDeps, args)),
    vscode.commands.registerCommand('datadogWif.showCallerIdentity', (args?: unknown) => showCallerIdentity(loginDeps, args)),
    vscode.commands.registerCommand('datadogWif.selectAwsProfile', (args?: unknown) => profiles.select(args && typeof args === 'object' ? (args as { profile?: string | null }) : undefined)),
    vscode.workspace.onDidChangeConfiguration((e) => {
      // The document selector is fixed when the client starts: new globs need a new client.
      if (!e.affectsConfiguration(`${SETTINGS_SECTION}.agentConfigFiles`)) return;
      status.selector = documentSelector(globs()) as vscode.DocumentSelector;
      void restart();
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
    get statusDetail() {
      return status.detail;
    },
    logUri: context.logUri,
    mappings: mappingFeatures,
    get recentOutput() {
      return output.recent;
    },
  };
}

export async function deactivate(): Promise<void> {
  await client?.stop();
  client = undefined;
}
