// `datadogWif/mappingsDrift` over real LSP (our JSON-RPC client,
// dist/server.js): the org's mappings the client sends, compared with those
// the workspace declares, never-opened files included; `scanning` while the
// workspace is not read yet, then `datadogWif/declaredMappingsChanged` so the
// client asks again; a change on disk that changes a declaration is told, one
// that does not is not; bad params are answered, not crashed on. Needs the
// bundle (`npm run build`); without it the tests are skipped with a message.

import { after, before, describe, test } from 'node:test';
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { pathToFileURL } from 'node:url';
import { LspClient, delay } from './jsonrpc-client';
import { marked } from '../helpers/markers';
import { CROSS_FILE_DELAY_MS } from '../../server/src/lsp/workspace';
import { DECLARED_CHANGED_DELAY_MS } from '../../server/src/lsp/mappingsDrift';
import { DeclaredMappingsChangedNotification, MappingsDriftRequest, type MappingsDriftResult } from '../../server/src/lsp/protocol';
import type { OrgMapping } from '../../server/src/service/orgSync/types';

const root = path.resolve(__dirname, '..', '..', '..');
const serverJs = process.env.DD_WIF_SERVER_JS ? path.resolve(process.env.DD_WIF_SERVER_JS) : path.join(root, 'dist', 'server.js');
const noBundle = fs.existsSync(serverJs) ? false : `${path.relative(root, serverJs)} is missing: run \`npm run build\` first (LSP tests skipped)`;
const LONG = { timeoutMs: 60_000 };
/** Long enough for a notification still to come: a wait before asserting that one did NOT come, not a timing assertion. */
const SETTLE_MS = 4 * (CROSS_FILE_DELAY_MS + DECLARED_CHANGED_DELAY_MS);

const RUNNER = 'arn:aws:sts::123456789012:assumed-role/terraform-runner/*';
const DEPLOY = 'arn:aws:sts::123456789012:assumed-role/deploy/*';
const AGENTS = 'arn:aws:sts::123456789012:assumed-role/datadog-agent/*';
const CI = 'arn:aws:sts::123456789012:assumed-role/ci/*';
const NEW = 'arn:aws:sts::123456789012:assumed-role/new-role/*';

// «…» marks each declared pattern: its line is what the view shows ("declared in infra/wif.tf:2").
const WIF_TF = marked(`resource "datadog_aws_wif_identity_mapping" "terraform_runner" {
  arn_pattern        = «"${RUNNER}"»
  account_identifier = "terraform@example.com"
}

resource "datadog_aws_wif_identity_mapping" "deploy" {
  arn_pattern        = «"${DEPLOY}"»
  account_identifier = "deploy@example.com"
}

resource "datadog_aws_wif_intake_mapping" "agents" {
  arn_pattern = «"${AGENTS}"»
}
`);
const LIST_YAML = marked(`intake_mappings:
  - arn_pattern: «${CI}»
`);

/** The org, as the client would send it after listing a site. */
const ORG: OrgMapping[] = [
  { kind: 'identity', id: 'id-runner', arnPattern: RUNNER, accountIdentifier: 'terraform@example.com' },
  { kind: 'identity', id: 'id-deploy', arnPattern: DEPLOY, accountIdentifier: 'someone-else@example.com' },
  { kind: 'intake', id: 'in-runner', arnPattern: RUNNER },
  { kind: 'intake', id: 'in-ci', arnPattern: CI },
];

function capabilities() {
  return {
    window: { workDoneProgress: true },
    workspace: { configuration: true, didChangeConfiguration: { dynamicRegistration: true }, didChangeWatchedFiles: { dynamicRegistration: true }, workspaceFolders: true },
    textDocument: { synchronization: { dynamicRegistration: false }, publishDiagnostics: { versionSupport: true, dataSupport: true } },
  };
}

