// The extension's entry point: an activation gate that loads each part of
// the extension when, and only when, it is needed. Three bundles
// (esbuild.mjs):
//   - dist/extension.js, this gate (package.json "main"): the command stubs,
//     the view's placeholder, the output channel; all that is loaded in a
//     workspace with nothing of ours;
//   - dist/lintClient.js (lintClient.ts): the language client and the status
//     item, loaded once a document of ours is open: a datadog.yaml, a .tf
//     file or the lock file, one matched by `datadogWif.agentConfigFiles`, or
//     a YAML/JSON file whose text the server's cheap sniff accepts (an
//     Agent's environment: ourDocuments.ts), now or later, or once that
//     setting changes to match an open document; or when Restart Language
//     Server runs. The server then checks the whole workspace
//     (`datadogWif.scope`); it is not started for a workspace that merely
//     contains a .tf file, so a window with nothing of ours open costs
//     nothing;
//   - dist/cloudCommands.js (cloudCommands.ts): the commands that talk to AWS
//     and Datadog, with the cloud core and the AWS SDK, and the Workload
//     Identity Federation view; loaded when one of those commands runs (each
//     is a stub until then, which loads the bundle and runs the real command
//     with the same arguments) or the view is shown (a placeholder provider,
//     replaced on its first call). Opening a datadog.yaml never loads it.
// Another extension or a test reading our API loads the part it reads.
//
// VS Code has no activation event for a setting, and activating on every YAML
// file (`onLanguage:yaml`, as redhat-developer/vscode-yaml does for its own
// language) was ruled out. So the manifest adds `onStartupFinished` to the
// workspaceContains/onLanguage events, and this gate stays dormant until
// something of ours is asked for. The same split as hashicorp/vscode-terraform,
// whose activate() reads `terraform.languageServer.enable` and registers its
// commands but starts no language server when it is off; here the "setting"
// is whether anything of ours is in sight, and even the commands' code waits
// until one runs.

import * as vscode from 'vscode';
import type { LanguageClient } from 'vscode-languageclient/node';
import type { CommandsApi } from './cloudCommands';
import type { LintClientApi } from './lintClient';
import type { MappingFeatures } from './mappings/register';
import { credentialEntries, HAS_CREDENTIALS_CONTEXT } from './mappings/credentialEntries';
import { CHANNEL_NAME, recordingChannel, type RecordingChannel } from './outputRecorder';
import { AGENT_CONFIG_FILES, isOurDocument } from './ourDocuments';
import type { StartupMarks } from './startupMarks';

type LintClientBundle = typeof import('./lintClient');
type CloudCommandsBundle = typeof import('./cloudCommands');

/** What tests (and other extensions) may ask of us; each field loads the part of the extension it needs. */
export interface ExtensionApi {
  /** Whether anything beyond this gate is loaded (reading the fields below loads it). */
  readonly loaded: boolean;
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
  /** When the start-up steps happened (for the real-VS-Code suite's cold-start measure). */
  readonly startup: StartupMarks;
}

interface Contributions {
  commands?: { command: string }[];
  views?: Record<string, { id: string }[]>;
}

let lintClientBundle: LintClientBundle | undefined;

