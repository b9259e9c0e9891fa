// The extension's entry point: an activation gate that decides whether the
// rest (extensionMain.ts, bundled apart as dist/extensionMain.js: the
// language client, the cloud core, the AWS SDK) is needed yet.
//
// VS Code has no activation event for a setting, and activating on every YAML
// file (`onLanguage:yaml`, as redhat-developer/vscode-yaml does for its own
// language) was ruled out. So the manifest adds `onStartupFinished` to the
// workspaceContains/onLanguage events, and this gate stays dormant (no
// language server, nothing but this file loaded) until something of ours is
// asked for:
//   - a document of ours is open: a datadog.yaml, a .tf file or the lock
//     file, or one matched by `datadogWif.agentConfigFiles` (ourDocuments.ts),
//     now or later, or once that setting changes to match an open document;
//   - one of our commands runs (each is a stub until then, which loads the
//     rest and runs the real command with the same arguments);
//   - our view is shown (a placeholder provider, replaced on its first call);
//   - another extension or a test reads our API.
// The same split as hashicorp/vscode-terraform, whose activate() reads
// `terraform.languageServer.enable` and registers its commands but starts no
// language server when it is off; here the "setting" is whether anything of
// ours is in sight, and even the commands' code waits for it.

import * as vscode from 'vscode';
import type { DatadogWifApi } from './extensionMain';
import { AGENT_CONFIG_FILES, isOurDocument } from './ourDocuments';

type Main = typeof import('./extensionMain');

/** Our API, plus whether the extension proper is loaded (reading the other fields loads it). */
export interface ExtensionApi extends DatadogWifApi {
  readonly loaded: boolean;
}

interface Contributions {
  commands?: { command: string }[];
  views?: Record<string, { id: string }[]>;
}

let main: Main | undefined;

export function activate(context: vscode.ExtensionContext): ExtensionApi {
  const dormant: vscode.Disposable[] = [];
  let api: DatadogWifApi | undefined;

  const wake = (): DatadogWifApi => {
    if (api) return api;
    // The stubs go first: the extension proper registers the real commands and view under the same ids.
    for (const d of dormant.splice(0)) d.dispose();
    // A separate bundle, kept out of this one by esbuild.mjs (`external`).
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    main = require('./extensionMain.js') as Main;
    api = main.activateAll(context);
    return api;
  };

  if (vscode.workspace.textDocuments.some((d) => isOurDocument(d))) {
    wake();
  } else {
    const contributes = (context.extension.packageJSON as { contributes?: Contributions }).contributes ?? {};
    for (const { command } of contributes.commands ?? []) {
      dormant.push(
        vscode.commands.registerCommand(command, (...args: unknown[]) => {
          wake();
          return vscode.commands.executeCommand(command, ...args);
        }),
      );
    }
    for (const { id } of Object.values(contributes.views ?? {}).flat()) {
      // Asked for children only when the view is visible; answers empty (the welcome content shows) and wakes.
      const placeholder: vscode.TreeDataProvider<never> = {
        getTreeItem: (e: never) => e,
        getChildren: () => {
          setImmediate(wake);
          return [];
        },
      };
      dormant.push(vscode.window.registerTreeDataProvider(id, placeholder));
    }
    dormant.push(
      vscode.workspace.onDidOpenTextDocument((d) => {
        if (isOurDocument(d)) wake();
      }),
      vscode.workspace.onDidChangeConfiguration((e) => {
        if (e.affectsConfiguration(AGENT_CONFIG_FILES) && vscode.workspace.textDocuments.some((d) => isOurDocument(d))) wake();
      }),
    );
    context.subscriptions.push({ dispose: () => dormant.splice(0).forEach((d) => d.dispose()) });
  }

  return {
    get loaded() {
      return api !== undefined;
    },
    get client() {
      return wake().client;
    },
    get statusText() {
      return wake().statusText;
    },
    get statusDetail() {
      return wake().statusDetail;
    },
    logUri: context.logUri,
    get recentOutput() {
      return wake().recentOutput;
    },
    get mappings() {
      return wake().mappings;
    },
  };
}

export async function deactivate(): Promise<void> {
  await main?.deactivateAll();
}
