// The language client and its status item, bundled apart as
// dist/lintClient.js: what the activation gate (extension.ts) loads once a
// document of ours is open, and all it loads then. It starts the language
// server, restarts it (the gate's Restart command lands here) and follows
// the `datadogWif.agentConfigFiles` setting. The commands (login tests, the
// mappings view) are another bundle, loaded only when one runs.
// It holds no rules: everything else asks the server.

import * as vscode from 'vscode';
import { State, type LanguageClient } from 'vscode-languageclient/node';
import { createLanguageClient } from './languageClient';
import { LanguageStatus } from './languageStatus';
import type { RecordingChannel } from './outputRecorder';
import { AGENT_CONFIG_FILES, agentConfigGlobs, documentSelector, isOurDocument } from './ourDocuments';
import type { StartupMarks } from './startupMarks';
import { registerOpenRuleDoc } from './ruleDocs';
import { OrgFactsNotification } from '../../server/src/lsp/protocol';
import { orgFactsOf, readOrgCache } from './org/cache';

let client: LanguageClient | undefined;

export interface LintClientApi {
  /** Undefined until a document of ours is open (or Restart is run). */
  readonly client: LanguageClient | undefined;
  /** The language status item's text and detail (what the file is; its problems). */
  readonly statusText: string;
  readonly statusDetail: string | undefined;
  /** The Restart Language Server command. */
  restart(): Promise<void>;
  /**
   * The language client, starting the server when no document of ours has
   * (the mappings view compares the org with what the workspace declares,
   * which the server reads); undefined when it does not start.
   */
  started(): Promise<LanguageClient | undefined>;
  /** Fires each time a language server is running: started, restarted, or restarted after a crash (what it was told before is gone). */
  readonly onDidStartServer: vscode.Event<void>;
  /** Sends the cached org facts (org/cache.ts) to the server, if it runs; it also gets them each time it (re)starts. */
  sendOrgFacts(): void;
}

export function activateLintClient(context: vscode.ExtensionContext, output: RecordingChannel, marks: StartupMarks): LintClientApi {
  const status = new LanguageStatus(documentSelector(agentConfigGlobs()));
  context.subscriptions.push(status, registerOpenRuleDoc(context));

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

  const started = new vscode.EventEmitter<void>();
  context.subscriptions.push(started);
  const sendOrgFacts = () => {
    const running = client;
    if (!running?.isRunning()) return;
    running.sendNotification(OrgFactsNotification, { orgs: orgFactsOf(readOrgCache(context.globalState)) }).catch((err: unknown) => output.debug(`Sending the org facts: ${err instanceof Error ? err.message : String(err)}`));
  };

  const start = async () => {
    client = createLanguageClient(context, output, crashPolicy);
    client.onDidChangeState((e) => {
      if (e.newState === State.Running) started.fire();
    });
    status.attach(client);
    // Each start, and the language client's own restart after a crash: the new server knows nothing yet.
    client.onDidChangeState((e) => {
      if (e.newState === State.Running) sendOrgFacts();
    });
    marks.serverStartingAt ??= performance.now();
    try {
      await client.start();
      marks.serverReadyAt ??= performance.now();
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

  context.subscriptions.push(
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
    restart: async () => {
      output.info('Restarting the language server.');
      await restart();
    },
    started: async () => {
      await serially(async () => {
        if (!client) await start();
      });
      return client?.isRunning() ? client : undefined;
    },
    onDidStartServer: started.event,
    sendOrgFacts,
  };
}

export async function deactivateLintClient(): Promise<void> {
  await client?.stop();
  client = undefined;
}
