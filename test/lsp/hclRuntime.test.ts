// The server loads the HCL parser (tree-sitter, WebAssembly) only for
// Terraform: a session with only datadog.yaml files never loads it, so nothing
// but the YAML lint stands between opening the file and its diagnostics. The
// first Terraform file waits for the parser and is then published with its
// findings: no empty list first. The server says when the parser loaded
// (window/logMessage), which is what these tests watch.

import { after, before, describe, test } from 'node:test';
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { pathToFileURL } from 'node:url';
import { LspClient } from './jsonrpc-client';

const root = path.resolve(__dirname, '..', '..', '..');
const serverJs = process.env.DD_WIF_SERVER_JS ? path.resolve(process.env.DD_WIF_SERVER_JS) : path.join(root, 'dist', 'server.js');
const noBundle = fs.existsSync(serverJs) ? false : `${path.relative(root, serverJs)} is missing: run \`npm run build\` first (LSP tests skipped)`;

const PUBLISH = 'textDocument/publishDiagnostics';
const LOADED = /Loaded the HCL parser/;
const YAML = 'api_key: 0123456789abcdef0123456789abcdef\nsite: datadoghq.com\ndelegated_auth:\n  org_uuid: not-a-uuid\n';
const TF = 'provider "datadog" {\n  cloud_provider_type = "gcp"\n  org_uuid            = var.org\n}\n';

interface Publish {
  uri: string;
  diagnostics: { code?: string | number }[];
}

describe('language server: the HCL parser loads with the first Terraform file', { skip: noBundle }, () => {
  // Files of a folder that does not exist: the folder-wide rules read nothing from disk.
  const dir = path.join(root, 'test', 'fixtures', 'lsp', 'no-such-folder');
  const yamlUri = pathToFileURL(path.join(dir, 'datadog.yaml')).href;
  const tfUri = pathToFileURL(path.join(dir, 'main.tf')).href;
  let client: LspClient;
  const logs = () => (client.received('window/logMessage') as { message: string }[]).map((m) => m.message);
  const publishes = (uri: string) => (client.received(PUBLISH) as Publish[]).filter((p) => p.uri === uri);

  before(async () => {
    client = LspClient.start(serverJs, { cwd: root });
    client.settings = { datadogWif: { severity: {}, agentConfigFiles: [] } };
    client.onRequest('workspace/codeLens/refresh', () => null);
    await client.initialize({ capabilities: { workspace: { configuration: true } } });
    client.notify('initialized', {});
  });
  after(async () => {
    await client?.dispose();
  });

  test('a datadog.yaml gets its diagnostics and the parser is never loaded', async () => {
    client.notify('textDocument/didOpen', { textDocument: { uri: yamlUri, languageId: 'yaml', version: 1, text: YAML } });
    const published = await client.waitForNotification<Publish>(PUBLISH, (p) => p.uri === yamlUri && p.diagnostics.length > 0);
    assert.deepEqual(published.diagnostics.map((d) => d.code), ['agent/org-uuid-invalid']);
    // An edit, and a request the server answers after it: everything queued before is handled by then.
    client.notify('textDocument/didChange', { textDocument: { uri: yamlUri, version: 2 }, contentChanges: [{ text: YAML.replace('not-a-uuid', 'still-not') }] });
    await client.request('datadogWif/serverInfo', {});
    assert.deepEqual(logs().filter((m) => LOADED.test(m)), []);
  });

  test('the first main.tf loads it, waits for it, and is published once, with its findings', async () => {
    client.notify('textDocument/didOpen', { textDocument: { uri: tfUri, languageId: 'terraform', version: 1, text: TF } });
    const first = await client.waitForNotification<Publish>(PUBLISH, (p) => p.uri === tfUri, { timeoutMs: 30_000 });
    assert.ok(first.diagnostics.some((d) => d.code === 'tf/cloud-provider-type-invalid'), JSON.stringify(first.diagnostics));
    assert.equal(logs().filter((m) => LOADED.test(m)).length, 1);
    // Past any coalescing wait of the open's content change: still that one publish.
    await new Promise((r) => setTimeout(r, 500));
    assert.equal(publishes(tfUri).length, 1, JSON.stringify(publishes(tfUri)));
  });
});
