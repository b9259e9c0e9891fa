// The live checks over real LSP (our JSON-RPC client, dist/server.js): the
// client's `datadogWif/orgMappings` notification makes org/mapping-exists and
// org/mapping-conflict appear on the files that hold mapping patterns, open
// or only on disk, with the import quick fix; an empty list makes them go.
// Needs the bundle (`npm run build`); without it the tests are skipped.

import { after, before, describe, test } from 'node:test';
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { pathToFileURL } from 'node:url';
import { LspClient, delay } from './jsonrpc-client';
import { applyEdits } from '../helpers/markers';
import { MAX_COALESCE_MS } from '../../server/src/lsp/diagnostics';
import { CROSS_FILE_DELAY_MS } from '../../server/src/lsp/workspace';
import { OrgMappingsNotification, type OrgMappingsParams } from '../../server/src/lsp/protocol';

const root = path.resolve(__dirname, '..', '..', '..');
const serverJs = process.env.DD_WIF_SERVER_JS ? path.resolve(process.env.DD_WIF_SERVER_JS) : path.join(root, 'dist', 'server.js');
const noBundle = fs.existsSync(serverJs) ? false : `${path.relative(root, serverJs)} is missing: run \`npm run build\` first (LSP tests skipped)`;

const PUBLISH = 'textDocument/publishDiagnostics';
/** Long enough for any publish still to come: a wait before asserting that something did NOT happen, not a timing assertion. */
const SETTLE_MS = 4 * MAX_COALESCE_MS + 4 * CROSS_FILE_DELAY_MS;
const LONG = { timeoutMs: 60_000 };

interface Diag {
  code?: string | number;
  message: string;
  severity?: number;
  range: { start: { line: number; character: number }; end: { line: number; character: number } };
  data?: unknown;
}
interface PublishParams {
  uri: string;
  version?: number;
  diagnostics: Diag[];
}

const ROLE = 'arn:aws:sts::123456789012:assumed-role/datadog-agent/*';
const ID = '3b7c2a10-5d4e-4f6a-8b9c-0d1e2f3a4b5c';
const WIF_TF = `resource "datadog_aws_wif_intake_mapping" "agents" {\n  arn_pattern = "${ROLE}"\n}\n`;
const AGENT = `intake_mappings:\n  - arn_pattern: "arn:aws:sts::123456789012:assumed-role/datadog-agent/i-0abc"\n`;
const PROVIDER_TF = `provider "datadog" {\n  cloud_provider_type = "aws"\n  org_uuid            = var.datadog_org_uuid\n}\n`;
const SNAPSHOT: OrgMappingsParams = { sites: [{ site: 'datadoghq.com', mappings: [{ kind: 'intake', id: ID, arnPattern: ROLE }] }] };

const orgCodes = (p: PublishParams) => p.diagnostics.map((d) => String(d.code)).filter((c) => c.startsWith('org/'));

