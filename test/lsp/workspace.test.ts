// The whole workspace over real LSP (our JSON-RPC client, dist/server.js):
// files never opened are checked and published, with progress; a change on
// disk (didChangeWatchedFiles) checks them again, a deletion clears them, a
// closed file keeps its findings; `datadogWif.scope: openFiles` keeps the
// behaviour of before (open documents only). Needs the bundle (`npm run
// build`); without it the tests are skipped with a message.

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
}
interface PublishParams {
  uri: string;
  version?: number;
  diagnostics: Diag[];
}

const BAD_AGENT = ['api_key: 0123456789abcdef0123456789abcdef', 'delegated_auth:', '  org_uuid: not-a-uuid', '  provider: aws', '  aws:', '    region: us-east-1', ''].join('\n');
const GOOD_AGENT = ['api_key: 0123456789abcdef0123456789abcdef', 'delegated_auth:', '  org_uuid: 11111111-2222-3333-4444-555555555555', '  provider: aws', '  aws:', '    region: us-east-1', ''].join('\n');
// The version rule fires in versions.tf only when another file of its folder configures cloud auth.
const VERSIONS = ['terraform {', '  required_providers {', '    datadog = {', '      source  = "DataDog/datadog"', '      version = "~> 3.7"', '    }', '  }', '}', ''].join('\n');
const KEYS_MAIN = ['provider "datadog" {', '  api_key = var.datadog_api_key', '  app_key = var.datadog_app_key', '}', ''].join('\n');
const CLOUD_MAIN = ['provider "datadog" {', '  cloud_provider_type   = "aws"', '  cloud_provider_region = "us-east-1"', '  org_uuid              = var.datadog_org_uuid', '}', ''].join('\n');

const DAEMONSET = ['apiVersion: apps/v1', 'kind: DaemonSet', 'metadata:', '  name: datadog-agent', 'spec:', '  template:', '    spec:', '      containers:', '        - name: agent', '          image: gcr.io/datadoghq/agent:7.78.0', '          env:', '            - name: DD_DELEGATED_AUTH_ORG_UUID', '              value: not-a-uuid', ''].join('\n');
const UNRELATED_MANIFEST = ['apiVersion: v1', 'kind: ConfigMap', 'metadata:', '  name: web', 'data:', '  a: b', ''].join('\n');

const codes = (p: PublishParams) => p.diagnostics.map((d) => String(d.code));
const pinned = (p: PublishParams) => codes(p).filter((c) => c === 'tf/provider-version-too-old').length;

function capabilities() {
  return {
    window: { workDoneProgress: true },
    workspace: { configuration: true, didChangeConfiguration: { dynamicRegistration: true }, didChangeWatchedFiles: { dynamicRegistration: true }, workspaceFolders: true },
    textDocument: { synchronization: { dynamicRegistration: false }, publishDiagnostics: { versionSupport: true, dataSupport: true } },
  };
}

/** A workspace folder in the temp directory, from `{ 'a/datadog.yaml': text }`. */
function makeWorkspace(files: Record<string, string>): { dir: string; uri: (rel: string) => string; write: (rel: string, text: string) => void } {
  const dir = fs.realpathSync(fs.mkdtempSync(path.join(os.tmpdir(), 'dd-wif-lsp-workspace-')));
  const write = (rel: string, text: string) => {
    fs.mkdirSync(path.dirname(path.join(dir, rel)), { recursive: true });
    fs.writeFileSync(path.join(dir, rel), text);
  };
  for (const [rel, text] of Object.entries(files)) write(rel, text);
  return { dir, uri: (rel) => pathToFileURL(path.join(dir, rel)).href, write };
}

async function startServer(dir: string, settings: Record<string, unknown>): Promise<LspClient> {
  const client = LspClient.start(serverJs, { cwd: root });
  client.settings = { datadogWif: { severity: {}, agentConfigFiles: [], ...settings }, 'files.exclude': { '**/ignored-by-vscode': true } };
  client.onRequest('workspace/codeLens/refresh', () => null);
  await client.initialize({ capabilities: capabilities(), workspaceFolders: [{ uri: pathToFileURL(dir).href, name: 'w' }] });
  return client;
}

/** The last publish for `uri` since `mark`, if any. */
function lastFor(client: LspClient, uri: string, mark = 0): PublishParams | undefined {
  return (client.received(PUBLISH, mark) as PublishParams[]).filter((p) => p.uri === uri).pop();
}

