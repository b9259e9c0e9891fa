// "Export Mappings as Terraform…" (palette, view title, a site's menu) and
// "Export to Terraform" (on a mapping the workspace does not declare): the
// org's mappings as `datadog_aws_wif_*_mapping` resources, each with the
// `import` block that makes `terraform plan` adopt it instead of creating a
// duplicate. The Terraform text is the service's exportTerraform (pure, the
// same as `dd-wif mappings export`), imported here rather than asked of the
// language server: exporting needs no workspace, so it works with no file of
// ours open and no server running, and the module is a few KB of the cloud
// commands' bundle (never the activation gate's).
//
// One mapping goes to a new untitled document, not into a file of the
// workspace: Terraform accepts `import` blocks in the root module only, and
// which folder is the root module that manages this org is the user's call;
// nothing is written to the disk before they choose (Save As).

import * as vscode from 'vscode';
import { exportTerraform } from '../../../server/src/service/orgSync/exportTerraform';
import { displayText } from '../../../server/src/shared/terminalText';
import { MAPPING_KINDS, toOrgMapping } from '../../../server/src/cloud/mappingTypes';
import type { CredentialStore } from './secrets';
import { KIND_LABEL, KIND_TITLE, toProblem, type Mapping, type MappingKind, type MappingsService, type Problem } from './service';
import { patternOf, type MappingNode } from './tree';

/** The file the save dialog proposes, in the first workspace folder. */
export const DEFAULT_EXPORT_FILE = 'datadog_wif_mappings.tf';

export type ExportResult =
  | { ok: true; site: string; kinds: MappingKind[]; count: number; uri: string }
  | { ok: false; code: 'untrusted' | 'no-credentials' | 'no-mappings' | 'api' | 'write'; message: string; nextStep?: string };

export interface ExportDeps {
  store: CredentialStore;
  service: MappingsService;
  output: vscode.LogOutputChannel;
}

/** Scripted use (tests, other commands): `{ site, kinds, uri }` skip the pickers and the dialog; `open: false` leaves the file closed. */
interface ExportArgs {
  site?: string;
  kinds?: MappingKind[];
  uri?: vscode.Uri;
  open?: boolean;
}

function exportArgs(arg: unknown): ExportArgs {
  if (!arg || typeof arg !== 'object' || Array.isArray(arg)) return {};
  const a = arg as Record<string, unknown>;
  const kinds = Array.isArray(a.kinds) ? MAPPING_KINDS.filter((k) => (a.kinds as unknown[]).includes(k)) : undefined;
  const uri = a.uri instanceof vscode.Uri ? a.uri : typeof a.uri === 'string' ? vscode.Uri.parse(a.uri) : undefined;
  return { ...(typeof a.site === 'string' ? { site: a.site } : {}), ...(kinds ? { kinds } : {}), ...(uri ? { uri } : {}), ...(a.open === false ? { open: false } : {}) };
}

function untrusted(what: string): ExportResult {
  const message = `${what} lists the org's mappings with your Datadog keys: trust this workspace first.`;
  void vscode.window.showWarningMessage(message, 'Manage Workspace Trust').then((c) => c && vscode.commands.executeCommand('workbench.trust.manage'));
  return { ok: false, code: 'untrusted', message };
}

/** A failure shown as the other mapping commands show theirs: the message, the next step, its command as a button. */
function showProblem(prefix: string, problem: Problem): void {
  const actions = problem.action ? [problem.action.title] : [];
  void vscode.window.showErrorMessage(`Datadog WIF: ${prefix} ${problem.message}${problem.nextStep ? ` Next: ${problem.nextStep}` : ''}`, ...actions).then((choice) => {
    if (choice && problem.action) void vscode.commands.executeCommand(problem.action.command, ...(problem.action.arguments ?? []));
  });
}

async function pickKinds(site: string): Promise<MappingKind[] | undefined> {
  const items = MAPPING_KINDS.map((mappingKind) => ({ label: KIND_TITLE[mappingKind], mappingKind, picked: true }));
  const picked = await vscode.window.showQuickPick(items, { title: `Datadog WIF: Export Mappings of ${site} as Terraform`, placeHolder: 'The kinds of mapping to export', canPickMany: true });
  return picked?.length ? picked.map((p) => p.mappingKind) : undefined;
}

function defaultTarget(): vscode.Uri | undefined {
  const folder = vscode.workspace.workspaceFolders?.[0];
  return folder ? vscode.Uri.joinPath(folder.uri, DEFAULT_EXPORT_FILE) : undefined;
}

