// The extension proper, loaded by the activation gate (extension.ts) once it
// is needed: registers the commands, the mappings view and the status item,
// and starts the language server when the first document of ours is open.
// It holds no rules: everything else asks the server.

import * as vscode from 'vscode';
import type { LanguageClient } from 'vscode-languageclient/node';
import { CLIENT_NAME, createLanguageClient } from './languageClient';
import { LanguageStatus } from './languageStatus';
import { AwsProfiles } from './awsProfile';
import { runTestLogin } from './commands/testLogin';
import { showCallerIdentity } from './commands/callerIdentity';
import { recordingChannel } from './outputRecorder';
import { registerMappingFeatures, type MappingFeatures } from './mappings/register';
import { AGENT_CONFIG_FILES, agentConfigGlobs, documentSelector, isOurDocument } from './ourDocuments';

let client: LanguageClient | undefined;

/** What tests (and other extensions) may ask of us. */
export interface DatadogWifApi {
  /** Undefined until a document of ours is open (or Restart is run). */
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

export function activateAll(context: vscode.ExtensionContext): DatadogWifApi {
  const output = recordingChannel(vscode.window.createOutputChannel(CLIENT_NAME, { log: true }));
  context.subscriptions.push(output);
  const status = new LanguageStatus(documentSelector(agentConfigGlobs()));
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

  // Starts and stops one at a time: a document opened during a restart must not start a second server.
  let lifecycle: Promise<void> = Promise.resolve();
  const serially = (step: () => Promise<void>): Promise<void> => (lifecycle = lifecycle.then(step, step));

  const restart = () =>
    serially(async () => {
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
    });

  /** The server runs once a document of ours is open: the commands and the view do not need it. */
  const startIfNeeded = () => {
    if (client || !vscode.workspace.textDocuments.some((d) => isOurDocument(d))) return;
    void serially(async () => {
      if (!client) await start();
    });
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
    vscode.workspace.onDidOpenTextDocument((d) => {
      if (!client && isOurDocument(d)) startIfNeeded();
    }),
    vscode.workspace.onDidChangeConfiguration((e) => {
      // The document selector is fixed when the client starts: new globs need a new client.
      if (!e.affectsConfiguration(AGENT_CONFIG_FILES)) return;
      status.selector = documentSelector(agentConfigGlobs());
      if (client) void restart();
      else startIfNeeded();
    }),
    { dispose: () => void client?.stop() },
  );

  startIfNeeded();
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

export async function deactivateAll(): Promise<void> {
  await client?.stop();
  client = undefined;
}