describe('language server: the whole workspace, never-opened files included (scope workspace)', { skip: noBundle }, () => {
  const w = makeWorkspace({
    'agent/datadog.yaml': BAD_AGENT,
    'tf/versions.tf': VERSIONS,
    'tf/main.tf': KEYS_MAIN,
    'node_modules/pkg/datadog.yaml': BAD_AGENT,
    'vendor/datadog.yaml': BAD_AGENT,
    'ignored-by-vscode/datadog.yaml': BAD_AGENT,
    'src/app.ts': 'export {};\n',
    'k8s/agent.yaml': DAEMONSET,
    'k8s/web.yaml': UNRELATED_MANIFEST,
  });
  let client: LspClient;

  before(async () => {
    client = await startServer(w.dir, { exclude: ['vendor'] });
  });
  after(async () => {
    await client?.dispose();
    fs.rmSync(w.dir, { recursive: true, force: true });
  });

  test('every file of ours is published without being opened, with progress; node_modules, datadogWif.exclude and files.exclude are left out', async () => {
    const agent = await client.waitForNotification<PublishParams>(PUBLISH, (p) => p.uri === w.uri('agent/datadog.yaml'), LONG);
    assert.ok(codes(agent).includes('agent/org-uuid-invalid'), JSON.stringify(agent));
    assert.equal(agent.version, undefined, 'a file of the disk has no document version');
    const versions = await client.waitForNotification<PublishParams>(PUBLISH, (p) => p.uri === w.uri('tf/versions.tf'), LONG);
    assert.equal(pinned(versions), 0, 'no cloud auth in the folder yet');
    // A Kubernetes manifest that sets the Agent's DD_* variables: read by its content (agent-env), never opened.
    const manifest = await client.waitForNotification<PublishParams>(PUBLISH, (p) => p.uri === w.uri('k8s/agent.yaml'), LONG);
    assert.ok(codes(manifest).includes('agent/org-uuid-invalid'), JSON.stringify(manifest));
    // Progress: begun with the number of files, ended.
    const progress = () => (client.received('$/progress') as { value: { kind: string; title?: string } }[]).map((p) => p.value);
    await client.waitForNotification<{ value: { kind: string } }>('$/progress', (p) => p.value.kind === 'end', LONG);
    assert.match(progress().find((v) => v.kind === 'begin')?.title ?? '', /^Datadog WIF: checking 5 files$/);
    await delay(SETTLE_MS);
    const published = new Set((client.received(PUBLISH) as PublishParams[]).map((p) => p.uri));
    for (const left of ['k8s/web.yaml', 'node_modules/pkg/datadog.yaml', 'vendor/datadog.yaml', 'ignored-by-vscode/datadog.yaml', 'src/app.ts']) assert.ok(!published.has(w.uri(left)), `${left} was published`);
    // The server asked the client to watch the files it reads.
    const registration = (client.serverRequests.filter((r) => r.method === 'client/registerCapability').map((r) => r.params) as { registrations: { method: string; registerOptions: { watchers: { globPattern: string }[] } }[] }[])
      .flatMap((p) => p.registrations)
      .find((r) => r.method === 'workspace/didChangeWatchedFiles');
    assert.deepEqual(
      registration?.registerOptions.watchers.map((x) => [x.globPattern, (x as { kind?: number }).kind]),
      [['**/*.tf', undefined], ['**/.terraform.lock.hcl', undefined], ['**/*.{yaml,yml,json}', undefined], ['**/*', 1 | 4]],
    );
  });

  test('a file changed on disk is checked again (didChangeWatchedFiles); its folder-mates follow, from the cache the event updated', async () => {
    let mark = client.mark();
    w.write('agent/datadog.yaml', GOOD_AGENT);
    client.notify('workspace/didChangeWatchedFiles', { changes: [{ uri: w.uri('agent/datadog.yaml'), type: 2 }] });
    const fixed = await client.waitForNotification<PublishParams>(PUBLISH, (p) => p.uri === w.uri('agent/datadog.yaml'), { since: mark, ...LONG });
    assert.ok(!codes(fixed).includes('agent/org-uuid-invalid'), JSON.stringify(fixed));

    // main.tf now configures cloud auth: versions.tf, never opened and unchanged, is judged with it.
    mark = client.mark();
    w.write('tf/main.tf', CLOUD_MAIN);
    client.notify('workspace/didChangeWatchedFiles', { changes: [{ uri: w.uri('tf/main.tf'), type: 2 }] });
    await client.waitForNotification<PublishParams>(PUBLISH, (p) => p.uri === w.uri('tf/versions.tf') && pinned(p) === 1, { since: mark, ...LONG });
  });

  test('a file created on disk is checked; one deleted loses its findings', async () => {
    let mark = client.mark();
    w.write('new/datadog.yaml', BAD_AGENT);
    client.notify('workspace/didChangeWatchedFiles', { changes: [{ uri: w.uri('new/datadog.yaml'), type: 1 }] });
    const created = await client.waitForNotification<PublishParams>(PUBLISH, (p) => p.uri === w.uri('new/datadog.yaml'), { since: mark, ...LONG });
    assert.ok(codes(created).includes('agent/org-uuid-invalid'));

    // A folder created with files in it (a checkout) may come as one event, for the folder.
    mark = client.mark();
    w.write('made/sub/datadog.yaml', BAD_AGENT);
    client.notify('workspace/didChangeWatchedFiles', { changes: [{ uri: w.uri('made'), type: 1 }] });
    const inFolder = await client.waitForNotification<PublishParams>(PUBLISH, (p) => p.uri === w.uri('made/sub/datadog.yaml'), { since: mark, ...LONG });
    assert.ok(codes(inFolder).includes('agent/org-uuid-invalid'));
    fs.rmSync(path.join(w.dir, 'made'), { recursive: true });
    client.notify('workspace/didChangeWatchedFiles', { changes: [{ uri: w.uri('made'), type: 3 }] });

    mark = client.mark();
    fs.rmSync(path.join(w.dir, 'new'), { recursive: true });
    // A folder's deletion is one event, for the folder.
    client.notify('workspace/didChangeWatchedFiles', { changes: [{ uri: w.uri('new'), type: 3 }] });
    const cleared = await client.waitForNotification<PublishParams>(PUBLISH, (p) => p.uri === w.uri('new/datadog.yaml'), { since: mark, ...LONG });
    assert.deepEqual(cleared.diagnostics, []);

    // versions.tf's folder loses main.tf: its cloud auth no longer makes the pin matter.
    mark = client.mark();
    fs.rmSync(path.join(w.dir, 'tf', 'main.tf'));
    client.notify('workspace/didChangeWatchedFiles', { changes: [{ uri: w.uri('tf/main.tf'), type: 3 }] });
    const gone = await client.waitForNotification<PublishParams>(PUBLISH, (p) => p.uri === w.uri('tf/main.tf'), { since: mark, ...LONG });
    assert.deepEqual(gone.diagnostics, []);
    await client.waitForNotification<PublishParams>(PUBLISH, (p) => p.uri === w.uri('tf/versions.tf') && pinned(p) === 0, { since: mark, ...LONG });
  });

  test('a closed file keeps its findings: what the disk holds, not the closed editor\'s unsaved text', async () => {
    const uri = w.uri('agent/datadog.yaml'); // GOOD_AGENT on disk
    let mark = client.mark();
    client.notify('textDocument/didOpen', { textDocument: { uri, languageId: 'yaml', version: 1, text: BAD_AGENT } });
    const open = await client.waitForNotification<PublishParams>(PUBLISH, (p) => p.uri === uri && p.version === 1, { since: mark, ...LONG });
    assert.ok(codes(open).includes('agent/org-uuid-invalid'));
    // Saved bad, then closed: its findings stay.
    w.write('agent/datadog.yaml', BAD_AGENT);
    mark = client.mark();
    client.notify('textDocument/didClose', { textDocument: { uri } });
    await delay(SETTLE_MS);
    const after = lastFor(client, uri, mark);
    assert.ok(after === undefined || codes(after).includes('agent/org-uuid-invalid'), `closing wiped the findings: ${JSON.stringify(after)}`);
    assert.ok(codes(lastFor(client, uri)!).includes('agent/org-uuid-invalid'));

    // Opened with unsaved edits that fix it, closed without saving: the disk's findings come back.
    mark = client.mark();
    client.notify('textDocument/didOpen', { textDocument: { uri, languageId: 'yaml', version: 1, text: GOOD_AGENT } });
    await client.waitForNotification<PublishParams>(PUBLISH, (p) => p.uri === uri && !codes(p).includes('agent/org-uuid-invalid'), { since: mark, ...LONG });
    mark = client.mark();
    client.notify('textDocument/didClose', { textDocument: { uri } });
    await client.waitForNotification<PublishParams>(PUBLISH, (p) => p.uri === uri && codes(p).includes('agent/org-uuid-invalid'), { since: mark, ...LONG });
  });

  test('an open file is recognised whatever the client\'s spelling of its URI (VS Code escapes + as %2B): the disk does not overwrite the editor', async () => {
    w.write('c+d/datadog.yaml', BAD_AGENT);
    let mark = client.mark();
    client.notify('workspace/didChangeWatchedFiles', { changes: [{ uri: w.uri('c+d/datadog.yaml'), type: 1 }] });
    await client.waitForNotification<PublishParams>(PUBLISH, (p) => p.uri === w.uri('c+d/datadog.yaml') && codes(p).includes('agent/org-uuid-invalid'), { since: mark, ...LONG });
    const vscodeUri = w.uri('c+d/datadog.yaml').replace('c+d', 'c%2Bd');
    mark = client.mark();
    client.notify('textDocument/didOpen', { textDocument: { uri: vscodeUri, languageId: 'yaml', version: 1, text: GOOD_AGENT } });
    await client.waitForNotification<PublishParams>(PUBLISH, (p) => p.uri === vscodeUri && p.version === 1, { since: mark, ...LONG });
    // Saved elsewhere (the disk is bad again): the open editor's text is what counts while it is open.
    mark = client.mark();
    w.write('c+d/datadog.yaml', BAD_AGENT.replace('not-a-uuid', 'still-not-a-uuid'));
    client.notify('workspace/didChangeWatchedFiles', { changes: [{ uri: vscodeUri, type: 2 }] });
    await delay(SETTLE_MS);
    const disk = (client.received(PUBLISH, mark) as PublishParams[]).filter((p) => p.uri === w.uri('c+d/datadog.yaml'));
    assert.deepEqual(disk, [], 'the file of the disk was published while it is open');
    client.notify('textDocument/didClose', { textDocument: { uri: vscodeUri } });
  });

  test('datadogWif.exclude changed: the excluded file\'s findings go, a file no longer excluded is checked', async () => {
    const mark = client.mark();
    client.settings = { ...client.settings, datadogWif: { severity: {}, agentConfigFiles: [], exclude: ['agent'] } };
    client.notify('workspace/didChangeConfiguration', { settings: null });
    const vendor = await client.waitForNotification<PublishParams>(PUBLISH, (p) => p.uri === w.uri('vendor/datadog.yaml'), { since: mark, ...LONG });
    assert.ok(codes(vendor).includes('agent/org-uuid-invalid'));
    const agent = await client.waitForNotification<PublishParams>(PUBLISH, (p) => p.uri === w.uri('agent/datadog.yaml'), { since: mark, ...LONG });
    assert.deepEqual(agent.diagnostics, []);
  });
});

