// A Kubernetes manifest opened over LSP is an 'agent-env' document: the
// server publishes the env rules' findings on the exact characters, answers
// hover, completion, quick fixes, code lenses and datadogWif/fileKind for it,
// as for a datadog.yaml. `node dist/server.js --stdio` with our JSON-RPC
// client; needs the bundle.

import { after, before, describe, test } from 'node:test';
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { pathToFileURL } from 'node:url';
import { LspClient } from './jsonrpc-client';

const root = path.resolve(__dirname, '..', '..', '..');
const serverJs = process.env.DD_WIF_SERVER_JS ? path.resolve(process.env.DD_WIF_SERVER_JS) : path.join(root, 'dist', 'server.js');
const noBundle = fs.existsSync(serverJs) ? false : `${path.relative(root, serverJs)} is missing: run \`npm run build\` first (LSP tests skipped)`;

const PUBLISH = 'textDocument/publishDiagnostics';
const UUID = '11111111-2222-3333-4444-555555555555';

interface Diag {
  range: { start: { line: number; character: number }; end: { line: number; character: number } };
  code?: string;
  severity?: number;
  message: string;
}

const MANIFEST = [
  'apiVersion: apps/v1',
  'kind: DaemonSet',
  'metadata: {name: datadog}',
  'spec:',
  '  template:',
  '    spec:',
  '      containers:',
  '        - name: agent',
  '          image: gcr.io/datadoghq/agent:7.77.0',
  '          env:',
  '            - {name: DD_API_KEY, valueFrom: {secretKeyRef: {name: s, key: k}}}',
  '            - name: DD_DELEGATED_AUTH_ORG_UUID',
  `              value: "${UUID}"`,
  '            - name: DD_DELEGATED_AUTH_AWS_REGION',
  '              value: us-east-1x',
  '',
].join('\n');

describe('language server: a Kubernetes manifest (agent-env)', { skip: noBundle }, () => {
  let client: LspClient;
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'dd-wif-lsp-env-'));
  const uri = pathToFileURL(path.join(dir, 'agent-daemonset.yaml')).href;

  before(async () => {
    client = LspClient.start(serverJs, { cwd: root });
    client.onRequest('workspace/codeLens/refresh', () => null);
    await client.initialize({
      capabilities: {
        workspace: { configuration: false, didChangeConfiguration: { dynamicRegistration: false }, codeLens: { refreshSupport: true } },
        textDocument: { publishDiagnostics: { versionSupport: true }, hover: { contentFormat: ['markdown'] }, completion: { completionItem: { snippetSupport: true } } },
      },
    });
  });
  after(async () => {
    await client?.dispose();
    fs.rmSync(dir, { recursive: true, force: true });
  });

  test('didOpen: the env rules\' findings on the exact characters; fileKind says agent-env', async () => {
    const mark = client.mark();
    client.notify('textDocument/didOpen', { textDocument: { uri, languageId: 'yaml', version: 1, text: MANIFEST } });
    const p = await client.waitForNotification<{ uri: string; version?: number; diagnostics: Diag[] }>(PUBLISH, (x) => x.uri === uri && x.version === 1, { since: mark });
    assert.deepEqual(
      p.diagnostics.map((d) => [d.code, d.severity, d.range.start.line, d.range.start.character, d.range.end.character]),
      [
        ['agent/version-unsupported', 1, 8, 17, 46],
        ['agent/region-invalid', 1, 14, 21, 31],
      ],
    );
    assert.deepEqual(await client.request('datadogWif/fileKind', { uri }), { kind: 'agent-env' });
  });

  test('hover on a variable, completion of a value, the quick fix and the Test Login lens', async () => {
    const hover = await client.request('textDocument/hover', { textDocument: { uri }, position: { line: 11, character: 22 } });
    assert.match(hover.contents.value, /`DD_DELEGATED_AUTH_ORG_UUID`\*\* sets `delegated_auth\.org_uuid`/);
    const completion = await client.request('textDocument/completion', { textDocument: { uri }, position: { line: 14, character: 23 } });
    const items = Array.isArray(completion) ? completion : completion.items;
    assert.ok(items.some((i: { label: string }) => i.label === 'us-east-1'));
    const actions = await client.request('textDocument/codeAction', {
      textDocument: { uri },
      range: { start: { line: 14, character: 21 }, end: { line: 14, character: 31 } },
      context: { diagnostics: [], only: ['quickfix'] },
    });
    assert.deepEqual(actions.map((a: { title: string }) => a.title), ['Replace with `us-east-1`']);
    const lenses = await client.request('textDocument/codeLens', { textDocument: { uri } });
    assert.equal(lenses.length, 1);
    assert.equal(lenses[0].command.command, 'datadogWif.testLoginAgent');
    assert.equal(lenses[0].command.arguments[0].orgUuid, UUID);
    assert.equal(lenses[0].range.start.line, 11);
  });
});
