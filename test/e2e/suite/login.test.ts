// Login tests in real VS Code, against the local emulator of AWS STS and
// Datadog that run-vscode.mjs starts (its API is the user-level
// `datadogWif.apiUrl`; the extension host has the mapped role's fake AWS keys
// and a shared credentials file with the other identities as profiles).
//
// The commands are run with `{ interactive: false, … }`: they ask nothing and
// return their result (the outcome, without secrets, and the words shown),
// which is what these tests check. Their notifications still show.

import * as assert from 'assert';
import * as vscode from 'vscode';
import { TEST_IDENTITIES } from '../../../emulator/src/identities';
import { waitFor, workspaceUri } from './util';

const EXTENSION_ID = 'datadog-wif.datadog-wif';
const API_URL = process.env.E2E_EMULATOR_API_URL ?? '';
const ORG = process.env.E2E_EMULATOR_ORG_UUID ?? '';
const mapped = TEST_IDENTITIES.mappedRole;
const unmapped = TEST_IDENTITIES.unmappedRole;

interface Presentation {
  severity: string;
  message: string;
  actions: string[];
  buttons: string[];
  pattern?: string;
  nextStep?: string;
}
interface Outcome {
  ok: boolean;
  flow: string;
  baseUrl?: string;
  site?: string;
  callerArn?: string;
  expiresAt?: string;
  claims?: Record<string, unknown>;
  apiKeyLast4?: string;
  kind?: string;
  status?: number;
  reason?: string;
  details?: string[];
  nextStep?: string;
}
interface LoginResult {
  ok: boolean;
  code?: string;
  message?: string;
  outcome: Outcome;
  presentation: Presentation;
  inputs: { orgUuid: string; site?: string; region: string; apiUrl?: string; profile?: string };
}
interface IdentityResult {
  ok: boolean;
  code?: string;
  message: string;
  nextStep?: string;
  identity?: { arn: string; account: string; kind: string; suggestedPattern: string };
  kindLabel?: string;
}
interface Api {
  readonly logUri: vscode.Uri;
  readonly recentOutput: readonly string[];
}

/** Every text these tests saw the extension show or return: checked for secrets at the end. */
const shown: string[] = [];

async function login(flow: 'terraform' | 'agent', args: Record<string, unknown> = {}): Promise<LoginResult> {
  const command = flow === 'terraform' ? 'datadogWif.testLoginTerraform' : 'datadogWif.testLoginAgent';
  const result = await vscode.commands.executeCommand<LoginResult>(command, { interactive: false, orgUuid: ORG, site: 'datadoghq.com', region: '', ...args });
  assert.ok(result, `${command} returned nothing`);
  shown.push(JSON.stringify(result));
  return result;
}

async function callerIdentity(args: Record<string, unknown> = {}): Promise<IdentityResult> {
  const result = await vscode.commands.executeCommand<IdentityResult>('datadogWif.showCallerIdentity', { interactive: false, ...args });
  assert.ok(result, 'showCallerIdentity returned nothing');
  shown.push(JSON.stringify(result));
  return result;
}

async function selectProfile(profile: string | null): Promise<void> {
  await vscode.commands.executeCommand('datadogWif.selectAwsProfile', { profile });
}

async function lensesOf(uri: vscode.Uri, command: string): Promise<vscode.CodeLens[]> {
  const lenses = (await vscode.commands.executeCommand<vscode.CodeLens[]>('vscode.executeCodeLensProvider', uri)) ?? [];
  return lenses.filter((l) => l.command?.command === command);
}