describe('language server: datadogWif.scope openFiles keeps the behaviour of open documents only', { skip: noBundle }, () => {
  const w = makeWorkspace({ 'agent/datadog.yaml': BAD_AGENT, 'other/datadog.yaml': BAD_AGENT });
  let client: LspClient;

  before(async () => {
    client = await startServer(w.dir, { scope: 'openFiles' });
  });
  after(async () => {
    await client?.dispose();
    fs.rmSync(w.dir, { recursive: true, force: true });
  });

  test('nothing is published for a file never opened; an open one is, and closing it clears it', async () => {
    const uri = w.uri('agent/datadog.yaml');
    let mark = client.mark();
    client.notify('textDocument/didOpen', { textDocument: { uri, languageId: 'yaml', version: 1, text: BAD_AGENT } });
    const open = await client.waitForNotification<PublishParams>(PUBLISH, (p) => p.uri === uri, { since: mark, ...LONG });
    assert.ok(codes(open).includes('agent/org-uuid-invalid'));
    await delay(SETTLE_MS);
    assert.equal(lastFor(client, w.uri('other/datadog.yaml')), undefined, 'a file never opened was published');
    assert.equal(client.received('$/progress').length, 0, 'no scan, no progress');
    mark = client.mark();
    client.notify('textDocument/didClose', { textDocument: { uri } });
    const closed = await client.waitForNotification<PublishParams>(PUBLISH, (p) => p.uri === uri, { since: mark, ...LONG });
    assert.deepEqual(closed.diagnostics, []);
  });

  test('switched to workspace: the files never opened are checked', async () => {
    const mark = client.mark();
    client.settings = { ...client.settings, datadogWif: { severity: {}, agentConfigFiles: [], scope: 'workspace' } };
    client.notify('workspace/didChangeConfiguration', { settings: null });
    const other = await client.waitForNotification<PublishParams>(PUBLISH, (p) => p.uri === w.uri('other/datadog.yaml'), { since: mark, ...LONG });
    assert.ok(codes(other).includes('agent/org-uuid-invalid'));
  });
});

