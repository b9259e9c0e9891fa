// Test Login as a user runs it, in the real workbench, against the local
// emulator (run-vscode.mjs starts it; the user settings point
// `datadogWif.apiUrl` at it, so the site is not asked):
//   - from the palette form (no argument): the org UUID and the STS region are
//     asked in real input boxes, typed into and accepted through the page (the
//     runner's workbench bridge, index.ts workbenchUi), whose validation
//     message is read from the workbench DOM;
//   - a request that gets no answer within `datadogWif.requestTimeoutSeconds`;
//   - the progress notification's Cancel button.
// What reached the emulator is read from its request log (GET /__emulator/state).

import * as assert from 'assert';
import * as vscode from 'vscode';
import { workbenchUi, workbenchUiAvailable } from './index';
import { emulatorControl as control, waitFor, workspaceUri } from './util';

const EXTENSION_ID = 'datadog-wif.datadog-wif';
const API_URL = process.env.E2E_EMULATOR_API_URL ?? '';
const ORG = process.env.E2E_EMULATOR_ORG_UUID ?? '';
const TOKEN_PATH = '/api/v2/delegated-token';

interface LoginResult {
  ok: boolean;
  code?: string;
  message?: string;
  outcome: { ok: boolean; kind?: string; reason?: string; nextStep?: string; baseUrl?: string; callerArn?: string; expiresAt?: string };
  presentation: { severity: string; title: string; message: string; nextStep?: string; buttons: string[] };
  inputs: { orgUuid: string; site?: string; region: string; apiUrl?: string };
}
interface QuickInput {
  visible: boolean;
  title?: string;
  value?: string;
  placeholder?: string;
  message?: string;
  severity?: 'error' | 'warning' | 'info' | 'none';
  rows?: string[];
}
interface EmulatorState {
  requests: { server: string; method: string; path: string; status: number }[];
}

/** The delegated-token requests the emulator has seen so far. */
async function tokenRequests(): Promise<EmulatorState['requests']> {
  const state = (await control('GET', 'state')) as EmulatorState;
  return state.requests.filter((r) => r.server === 'api' && r.path === TOKEN_PATH);
}

const quickInput = () => workbenchUi<QuickInput>({ op: 'quickInput' });