export function activate(context: vscode.ExtensionContext): ExtensionApi {
  const marks: StartupMarks = {};
  let channel: RecordingChannel | undefined;
  const output = (): RecordingChannel => {
    if (!channel) {
      channel = recordingChannel(vscode.window.createOutputChannel(CHANNEL_NAME, { log: true }));
      context.subscriptions.push(channel);
    }
    return channel;
  };

  // Until the language client is loaded: what would need it.
  const documentWatchers: vscode.Disposable[] = [];
  let lint: LintClientApi | undefined;
  const loadLintClient = (): LintClientApi => {
    if (lint) return lint;
    for (const d of documentWatchers.splice(0)) d.dispose();
    marks.wokeAt ??= performance.now();
    // A separate bundle, kept out of this one by esbuild.mjs (`external`).
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    lintClientBundle = require('./lintClient.js') as LintClientBundle;
    lint = lintClientBundle.activateLintClient(context, output(), marks);
    marks.clientLoadedAt ??= performance.now();
    startLive();
    return lint;
  };

  // `datadogWif.live` (opt-in): once the language client runs, the cloud commands' bundle feeds it the
  // org's mappings (client/src/org/live.ts). Only then is that bundle loaded for it, and only in a trusted workspace.
  const startLive = () => {
    if (!lint || !vscode.workspace.isTrusted || vscode.workspace.getConfiguration('datadogWif').get<boolean>('live', false) !== true) return;
    loadCloudCommands().startLive(lint);
  };
  context.subscriptions.push(
    vscode.workspace.onDidChangeConfiguration((e) => {
      if (e.affectsConfiguration('datadogWif.live')) startLive();
    }),
    vscode.workspace.onDidGrantWorkspaceTrust(() => startLive()),
  );

  // Until the cloud commands are loaded: their stubs and the view's placeholder.
  const cloudStubs: vscode.Disposable[] = [];
  let cloud: CommandsApi | undefined;
  const loadCloudCommands = (): CommandsApi => {
    if (cloud) return cloud;
    // The stubs go first: the bundle registers the real commands and view under the same ids.
    for (const d of cloudStubs.splice(0)) d.dispose();
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    const bundle = require('./cloudCommands.js') as CloudCommandsBundle;
    // The mappings view asks the language server how the org compares with the workspace.
    cloud = bundle.activateCommands(context, output(), { languageClient: () => loadLintClient().started() });
    // What it learns of the orgs goes to the server as soon as it changes (the server also gets the cache when it starts).
    context.subscriptions.push(cloud.org.onDidChange(() => lint?.sendOrgFacts()));
    return cloud;
  };

  // Light enough to answer here: Restart needs the language client only, Show Logs nothing.
  const own: Record<string, (...args: unknown[]) => unknown> = {
    'datadogWif.restartServer': () => loadLintClient().restart(),
    'datadogWif.showLogs': () => output().show(),
  };
  const contributes = (context.extension.packageJSON as { contributes?: Contributions }).contributes ?? {};
  for (const { command } of contributes.commands ?? []) {
    const handler = own[command];
    if (handler) {
      context.subscriptions.push(vscode.commands.registerCommand(command, handler));
      continue;
    }
    cloudStubs.push(
      vscode.commands.registerCommand(command, (...args: unknown[]) => {
        loadCloudCommands();
        return vscode.commands.executeCommand(command, ...args);
      }),
    );
  }
  for (const { id } of Object.values(contributes.views ?? {}).flat()) {
    // Asked for children only when the view is visible; answers empty (the welcome content shows) and loads the real one.
    const placeholder: vscode.TreeDataProvider<never> = {
      getTreeItem: (e: never) => e,
      getChildren: () => {
        setImmediate(loadCloudCommands);
        return [];
      },
    };
    cloudStubs.push(vscode.window.registerTreeDataProvider(id, placeholder));
  }
  context.subscriptions.push({ dispose: () => cloudStubs.splice(0).forEach((d) => d.dispose()) });
  // The menus and the view's welcome depend on stored keys before the mapping features load.
  void vscode.commands.executeCommand('setContext', HAS_CREDENTIALS_CONTEXT, credentialEntries(context.globalState).length > 0);

  if (vscode.workspace.textDocuments.some((d) => isOurDocument(d))) {
    loadLintClient();
  } else {
    documentWatchers.push(
      vscode.workspace.onDidOpenTextDocument((d) => {
        if (isOurDocument(d)) loadLintClient();
      }),
      vscode.workspace.onDidChangeConfiguration((e) => {
        if (e.affectsConfiguration(AGENT_CONFIG_FILES) && vscode.workspace.textDocuments.some((d) => isOurDocument(d))) loadLintClient();
      }),
    );
    context.subscriptions.push({ dispose: () => documentWatchers.splice(0).forEach((d) => d.dispose()) });
  }

  return {
    get loaded() {
      return lint !== undefined || cloud !== undefined;
    },
    get client() {
      return loadLintClient().client;
    },
    get statusText() {
      return loadLintClient().statusText;
    },
    get statusDetail() {
      return loadLintClient().statusDetail;
    },
    logUri: context.logUri,
    get recentOutput() {
      return output().recent;
    },
    get mappings() {
      return loadCloudCommands().mappings;
    },
    startup: marks,
  };
}

export async function deactivate(): Promise<void> {
  await lintClientBundle?.deactivateLintClient();
}