describe('language server: a file of ours the scan cannot read is reported, as dd-wif reports it', { skip: noBundle }, () => {
  const w = makeWorkspace({ 'big/datadog.yaml': `# ${'x'.repeat(2 * 1024 * 1024)}\n`, 'ok/datadog.yaml': BAD_AGENT });
  fs.writeFileSync(path.join(w.dir, 'ok', 'main.tf'), Buffer.concat([Buffer.from([0xff, 0xfe]), Buffer.from(KEYS_MAIN, 'utf16le')]));
  let client: LspClient;

  before(async () => {
    client = await startServer(w.dir, {});
  });
  after(async () => {
    await client?.dispose();
    fs.rmSync(w.dir, { recursive: true, force: true });
  });

  test('over 2 MiB: its one "not checked" finding; UTF-16 Terraform: the encoding finding', async () => {
    const big = await client.waitForNotification<PublishParams>(PUBLISH, (p) => p.uri === w.uri('big/datadog.yaml'), LONG);
    assert.deepEqual(codes(big), ['agent/yaml-syntax']);
    assert.match(big.diagnostics[0].message, /Not checked/);
    const utf16 = await client.waitForNotification<PublishParams>(PUBLISH, (p) => p.uri === w.uri('ok/main.tf'), LONG);
    assert.deepEqual(codes(utf16), ['tf/hcl-syntax']);
    assert.match(utf16.diagnostics[0].message, /UTF-16/);
    // Deleted: its finding goes.
    const mark = client.mark();
    fs.rmSync(path.join(w.dir, 'big'), { recursive: true });
    client.notify('workspace/didChangeWatchedFiles', { changes: [{ uri: w.uri('big'), type: 3 }] });
    const gone = await client.waitForNotification<PublishParams>(PUBLISH, (p) => p.uri === w.uri('big/datadog.yaml'), { since: mark, ...LONG });
    assert.deepEqual(gone.diagnostics, []);
  });
});

