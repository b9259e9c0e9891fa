// The mapping features in real VS Code against the local emulator (started by
// run-vscode.mjs, which points `datadogWif.apiUrl` at it and gives the
// extension host the mapped test role's fake AWS keys): keys in SecretStorage,
// the "Workload Identity Federation" tree, Create / Delete through the
// commands (scripted and through the real quick input), errors shown in the
// view, "Why Can't I Log In?", and credentials bound to the API base URL they
// were stored for (never sent to another one).
import * as assert from 'assert';
import * as fs from 'fs';
import * as http from 'http';
import * as os from 'os';
import * as path from 'path';
import type { AddressInfo } from 'net';
import * as vscode from 'vscode';
import { DEFAULT_PATTERN, EMULATOR_API_KEYS, TEST_IDENTITIES } from '../../../emulator/src/identities';
import { requestScreenshot } from './index';
import { emulatorControl as control, waitFor, workspaceUri } from './util';

const EXTENSION_ID = 'datadog-wif.datadog-wif';
const SITE = 'datadoghq.com';
const EMULATOR = process.env.E2E_EMULATOR_API_URL;
/** The base URL the emulator's credentials are bound to (the site's own would be https://api.datadoghq.com). */
const EMULATOR_ORIGIN = EMULATOR ? new URL(EMULATOR).origin : '';
const DEPLOY_PATTERN = 'arn:aws:sts::123456789012:assumed-role/deploy/*';

/** What the suite needs of the extension's API (typed here so the test does not import the bundle). */
interface TreeNode {
  type: 'site' | 'group' | 'mapping' | 'codeOnly' | 'declared' | 'message';
  site: string;
  declared?: { pattern?: string; path: string; line: number; kind: 'identity' | 'intake' };
  kind?: 'identity' | 'intake';
  severity?: string;
  label?: string;
  command?: vscode.Command;
  mapping?: { id: string; arnPattern: string; accountIdentifier?: string };
}
interface MappingsApi {
  tree: {
    getChildren(node?: TreeNode): Promise<TreeNode[]>;
    getTreeItem(node: TreeNode): vscode.TreeItem;
    refresh(site?: string): void;
  };
  store: {
    setToken(site: string, token: string, expiresAt: Date | number): Promise<void>;
    credentials(site: string): Promise<{ kind: 'keys' | 'bearer' } | undefined>;
    token(site: string): Promise<{ token: string; expiresAt: number } | undefined>;
  };
}
interface EmulatorState {
  identityMappings: { id: string; attributes: { arn_pattern: string; account_identifier?: string } }[];
  intakeMappings: { id: string; attributes: { arn_pattern: string } }[];
  requests: { server: string; method: string; path: string; status: number }[];
}

const emulatorState = () => control('GET', 'state') as Promise<EmulatorState>;

const descriptionOf = (api: MappingsApi, node: TreeNode) => String(api.tree.getTreeItem(node).description ?? '');

/** The 1-based line of org-sync/wif.tf that declares the emulator's default identity mapping's pattern. */
const DECLARING_LINE = () => fs.readFileSync(workspaceUri('org-sync', 'wif.tf').fsPath, 'utf8').split('\n').findIndex((l) => l.includes(`"${DEFAULT_PATTERN}"`)) + 1;

const labelOf = (api: MappingsApi, node: TreeNode) => {
  const label = api.tree.getTreeItem(node).label;
  return typeof label === 'string' ? label : label?.label ?? '';
};

/** The whole tree below the roots, flattened: what a user would see with everything expanded. */
async function flatten(api: MappingsApi, node?: TreeNode): Promise<TreeNode[]> {
  const children = await api.tree.getChildren(node);
  const out: TreeNode[] = [];
  for (const c of children) out.push(c, ...(await flatten(api, c)));
  return out;
}

async function mappingNodes(api: MappingsApi, kind: 'identity' | 'intake'): Promise<TreeNode[]> {
  return (await flatten(api)).filter((n) => n.type === 'mapping' && n.kind === kind);
}

async function waitForTree(api: MappingsApi, what: string, probe: (nodes: TreeNode[]) => boolean, ms = 15_000): Promise<TreeNode[]> {
  return waitFor(what, async () => {
    const nodes = await flatten(api);
    return probe(nodes) ? nodes : undefined;
  }, ms, 200);
}

/** The runner shoots when it reads the request: give the view time to redraw first. */
async function settleThenScreenshot(name: string): Promise<void> {
  await new Promise((r) => setTimeout(r, 1500));
  await requestScreenshot(name);
}

