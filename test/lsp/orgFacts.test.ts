// datadogWif/orgFacts over LSP: once the client sends the orgs it reached with
// the user's credentials, the org UUID finding of a datadog.yaml gets the fix
// that writes that org's UUID, and the hover of a valid org_uuid says whether
// it is that org; a new list replaces the old one (an empty one: nothing).
// `node dist/server.js --stdio` with our JSON-RPC client; needs the bundle.

import { after, before, describe, test } from 'node:test';
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { pathToFileURL } from 'node:url';
import { LspClient } from './jsonrpc-client';
import { OrgFactsNotification } from '../../server/src/lsp/protocol';

const root = path.resolve(__dirname, '..', '..', '..');
const serverJs = process.env.DD_WIF_SERVER_JS ? path.resolve(process.env.DD_WIF_SERVER_JS) : path.join(root, 'dist', 'server.js');
const noBundle = fs.existsSync(serverJs) ? false : `${path.relative(root, serverJs)} is missing: run \`npm run build\` first (LSP tests skipped)`;

const PUBLISH = 'textDocument/publishDiagnostics';
const ORG = '0b0e6f8e-7d1c-4a2b-9c3d-5e6f7a8b9c0d';
const MISSING = 'api_key: x\ndelegated_auth:\n  provider: aws\n';
const VALID = `api_key: x\ndelegated_auth:\n  org_uuid: ${ORG}\n`;

interface Diag {
  range: { start: { line: number; character: number }; end: { line: number; character: number } };
  code?: string;
  message: string;
}

describe('language server: org facts (datadogWif/orgFacts)', { skip: noBundle }, () => {
  let client: LspClient;
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'dd-wif-lsp-org-'));
  const missingUri = pathToFileURL(path.join(dir, 'missing', 'datadog.yaml')).href;
  const validUri = pathToFileURL(path.join(dir, 'valid', 'datadog.yaml')).href;

  before(async () => {
    client = LspClient.start(serverJs, { cwd: root });
    client.onRequest('workspace/codeLens/refresh', () => null);
    await client.initialize({
      capabilities: {
        workspace: { configuration: false, didChangeConfiguration: { dynamicRegistration: false } },
        textDocument: { publishDiagnostics: { versionSupport: true }, hover: { contentFormat: ['markdown'] } },
      },
    });
  });
  after(async () => {
    await client?.dispose();
    fs.rmSync(dir, { recursive: true, force: true });
  });

  const codeActions = async (diag: Diag) =>
    (await client.request<{ title: string; isPreferred?: boolean; edit: { changes: Record<string, { newText: string }[]> } }[]>('textDocument/codeAction', {
      textDocument: { uri: missingUri },
      range: diag.range,
      context: { diagnostics: [diag], only: ['quickfix'] },
    })) ?? [];
  const hoverText = async () => ((await client.request<{ contents: { value: string } } | null>('textDocument/hover', { textDocument: { uri: validUri }, position: { line: 2, character: 14 } }))?.contents.value ?? '');

  test('the fix and the hover line appear once the client sends the org, and go when it sends none', async () => {
    const mark = client.mark();
    client.notify('textDocument/didOpen', { textDocument: { uri: missingUri, languageId: 'yaml', version: 1, text: MISSING } });
    client.notify('textDocument/didOpen', { textDocument: { uri: validUri, languageId: 'yaml', version: 1, text: VALID } });
    const p = await client.waitForNotification<{ uri: string; diagnostics: Diag[] }>(PUBLISH, (x) => x.uri === missingUri, { since: mark });
    const diag = p.diagnostics.find((d) => d.code === 'agent/org-uuid-missing');
    assert.ok(diag, 'agent/org-uuid-missing is published');

    assert.deepEqual((await codeActions(diag)).map((a) => a.title), ['Insert `org_uuid: `'], 'before any facts: the rule\'s fix only');
    assert.doesNotMatch(await hoverText(), /acme-prod/);

    client.notify(OrgFactsNotification, { orgs: [{ site: 'datadoghq.com', orgUuid: ORG, orgName: 'acme-prod', source: 'keys' }] });
    // Notifications are handled in order: the request after it sees the facts.
    const actions = await codeActions(diag);
    assert.deepEqual(actions.map((a) => [a.title, a.isPreferred ?? false]), [
      ["Set org_uuid to the org of your datadoghq.com keys, 'acme-prod'", true],
      ['Insert `org_uuid: `', false],
    ]);
    assert.equal(actions[0].edit.changes[missingUri][0].newText, `  org_uuid: ${ORG}\n`);
    assert.match(await hoverText(), /This is the org 'acme-prod' \(your keys for datadoghq\.com\)$/);

    client.notify(OrgFactsNotification, { orgs: [{ site: 'datadoghq.com', orgUuid: '11111111-2222-3333-4444-555555555555', orgName: 'other', source: 'token' }] });
    assert.match(await hoverText(), /Your Test Login for datadoghq\.com belongs to another org, 'other'/);

    client.notify(OrgFactsNotification, { orgs: [] });
    assert.deepEqual((await codeActions(diag)).map((a) => a.title), ['Insert `org_uuid: `']);
    // A malformed notification is ignored, and the server still answers.
    client.notify(OrgFactsNotification, { orgs: 'nope' });
    client.notify(OrgFactsNotification, null);
    assert.deepEqual((await codeActions(diag)).map((a) => a.title), ['Insert `org_uuid: `']);
  });
});