// Cross-file: examples/role-not-mapped/bad (a DaemonSet whose ServiceAccount's IRSA role no
// intake mapping of mappings.tf matches), with the other env forms beside it; nothing opened
// except where a request needs the document (codeAction).
const example = (rel: string) => fs.readFileSync(path.join(root, 'examples', rel), 'utf8');
const MANIFEST_REL = 'k8s/datadog-agent.yaml';
const MAPPINGS_REL = 'terraform/mappings.tf';
const UNMAPPED_ROLE = 'arn:aws:iam::123456789012:role/datadog-agent-prod';
const MAPPED_ROLE = 'arn:aws:iam::123456789012:role/datadog-agent';

describe('language server: the Agent\'s role against the workspace\'s intake mappings, files never opened', { skip: noBundle }, () => {
  const w = makeWorkspace({
    [MANIFEST_REL]: example('role-not-mapped/bad/k8s/datadog-agent.yaml'),
    [MAPPINGS_REL]: example('role-not-mapped/bad/terraform/mappings.tf'),
    'helm/values.yaml': example('agent-env/helm/bad/values.yaml'),
    'ecs/task-definition.json': example('agent-env/ecs/bad/task-definition.json'),
    'compose/docker-compose.yaml': example('agent-env/compose/bad/docker-compose.yaml'),
  });
  const manifest = w.uri(MANIFEST_REL);
  const roleNotMapped = (p: PublishParams) => codes(p).includes('agent/role-not-mapped');
  let client: LspClient;

  before(async () => {
    client = await startServer(w.dir, {});
  });
  after(async () => {
    await client?.dispose();
    fs.rmSync(w.dir, { recursive: true, force: true });
  });

  test('the never-opened manifest gets agent/role-not-mapped; Helm values, an ECS task definition and a compose file their agent/* findings', async () => {
    const k8s = await client.waitForNotification<PublishParams>(PUBLISH, (p) => p.uri === manifest && roleNotMapped(p), LONG);
    assert.deepEqual(codes(k8s), ['agent/role-not-mapped']);
    assert.equal(k8s.diagnostics[0].severity, 2);
    assert.match(k8s.diagnostics[0].message, /datadog-agent-prod/);
    const expected: [string, string[]][] = [
      ['helm/values.yaml', ['agent/helm-api-key-required', 'agent/org-uuid-invalid', 'agent/version-unsupported']],
      ['ecs/task-definition.json', ['agent/org-uuid-invalid', 'agent/provider-invalid', 'agent/version-unsupported']],
      ['compose/docker-compose.yaml', ['agent/org-uuid-invalid', 'agent/region-invalid', 'agent/version-unsupported']],
    ];
    for (const [rel, some] of expected) {
      const p = await client.waitForNotification<PublishParams>(PUBLISH, (x) => x.uri === w.uri(rel), LONG);
      for (const code of some) assert.ok(codes(p).includes(code), `${rel}: ${code} missing from ${codes(p).join(', ')}`);
      assert.equal(p.version, undefined, `${rel} was never opened`);
    }
  });

  test('the manifest\'s role changed on disk to a mapped one: the warning goes; back to the unmapped role: it returns', async () => {
    let mark = client.mark();
    w.write(MANIFEST_REL, example('role-not-mapped/bad/k8s/datadog-agent.yaml').replace(UNMAPPED_ROLE, MAPPED_ROLE));
    client.notify('workspace/didChangeWatchedFiles', { changes: [{ uri: manifest, type: 2 }] });
    const cleared = await client.waitForNotification<PublishParams>(PUBLISH, (p) => p.uri === manifest && !roleNotMapped(p), { since: mark, ...LONG });
    assert.deepEqual(cleared.diagnostics, []);

    mark = client.mark();
    w.write(MANIFEST_REL, example('role-not-mapped/bad/k8s/datadog-agent.yaml'));
    client.notify('workspace/didChangeWatchedFiles', { changes: [{ uri: manifest, type: 2 }] });
    await client.waitForNotification<PublishParams>(PUBLISH, (p) => p.uri === manifest && roleNotMapped(p), { since: mark, ...LONG });
  });

  test('its quick fix edits mappings.tf; that edit written to disk (the manifest untouched) clears the warning', async () => {
    const warning = lastFor(client, manifest)!.diagnostics.find((d) => d.code === 'agent/role-not-mapped')! as Diag & { range: { start: { line: number; character: number }; end: { line: number; character: number } } };
    assert.ok(warning, 'the warning is published');
    // codeAction answers for an open document (VS Code opens one to ask its providers).
    const text = example('role-not-mapped/bad/k8s/datadog-agent.yaml');
    client.notify('textDocument/didOpen', { textDocument: { uri: manifest, languageId: 'yaml', version: 1, text } });
    const actions = (await client.request('textDocument/codeAction', { textDocument: { uri: manifest }, range: warning.range, context: { diagnostics: [warning], only: ['quickfix'] } })) as {
      title: string;
      kind: string;
      edit: { changes: Record<string, { range: { start: { line: number; character: number }; end: { line: number; character: number } }; newText: string }[]> };
    }[];
    const fix = actions.find((a) => a.kind === 'quickfix' && a.edit?.changes?.[w.uri(MAPPINGS_REL)]);
    assert.ok(fix, `no action edits ${MAPPINGS_REL}: ${JSON.stringify(actions)}`);
    assert.deepEqual(Object.keys(fix.edit.changes), [w.uri(MAPPINGS_REL)], 'the manifest itself is not edited');
    const edited = applyEdits(example('role-not-mapped/bad/terraform/mappings.tf'), fix.edit.changes[w.uri(MAPPINGS_REL)]);
    assert.match(edited, /resource "datadog_aws_wif_intake_mapping" "[^"]+" \{\s*arn_pattern\s*=\s*"arn:aws:sts::123456789012:assumed-role\/datadog-agent-prod\/\*"/);

    const mark = client.mark();
    w.write(MAPPINGS_REL, edited);
    client.notify('workspace/didChangeWatchedFiles', { changes: [{ uri: w.uri(MAPPINGS_REL), type: 2 }] });
    const cleared = await client.waitForNotification<PublishParams>(PUBLISH, (p) => p.uri === manifest && !roleNotMapped(p), { since: mark, ...LONG });
    assert.deepEqual(cleared.diagnostics, []);
    const tf = lastFor(client, w.uri(MAPPINGS_REL), mark);
    assert.ok(tf === undefined || tf.diagnostics.every((d) => d.severity !== 1), `the edited mappings.tf has errors: ${JSON.stringify(tf)}`);
    client.notify('textDocument/didClose', { textDocument: { uri: manifest } });
  });
});
