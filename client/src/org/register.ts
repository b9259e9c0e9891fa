// Wires the org learner (learner.ts) into VS Code: it learns when the cloud
// commands load, when credentials change, when trust is granted and when the
// API settings change; Refresh reaches it through the mapping features.

import * as vscode from 'vscode';
import { affectsMappings, mappingSettings } from '../mappings/config';
import type { CredentialStore } from '../mappings/secrets';
import { OrgFactsLearner } from './learner';

export function registerOrgFacts(context: vscode.ExtensionContext, store: CredentialStore, output: vscode.LogOutputChannel): OrgFactsLearner {
  const learner = new OrgFactsLearner({
    state: context.globalState,
    store,
    log: output,
    settings: () => {
      const s = mappingSettings();
      return { allowedHosts: s.allowedHosts, timeoutMs: s.timeoutMs };
    },
    isTrusted: () => vscode.workspace.isTrusted,
  });
  context.subscriptions.push(
    learner,
    store.onDidChange((site) => void learner.refresh(site)),
    vscode.workspace.onDidGrantWorkspaceTrust(() => void learner.refresh()),
    vscode.workspace.onDidChangeConfiguration((e) => {
      if (affectsMappings(e)) void learner.refresh();
    }),
  );
  void learner.refresh();
  return learner;
}