/** Waits until the quick input shows the box titled `title` (and, if given, `check` holds). */
function waitForQuickInput(what: string, title: string, check: (q: QuickInput) => boolean = () => true, ms = 15_000): Promise<QuickInput> {
  return waitFor(what, async () => {
    const q = await quickInput();
    return q.visible && q.title === title && check(q) ? q : undefined;
  }, ms, 200);
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

suite('Test Login in the real workbench: input boxes, timeout, Cancel', function () {
  suiteSetup(async function () {
    if (!workbenchUiAvailable()) {
      console.log('[suite] Test Login in the real workbench: no workbench bridge (run with test/e2e/run-vscode.mjs): skipped');
      this.skip();
    }
    assert.ok(API_URL && ORG, 'run-vscode.mjs did not pass E2E_EMULATOR_API_URL / E2E_EMULATOR_ORG_UUID');
    await vscode.window.showTextDocument(await vscode.workspace.openTextDocument(workspaceUri('login', 'datadog.yaml')));
    const ext = vscode.extensions.getExtension(EXTENSION_ID);
    await waitFor('the extension to activate', () => (ext?.isActive ? true : undefined));
    await vscode.commands.executeCommand('datadogWif.selectAwsProfile', { profile: null });
    await control('DELETE', 'faults');
  });

  setup(async () => {
    await vscode.commands.executeCommand('notifications.clearAll');
  });

  teardown(async () => {
    await vscode.commands.executeCommand('workbench.action.closeQuickOpen');
    await vscode.commands.executeCommand('notifications.hideList');
    if (API_URL) await control('DELETE', 'faults').catch(() => undefined);
  });

  test('from the palette form: an invalid org UUID is refused in the input box (its message shown), then the org UUID and the region typed in log in', async () => {
    const before = (await tokenRequests()).length;
    let settled = false;
    // No argument: what the command palette passes. Everything missing is asked.
    const running = Promise.resolve(vscode.commands.executeCommand<LoginResult | undefined>('datadogWif.testLoginTerraform')).finally(() => (settled = true));
    try {
      const orgTitle = 'Datadog WIF: Datadog org UUID';
      const empty = await waitForQuickInput('the org UUID input box', orgTitle);
      assert.strictEqual(empty.placeholder, '11111111-2222-3333-4444-555555555555');

      // Not a UUID: the box says why, in red, as the user types.
      await workbenchUi({ op: 'fill', text: 'not-a-uuid' });
      const invalid = await waitForQuickInput('the validation message', orgTitle, (q) => q.value === 'not-a-uuid' && !!q.message && q.severity === 'error');
      assert.match(invalid.message!, /An org UUID looks like 11111111-2222-3333-4444-555555555555/);

      // Enter does not accept it: the same box stays, with the value, and nothing was sent.
      await workbenchUi({ op: 'press', key: 'Enter' });
      await sleep(1000);
      const still = await quickInput();
      assert.ok(still.visible && still.title === orgTitle, `the org UUID box was closed or replaced by an invalid value: ${JSON.stringify(still)}`);
      assert.strictEqual(still.value, 'not-a-uuid');
      assert.match(still.message ?? '', /An org UUID looks like/);
      assert.strictEqual(settled, false, 'the command returned on an invalid org UUID');

      // A pasted API key is called what it is.
      await workbenchUi({ op: 'fill', text: 'abcdefabcdefabcdefabcdefabcdefab' });
      const key = await waitForQuickInput('the pasted-key message', orgTitle, (q) => /API key/.test(q.message ?? ''));
      assert.match(key.message!, /not an org UUID\. Never paste keys here/);

      // The emulator's org: the message goes and Enter moves on to the region.
      await workbenchUi({ op: 'fill', text: ORG });
      await waitForQuickInput('the message to clear', orgTitle, (q) => q.value === ORG && q.severity !== 'error');
      await workbenchUi({ op: 'press', key: 'Enter' });

      // The site is not asked: the user's datadogWif.apiUrl says where to go. Then the STS region.
      const regionTitle = 'Datadog WIF: STS region';
      await waitForQuickInput('the STS region input box', regionTitle);
      await workbenchUi({ op: 'fill', text: 'cn-north-1' });
      const china = await waitForQuickInput('the region message', regionTitle, (q) => q.severity === 'error' && !!q.message);
      assert.match(china.message!, /not in the aws partition/);
      await workbenchUi({ op: 'press', key: 'Enter' });
      await sleep(500);
      assert.strictEqual((await quickInput()).title, regionTitle, 'a region of another partition was accepted');
      assert.strictEqual((await tokenRequests()).length, before, 'a request reached the emulator before every input was accepted');

      await workbenchUi({ op: 'fill', text: 'us-east-1' });
      await waitForQuickInput('the region accepted as valid', regionTitle, (q) => q.value === 'us-east-1' && q.severity !== 'error');
      await workbenchUi({ op: 'press', key: 'Enter' });

      const result = await Promise.race([running, sleep(30_000).then(() => undefined)]);
      assert.ok(result, 'the command did not return within 30 s of the last input');
      assert.strictEqual(result.ok, true, result.presentation?.message ?? result.message);
      assert.deepStrictEqual([result.inputs.orgUuid, result.inputs.region, result.inputs.site], [ORG, 'us-east-1', undefined]);
      assert.strictEqual(result.outcome.baseUrl, API_URL);
      assert.match(result.presentation.message, /Login succeeded/);
      assert.strictEqual((await quickInput()).visible, false, 'an input box is still open');
      const after = await tokenRequests();
      assert.strictEqual(after.length, before + 1, `delegated-token calls: ${JSON.stringify(after.slice(before))}`);
      assert.strictEqual(after[after.length - 1].status, 200);
    } finally {
      // On a failure half-way: close the box so that the command returns (cancelled), and never hang here.
      if (!settled) await vscode.commands.executeCommand('workbench.action.closeQuickOpen');
      await Promise.race([running.catch(() => undefined), sleep(5000)]);
    }
  });

  test('datadogWif.requestTimeoutSeconds = 1 and an API that never answers: a timeout outcome with the 1 second budget, saying what to do', async () => {
    const config = vscode.workspace.getConfiguration('datadogWif');
    const before = (await tokenRequests()).length;
    await config.update('requestTimeoutSeconds', 1, vscode.ConfigurationTarget.Global);
    try {
      await control('POST', 'faults', { path: TOKEN_PATH, fault: { kind: 'timeout' }, times: 1 });
      const r = await vscode.commands.executeCommand<LoginResult>('datadogWif.testLoginTerraform', { interactive: false, orgUuid: ORG, site: 'datadoghq.com', region: '' });
      assert.ok(r, 'the command returned nothing');
      // The emulator holds the request for good: only the budget ends the login, and the words below
      // say it was the user setting's 1 second, not the default 30 (no clock: a busy machine is slow).
      assert.strictEqual(r.ok, false);
      assert.strictEqual(r.outcome.kind, 'timeout', JSON.stringify(r.outcome));
      assert.strictEqual(r.presentation.severity, 'error');
      assert.match(r.presentation.message, /Login failed/);
      // The whole budget the user set, and where to raise it.
      assert.match(r.presentation.message, /No answer from 127\.0\.0\.1:\d+ within the login test's 1 second\./);
      assert.match(r.presentation.nextStep ?? '', /raise datadogWif\.requestTimeoutSeconds in your user settings \(now 1\)/);
      assert.match(r.presentation.message, /Next: .*datadogWif\.requestTimeoutSeconds/);
      assert.ok(r.presentation.buttons.includes('Retry'), r.presentation.buttons.join());
      // The request did reach the emulator, which held it.
      const held = (await tokenRequests()).slice(before);
      assert.deepStrictEqual(held.map((x) => x.status), [0], JSON.stringify(held));
    } finally {
      await config.update('requestTimeoutSeconds', undefined, vscode.ConfigurationTarget.Global);
    }
  });

  test("the progress notification's Cancel button stops a login that waits for an answer", async () => {
    await control('POST', 'faults', { path: TOKEN_PATH, fault: { kind: 'timeout' }, times: 1 });
    const before = (await tokenRequests()).length;
    let settled = false;
    const running = Promise.resolve(vscode.commands.executeCommand<LoginResult>('datadogWif.testLoginTerraform', { interactive: false, orgUuid: ORG, site: 'datadoghq.com', region: '' })).finally(() => (settled = true));
    // The request is held (default timeout: 30 s): wait until it reached the emulator, then click Cancel.
    await waitFor('the held request', async () => ((await tokenRequests()).length > before ? true : undefined), 15_000, 100);
    // run-vscode.mjs needs --enable-smoke-test-driver, under which the workbench shows no toasts: the
    // notification is in the notifications center (the bell in the status bar), with its Cancel button.
    await vscode.commands.executeCommand('notifications.showList');
    const cancel = '.notifications-center .notification-list-item:has-text("Datadog WIF: Test Login (Terraform)") .monaco-button:has-text("Cancel")';
    await workbenchUi({ op: 'click', selector: cancel, timeoutMs: 10_000 });
    // A hang guard past the 30 s budget the login started with, not a measure of speed: a Cancel
    // that did not work ends as a timeout outcome, which the kind below tells apart.
    const r = await Promise.race([running, sleep(35_000).then(() => undefined)]);
    assert.ok(r, `the command did not return within 35 s of Cancel (settled: ${settled})`);
    assert.strictEqual(r.ok, false);
    assert.strictEqual(r.outcome.kind, 'cancelled', JSON.stringify(r.outcome));
    assert.strictEqual(r.presentation.severity, 'info');
    assert.match(r.presentation.message, /Login test cancelled/);
  });
});