export async function exportMappingsAsTerraform(deps: ExportDeps, arg?: unknown): Promise<ExportResult | undefined> {
  if (!vscode.workspace.isTrusted) return untrusted('Exporting mappings');
  const args = exportArgs(arg);
  const sites = deps.store.sites();
  if (sites.length === 0) {
    const message = 'No Datadog API keys are stored, so there are no mappings to export.';
    void vscode.window.showInformationMessage(`Datadog WIF: ${message}`, 'Set API Keys').then((c) => c && vscode.commands.executeCommand('datadogWif.setApiKeys'));
    return { ok: false, code: 'no-credentials', message };
  }
  const site = args.site ?? (sites.length === 1 ? sites[0] : await vscode.window.showQuickPick(sites, { title: 'Datadog WIF: Export Mappings as Terraform', placeHolder: 'The site whose mappings to export' }));
  if (!site) return undefined;
  const kinds = args.kinds ?? (await pickKinds(site));
  if (!kinds?.length) return undefined;

  let mappings: Mapping[];
  try {
    // Listed afresh, not from the view: the file must hold what the org has now.
    mappings = await vscode.window.withProgress({ location: vscode.ProgressLocation.Notification, title: `Datadog WIF: listing the mappings of ${site}…`, cancellable: true }, async (_progress, token) => {
      const abort = new AbortController();
      const cancel = token.onCancellationRequested(() => abort.abort());
      try {
        const lists = await Promise.all(kinds.map((kind) => deps.service.list(site, kind, abort.signal)));
        return lists.flat();
      } finally {
        cancel.dispose();
      }
    });
  } catch (err) {
    const problem = toProblem(err, site);
    if (problem.cancelled) return undefined;
    showProblem(`could not list the mappings of ${site}.`, problem);
    return { ok: false, code: 'api', message: problem.message, ...(problem.nextStep ? { nextStep: problem.nextStep } : {}) };
  }
  if (mappings.length === 0) {
    const message = `${site} has no ${kinds.map((k) => `${KIND_LABEL[k]}s`).join(' or ')}: nothing to export.`;
    void vscode.window.showInformationMessage(`Datadog WIF: ${message}`);
    return { ok: false, code: 'no-mappings', message };
  }

  const target =
    args.uri ??
    (await vscode.window.showSaveDialog({
      title: `Datadog WIF: Export ${mappings.length} Mapping${mappings.length === 1 ? '' : 's'} of ${site} as Terraform`,
      saveLabel: 'Export',
      filters: { Terraform: ['tf'] },
      ...(defaultTarget() ? { defaultUri: defaultTarget() } : {}),
    }));
  if (!target) return undefined;
  const text = exportTerraform(mappings.map(toOrgMapping));
  try {
    await vscode.workspace.fs.writeFile(target, new TextEncoder().encode(text));
  } catch (err) {
    const message = `could not write ${displayText(target.fsPath || target.toString())}: ${displayText(err instanceof Error ? err.message : String(err))}`;
    void vscode.window.showErrorMessage(`Datadog WIF: ${message}`);
    return { ok: false, code: 'write', message };
  }
  const where = displayText(vscode.workspace.asRelativePath(target));
  deps.output.info(`Exported ${mappings.length} mapping${mappings.length === 1 ? '' : 's'} of ${site} as Terraform to ${where}.`);
  if (args.open !== false) await vscode.window.showTextDocument(target, { preview: false });
  void vscode.window.showInformationMessage(`Datadog WIF: exported ${mappings.length} mapping${mappings.length === 1 ? '' : 's'} of ${site} to ${where}. Put the file in the root module that manages this org: \`terraform plan\` then adopts them (import blocks) instead of creating duplicates.`);
  return { ok: true, site, kinds, count: mappings.length, uri: target.toString() };
}

function isMappingNode(v: unknown): v is MappingNode {
  const n = v as MappingNode | undefined;
  return !!n && n.type === 'mapping' && typeof n.site === 'string' && (n.kind === 'identity' || n.kind === 'intake') && typeof n.mapping?.arnPattern === 'string';
}

/** The language id of the untitled document: Terraform's when an extension provides it. */
async function terraformLanguage(): Promise<string> {
  return (await vscode.languages.getLanguages()).includes('terraform') ? 'terraform' : 'plaintext';
}

/**
 * "Export to Terraform" on one mapping of the view: its resource and import
 * block in a new untitled document, named apart from the mapping resources the
 * workspace declares (`taken`), as the text is meant to be pasted among them.
 */
export async function exportMappingToTerraform(node: unknown, taken: (site: string) => readonly string[] = () => []): Promise<{ ok: true; document: vscode.TextDocument } | { ok: false; message: string } | undefined> {
  if (!isMappingNode(node)) return undefined;
  const text = exportTerraform([toOrgMapping(node.mapping)], { taken: taken(node.site) });
  const document = await vscode.workspace.openTextDocument({ language: await terraformLanguage(), content: text });
  await vscode.window.showTextDocument(document, { preview: false });
  vscode.window.setStatusBarMessage(`Datadog WIF: ${patternOf(node.mapping)} as Terraform; save it in the root module that manages ${node.site}`, 5000);
  return { ok: true, document };
}