describe('language server: datadogWif/mappingsDrift over the workspace index', { skip: noBundle }, () => {
  const dir = fs.realpathSync(fs.mkdtempSync(path.join(os.tmpdir(), 'dd-wif-lsp-drift-')));
  const write = (rel: string, text: string) => {
    fs.mkdirSync(path.dirname(path.join(dir, rel)), { recursive: true });
    fs.writeFileSync(path.join(dir, rel), text);
  };
  const uri = (rel: string) => pathToFileURL(path.join(dir, rel)).href;
  let client: LspClient;
  /** Releases the server's first settings pull: until then it knows no folder and has read nothing. */
  let releaseSettings!: () => void;
  const settingsHeld = new Promise<void>((resolve) => (releaseSettings = resolve));

  before(async () => {
    write('infra/wif.tf', WIF_TF.text);
    write('agent/wif-mappings.yaml', LIST_YAML.text);
    write('agent/datadog.yaml', 'site: datadoghq.com\n');
    client = LspClient.start(serverJs, { cwd: root });
    client.settings = { datadogWif: { severity: {}, agentConfigFiles: ['**/wif-mappings.yaml'] }, 'files.exclude': {} };
    client.onRequest('workspace/codeLens/refresh', () => null);
    client.onRequest('workspace/configuration', async (params) => {
      await settingsHeld;
      const items = (params as { items: { section?: string; scopeUri?: string }[] }).items;
      return items.map((i) => client.settingsFor(i.scopeUri)[i.section ?? ''] ?? null);
    });
    await client.initialize({ capabilities: capabilities(), workspaceFolders: [{ uri: pathToFileURL(dir).href, name: 'w' }] });
  });
  after(async () => {
    await client?.dispose();
    fs.rmSync(dir, { recursive: true, force: true });
  });

  const ask = (mappings: unknown = ORG, site: unknown = 'datadoghq.com') => client.request<MappingsDriftResult>(MappingsDriftRequest, { site, mappings }, LONG.timeoutMs);

  test('before the workspace is read the answer says scanning; once it is, the server says so and the full drift comes', async () => {
    const early = await ask();
    assert.equal(early.scanning, true, 'answered before the settings and the scan, without saying so');
    const mark = client.mark();
    releaseSettings();
    const told = await client.waitForNotification<{ scanning: boolean }>(DeclaredMappingsChangedNotification, (p) => p.scanning === false, { since: mark, ...LONG });
    assert.deepEqual(told, { scanning: false });

    const { drift, scanning } = await ask();
    assert.equal(scanning, false);
    const tf = uri('infra/wif.tf');
    // The identity mapping of the runner: declared once, at its pattern's line (0-based), with its resource's name.
    assert.deepEqual(
      drift.inStep.map((s) => [s.org.id, s.declared.map((d) => [d.path, d.line, d.kind])]),
      [
        ['id-runner', [[tf, WIF_TF.ranges[0].start.line, 'identity']]],
        ['in-ci', [[uri('agent/wif-mappings.yaml'), LIST_YAML.ranges[0].start.line, 'intake']]],
      ],
    );
    assert.match(drift.inStep[0].declared[0].owner, /terraform_runner/);
    assert.deepEqual(drift.onlyInOrg.map((m) => m.id), ['in-runner']);
    assert.deepEqual(drift.accountMismatch.map((m) => [m.org.id, m.declared.accountIdentifier, m.declared.line]), [['id-deploy', 'deploy@example.com', WIF_TF.ranges[1].start.line]]);
    assert.deepEqual(drift.onlyInCode.map((d) => [d.kind, d.pattern, d.line]), [['intake', AGENTS, WIF_TF.ranges[2].start.line]]);
    assert.deepEqual(drift.unknown, []);
  });

  test('a declaration changed on disk is told (debounced, once); a change that declares nothing new is not', async () => {
    let mark = client.mark();
    write('infra/wif.tf', `${WIF_TF.text}\nresource "datadog_aws_wif_intake_mapping" "new_role" {\n  arn_pattern = "${NEW}"\n}\n`);
    client.notify('workspace/didChangeWatchedFiles', { changes: [{ uri: uri('infra/wif.tf'), type: 2 }] });
    await client.waitForNotification(DeclaredMappingsChangedNotification, () => true, { since: mark, ...LONG });
    const { drift } = await ask();
    assert.ok(drift.onlyInCode.some((d) => d.pattern === NEW), JSON.stringify(drift.onlyInCode));

    // The Agent's datadog.yaml changes, its mappings do not: nothing to tell.
    mark = client.mark();
    write('agent/datadog.yaml', 'site: datadoghq.eu\n');
    client.notify('workspace/didChangeWatchedFiles', { changes: [{ uri: uri('agent/datadog.yaml'), type: 2 }] });
    await delay(SETTLE_MS);
    assert.deepEqual(client.received(DeclaredMappingsChangedNotification, mark), []);

    // An open document's unsaved text counts (the workspace index prefers it to the disk).
    mark = client.mark();
    client.notify('textDocument/didOpen', { textDocument: { uri: uri('agent/wif-mappings.yaml'), languageId: 'yaml', version: 1, text: 'intake_mappings: []\n' } });
    await client.waitForNotification(DeclaredMappingsChangedNotification, () => true, { since: mark, ...LONG });
    const after = await ask();
    assert.deepEqual(after.drift.onlyInOrg.map((m) => m.id).sort(), ['in-ci', 'in-runner']);
    client.notify('textDocument/didClose', { textDocument: { uri: uri('agent/wif-mappings.yaml') } });
  });

  test('malformed params are answered (the bad entries left out), and the server lives on', async () => {
    const odd = await ask([null, 42, { kind: 'persona', id: 'x', arnPattern: RUNNER }, { kind: 'identity', id: 7, arnPattern: RUNNER }, { kind: 'intake', id: 'in-ci', arnPattern: CI, accountIdentifier: { no: 1 } }, ORG[0]], 12);
    assert.deepEqual(odd.drift.inStep.map((s) => s.org.id), ['id-runner']);
    assert.deepEqual(odd.drift.onlyInOrg, []);
    const none = await client.request<MappingsDriftResult>(MappingsDriftRequest, null, LONG.timeoutMs);
    assert.deepEqual([none.drift.inStep, none.drift.onlyInOrg], [[], []]);
    assert.ok(none.drift.onlyInCode.length > 0, 'with no org mappings, every declared one is only in code');
    assert.ok(client.isAlive);
  });
});
