// Values from a hostile server, in real VS Code (issue #10): the emulator
// answers with mapping patterns, accounts, login refusals and an STS caller
// ARN that carry terminal control characters, line feeds, a bidirectional
// override and Markdown. The tree, the notifications' texts, the Delete
// Mapping messages and the output channel show them escaped (displayText),
// and a tooltip cannot be given a link.

import * as assert from 'assert';
import * as vscode from 'vscode';
import { EMULATOR_API_KEYS } from '../../../emulator/src/identities';
import { emulatorControl as control, waitFor } from './util';

const EXTENSION_ID = 'datadog-wif.datadog-wif';
const SITE = 'datadoghq.com';
const EMULATOR = process.env.E2E_EMULATOR_API_URL;
const ORG = process.env.E2E_EMULATOR_ORG_UUID ?? '';

/** What must never reach a label, a message or a log line from a server (our own line feeds aside). */
const CONTROL = /[\u0000-\u0008\u000b-\u001f\u007f-\u009f\u2028\u2029\u202a-\u202e\u2066-\u2069]/;
const CONTROL_OR_LF = /[\u0000-\u0008\u000a-\u001f\u007f-\u009f\u2028\u2029\u202a-\u202e\u2066-\u2069]/;

const HOSTILE_ID = 'f00dface-0000-4000-8000-00000000beef';
/** ESC sequences, CR, a line feed that would forge a log line, a C1 CSI, a right-to-left override, and a Markdown link after a backtick. */
const HOSTILE_PATTERN = 'arn:aws:sts::123456789012:assumed-role/ops/*\u001b[2J\r\n[info] Deleted everything\u009b2K\u202e`[click](https://evil.example)`';
const SHOWN_PATTERN = 'arn:aws:sts::123456789012:assumed-role/ops/*\\x1b[2J\\x0d\\x0a[info] Deleted everything\\x9b2K\\u202e`[click](https://evil.example)`';
const HOSTILE_ACCOUNT = 'ops@example.com\u0007\u001b]8;;https://evil.example\u001b\\';
const SHOWN_ACCOUNT = 'ops@example.com\\x07\\x1b]8;;https://evil.example\\x1b\\';

interface TreeNode {
  type: 'site' | 'group' | 'mapping' | 'message';
  site: string;
  kind?: 'identity' | 'intake';
  mapping?: { id: string; arnPattern: string };
}
interface MappingsApi {
  tree: {
    getChildren(node?: TreeNode): Promise<TreeNode[]>;
    getTreeItem(node: TreeNode): vscode.TreeItem;
    refresh(site?: string): void;
  };
}

/** A list answer of one identity mapping with the hostile values, under both path families. */
async function serveHostileList(): Promise<void> {
  const body = JSON.stringify({
    data: [{ id: HOSTILE_ID, type: 'aws_cloud_auth_config', attributes: { arn_pattern: HOSTILE_PATTERN, account_identifier: HOSTILE_ACCOUNT, account_uuid: '11111111-2222-4333-8444-555555555555' } }],
  });
  for (const path of ['/api/v2/cloud_auth/aws/persona_mapping', '/api/v2/wif/aws/persona_mapping']) {
    await control('POST', 'faults', { path, fault: { kind: 'status', status: 200, body }, times: null });
  }
}

async function flatten(api: MappingsApi, node?: TreeNode): Promise<TreeNode[]> {
  const out: TreeNode[] = [];
  for (const c of await api.tree.getChildren(node)) out.push(c, ...(await flatten(api, c)));
  return out;
}

async function hostileNode(api: MappingsApi): Promise<TreeNode> {
  return waitFor('the hostile mapping in the tree', async () => (await flatten(api)).find((n) => n.type === 'mapping' && n.mapping?.id === HOSTILE_ID), 15_000, 200);
}

