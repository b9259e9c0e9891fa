// "Delete Mapping": from the tree (the item is the argument) or the palette (a
// pick of the site's mappings). A modal confirmation names the pattern, its
// kind and what stops working; `{ confirm: true }` skips it for tests.

import * as vscode from 'vscode';
import type { CredentialStore } from './secrets';
import { KIND_LABEL, toProblem, type Mapping, type MappingKind, type MappingsService } from './service';
import { displayText } from '../../../server/src/shared/terminalText';
import { patternOf, targetOf, type MappingNode, type MappingsTreeProvider } from './tree';

export type DeleteMappingResult = { ok: true; site: string; kind: MappingKind; mapping: Mapping } | { ok: false; code: 'untrusted' | 'no-mapping' | 'api'; message: string; nextStep?: string };

export interface DeleteMappingDeps {
  store: CredentialStore;
  service: MappingsService;
  tree: MappingsTreeProvider;
  output: vscode.LogOutputChannel;
}

function isMappingNode(v: unknown): v is MappingNode {
  const n = v as MappingNode | undefined;
  return !!n && n.type === 'mapping' && typeof n.site === 'string' && (n.kind === 'identity' || n.kind === 'intake') && typeof n.mapping?.id === 'string';
}

/** `{ confirm: true }` in any argument position: the tree passes (item), a test (item, { confirm: true }). */
function confirmedByArgs(args: unknown[]): boolean {
  return args.some((a) => !!a && typeof a === 'object' && !Array.isArray(a) && (a as { confirm?: unknown }).confirm === true);
}

interface MappingItem extends vscode.QuickPickItem {
  /** Undefined on the separators between kinds. */
  node?: MappingNode;
}

/** The palette path: pick a site (when several), then one of its mappings. */
async function pickMapping(deps: DeleteMappingDeps): Promise<MappingNode | undefined> {
  const sites = deps.store.sites();
  if (sites.length === 0) {
    void vscode.window.showInformationMessage('Datadog WIF: no Datadog API keys are stored, so there are no mappings to delete.', 'Set API Keys').then((c) => c && vscode.commands.executeCommand('datadogWif.setApiKeys'));
    return undefined;
  }
  const site = sites.length === 1 ? sites[0] : (await vscode.window.showQuickPick(sites, { title: 'Datadog WIF: Delete Mapping', placeHolder: 'The site whose mapping to delete' }));
  if (!site) return undefined;
  const items: MappingItem[] = [];
  try {
    for (const kind of ['identity', 'intake'] as const) {
      const list = await deps.tree.mappings(site, kind);
      if (list.length) items.push({ label: `${KIND_LABEL[kind]}s`, kind: vscode.QuickPickItemKind.Separator });
      for (const mapping of list) items.push({ label: patternOf(mapping), description: targetOf(kind, mapping), node: { type: 'mapping', site, kind, mapping } });
    }
  } catch (err) {
    const problem = toProblem(err, site);
    void vscode.window.showErrorMessage(`Datadog WIF: could not list the mappings of ${site}. ${problem.message}${problem.nextStep ? ` Next: ${problem.nextStep}` : ''}`);
    return undefined;
  }
  if (!items.length) {
    void vscode.window.showInformationMessage(`Datadog WIF: ${site} has no mappings.`);
    return undefined;
  }
  return (await vscode.window.showQuickPick(items, { title: 'Datadog WIF: Delete Mapping', placeHolder: 'The mapping to delete', matchOnDescription: true }))?.node;
}

export async function deleteMapping(deps: DeleteMappingDeps, ...args: unknown[]): Promise<DeleteMappingResult | undefined> {
  if (!vscode.workspace.isTrusted) {
    const message = 'Deleting a mapping sends your Datadog keys: trust this workspace first.';
    void vscode.window.showWarningMessage(message, 'Manage Workspace Trust').then((c) => c && vscode.commands.executeCommand('workbench.trust.manage'));
    return { ok: false, code: 'untrusted', message };
  }
  const node = args.find(isMappingNode) ?? (await pickMapping(deps));
  if (!node) return undefined;
  const { site, kind, mapping } = node;
  const label = KIND_LABEL[kind];
  // What the server sent, escaped: the confirmation must say what it deletes, nothing the server wrote over it.
  const pattern = patternOf(mapping);

  if (!confirmedByArgs(args)) {
    const consequence =
      kind === 'identity'
        ? `AWS callers matching it will no longer log in as ${targetOf(kind, mapping)} (Terraform, API clients).`
        : "Agents whose AWS identity matches it will no longer fetch the managed API key (they fall back to the api_key in datadog.yaml, if any).";
    const answer = await vscode.window.showWarningMessage(
      `Delete the ${label} ${pattern}?`,
      { modal: true, detail: `On ${site}. ${consequence} There is no undo: re-create it to restore it. Changes can take several minutes to affect authentication.` },
      'Delete',
    );
    if (answer !== 'Delete') return undefined;
  }

  try {
    await vscode.window.withProgress({ location: vscode.ProgressLocation.Notification, title: `Datadog WIF: deleting the ${label} ${pattern}…` }, () => deps.service.delete(site, kind, mapping.id));
  } catch (err) {
    const problem = toProblem(err, site);
    deps.tree.refresh(site);
    // Already gone (someone else deleted it): what the user wanted.
    if (problem.status !== 404) {
      const actions = problem.action ? [problem.action.title] : [];
      void vscode.window.showErrorMessage(`Datadog WIF: could not delete the ${label} ${pattern}. ${problem.message}${problem.nextStep ? ` Next: ${problem.nextStep}` : ''}`, ...actions).then((choice) => {
        if (choice && problem.action) void vscode.commands.executeCommand(problem.action.command, ...(problem.action.arguments ?? []));
      });
      return { ok: false, code: 'api', message: problem.message, ...(problem.nextStep ? { nextStep: problem.nextStep } : {}) };
    }
  }
  deps.tree.refresh(site);
  deps.output.info(`Deleted the ${label} ${pattern} (id ${displayText(mapping.id)}) on ${site}.`);
  void vscode.window.showInformationMessage(`Datadog WIF: deleted the ${label} ${pattern} on ${site}. Changes can take several minutes to affect authentication.`);
  return { ok: true, site, kind, mapping };
}