/** Sets a user setting of ours; returns what puts the previous value back. */
async function setUserSetting(name: string, value: unknown): Promise<() => Promise<void>> {
  const config = vscode.workspace.getConfiguration('datadogWif');
  const previous = config.inspect(name)?.globalValue;
  await config.update(name, value, vscode.ConfigurationTarget.Global);
  return async () => {
    await vscode.workspace.getConfiguration('datadogWif').update(name, previous, vscode.ConfigurationTarget.Global);
  };
}

suite('mappings', function () {
  let api: MappingsApi;
  let recentOutput: () => readonly string[] = () => [];

  suiteSetup(async function () {
    if (!EMULATOR) {
      console.log('[suite] mappings: E2E_EMULATOR_API_URL is not set (the runner starts the emulator): skipped');
      this.skip();
    }
    const extension = vscode.extensions.getExtension(EXTENSION_ID);
    assert.ok(extension, `extension ${EXTENSION_ID} is not loaded`);
    const exports = (await extension.activate()) as { mappings?: MappingsApi } | undefined;
    assert.ok(exports?.mappings, "the extension's API has no `mappings` (registerMappingFeatures is not wired into activate)");
    api = exports.mappings;
    recentOutput = () => (exports as { recentOutput?: readonly string[] }).recentOutput ?? [];
    await control('POST', 'reset');
    await vscode.commands.executeCommand('datadogWif.clearApiKeys', { site: SITE, confirm: true });
  });

  suiteTeardown(async () => {
    if (!EMULATOR) return;
    await control('DELETE', 'faults').catch(() => undefined);
    await vscode.commands.executeCommand('datadogWif.clearApiKeys', { site: SITE, confirm: true });
  });

  test('without keys the view is empty (its welcome view offers Set API Keys) and Create says what to do', async () => {
    assert.deepStrictEqual(await api.tree.getChildren(), []);
    const result = (await vscode.commands.executeCommand('datadogWif.createIdentityMapping', { pattern: DEPLOY_PATTERN, account: 'deploy@example.com', site: SITE, confirm: true })) as { ok: boolean; code?: string };
    assert.deepStrictEqual([result.ok, result.code], [false, 'no-credentials']);
    await vscode.commands.executeCommand('datadogWif.mappings.focus');
    await settleThenScreenshot('mappings-welcome');
  });

  test('Set API Keys keeps the keys per site; the tree lists both kinds of mapping, never showing a key', async () => {
    const { apiKey, appKey } = EMULATOR_API_KEYS.readWrite;
    const set = (await vscode.commands.executeCommand('datadogWif.setApiKeys', { site: SITE, apiKey, appKey })) as { ok: boolean; site: string };
    assert.deepStrictEqual(set, { ok: true, site: SITE });
    // Settings never hold a key.
    assert.ok(!JSON.stringify(vscode.workspace.getConfiguration('datadogWif')).includes(apiKey));

    const nodes = await waitForTree(api, 'both default mappings', (n) => n.filter((x) => x.type === 'mapping').length === 2);
    const [site] = await api.tree.getChildren();
    const siteItem = api.tree.getTreeItem(site);
    assert.strictEqual(siteItem.label, SITE);
    // The entry says which API it talks to: the emulator, from datadogWif.apiUrl.
    assert.strictEqual(siteItem.description, `API key …a001 via ${EMULATOR_ORIGIN}`);
    assert.match(String(siteItem.tooltip), /API key …a001, application key …a001/);
    for (const n of nodes) {
      const item = api.tree.getTreeItem(n);
      assert.ok(!JSON.stringify({ label: item.label, description: item.description, tooltip: item.tooltip }).includes(apiKey.slice(0, 20)), 'a tree item shows a key');
    }
    const groups = nodes.filter((n) => n.type === 'group').map((n) => labelOf(api, n));
    assert.deepStrictEqual(groups, ['Identity mappings', 'Intake mappings']);
    const identity = await mappingNodes(api, 'identity');
    assert.deepStrictEqual(identity.map((n) => labelOf(api, n)), [DEFAULT_PATTERN]);
    // The target first; the comparison with the workspace may have added its mark after it (the next test).
    assert.ok(String(api.tree.getTreeItem(identity[0]).description).startsWith('→ terraform@example.com'), String(api.tree.getTreeItem(identity[0]).description));
    assert.match(String(api.tree.getTreeItem(identity[0]).contextValue), /^datadogWif\.mapping\.identity$/);

    await settleThenScreenshot('mappings-view');
  });

  test('each mapping is marked against the workspace: "declared in org-sync/wif.tf:N" (opens it), "not in code" (Export to Terraform on it); the code-only ones listed under the site', async () => {
    // org-sync/wif.tf declares the emulator's default identity mapping; nothing declares its intake mapping;
    // role-not-mapped/terraform/mappings.tf declares an intake mapping the org does not have.
    const line = DECLARING_LINE();
    const nodes = await waitForTree(api, 'the marks', (n) => n.some((x) => x.type === 'mapping' && x.kind === 'identity' && descriptionOf(api, x).includes('declared in')) && n.some((x) => x.type === 'codeOnly'));
    const identity = nodes.find((x) => x.type === 'mapping' && x.kind === 'identity' && x.mapping?.arnPattern === DEFAULT_PATTERN)!;
    assert.strictEqual(descriptionOf(api, identity), `→ terraform@example.com · declared in org-sync/wif.tf:${line}`);
    const intake = nodes.find((x) => x.type === 'mapping' && x.kind === 'intake' && x.mapping?.arnPattern === DEFAULT_PATTERN)!;
    assert.strictEqual(descriptionOf(api, intake), 'managed API key · not in code');
    // The menus match /^datadogWif\.mapping\./ (Copy, Delete) and Export to Terraform the suffix.
    assert.strictEqual(api.tree.getTreeItem(intake).contextValue, 'datadogWif.mapping.intake.notInCode');
    assert.strictEqual(api.tree.getTreeItem(identity).contextValue, 'datadogWif.mapping.identity');
    // The icons say it too (a long pattern leaves no room for the description in a narrow sidebar).
    assert.deepStrictEqual([identity, intake].map((n) => (api.tree.getTreeItem(n).iconPath as vscode.ThemeIcon).id), ['pass', 'cloud']);

    const codeOnly = nodes.find((x) => x.type === 'codeOnly')!;
    const declared = nodes.filter((x) => x.type === 'declared');
    assert.strictEqual(labelOf(api, codeOnly), `Only in code (${declared.length})`);
    const agents = declared.find((x) => x.declared?.pattern === 'arn:aws:sts::123456789012:assumed-role/datadog-agent/*');
    assert.ok(agents, `the intake mapping of role-not-mapped/terraform/mappings.tf is not listed: ${JSON.stringify(declared.map((x) => x.declared))}`);
    assert.match(descriptionOf(api, agents), /^intake mapping · role-not-mapped\/terraform\/mappings\.tf:\d+$/);
    // The declarations that ARE in the org are not listed as code-only; the deploy role's is not in the org yet.
    assert.ok(!declared.some((x) => x.declared?.pattern === DEFAULT_PATTERN && x.declared.kind === 'identity'));
    assert.ok(declared.some((x) => x.declared?.pattern === DEPLOY_PATTERN && x.declared.kind === 'identity'));

    // Clicking the declared mapping opens its file at its line.
    const open = api.tree.getTreeItem(identity).command!;
    await vscode.commands.executeCommand(open.command, ...(open.arguments ?? []));
    const editor = await waitFor('the declaration in an editor', () => (vscode.window.activeTextEditor?.document.uri.toString() === workspaceUri('org-sync', 'wif.tf').toString() ? vscode.window.activeTextEditor : undefined), 10_000);
    assert.strictEqual(editor.selection.active.line, line - 1);

    // Export to Terraform on the mapping not in code: its resource and import block in a new untitled document.
    const exported = (await vscode.commands.executeCommand('datadogWif.exportMappingToTerraform', intake)) as { ok: boolean; document: vscode.TextDocument };
    assert.ok(exported?.ok);
    const text = exported.document.getText();
    assert.ok(exported.document.isUntitled);
    // org-sync/wif.tf has an intake mapping resource named terraform_runner already: the export is named apart.
    assert.match(text, /resource "datadog_aws_wif_intake_mapping" "terraform_runner_2" \{/);
    assert.match(text, /to = datadog_aws_wif_intake_mapping\.terraform_runner_2\n/);
    assert.ok(text.includes(`"${DEFAULT_PATTERN}"`), text);
    assert.match(text, new RegExp(`import \\{[^}]*id\\s*=\\s*"${intake.mapping!.id}"`), text);
    await vscode.commands.executeCommand('workbench.action.revertAndCloseActiveEditor');
    await vscode.commands.executeCommand('datadogWif.mappings.focus');
    await settleThenScreenshot('mappings-view-drift');
  });

  test('Export Mappings as Terraform… writes every mapping of the site with its import block to the file given; the marks follow the new file, and its deletion', async () => {
    const target = workspaceUri('exported', 'datadog_wif_mappings.tf');
    try {
      // Not opened here: an open document counts as declared until VS Code closes it, which it may do minutes after its tab.
      const result = (await vscode.commands.executeCommand('datadogWif.exportMappingsAsTerraform', { site: SITE, kinds: ['identity', 'intake'], uri: target, open: false })) as { ok: boolean; count: number; uri: string };
      assert.ok(result?.ok, JSON.stringify(result));
      const state = await emulatorState();
      assert.strictEqual(result.count, state.identityMappings.length + state.intakeMappings.length);
      const text = fs.readFileSync(target.fsPath, 'utf8');
      for (const m of [...state.identityMappings, ...state.intakeMappings]) {
        assert.ok(text.includes(`"${m.id}"`), `no import block for ${m.id}:\n${text}`);
        assert.ok(text.includes(`"${m.attributes.arn_pattern}"`), `no resource for ${m.attributes.arn_pattern}`);
      }
      assert.strictEqual((text.match(/^import \{/gm) ?? []).length, result.count);
      assert.strictEqual((text.match(/^resource "datadog_aws_wif_(identity|intake)_mapping"/gm) ?? []).length, result.count);
      // The language server reads the new file (VS Code's watcher tells it) and tells the view: the intake mapping is now declared there.
      await waitForTree(api, 'the intake mapping declared in the exported file', (n) => n.some((x) => x.type === 'mapping' && x.kind === 'intake' && descriptionOf(api, x).includes('declared in exported/datadog_wif_mappings.tf:')), 45_000);
    } finally {
      fs.rmSync(vscode.Uri.joinPath(target, '..').fsPath, { recursive: true, force: true });
    }
    await waitForTree(api, 'the intake mapping not in code again', (n) => n.some((x) => x.type === 'mapping' && x.kind === 'intake' && descriptionOf(api, x).endsWith('not in code')), 45_000);
  });

  test('Export Mappings as Terraform… opens the file it wrote (here outside the workspace), one kind only', async () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'dd-wif-export-'));
    const target = vscode.Uri.file(path.join(dir, 'identity.tf'));
    try {
      const result = (await vscode.commands.executeCommand('datadogWif.exportMappingsAsTerraform', { site: SITE, kinds: ['identity'], uri: target })) as { ok: boolean; count: number };
      assert.ok(result?.ok, JSON.stringify(result));
      const editor = await waitFor('the exported file in an editor', () => (vscode.window.activeTextEditor?.document.uri.fsPath === target.fsPath ? vscode.window.activeTextEditor : undefined), 10_000);
      const text = editor.document.getText();
      assert.strictEqual((text.match(/^resource "datadog_aws_wif_identity_mapping"/gm) ?? []).length, result.count);
      assert.ok(!/^(resource "datadog_aws_wif_intake_mapping"|\s*to\s*=\s*datadog_aws_wif_intake_mapping)/m.test(text), text);
      await vscode.commands.executeCommand('workbench.action.closeActiveEditor');
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });

  test('with datadogWif.mappings.compareWithCode off, no mark and no "Only in code"; on again, they come back', async () => {
    const restore = await setUserSetting('mappings.compareWithCode', false);
    try {
      const nodes = await waitForTree(api, 'no marks', (n) => n.some((x) => x.type === 'mapping') && !n.some((x) => x.type === 'codeOnly' || (x.type === 'mapping' && / · /.test(descriptionOf(api, x)))));
      const identity = nodes.find((x) => x.type === 'mapping' && x.kind === 'identity' && x.mapping?.arnPattern === DEFAULT_PATTERN)!;
      assert.strictEqual(descriptionOf(api, identity), '→ terraform@example.com');
      assert.strictEqual(api.tree.getTreeItem(identity).command, undefined);
      assert.strictEqual((api.tree.getTreeItem(identity).iconPath as vscode.ThemeIcon).id, 'account');
    } finally {
      await restore();
    }
    await waitForTree(api, 'the marks back', (n) => n.some((x) => x.type === 'codeOnly') && n.some((x) => x.type === 'mapping' && descriptionOf(api, x).includes('declared in org-sync/wif.tf:')));
  });

  test('Create Identity Mapping (scripted) creates through the API and the tree shows it', async () => {
    const result = (await vscode.commands.executeCommand('datadogWif.createIdentityMapping', { pattern: DEPLOY_PATTERN, account: 'deploy@example.com', site: SITE, confirm: true })) as {
      ok: boolean;
      mapping?: { id: string; arnPattern: string };
    };
    assert.ok(result.ok, JSON.stringify(result));
    assert.strictEqual(result.mapping?.arnPattern, DEPLOY_PATTERN);
    const state = await emulatorState();
    assert.ok(state.identityMappings.some((m) => m.attributes.arn_pattern === DEPLOY_PATTERN && m.attributes.account_identifier === 'deploy@example.com'));
    await waitForTree(api, 'the new mapping in the tree', (n) => n.some((x) => x.type === 'mapping' && x.mapping?.arnPattern === DEPLOY_PATTERN));
    const node = (await mappingNodes(api, 'identity')).find((n) => n.mapping?.arnPattern === DEPLOY_PATTERN)!;
    assert.ok(String(api.tree.getTreeItem(node).description).startsWith('→ deploy@example.com'), String(api.tree.getTreeItem(node).description));
    // org-sync/wif.tf declares this pattern for release-bot@example.com: the view says the accounts differ.
    await waitForTree(api, 'the account mismatch mark', (n) => n.some((x) => x.type === 'mapping' && x.kind === 'identity' && x.mapping?.arnPattern === DEPLOY_PATTERN && /^→ deploy@example\.com · declared in org-sync\/wif\.tf:\d+ for another account$/.test(descriptionOf(api, x))));
    const marked = (await mappingNodes(api, 'identity')).find((n) => n.mapping?.arnPattern === DEPLOY_PATTERN)!;
    assert.strictEqual((api.tree.getTreeItem(marked).iconPath as vscode.ThemeIcon).id, 'warning');
    assert.match(String((api.tree.getTreeItem(marked).tooltip as vscode.MarkdownString).value), /release-bot@example\.com/);
  });

  test('a duplicate or an overlapping pattern of the same kind is refused, naming the existing mapping; the other kind is allowed', async () => {
    const before = (await emulatorState()).requests.filter((r) => r.method === 'POST').length;
    const duplicate = (await vscode.commands.executeCommand('datadogWif.createIdentityMapping', { pattern: DEPLOY_PATTERN, account: 'other@example.com', site: SITE, confirm: true })) as { ok: boolean; code: string; message: string };
    assert.deepStrictEqual([duplicate.ok, duplicate.code], [false, 'duplicate']);
    assert.ok(duplicate.message.includes(DEPLOY_PATTERN), duplicate.message);

    const session = 'arn:aws:sts::123456789012:assumed-role/deploy/ci-42';
    const overlap = (await vscode.commands.executeCommand('datadogWif.createIdentityMapping', { pattern: session, account: 'other@example.com', site: SITE, confirm: true })) as { ok: boolean; code: string; message: string };
    assert.deepStrictEqual([overlap.ok, overlap.code], [false, 'overlap']);
    assert.ok(overlap.message.includes(DEPLOY_PATTERN) && overlap.message.includes('deploy@example.com'), overlap.message);
    // Refused before any create reached the API.
    assert.strictEqual((await emulatorState()).requests.filter((r) => r.method === 'POST').length, before);

    const intake = (await vscode.commands.executeCommand('datadogWif.createIntakeMapping', { pattern: DEPLOY_PATTERN, site: SITE, confirm: true })) as { ok: boolean };
    assert.ok(intake.ok, JSON.stringify(intake));
    assert.ok((await emulatorState()).intakeMappings.some((m) => m.attributes.arn_pattern === DEPLOY_PATTERN));
  });

  test('the ARN engine refuses a bad pattern, and a bad account is refused, before any request', async () => {
    const before = (await emulatorState()).requests.length;
    const iamRole = (await vscode.commands.executeCommand('datadogWif.createIdentityMapping', { pattern: 'arn:aws:iam::123456789012:role/deploy', account: 'deploy@example.com', site: SITE, confirm: true })) as { ok: boolean; code: string; message: string };
    assert.deepStrictEqual([iamRole.ok, iamRole.code], [false, 'invalid-pattern']);
    assert.match(iamRole.message, /arn\/iam-role-arn/);
    const account = (await vscode.commands.executeCommand('datadogWif.createIdentityMapping', { pattern: 'arn:aws:sts::123456789012:assumed-role/other/*', account: 'not an account', site: SITE, confirm: true })) as { ok: boolean; code: string };
    assert.deepStrictEqual([account.ok, account.code], [false, 'invalid-account']);
    assert.strictEqual((await emulatorState()).requests.length, before);
  });

  test('Create Intake Mapping through the real quick input: prefilled pattern, step titles, confirmation', async () => {
    const pattern = 'arn:aws:sts::123456789012:assumed-role/agent-hosts/*';
    let done = false;
    const running = Promise.resolve(vscode.commands.executeCommand('datadogWif.createIntakeMapping', { pattern, site: SITE }) as Thenable<{ ok: boolean } | undefined>).finally(() => (done = true));
    // Step 1 (the pattern, prefilled), then step 2 (the confirmation, "Create" first): press Enter
    // until the command returns (an Enter with no quick input open does nothing).
    for (let i = 0; i < 40 && !done; i++) {
      await new Promise((r) => setTimeout(r, 500));
      if (!done) await vscode.commands.executeCommand('workbench.action.acceptSelectedQuickOpenItem');
    }
    const result = await running;
    assert.ok(result?.ok, JSON.stringify(result));
    assert.ok((await emulatorState()).intakeMappings.some((m) => m.attributes.arn_pattern === pattern));
  });

  test('Delete Mapping takes the tree item ({ confirm: true } skips the modal) and the tree drops it', async () => {
    for (const kind of ['identity', 'intake'] as const) {
      await waitForTree(api, `the ${kind} mapping in the tree`, (n) => n.some((x) => x.type === 'mapping' && x.kind === kind && x.mapping?.arnPattern === DEPLOY_PATTERN));
      const node = (await mappingNodes(api, kind)).find((n) => n.mapping?.arnPattern === DEPLOY_PATTERN)!;
      const result = (await vscode.commands.executeCommand('datadogWif.deleteMapping', node, { confirm: true })) as { ok: boolean };
      assert.ok(result.ok, JSON.stringify(result));
      await waitForTree(api, `the ${kind} mapping gone from the tree`, (n) => !n.some((x) => x.type === 'mapping' && x.kind === kind && x.mapping?.arnPattern === DEPLOY_PATTERN));
    }
    const state = await emulatorState();
    assert.ok(!state.identityMappings.some((m) => m.attributes.arn_pattern === DEPLOY_PATTERN));
    assert.ok(!state.intakeMappings.some((m) => m.attributes.arn_pattern === DEPLOY_PATTERN));
    assert.ok(state.requests.some((r) => r.method === 'DELETE' && r.status === 204));
  });

  test('an API failure shows in the view: the error in words, and the next step as a clickable item', async () => {
    await control('POST', 'faults', { path: '/api/v2/cloud_auth/aws/persona_mapping', fault: { kind: 'status', status: 403 }, times: null });
    await control('POST', 'faults', { path: '/api/v2/wif/aws/persona_mapping', fault: { kind: 'status', status: 403 }, times: null });
    try {
      await vscode.commands.executeCommand('datadogWif.refreshMappings', { site: SITE });
      const nodes = await waitForTree(api, 'an error item', (n) => n.some((x) => x.type === 'message' && x.severity === 'error'));
      const error = nodes.find((x) => x.type === 'message' && x.severity === 'error')!;
      assert.match(error.label!, /permission|403/i);
      const next = nodes.find((x) => x.type === 'message' && x.severity === 'next-step')!;
      assert.ok(next, 'no next-step item');
      assert.strictEqual(api.tree.getTreeItem(next).command?.command, 'datadogWif.setApiKeys');
      // The other kind still lists: one failing list does not hide the other.
      assert.ok(nodes.some((x) => x.type === 'group' && x.kind === 'intake'));
      await settleThenScreenshot('mappings-view-error');
    } finally {
      await control('DELETE', 'faults');
    }
    await vscode.commands.executeCommand('datadogWif.refreshMappings', { site: SITE });
    await waitForTree(api, 'the lists back', (n) => n.some((x) => x.type === 'group' && x.kind === 'identity') && !n.some((x) => x.type === 'message' && x.severity === 'error'));
  });

  test("Why Can't I Log In? names the mapping that matches the caller, or the pattern to create", async () => {
    // The extension host's AWS identity is the emulator's mapped role: STS is really asked.
    const matched = (await vscode.commands.executeCommand('datadogWif.whyCantILogIn', { site: SITE, kind: 'identity', interactive: false })) as {
      ok: boolean;
      callerArn: string;
      explanation: { matched: { mapping: { arnPattern: string } }[] };
    };
    assert.ok(matched.ok, JSON.stringify(matched));
    assert.strictEqual(matched.callerArn, TEST_IDENTITIES.mappedRole.arn);
    assert.deepStrictEqual(matched.explanation.matched.map((m) => m.mapping.arnPattern), [DEFAULT_PATTERN]);

    const unmapped = (await vscode.commands.executeCommand('datadogWif.whyCantILogIn', { site: SITE, kind: 'identity', callerArn: TEST_IDENTITIES.unmappedRole.arn, interactive: false })) as {
      ok: boolean;
      explanation: { matched: unknown[]; suggestedPattern?: string; closest?: { mapping: { arnPattern: string } }; summary: string };
    };
    assert.ok(unmapped.ok);
    assert.deepStrictEqual(unmapped.explanation.matched, []);
    assert.strictEqual(unmapped.explanation.suggestedPattern, 'arn:aws:sts::123456789012:assumed-role/unmapped-role/*');
    assert.strictEqual(unmapped.explanation.closest?.mapping.arnPattern, DEFAULT_PATTERN);
  });

  test("without keys, Test Login (Terraform)'s token is used until it expires; keys win over it", async () => {
    await vscode.commands.executeCommand('datadogWif.clearApiKeys', { site: SITE, confirm: true });
    const login = (await vscode.commands.executeCommand('datadogWif.testLoginTerraform', { orgUuid: process.env.E2E_EMULATOR_ORG_UUID, site: SITE, interactive: false })) as { ok: boolean };
    assert.ok(login?.ok, JSON.stringify(login));
    await waitFor('the login token in SecretStorage', async () => ((await api.store.credentials(SITE))?.kind === 'bearer' ? true : undefined), 10_000);
    const nodes = await waitForTree(api, 'the mappings listed with the token', (n) => n.some((x) => x.type === 'mapping' && x.kind === 'identity'));
    assert.strictEqual(String(api.tree.getTreeItem(nodes[0]).description).replace(/\d+ min/, 'N min'), `login token, N min left via ${EMULATOR_ORIGIN}`);
    assert.match(String(api.tree.getTreeItem(nodes[0]).tooltip), /login token …\S{4} \(Test Login\), expires in/);

    const { apiKey, appKey } = EMULATOR_API_KEYS.readWrite;
    await vscode.commands.executeCommand('datadogWif.setApiKeys', { site: SITE, apiKey, appKey });
    assert.strictEqual((await api.store.credentials(SITE))?.kind, 'keys');

  });

  test('an expired login token is not used, and is deleted from SecretStorage when found; the site is forgotten (welcome view)', async () => {
    await vscode.commands.executeCommand('datadogWif.clearApiKeys', { site: SITE, confirm: true });
    // What storeLoginToken does with a Test Login's token, with an expiry in the past.
    await api.store.setToken(SITE, 'expired-token-of-a-test', Date.now() - 60_000);
    assert.strictEqual(await api.store.credentials(SITE), undefined);
    assert.strictEqual(await api.store.token(SITE), undefined, 'the expired token is still in SecretStorage');
    await waitFor('an empty tree (the welcome view)', async () => ((await api.tree.getChildren()).length === 0 ? true : undefined), 10_000);
  });

  test('keys are bound to the API base URL they were set for: never sent to another one, nor to https://api.<site> when the override goes', async () => {
    const { apiKey, appKey } = EMULATOR_API_KEYS.readWrite;
    // Set while datadogWif.apiUrl is the emulator: they belong to the emulator.
    await vscode.commands.executeCommand('datadogWif.setApiKeys', { site: SITE, apiKey, appKey });
    await waitForTree(api, 'the mappings listed with the keys', (n) => n.some((x) => x.type === 'mapping'));

    // Another (allowed, loopback) API: it must get no request with the keys.
    const seen: { method?: string; url?: string; withKeys: boolean }[] = [];
    const other = http.createServer((req, res) => {
      seen.push({ method: req.method, url: req.url, withKeys: 'dd-api-key' in req.headers || 'dd-application-key' in req.headers });
      res.writeHead(403, { 'Content-Type': 'application/json' });
      res.end('{"errors":["Forbidden"]}');
    });
    await new Promise<void>((r) => other.listen(0, '127.0.0.1', r));
    const otherOrigin = `http://127.0.0.1:${(other.address() as AddressInfo).port}`;
    const restore: (() => Promise<void>)[] = [];
    try {
      restore.push(await setUserSetting('allowedApiHosts', [new URL(EMULATOR!).host, new URL(otherOrigin).host]));
      restore.push(await setUserSetting('apiUrl', otherOrigin));
      const nodes = await waitForTree(api, `an error in the tree for ${otherOrigin}`, (n) => n.some((x) => x.type === 'message' && x.severity === 'error'));
      assert.deepStrictEqual(seen, [], `the keys of ${EMULATOR_ORIGIN} went to ${otherOrigin}`);
      assert.strictEqual(nodes.find((x) => x.severity === 'error')!.label, `No Datadog API keys are stored for datadoghq.com at ${otherOrigin}.`);
      const [site] = await api.tree.getChildren();
      assert.strictEqual(api.tree.getTreeItem(site).description, `no credentials via ${otherOrigin}`);
      const tooltip = String(api.tree.getTreeItem(site).tooltip);
      assert.ok(tooltip.includes(`only for ${EMULATOR_ORIGIN}`), tooltip);
      const create = (await vscode.commands.executeCommand('datadogWif.createIdentityMapping', { pattern: DEPLOY_PATTERN, account: 'deploy@example.com', site: SITE, confirm: true })) as { ok: boolean };
      assert.strictEqual(create.ok, false);
      assert.strictEqual(await api.store.credentials(SITE), undefined);
      assert.deepStrictEqual(seen, [], `the keys of ${EMULATOR_ORIGIN} went to ${otherOrigin}`);

      // No override: the site's own API, https://api.datadoghq.com. Nothing is stored for it, so nothing is sent
      // (the tree says so before any request: with the keys it would have tried the internet).
      await restore.pop()!();
      await restore.pop()!();
      restore.push(await setUserSetting('apiUrl', undefined));
      await waitForTree(api, 'no credentials for https://api.datadoghq.com', (n) => n.some((x) => x.type === 'message' && x.severity === 'error' && x.label === 'No Datadog API keys are stored for datadoghq.com at https://api.datadoghq.com.'));
      const [bare] = await api.tree.getChildren();
      assert.strictEqual(api.tree.getTreeItem(bare).description, 'no credentials');
      assert.strictEqual(await api.store.credentials(SITE), undefined);
    } finally {
      for (const undo of restore.reverse()) await undo();
      other.closeAllConnections();
      other.close();
    }
    // Back on the emulator: its keys are there again (bound, not deleted).
    await waitForTree(api, 'the mappings listed again with the emulator keys', (n) => n.some((x) => x.type === 'mapping'));
    assert.strictEqual((await api.store.credentials(SITE))?.kind, 'keys');
  });

  test("Test Login logs the API URL without the userinfo or query the setting carries; the refusal does not echo them either", async () => {
    const restore = await setUserSetting('apiUrl', 'http://dd-user:hunter2-canary@127.0.0.1:1/?api_key=query-canary#frag-canary');
    const before = recentOutput().length;
    try {
      const login = (await vscode.commands.executeCommand('datadogWif.testLoginTerraform', { orgUuid: process.env.E2E_EMULATOR_ORG_UUID, site: SITE, interactive: false })) as { ok: boolean };
      assert.strictEqual(login?.ok, false);
      await vscode.commands.executeCommand('datadogWif.refreshMappings', { site: SITE });
      await waitForTree(api, 'the refused API URL in the tree', (n) => n.some((x) => x.type === 'message' && x.severity === 'error' && /credentials \(user@host\)/.test(x.label!)));
      const written = recentOutput().slice(before).join('\n');
      assert.match(written, /API http:\/\/127\.0\.0\.1:1\/ \(user setting datadogWif\.apiUrl\)/);
      for (const leak of ['hunter2-canary', 'query-canary', 'frag-canary', 'dd-user']) assert.ok(!written.includes(leak), `${leak} in the output: ${written}`);
      const labels = (await flatten(api)).map((n) => labelOf(api, n)).join('\n');
      for (const leak of ['hunter2-canary', 'query-canary', 'frag-canary']) assert.ok(!labels.includes(leak), `${leak} in the tree: ${labels}`);
    } finally {
      await restore();
    }
    await vscode.commands.executeCommand('datadogWif.refreshMappings', { site: SITE });
    await waitForTree(api, 'the lists back', (n) => n.some((x) => x.type === 'mapping'));
  });

  test('Clear API Keys forgets the site: the tree is empty again (welcome view)', async () => {
    const cleared = (await vscode.commands.executeCommand('datadogWif.clearApiKeys', { site: SITE, confirm: true })) as { ok: boolean };
    assert.ok(cleared.ok);
    await waitFor('an empty tree', async () => ((await api.tree.getChildren()).length === 0 ? true : undefined), 10_000);
  });
});