suite('hostile server values are shown escaped', function () {
  let api: MappingsApi;
  let recentOutput: () => readonly string[] = () => [];

  suiteSetup(async function () {
    if (!EMULATOR) {
      console.log('[suite] hostile: E2E_EMULATOR_API_URL is not set (the runner starts the emulator): skipped');
      this.skip();
    }
    const extension = vscode.extensions.getExtension(EXTENSION_ID);
    assert.ok(extension, `extension ${EXTENSION_ID} is not loaded`);
    const exports = (await extension.activate()) as { mappings: MappingsApi; recentOutput: readonly string[] };
    api = exports.mappings;
    recentOutput = () => (vscode.extensions.getExtension(EXTENSION_ID)!.exports as { recentOutput: readonly string[] }).recentOutput;
    await control('POST', 'reset');
    const { apiKey, appKey } = EMULATOR_API_KEYS.readWrite;
    await vscode.commands.executeCommand('datadogWif.setApiKeys', { site: SITE, apiKey, appKey });
  });

  teardown(async () => {
    if (!EMULATOR) return;
    await control('DELETE', 'faults');
    api?.tree.refresh(SITE);
  });

  suiteTeardown(async () => {
    if (!EMULATOR) return;
    await control('DELETE', 'faults').catch(() => undefined);
    await control('POST', 'reset').catch(() => undefined);
    await vscode.commands.executeCommand('datadogWif.clearApiKeys', { site: SITE, confirm: true });
  });

  test('the mappings tree: the label and description escaped; the tooltip quotes the values as code and links nothing', async () => {
    await serveHostileList();
    api.tree.refresh(SITE);
    const item = api.tree.getTreeItem(await hostileNode(api));
    assert.strictEqual(item.label, SHOWN_PATTERN);
    assert.strictEqual(item.description, `→ ${SHOWN_ACCOUNT}`);
    const tooltip = (item.tooltip as vscode.MarkdownString).value;
    assert.doesNotMatch(tooltip, CONTROL, tooltip);
    // The pattern has a backtick: a longer fence keeps the link inside the code span.
    assert.ok(tooltip.includes(`Pattern: \`\` ${SHOWN_PATTERN} \`\``), tooltip);
    assert.ok(tooltip.includes(`Acts as: \`${SHOWN_ACCOUNT}\``), tooltip);
    assert.match(tooltip, /\*\*Not an ARN pattern\*\*/);
  });

  test('Delete Mapping: the log line names the pattern escaped, on one line; nothing in the log acts', async () => {
    await serveHostileList();
    api.tree.refresh(SITE);
    const node = await hostileNode(api);
    const result = (await vscode.commands.executeCommand('datadogWif.deleteMapping', node, { confirm: true })) as { ok: boolean };
    assert.ok(result?.ok, JSON.stringify(result));
    const lines = recentOutput();
    assert.ok(lines.some((l) => l.includes(`Deleted the identity mapping ${SHOWN_PATTERN} (id ${HOSTILE_ID}) on ${SITE}.`)), lines.slice(-5).join('\n'));
    assert.ok(!lines.some((l) => l.startsWith('[info] Deleted everything')), 'a forged log line');
    for (const line of lines) assert.doesNotMatch(line, CONTROL, line);
  });

  test("Why Can't I Log In?: the caller ARN and the server's patterns on one log line each, escaped", async () => {
    await serveHostileList();
    const callerArn = 'arn:aws:sts::123456789012:assumed-role/ops/s\n[warn] forged\u001b[2J';
    const r = (await vscode.commands.executeCommand('datadogWif.whyCantILogIn', { site: SITE, kind: 'identity', callerArn, interactive: false })) as { ok: boolean };
    assert.ok(r?.ok, JSON.stringify(r));
    const lines = recentOutput();
    assert.ok(!lines.some((l) => l.startsWith('[warn] forged')), 'a forged log line');
    const line = lines.find((l) => l.startsWith("Why can't I log in (") && l.includes('assumed-role/ops/s\\x0a[warn] forged\\x1b[2J'));
    assert.ok(line, lines.slice(-5).join('\n'));
    for (const l of lines) assert.doesNotMatch(l, CONTROL, l);
  });

  test('Test Login: the server\'s own words escaped in the notification text', async () => {
    const words = 'denied\u202e by policy\u2066 \u009b31m see the admin';
    await control('POST', 'faults', { path: '/api/v2/delegated-token', fault: { kind: 'status', status: 403, body: JSON.stringify({ errors: [words] }) }, times: 2 });
    const r = (await vscode.commands.executeCommand('datadogWif.testLoginTerraform', { interactive: false, orgUuid: ORG, site: SITE, region: '' })) as {
      ok: boolean;
      presentation: { message: string; detail: string };
    };
    assert.strictEqual(r.ok, false);
    assert.doesNotMatch(r.presentation.message, CONTROL, r.presentation.message);
    assert.ok(r.presentation.message.includes('denied\\u202e by policy\\u2066'), r.presentation.message);
  });

  test('Show AWS Caller Identity: the ARN as STS sent it, escaped, in the message and the log', async () => {
    const arn = 'arn:aws:sts::123456789012:assumed-role/ops\u202e/s\u001b]8;;https://evil.example\u0007x';
    const body =
      '<GetCallerIdentityResponse xmlns="https://sts.amazonaws.com/doc/2011-06-15/"><GetCallerIdentityResult>' +
      `<Arn>${arn.replace(/&/g, '&amp;').replace(/</g, '&lt;')}</Arn><UserId>AROAEXAMPLE:s</UserId><Account>123456789012</Account>` +
      '</GetCallerIdentityResult><ResponseMetadata><RequestId>r</RequestId></ResponseMetadata></GetCallerIdentityResponse>';
    await control('POST', 'faults', { path: 'sts:/', fault: { kind: 'status', status: 200, body, headers: { 'content-type': 'text/xml' } }, times: null });
    const r = (await vscode.commands.executeCommand('datadogWif.showCallerIdentity', { interactive: false })) as { ok: boolean; message: string; identity?: { arn: string } };
    assert.strictEqual(r.ok, true, r.message);
    assert.strictEqual(r.identity?.arn, arn, 'the identity itself as STS said it');
    assert.doesNotMatch(r.message, CONTROL_OR_LF, r.message);
    assert.ok(r.message.includes('assumed-role/ops\\u202e/s\\x1b]8;;https://evil.example\\x07x'), r.message);
    const logged = 'Caller ARN: arn:aws:sts::123456789012:assumed-role/ops\\u202e/s\\x1b]8;;https://evil.example\\x07x';
    assert.ok(recentOutput().includes(logged), recentOutput().slice(-5).join('\n'));
  });
});