describe('language server: datadogWif/orgMappings (live checks)', { skip: noBundle }, () => {
  const dir = fs.realpathSync(fs.mkdtempSync(path.join(os.tmpdir(), 'dd-wif-lsp-live-')));
  const uri = (rel: string) => pathToFileURL(path.join(dir, rel)).href;
  let client: LspClient;

  before(async () => {
    for (const [rel, text] of Object.entries({ 'infra/wif.tf': WIF_TF, 'infra/providers.tf': PROVIDER_TF })) {
      fs.mkdirSync(path.dirname(path.join(dir, rel)), { recursive: true });
      fs.writeFileSync(path.join(dir, rel), text);
    }
    client = LspClient.start(serverJs, { cwd: root });
    client.settings = { datadogWif: { severity: {}, agentConfigFiles: [] } };
    client.onRequest('workspace/codeLens/refresh', () => null);
    await client.initialize({
      capabilities: { workspace: { configuration: true, workspaceFolders: true }, textDocument: { publishDiagnostics: { versionSupport: true, dataSupport: true } } },
      workspaceFolders: [{ uri: pathToFileURL(dir).href, name: 'w' }],
    });
  });
  after(async () => {
    await client?.dispose();
    fs.rmSync(dir, { recursive: true, force: true });
  });

  test('the org\'s mappings make the findings appear on the files that hold patterns (open or on disk), with the import fix; an empty list makes them go', async () => {
    // A datadog.yaml open in the editor (not on disk), and wif.tf only on disk: both published first without org/* findings.
    const agentUri = uri('agent/datadog.yaml');
    client.notify('textDocument/didOpen', { textDocument: { uri: agentUri, languageId: 'yaml', version: 1, text: AGENT } });
    const firstAgent = await client.waitForNotification<PublishParams>(PUBLISH, (p) => p.uri === agentUri, LONG);
    assert.deepEqual(orgCodes(firstAgent), []);
    const firstTf = await client.waitForNotification<PublishParams>(PUBLISH, (p) => p.uri === uri('infra/wif.tf'), LONG);
    assert.deepEqual(orgCodes(firstTf), []);
    await client.waitForNotification<PublishParams>(PUBLISH, (p) => p.uri === uri('infra/providers.tf'), LONG);
    await delay(SETTLE_MS);

    let mark = client.mark();
    client.notify(OrgMappingsNotification, SNAPSHOT);
    const tf = await client.waitForNotification<PublishParams>(PUBLISH, (p) => p.uri === uri('infra/wif.tf'), { since: mark, ...LONG });
    assert.deepEqual(orgCodes(tf), ['org/mapping-exists']);
    const exists = tf.diagnostics.find((d) => d.code === 'org/mapping-exists')!;
    assert.equal(exists.severity, 3, 'information');
    assert.match(exists.message, new RegExp(ID));
    assert.deepEqual(exists.range, { start: { line: 1, character: 16 }, end: { line: 1, character: 16 + ROLE.length + 2 } });
    const agent = await client.waitForNotification<PublishParams>(PUBLISH, (p) => p.uri === agentUri, { since: mark, ...LONG });
    assert.deepEqual(orgCodes(agent), ['org/mapping-conflict']);
    assert.equal(agent.diagnostics.find((d) => d.code === 'org/mapping-conflict')!.severity, 2, 'warning');
    // A file without any pattern is not published again.
    await delay(SETTLE_MS);
    assert.equal((client.received(PUBLISH, mark) as PublishParams[]).filter((p) => p.uri === uri('infra/providers.tf')).length, 0);

    // Opened, wif.tf offers the import block, and the fixed text is published without the finding.
    const tfUri = uri('infra/wif.tf');
    mark = client.mark();
    client.notify('textDocument/didOpen', { textDocument: { uri: tfUri, languageId: 'terraform', version: 1, text: WIF_TF } });
    await client.waitForNotification<PublishParams>(PUBLISH, (p) => p.uri === tfUri && p.version === 1, { since: mark, ...LONG });
    const actions = await client.request<{ title: string; edit?: { changes?: Record<string, { range: Diag['range']; newText: string }[]> } }[]>('textDocument/codeAction', {
      textDocument: { uri: tfUri },
      range: exists.range,
      context: { diagnostics: [exists], only: ['quickfix'] },
    });
    const fix = actions.find((a) => a.title.startsWith('Import the existing mapping'));
    assert.ok(fix?.edit?.changes?.[tfUri], JSON.stringify(actions));
    const fixed = applyEdits(WIF_TF, fix.edit.changes[tfUri]);
    assert.match(fixed, new RegExp(`import \\{\\n  to = datadog_aws_wif_intake_mapping\\.agents\\n  id = "${ID}"\\n\\}`));
    mark = client.mark();
    client.notify('textDocument/didChange', { textDocument: { uri: tfUri, version: 2 }, contentChanges: [{ text: fixed }] });
    const afterFix = await client.waitForNotification<PublishParams>(PUBLISH, (p) => p.uri === tfUri && p.version === 2, { since: mark, ...LONG });
    assert.deepEqual(afterFix.diagnostics, []);

    // Turned off: an empty list, and the findings go.
    mark = client.mark();
    client.notify(OrgMappingsNotification, { sites: [] });
    const cleared = await client.waitForNotification<PublishParams>(PUBLISH, (p) => p.uri === agentUri, { since: mark, ...LONG });
    assert.deepEqual(orgCodes(cleared), []);
  });

  test('a malformed notification is ignored and leaves the server answering', async () => {
    client.notify(OrgMappingsNotification, { sites: [{ site: 7, mappings: 'x' }, null, { site: 'datadoghq.com', mappings: [{ kind: 'nope', id: 1 }] }] });
    client.notify(OrgMappingsNotification, null);
    const info = await client.request<{ pid: number }>('datadogWif/serverInfo');
    assert.equal(typeof info.pid, 'number');
    assert.ok(client.isAlive);
  });
});