suite('login tests against the emulator', () => {
  suiteSetup(async function () {
    assert.ok(API_URL && ORG, 'run-vscode.mjs did not pass E2E_EMULATOR_API_URL / E2E_EMULATOR_ORG_UUID');
    // Activation comes from the workspace (datadog.yaml); wait for it rather than forcing it.
    await vscode.window.showTextDocument(await vscode.workspace.openTextDocument(workspaceUri('login', 'datadog.yaml')));
    const ext = vscode.extensions.getExtension(EXTENSION_ID);
    await waitFor('the extension to activate', () => (ext?.isActive ? true : undefined));
    await selectProfile(null);
  });

  test('the manifest: commands only in a trusted workspace, limited support for untrusted ones, user-level settings', () => {
    const pkg = vscode.extensions.getExtension(EXTENSION_ID)!.packageJSON;
    assert.strictEqual(pkg.capabilities.untrustedWorkspaces.supported, 'limited');
    assert.ok(pkg.capabilities.untrustedWorkspaces.restrictedConfigurations.includes('datadogWif.apiUrl'));
    for (const id of ['datadogWif.testLoginTerraform', 'datadogWif.testLoginAgent', 'datadogWif.showCallerIdentity', 'datadogWif.selectAwsProfile']) {
      const c = pkg.contributes.commands.find((x: { command: string }) => x.command === id);
      assert.ok(c, id);
      assert.strictEqual(c.enablement, 'isWorkspaceTrusted', id);
      assert.strictEqual(c.category, 'Datadog WIF', id);
      assert.ok(pkg.contributes.menus.commandPalette.some((m: { command: string; when: string }) => m.command === id && m.when === 'isWorkspaceTrusted'), id);
    }
    for (const key of ['datadogWif.apiUrl', 'datadogWif.allowedApiHosts', 'datadogWif.requestTimeoutSeconds']) {
      assert.strictEqual(pkg.contributes.configuration.properties[key].scope, 'application', key);
    }
  });

  test('Test Login (Terraform) as the mapped role: a token, when it expires, and its (unverified) claims', async () => {
    const r = await login('terraform');
    assert.strictEqual(r.ok, true, r.presentation?.message ?? r.message);
    assert.strictEqual(r.outcome.ok, true);
    assert.strictEqual(r.outcome.baseUrl, API_URL, 'sent to the user-level apiUrl');
    assert.strictEqual(r.outcome.callerArn, mapped.arn);
    assert.ok(r.outcome.expiresAt && Date.parse(r.outcome.expiresAt) > Date.now(), `expiresAt ${r.outcome.expiresAt}`);
    assert.strictEqual(r.outcome.claims?.aws_arn, mapped.arn);
    assert.strictEqual(r.presentation.severity, 'info');
    assert.match(r.presentation.message, /Login succeeded/);
    assert.match(r.presentation.message, /expires at/);
    assert.match(r.presentation.message, /unverified/);
    assert.ok(!JSON.stringify(r).includes('eyJ'), 'no JWT in the result');
  });

  test('Test Login (Agent) as the mapped role: the API key only as its last 4 characters', async () => {
    const r = await login('agent');
    assert.strictEqual(r.ok, true, r.presentation?.message ?? r.message);
    assert.match(r.outcome.apiKeyLast4 ?? '', /^[0-9a-f]{4}$/i);
    assert.ok(r.presentation.message.includes(`…${r.outcome.apiKeyLast4}`), r.presentation.message);
    assert.doesNotMatch(JSON.stringify(r), /[0-9a-f]{32}/i, 'no full API key in the result');
  });

  test('the unmapped role (a profile chosen with Select AWS Profile): 403 with the ARN, the pattern and Create Mapping', async () => {
    await selectProfile('unmapped');
    try {
      for (const flow of ['terraform', 'agent'] as const) {
        const r = await login(flow);
        assert.strictEqual(r.ok, false);
        assert.strictEqual(r.inputs.profile, 'unmapped');
        assert.strictEqual(r.outcome.kind, 'forbidden', JSON.stringify(r.outcome));
        assert.strictEqual(r.outcome.status, 403);
        assert.strictEqual(r.outcome.callerArn, unmapped.arn);
        assert.ok(r.presentation.message.includes(unmapped.arn), r.presentation.message);
        assert.strictEqual(r.presentation.pattern, 'arn:aws:sts::123456789012:assumed-role/unmapped-role/*');
        assert.match(r.presentation.message, flow === 'terraform' ? /identity mapping/ : /intake mapping/);
        assert.ok(r.presentation.actions.includes('createMapping'), r.presentation.actions.join());
        assert.ok(r.presentation.buttons.includes('Create Mapping…'));
        assert.strictEqual(r.presentation.severity, 'error');
      }
    } finally {
      await selectProfile(null);
    }
    // Credentials are resolved again on every run: back to the mapped role at once.
    assert.strictEqual((await login('terraform')).ok, true);
  });

  test('Show AWS Caller Identity: the ARN, the kind of identity and the pattern that maps it', async () => {
    const r = await callerIdentity();
    assert.strictEqual(r.ok, true, r.message);
    assert.strictEqual(r.identity?.arn, mapped.arn);
    assert.strictEqual(r.identity?.kind, 'assumed-role');
    assert.strictEqual(r.identity?.suggestedPattern, 'arn:aws:sts::123456789012:assumed-role/terraform-runner/*');
    assert.match(r.message, /assumed role/);
    const user = await callerIdentity({ profile: 'iam-user' });
    assert.strictEqual(user.identity?.kind, 'iam-user', user.message);
    assert.strictEqual(user.identity?.arn, TEST_IDENTITIES.iamUser.arn);
  });

  test('an expired SSO session says to run `aws sso login --profile X`, not a stack trace', async () => {
    const id = await callerIdentity({ profile: 'sso-expired' });
    assert.strictEqual(id.ok, false);
    assert.strictEqual(id.code, 'credentials');
    assert.match(id.nextStep ?? '', /aws sso login --profile sso-expired/);
    assert.doesNotMatch(id.message, /\n\s+at /, 'no stack trace');
    const r = await login('terraform', { profile: 'sso-expired' });
    assert.strictEqual(r.outcome.kind, 'credentials');
    assert.match(r.presentation.message, /aws sso login --profile sso-expired/);
    assert.doesNotMatch(r.presentation.message, /\n\s+at /);
  });

  test('usage errors without asking: a bad org UUID, an unknown site, a bad region', async () => {
    const bad = await vscode.commands.executeCommand<{ ok: boolean; code: string; message: string }>('datadogWif.testLoginAgent', { interactive: false, orgUuid: 'not-a-uuid' });
    assert.deepStrictEqual([bad.ok, bad.code], [false, 'usage']);
    const site = await vscode.commands.executeCommand<{ code: string; message: string }>('datadogWif.testLoginAgent', { interactive: false, orgUuid: ORG, site: 'datadoghq.org' });
    assert.strictEqual(site.code, 'usage');
    assert.match(site.message, /not a known Datadog site/);
    const region = await vscode.commands.executeCommand<{ code: string }>('datadogWif.testLoginTerraform', { interactive: false, orgUuid: ORG, region: 'cn-north-1' });
    assert.strictEqual(region.code, 'usage');
    const gov = await vscode.commands.executeCommand<{ code: string; message: string }>('datadogWif.testLoginAgent', { interactive: false, orgUuid: ORG, site: 'ddog-gov.com' });
    assert.match(gov.message, /not available on ddog-gov\.com/);
  });

  test('a code lens on each delegated_auth section runs the Agent login test with the section\'s values', async () => {
    const uri = workspaceUri('login', 'datadog.yaml');
    const doc = await vscode.workspace.openTextDocument(uri);
    await vscode.window.showTextDocument(doc);
    const lenses = await waitFor('the Agent code lenses', async () => {
      const l = await lensesOf(uri, 'datadogWif.testLoginAgent');
      return l.length >= 2 ? l : undefined;
    });
    const lines = lenses.map((l) => l.range.start.line).sort((a, b) => a - b);
    assert.deepStrictEqual(lines, [3, 6]);
    assert.strictEqual(doc.lineAt(3).text, 'delegated_auth:');
    const lens = lenses.find((l) => l.range.start.line === 3)!;
    assert.match(lens.command!.title, /Test Login \(Agent\)/);
    const arg = lens.command!.arguments![0] as Record<string, unknown>;
    assert.strictEqual(arg.orgUuid, ORG);
    assert.strictEqual(arg.site, 'datadoghq.com');
    assert.strictEqual(arg.label, 'delegated_auth');
    const r = await vscode.commands.executeCommand<LoginResult>(lens.command!.command, { ...arg, interactive: false });
    shown.push(JSON.stringify(r));
    assert.strictEqual(r.ok, true, r.presentation?.message);
    assert.strictEqual(r.inputs.region, '', 'no aws.region in the file: global STS when not asking');
  });

  test('a code lens on provider "datadog" runs the Terraform login test', async () => {
    const uri = workspaceUri('login', 'terraform', 'main.tf');
    const doc = await vscode.workspace.openTextDocument(uri);
    await vscode.window.showTextDocument(doc);
    const [lens] = await waitFor('the Terraform code lens', async () => {
      const l = await lensesOf(uri, 'datadogWif.testLoginTerraform');
      return l.length ? l : undefined;
    });
    assert.strictEqual(doc.lineAt(lens.range.start.line).text, 'provider "datadog" {');
    assert.match(lens.command!.title, /Test Login \(Terraform\)/);
    const arg = lens.command!.arguments![0] as Record<string, unknown>;
    assert.deepStrictEqual([arg.orgUuid, arg.region, arg.label], [ORG, '', 'provider "datadog"']);
    const r = await vscode.commands.executeCommand<LoginResult>(lens.command!.command, { ...arg, interactive: false });
    shown.push(JSON.stringify(r));
    assert.strictEqual(r.ok, true, r.presentation?.message);
    assert.strictEqual(r.outcome.callerArn, mapped.arn);
  });

  test('datadogWif.codeLens.enabled: false removes the lenses', async () => {
    const uri = workspaceUri('login', 'datadog.yaml');
    const config = vscode.workspace.getConfiguration('datadogWif');
    try {
      await config.update('codeLens.enabled', false, vscode.ConfigurationTarget.Global);
      await waitFor('no lenses', async () => ((await lensesOf(uri, 'datadogWif.testLoginAgent')).length === 0 ? true : undefined));
    } finally {
      await config.update('codeLens.enabled', undefined, vscode.ConfigurationTarget.Global);
    }
    await waitFor('the lenses back', async () => ((await lensesOf(uri, 'datadogWif.testLoginAgent')).length > 0 ? true : undefined));
  });

  test('a workspace-level apiUrl / allowedApiHosts is ignored: the proof still goes where the user said', async () => {
    const file = workspaceUri('.vscode', 'settings.json');
    const before = await vscode.workspace.fs.readFile(file);
    const settings = JSON.parse(Buffer.from(before).toString('utf8'));
    // What a cloned repository could write: another API host, and an allow-list without the emulator.
    const hostile = { ...settings, 'datadogWif.apiUrl': 'https://api.datadoghq.eu', 'datadogWif.allowedApiHosts': ['127.0.0.1:1'], 'datadogWif.codeLens.enabled': true };
    try {
      await vscode.workspace.fs.writeFile(file, Buffer.from(JSON.stringify(hostile, null, 2)));
      // A window-scoped sentinel tells when VS Code has read the file.
      await waitFor('the workspace settings', () => (vscode.workspace.getConfiguration('datadogWif').inspect('codeLens.enabled')?.workspaceValue === true ? true : undefined));
      const r = await login('terraform', { site: undefined });
      assert.strictEqual(r.ok, true, r.presentation?.message);
      assert.strictEqual(r.outcome.baseUrl, API_URL);
      assert.strictEqual(r.inputs.apiUrl, API_URL);
    } finally {
      await vscode.workspace.fs.writeFile(file, before);
      await waitFor('the settings restored', () => (vscode.workspace.getConfiguration('datadogWif').inspect('codeLens.enabled')?.workspaceValue === undefined ? true : undefined));
    }
  });

  test('no AWS secret, session token, token or full API key in the output channel, its log file, or anything shown', async () => {
    const api = vscode.extensions.getExtension(EXTENSION_ID)!.exports as Api;
    const recent = api.recentOutput.join('\n');
    assert.match(recent, /Test Login \(Terraform\)/, 'the recorder saw our lines');
    let logFile = '';
    try {
      const dir = await vscode.workspace.fs.readDirectory(api.logUri);
      for (const [name] of dir) if (name.endsWith('.log')) logFile += Buffer.from(await vscode.workspace.fs.readFile(vscode.Uri.joinPath(api.logUri, name))).toString('utf8');
    } catch {
      /* no log folder in this VS Code: the in-memory record stands */
    }
    if (logFile) assert.match(logFile, /Test Login \(Agent\)/, 'the log file has our lines');
    else console.log('[suite]   (no log file of the output channel under the extension\'s logUri: checked the in-memory record only)');
    const haystacks = { 'output channel': recent, 'log file': logFile, 'results and notifications': shown.join('\n') };
    for (const [where, text] of Object.entries(haystacks)) {
      for (const id of [mapped, unmapped, TEST_IDENTITIES.iamUser]) {
        assert.ok(!text.includes(id.secretAccessKey), `secret access key of ${id.name} in the ${where}`);
        if (id.sessionToken) assert.ok(!text.includes(id.sessionToken), `session token of ${id.name} in the ${where}`);
      }
      assert.ok(!/eyJ[A-Za-z0-9_-]{5,}\.[A-Za-z0-9_-]{5,}\./.test(text), `a JWT in the ${where}`);
      assert.ok(!/Delegated [A-Za-z0-9+/=]{20,}/.test(text), `a proof in the ${where}`);
      assert.ok(!/\b[0-9a-f]{32}\b/i.test(text.replace(/0123456789abcdef0123456789abcdef/g, '')), `a full API key in the ${where}`);
    }
  });
});
