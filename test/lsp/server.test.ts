// The language server as a black box over stdio: `node dist/server.js --stdio`
// driven by our own JSON-RPC client (jsonrpc-client.ts). Needs the bundle
// (`npm run build`); without it the tests are skipped with a message.

import { after, before, describe, test } from 'node:test';
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { LspClient, MessageReader, ResponseError, delay, frame, type Message } from './jsonrpc-client';
import { MAX_COALESCE_MS } from '../../server/src/lsp/diagnostics';

const root = path.resolve(__dirname, '..', '..', '..');
/** The bundle under test; DD_WIF_SERVER_JS points the tests at another build. */
const serverJs = process.env.DD_WIF_SERVER_JS ? path.resolve(process.env.DD_WIF_SERVER_JS) : path.join(root, 'dist', 'server.js');
const fixtures = path.join(root, 'test', 'fixtures', 'lsp');
const noBundle = fs.existsSync(serverJs) ? false : `${path.relative(root, serverJs)} is missing: run \`npm run build\` first (LSP tests skipped)`;

const PUBLISH = 'textDocument/publishDiagnostics';
/** Long enough for any publish still to come (a check waits at most MAX_COALESCE_MS): a wait, not an assertion. */
const SETTLE_MS = 4 * MAX_COALESCE_MS;

interface Pos {
  line: number;
  character: number;
}
interface Rng {
  start: Pos;
  end: Pos;
}
interface Diag {
  range: Rng;
  severity?: number;
  code?: string | number;
  codeDescription?: { href: string };
  source?: string;
  message: string;
  data?: unknown;
  relatedInformation?: { location: { uri: string; range: Rng }; message: string }[];
}
interface PublishParams {
  uri: string;
  version?: number;
  diagnostics: Diag[];
}

const uriOf = (file: string) => pathToFileURL(file).href;
const read = (name: string) => fs.readFileSync(path.join(fixtures, name), 'utf8');

/** The range of the `nth` occurrence of `needle` in `text` (0-based lines and UTF-16 characters). */
function rangeOf(text: string, needle: string, nth = 0): Rng {
  let at = -1;
  for (let i = 0; i <= nth; i++) {
    at = text.indexOf(needle, at + 1);
    if (at < 0) throw new Error(`"${needle}" not in the text`);
  }
  return { start: positionAt(text, at), end: positionAt(text, at + needle.length) };
}

/** The range of a mapping key `key:` written at the start of a line (after its indentation). */
function keyRange(text: string, key: string): Rng {
  const m = new RegExp(`^([ \\t]*)${key}:`, 'm').exec(text);
  if (!m) throw new Error(`no key "${key}" in the text`);
  const at = m.index + m[1].length;
  return { start: positionAt(text, at), end: positionAt(text, at + key.length) };
}

function positionAt(text: string, offset: number): Pos {
  const before = text.slice(0, offset).split('\n');
  return { line: before.length - 1, character: before[before.length - 1].length };
}

function offsetAt(text: string, pos: Pos): number {
  const lines = text.split('\n');
  let offset = 0;
  for (let l = 0; l < pos.line; l++) offset += lines[l].length + 1;
  return offset + pos.character;
}

/** Applies LSP text edits (non-overlapping) to a text. */
function applyEdits(text: string, edits: { range: Rng; newText: string }[]): string {
  const sorted = edits.map((e) => ({ start: offsetAt(text, e.range.start), end: offsetAt(text, e.range.end), newText: e.newText })).sort((a, b) => b.start - a.start);
  let out = text;
  for (const e of sorted) out = out.slice(0, e.start) + e.newText + out.slice(e.end);
  return out;
}

const byCode = (p: PublishParams, code: string) => p.diagnostics.filter((d) => d.code === code);

function clientCapabilities(opts: { configuration: boolean; snippets: boolean }) {
  return {
    workspace: { configuration: opts.configuration, didChangeConfiguration: { dynamicRegistration: true }, workspaceFolders: false },
    textDocument: {
      synchronization: { dynamicRegistration: false, didSave: false },
      publishDiagnostics: { relatedInformation: true, versionSupport: true, codeDescriptionSupport: true, dataSupport: true },
      hover: { contentFormat: ['markdown', 'plaintext'] },
      completion: { completionItem: { snippetSupport: opts.snippets, documentationFormat: ['markdown', 'plaintext'] } },
      codeAction: { codeActionLiteralSupport: { codeActionKind: { valueSet: ['quickfix', 'refactor', 'source'] } }, isPreferredSupport: true, dataSupport: true },
    },
  };
}

describe('language server over stdio (our JSON-RPC client)', { skip: noBundle }, () => {
  let client: LspClient;
  const file = path.join(fixtures, 'datadog.yaml');
  const uri = uriOf(file);
  const otherUri = uriOf(path.join(fixtures, 'other.yaml'));
  let text = read('datadog.yaml');
  let version = 1;
  let lastPublished: PublishParams;

  before(() => {
    client = LspClient.start(serverJs, { cwd: root });
    client.settings = { datadogWif: { severity: {}, agentConfigFiles: [] } };
  });
  after(async () => {
    await client?.dispose();
  });

  test('initialize: incremental sync, hover, completion, quick fixes; then it pulls its settings', async () => {
    const result = await client.initialize({ capabilities: clientCapabilities({ configuration: true, snippets: true }), clientInfo: { name: 'jsonrpc-client-test' } });
    const caps = result.capabilities;
    const sync = typeof caps.textDocumentSync === 'number' ? caps.textDocumentSync : caps.textDocumentSync?.change;
    assert.equal(sync, 2, 'incremental text sync');
    assert.equal(caps.hoverProvider, true);
    assert.ok(caps.completionProvider, 'completion');
    assert.deepEqual(caps.codeActionProvider?.codeActionKinds, ['quickfix']);
    assert.equal(result.serverInfo?.name, 'datadog-wif-language-server');

    const config = await client.waitForServerRequest('workspace/configuration');
    const items = (config.params as { items: { section?: string }[] }).items;
    assert.deepEqual(
      items.map((i) => i.section),
      ['datadogWif'],
    );
  });
  test('a client that registers notifications dynamically is asked for settings changes', async () => {
    const reg = await client.waitForServerRequest('client/registerCapability');
    const regs = (reg.params as { registrations: { method: string }[] }).registrations;
    assert.deepEqual(regs.map((r) => r.method), ['workspace/didChangeConfiguration']);
  });

  test('didOpen datadog.yaml with a bad org_uuid: publishDiagnostics with code, exact range, severity, source and docs link', async () => {
    const mark = client.mark();
    client.notify('textDocument/didOpen', { textDocument: { uri, languageId: 'yaml', version, text } });
    const p = await client.waitForNotification<PublishParams>(PUBLISH, (p) => p.uri === uri && p.version === version, { since: mark });
    const [d] = byCode(p, 'agent/org-uuid-invalid');
    assert.ok(d, `agent/org-uuid-invalid published: ${JSON.stringify(p.diagnostics)}`);
    assert.deepEqual(d.range, { start: { line: 3, character: 12 }, end: { line: 3, character: 22 } });
    assert.deepEqual(d.range, rangeOf(text, 'not-a-uuid'));
    assert.equal(d.severity, 1);
    assert.equal(d.source, 'datadog-wif');
    // The rule's page shipped beside the server (docs/rules/): it opens offline.
    assert.equal(d.codeDescription?.href, pathToFileURL(path.join(root, 'docs', 'rules', 'agent-org-uuid-invalid.md')).href);
    assert.match(fs.readFileSync(fileURLToPath(d.codeDescription.href), 'utf8'), /^# `agent\/org-uuid-invalid`$/m);
    assert.match(d.message, /not-a-uuid/);
    const [u] = byCode(p, 'agent/unknown-key');
    assert.deepEqual(u?.range, rangeOf(text, 'providr'));
    assert.equal(u.severity, 2);
    assert.equal(p.diagnostics.length, 2, JSON.stringify(p.diagnostics));
    lastPublished = p;
  });

  test('hover on org_uuid answers markdown about the key, with the key range', async () => {
    const key = keyRange(text, 'org_uuid');
    const hover = await client.request('textDocument/hover', { textDocument: { uri }, position: { line: key.start.line, character: key.start.character + 3 } });
    assert.ok(hover, 'a hover');
    assert.equal(hover.contents.kind, 'markdown');
    assert.match(hover.contents.value, /delegated_auth\.org_uuid/);
    assert.match(hover.contents.value, /UUID of the Datadog organization/);
    assert.deepEqual(hover.range, key);
    // On a key outside delegated_auth (api_key) there is nothing to say.
    const none = await client.request('textDocument/hover', { textDocument: { uri }, position: keyRange(text, 'api_key').start });
    assert.equal(none, null);
  });

  test('completion inside delegated_auth lists the keys not there yet, as snippets', async () => {
    // A new, empty line at the section's indentation, at the end of the file.
    const end = positionAt(text, text.length);
    version++;
    text += '  ';
    const mark = client.mark();
    client.notify('textDocument/didChange', { textDocument: { uri, version }, contentChanges: [{ range: { start: end, end }, text: '  ' }] });
    const items = await client.request('textDocument/completion', { textDocument: { uri }, position: { line: end.line, character: 2 }, context: { triggerKind: 1 } });
    const list: { label: string; insertTextFormat?: number; textEdit?: { newText: string } }[] = Array.isArray(items) ? items : items.items;
    const labels = list.map((i) => i.label);
    for (const k of ['provider', 'aws', 'refresh_interval_mins']) assert.ok(labels.includes(k), `${k} in ${labels}`);
    assert.ok(!labels.includes('org_uuid'), 'org_uuid is there already');
    const aws = list.find((i) => i.label === 'aws')!;
    assert.equal(aws.insertTextFormat, 2, 'a snippet: the client supports them');
    assert.match(aws.textEdit?.newText ?? '', /\$\{1\}/);
    await client.waitForNotification<PublishParams>(PUBLISH, (p) => p.uri === uri && p.version === version, { since: mark });
  });

  test('codeAction on the unknown key: a preferred quickfix whose edit renames it', async () => {
    const [diag] = byCode(lastPublished, 'agent/unknown-key');
    const actions = await client.request('textDocument/codeAction', { textDocument: { uri }, range: diag.range, context: { diagnostics: [diag], only: ['quickfix'] } });
    assert.ok(Array.isArray(actions) && actions.length >= 1, JSON.stringify(actions));
    const action = actions[0];
    assert.equal(action.kind, 'quickfix');
    assert.equal(action.title, 'Rename to `provider`');
    assert.equal(action.isPreferred, true);
    assert.equal(action.diagnostics?.[0]?.code, 'agent/unknown-key');
    const edits = action.edit?.changes?.[uri] ?? action.edit?.documentChanges?.[0]?.edits;
    assert.ok(edits, JSON.stringify(action.edit));
    assert.equal(applyEdits(text, edits), text.replace('providr:', 'provider:'));

    // A client that asks only for refactorings gets none; one that sends no diagnostics still gets the fix.
    const refactors = await client.request('textDocument/codeAction', { textDocument: { uri }, range: diag.range, context: { diagnostics: [diag], only: ['refactor'] } });
    assert.deepEqual(refactors, []);
    const bare = await client.request('textDocument/codeAction', { textDocument: { uri }, range: diag.range, context: { diagnostics: [] } });
    assert.ok(bare.some((a: { title: string }) => a.title === 'Rename to `provider`'));
  });

  test('didChange (incremental) to an idle document is published before the answer to the next request: no fixed debounce', async () => {
    // Idle: longer ago than any coalescing window (a wait, so that the edit below is the first of a pause).
    await delay(MAX_COALESCE_MS + 50);
    const bad = rangeOf(text, 'not-a-uuid');
    const mark = client.mark();
    version++;
    const edited = version;
    client.notify('textDocument/didChange', { textDocument: { uri, version }, contentChanges: [{ range: bad, text: 'not-a-uuid-2' }] });
    text = applyEdits(text, [{ range: bad, newText: 'not-a-uuid-2' }]);
    // The server handles messages in order: the check of the edit runs before this request is read.
    await client.request('datadogWif/serverInfo');
    const [p] = (client.received(PUBLISH, mark) as PublishParams[]).filter((q) => q.uri === uri && q.version === edited);
    assert.ok(p, `no diagnostics for version ${edited} before the answer to the request sent after it (a debounce held them back)`);
    assert.match(byCode(p, 'agent/org-uuid-invalid')[0]?.message ?? '', /not-a-uuid-2/);
  });

  test('didChange: a burst of edits ends on the last version, versions only increasing', async () => {
    const bad = rangeOf(text, 'not-a-uuid-2');
    const mark = client.mark();
    // Keystrokes in quick succession, the last one fixing the org_uuid.
    const typed = '11111111-2222-3333-4444-555555555555';
    let range = bad;
    let at = { ...bad.start };
    for (let i = 0; i < typed.length; i++) {
      version++;
      client.notify('textDocument/didChange', { textDocument: { uri, version }, contentChanges: [{ range, text: typed[i] }] });
      text = applyEdits(text, [{ range, newText: typed[i] }]);
      at = { line: at.line, character: at.character + 1 };
      range = { start: at, end: at };
    }
    const p = await client.waitForNotification<PublishParams>(PUBLISH, (p) => p.uri === uri && p.version === version, { since: mark });
    assert.deepEqual(byCode(p, 'agent/org-uuid-invalid'), []);
    assert.equal(byCode(p, 'agent/unknown-key').length, 1);
    await delay(SETTLE_MS);
    const got = (client.received(PUBLISH, mark) as PublishParams[]).filter((q) => q.uri === uri).map((q) => q.version!);
    for (let i = 1; i < got.length; i++) assert.ok(got[i] > got[i - 1], `version ${got[i]} published after ${got[i - 1]}: ${got.join(', ')}`);
    assert.equal(got.at(-1), version, `nothing older after the newest: ${got.join(', ')}`);

    // Back to the bad org_uuid for the settings tests.
    const good = rangeOf(text, '11111111-2222-3333-4444-555555555555');
    version++;
    const mark2 = client.mark();
    client.notify('textDocument/didChange', { textDocument: { uri, version }, contentChanges: [{ range: good, text: 'not-a-uuid' }] });
    text = applyEdits(text, [{ range: good, newText: 'not-a-uuid' }]);
    lastPublished = await client.waitForNotification<PublishParams>(PUBLISH, (p) => p.uri === uri && p.version === version, { since: mark2 });
    assert.equal(byCode(lastPublished, 'agent/org-uuid-invalid').length, 1);
  });

  test('a severity setting, pulled on workspace/didChangeConfiguration, changes the published severity or drops the diagnostic', async () => {
    const severityOf = (p: PublishParams) => byCode(p, 'agent/org-uuid-invalid')[0]?.severity;

    client.settings = { datadogWif: { severity: { 'agent/org-uuid-invalid': 'warning' } } };
    const requestMark = client.serverRequests.length;
    let mark = client.mark();
    client.notify('workspace/didChangeConfiguration', { settings: null });
    let p = await client.waitForNotification<PublishParams>(PUBLISH, (p) => p.uri === uri && severityOf(p) === 2, { since: mark });
    assert.equal(byCode(p, 'agent/unknown-key')[0]?.severity, 2);
    await client.waitForServerRequest('workspace/configuration', { since: requestMark, timeoutMs: 1 });

    client.settings = { datadogWif: { severity: { 'agent/org-uuid-invalid': 'off' } } };
    mark = client.mark();
    client.notify('workspace/didChangeConfiguration', { settings: null });
    p = await client.waitForNotification<PublishParams>(PUBLISH, (p) => p.uri === uri && byCode(p, 'agent/org-uuid-invalid').length === 0, { since: mark });
    assert.equal(byCode(p, 'agent/unknown-key').length, 1, 'other codes stay');

    // A family setting, with an exact code winning over it.
    client.settings = { datadogWif: { severity: { 'agent/*': 'info', 'agent/unknown-key': 'error' } } };
    mark = client.mark();
    client.notify('workspace/didChangeConfiguration', { settings: null });
    p = await client.waitForNotification<PublishParams>(PUBLISH, (p) => p.uri === uri && severityOf(p) === 3, { since: mark });
    assert.equal(byCode(p, 'agent/unknown-key')[0]?.severity, 1);

    // Junk in the settings is ignored, not fatal.
    client.settings = { datadogWif: { severity: { 'agent/org-uuid-invalid': 'loud', 'nope/x': 'off' }, agentConfigFiles: 'not a list' } };
    mark = client.mark();
    client.notify('workspace/didChangeConfiguration', { settings: null });
    p = await client.waitForNotification<PublishParams>(PUBLISH, (p) => p.uri === uri && severityOf(p) === 1, { since: mark });
    lastPublished = p;
  });

  test('datadogWif/fileKind: `agent` for datadog.yaml, null for other.yaml (the client counts problems from what was published)', async () => {
    const kind = await client.request('datadogWif/fileKind', { uri });
    assert.deepEqual(kind, { kind: 'agent' });
    const other = await client.request('datadogWif/fileKind', { uri: otherUri });
    assert.equal(other.kind, null);
  });

  test('a file that is not ours gets no diagnostics, hover or completion', async () => {
    const otherText = read('other.yaml');
    const mark = client.mark();
    client.notify('textDocument/didOpen', { textDocument: { uri: otherUri, languageId: 'yaml', version: 1, text: otherText } });
    // Either nothing is published for it, or an empty list.
    await delay(SETTLE_MS);
    for (const p of client.received(PUBLISH, mark) as PublishParams[]) if (p.uri === otherUri) assert.deepEqual(p.diagnostics, []);
    const hover = await client.request('textDocument/hover', { textDocument: { uri: otherUri }, position: keyRange(otherText, 'org_uuid').start });
    assert.equal(hover, null);
    const completion = await client.request('textDocument/completion', { textDocument: { uri: otherUri }, position: { line: 3, character: 2 } });
    assert.deepEqual(Array.isArray(completion) ? completion : completion?.items ?? [], []);
    client.notify('textDocument/didClose', { textDocument: { uri: otherUri } });
  });

  test('datadogWif.agentConfigFiles makes another file ours', async () => {
    const custom = path.join(fixtures, 'project', 'agent', 'agent-prod.yaml');
    const customUri = uriOf(custom);
    const customText = fs.readFileSync(custom, 'utf8');
    client.settings = { datadogWif: { severity: {}, agentConfigFiles: ['**/agent/agent-*.yaml'] } };
    let mark = client.mark();
    client.notify('workspace/didChangeConfiguration', { settings: null });
    await client.waitForNotification(PUBLISH, (p: PublishParams) => p.uri === uri, { since: mark });
    mark = client.mark();
    client.notify('textDocument/didOpen', { textDocument: { uri: customUri, languageId: 'yaml', version: 1, text: customText } });
    const p = await client.waitForNotification<PublishParams>(PUBLISH, (p) => p.uri === customUri && p.diagnostics.length > 0, { since: mark });
    assert.deepEqual(byCode(p, 'agent/org-uuid-invalid')[0]?.range, rangeOf(customText, 'not-a-uuid'));
    assert.equal((await client.request('datadogWif/fileKind', { uri: customUri })).kind, 'agent');
    // Closing clears its diagnostics.
    mark = client.mark();
    client.notify('textDocument/didClose', { textDocument: { uri: customUri } });
    await client.waitForNotification<PublishParams>(PUBLISH, (p) => p.uri === customUri && p.diagnostics.length === 0, { since: mark });
    client.settings = { datadogWif: { severity: {}, agentConfigFiles: [] } };
    client.notify('workspace/didChangeConfiguration', { settings: null });
  });

  test('a relative glob with a slash (agent/agent-*.yaml) matches below any folder, as in dd-wif lint', async () => {
    const custom = path.join(fixtures, 'project', 'agent', 'agent-prod.yaml');
    const customUri = uriOf(custom);
    client.settings = { datadogWif: { severity: {}, agentConfigFiles: ['agent/agent-*.yaml'] } };
    let mark = client.mark();
    client.notify('workspace/didChangeConfiguration', { settings: null });
    await client.waitForNotification(PUBLISH, (p: PublishParams) => p.uri === uri, { since: mark });
    assert.equal((await client.request('datadogWif/fileKind', { uri: customUri })).kind, 'agent');
    assert.equal((await client.request('datadogWif/fileKind', { uri: uriOf(path.join(fixtures, 'project', 'other', 'agent-prod.yaml')) })).kind, null, 'the folder name is part of the glob');
    mark = client.mark();
    client.settings = { datadogWif: { severity: {}, agentConfigFiles: [] } };
    client.notify('workspace/didChangeConfiguration', { settings: null });
    await client.waitForNotification(PUBLISH, (p: PublishParams) => p.uri === uri, { since: mark });
  });

  test('arn/overlapping-patterns carries the other patterns as relatedInformation in the same document', async () => {
    const mappingsUri = uriOf(path.join(fixtures, 'overlaps', 'datadog.yaml'));
    const pattern = 'arn:aws:sts::123456789012:assumed-role/deploy/*';
    const mappingsText = `identity_mappings:\n  - arn_pattern: ${pattern}\n  - arn_pattern: ${pattern}\n  - arn_pattern: ${pattern}\n`;
    let mark = client.mark();
    client.notify('textDocument/didOpen', { textDocument: { uri: mappingsUri, languageId: 'yaml', version: 1, text: mappingsText } });
    const p = await client.waitForNotification<PublishParams>(PUBLISH, (p) => p.uri === mappingsUri, { since: mark });
    const found = byCode(p, 'arn/overlapping-patterns');
    assert.deepEqual(found.map((d) => d.range.start.line), [2, 3]);
    assert.deepEqual(
      found.map((d) => d.relatedInformation?.map((r) => [r.location.uri, r.location.range])),
      [
        [[mappingsUri, rangeOf(mappingsText, pattern, 0)], [mappingsUri, rangeOf(mappingsText, pattern, 2)]],
        [[mappingsUri, rangeOf(mappingsText, pattern, 0)], [mappingsUri, rangeOf(mappingsText, pattern, 1)]],
      ],
    );
    mark = client.mark();
    client.notify('textDocument/didClose', { textDocument: { uri: mappingsUri } });
    await client.waitForNotification<PublishParams>(PUBLISH, (p) => p.uri === mappingsUri && p.diagnostics.length === 0, { since: mark });
  });

  test('a document with thousands of findings publishes 1,000 and one lint/too-many-findings that counts the rest; turning the flooding code off shows what it hid', async () => {
    const floodUri = uriOf(path.join(fixtures, 'flood', 'datadog.yaml'));
    const pattern = 'arn:aws:sts::123456789012:assumed-role/deploy/*';
    const floodText = `api_key: x\ndelegated_auth:\n  org_uuid: not-a-uuid\nidentity_mappings:\n${`  - arn_pattern: ${pattern}\n`.repeat(3_000)}`;
    let mark = client.mark();
    client.notify('textDocument/didOpen', { textDocument: { uri: floodUri, languageId: 'yaml', version: 1, text: floodText } });
    const p = await client.waitForNotification<PublishParams>(PUBLISH, (p) => p.uri === floodUri, { since: mark });
    assert.equal(p.diagnostics.length, 1_001);
    const last = p.diagnostics[1_000];
    assert.equal(last.code, 'lint/too-many-findings');
    assert.match(last.message, /2,?000 more/);
    assert.equal(byCode(p, 'agent/org-uuid-invalid').length, 1, 'the first findings by position are kept');
    // With the flooding code off, the cap has nothing to cut.
    client.settings = { datadogWif: { severity: { 'arn/overlapping-patterns': 'off' }, agentConfigFiles: [] } };
    mark = client.mark();
    client.notify('workspace/didChangeConfiguration', { settings: null });
    const quiet = await client.waitForNotification<PublishParams>(PUBLISH, (p) => p.uri === floodUri, { since: mark });
    assert.deepEqual(quiet.diagnostics.map((d) => d.code), ['agent/org-uuid-invalid']);
    client.settings = { datadogWif: { severity: {}, agentConfigFiles: [] } };
    mark = client.mark();
    client.notify('workspace/didChangeConfiguration', { settings: null });
    await client.waitForNotification<PublishParams>(PUBLISH, (p) => p.uri === floodUri, { since: mark });
    mark = client.mark();
    client.notify('textDocument/didClose', { textDocument: { uri: floodUri } });
    await client.waitForNotification<PublishParams>(PUBLISH, (p) => p.uri === floodUri && p.diagnostics.length === 0, { since: mark });
  });

  test('requests on a document the server does not know answer empty, not with an error', async () => {
    const unknown = uriOf(path.join(fixtures, 'never-opened', 'datadog.yaml'));
    const position = { line: 1, character: 3 };
    assert.equal(await client.request('textDocument/hover', { textDocument: { uri: unknown }, position }), null);
    const completion = await client.request('textDocument/completion', { textDocument: { uri: unknown }, position });
    assert.deepEqual(Array.isArray(completion) ? completion : completion?.items ?? [], []);
    const range = { start: position, end: position };
    assert.deepEqual((await client.request('textDocument/codeAction', { textDocument: { uri: unknown }, range, context: { diagnostics: [] } })) ?? [], []);
    const kind = await client.request('datadogWif/fileKind', { uri: unknown });
    assert.deepEqual(kind, { kind: 'agent' });
  });

  test('a handler failure is caught: bogus positions and malformed params get sane answers, and the server lives on', async () => {
    const far = { line: 1e9, character: 1e9 };
    const hover = await client.request('textDocument/hover', { textDocument: { uri }, position: far });
    assert.ok(hover === null || typeof hover.contents?.value === 'string', JSON.stringify(hover));
    const negative = await client.request('textDocument/hover', { textDocument: { uri }, position: { line: -5, character: -1 } });
    assert.ok(negative === null || typeof negative.contents?.value === 'string', JSON.stringify(negative));
    const completion = await client.request('textDocument/completion', { textDocument: { uri }, position: far });
    assert.ok(Array.isArray(completion) || completion === null || Array.isArray(completion.items), JSON.stringify(completion));
    const actions = await client.request('textDocument/codeAction', { textDocument: { uri }, range: { start: far, end: far }, context: { diagnostics: [] } });
    assert.ok(Array.isArray(actions) || actions === null);

    // Params that make the handler itself throw: it is logged and answered with the fallback.
    const mark = client.mark();
    assert.equal(await client.request('textDocument/hover', {}), null);
    assert.deepEqual(await client.request('datadogWif/fileKind', null), { kind: null });
    await client.waitForNotification('window/logMessage', (m: { message: string }) => /hover failed/.test(m.message), { since: mark });

    // An unknown method is an error response (MethodNotFound), not a crash.
    await assert.rejects(client.request('datadogWif/noSuchRequest', {}), (e: unknown) => e instanceof ResponseError && e.code === -32601);

    const key = keyRange(text, 'org_uuid');
    const again = await client.request('textDocument/hover', { textDocument: { uri }, position: key.start });
    assert.match(again?.contents?.value ?? '', /org_uuid/);
    assert.ok(client.isAlive);
  });

  test('after 1 MB of binary-ish junk the server still answers the next hover', { timeout: 60_000 }, async () => {
    const junkUri = uriOf(path.join(fixtures, 'junk', 'datadog.yaml'));
    // Deterministic junk: control characters, YAML indicators, unpaired surrogates, long lines.
    let seed = 42;
    const rand = () => ((seed = (seed * 1103515245 + 12345) & 0x7fffffff) / 0x7fffffff);
    const alphabet = ['\u0000', '\u0001', '\u001b', '\t', '\n', '\r', ' ', ':', '-', '{', '[', '}', ']', '&', '*', '!', '|', '>', "'", '"', '%', '@', '`', '#', '\ufffd', '\ud800', '\udfff', 'é', 'a', 'delegated_auth', 'org_uuid', '<<'];
    const parts: string[] = [];
    let size = 0;
    while (size < 1_000_000) {
      const piece = rand() < 0.7 ? alphabet[Math.floor(rand() * alphabet.length)] : String.fromCharCode(Math.floor(rand() * 0x3000));
      parts.push(piece);
      size += piece.length;
    }
    const junk = parts.join('');
    const started = Date.now();
    client.notify('textDocument/didOpen', { textDocument: { uri: junkUri, languageId: 'yaml', version: 1, text: junk } });
    const key = keyRange(text, 'org_uuid');
    const hover = await client.request('textDocument/hover', { textDocument: { uri }, position: key.start }, 50_000);
    assert.match(hover?.contents?.value ?? '', /org_uuid/);
    // And the junk itself can be hovered, completed and changed without an error.
    await client.request('textDocument/hover', { textDocument: { uri: junkUri }, position: { line: 10, character: 3 } }, 30_000);
    await client.request('textDocument/completion', { textDocument: { uri: junkUri }, position: { line: 10, character: 3 } }, 30_000);
    client.notify('textDocument/didChange', { textDocument: { uri: junkUri, version: 2 }, contentChanges: [{ text: 'delegated_auth:\n  org_uuid: x\n' }] });
    const p = await client.waitForNotification<PublishParams>(PUBLISH, (p) => p.uri === junkUri && p.version === 2, { timeoutMs: 30_000 });
    assert.equal(byCode(p, 'agent/org-uuid-invalid').length, 1);
    client.notify('textDocument/didClose', { textDocument: { uri: junkUri } });
    assert.ok(client.isAlive, `alive after ${Date.now() - started} ms`);
  });

  test('shutdown then exit ends the process with code 0', async () => {
    const { code, signal } = await client.shutdown();
    assert.equal(signal, null);
    assert.equal(code, 0, client.stderr);
  });
});

describe('language server: a document opened at once after initialized', { skip: noBundle }, () => {
  test('is published once, with the settings the server pulls (no flash of a code turned off)', async () => {
    const client = LspClient.start(serverJs, { cwd: root });
    try {
      client.settings = { datadogWif: { severity: { 'agent/org-uuid-invalid': 'off' } } };
      // Slow settings: the client takes its time to answer the pull, as a busy editor may.
      const answer = client.settings;
      client.onRequest('workspace/configuration', async (params) => {
        await delay(100);
        return (params as { items: { section?: string }[] }).items.map((i) => answer[i.section ?? ''] ?? null);
      });
      const uri = uriOf(path.join(fixtures, 'datadog.yaml'));
      await client.initialize({ capabilities: clientCapabilities({ configuration: true, snippets: true }) });
      client.notify('textDocument/didOpen', { textDocument: { uri, languageId: 'yaml', version: 1, text: read('datadog.yaml') } });
      const p = await client.waitForNotification<PublishParams>(PUBLISH, (p) => p.uri === uri);
      assert.deepEqual(byCode(p, 'agent/org-uuid-invalid'), [], 'the first publish already applies the settings');
      assert.equal(byCode(p, 'agent/unknown-key').length, 1);
      await delay(SETTLE_MS);
      assert.equal((client.received(PUBLISH) as PublishParams[]).filter((q) => q.uri === uri).length, 1, 'one publish for one open');
    } finally {
      await client.dispose();
    }
  });
  test('several pulls at start (as VS Code asks): the first answer publishes, later equal answers publish nothing more', async () => {
    const client = LspClient.start(serverJs, { cwd: root });
    let release: () => void = () => {};
    const held = new Promise<void>((r) => (release = r));
    try {
      const answer = { datadogWif: { severity: { 'agent/org-uuid-invalid': 'off' } } } as Record<string, unknown>;
      let pulls = 0;
      // The first pull is answered; the later ones are held until the first publish came.
      client.onRequest('workspace/configuration', async (params) => {
        if (++pulls > 1) await held;
        return (params as { items: { section?: string }[] }).items.map((i) => answer[i.section ?? ''] ?? null);
      });
      const uri = uriOf(path.join(fixtures, 'datadog.yaml'));
      await client.initialize({ capabilities: clientCapabilities({ configuration: true, snippets: true }) });
      // VS Code's configuration sync and its registration for changes: two more pulls, at once.
      client.notify('workspace/didChangeConfiguration', { settings: null });
      client.notify('workspace/didChangeConfiguration', { settings: null });
      client.notify('textDocument/didOpen', { textDocument: { uri, languageId: 'yaml', version: 1, text: read('datadog.yaml') } });
      const p = await client.waitForNotification<PublishParams>(PUBLISH, (p) => p.uri === uri);
      assert.equal(pulls, 3, 'the later pulls were asked, and are still unanswered');
      assert.deepEqual(byCode(p, 'agent/org-uuid-invalid'), [], 'the first answer applied');
      assert.equal(byCode(p, 'agent/unknown-key').length, 1);
      release();
      await client.request('textDocument/hover', { textDocument: { uri }, position: { line: 0, character: 0 } });
      await delay(SETTLE_MS);
      assert.equal((client.received(PUBLISH) as PublishParams[]).filter((q) => q.uri === uri).length, 1, 'answers equal to the applied settings republish nothing');
    } finally {
      release();
      await client.dispose();
    }
  });
});

describe('language server in a multi-root workspace: datadogWif.severity per folder', { skip: noBundle }, () => {
  const CODE = 'agent/org-uuid-invalid';
  // Documents are sent with their text: nothing needs to exist on disk.
  const folderA = uriOf(path.join(fixtures, 'multi-root', 'a'));
  const folderB = uriOf(path.join(fixtures, 'multi-root', 'b'));
  const folderC = uriOf(path.join(fixtures, 'multi-root', 'c'));
  const docA = `${folderA}/datadog.yaml`;
  const docB = `${folderB}/conf/datadog.yaml`;
  const docC = `${folderC}/datadog.yaml`;
  const outside = uriOf(path.join(fixtures, 'multi-root', 'outside', 'datadog.yaml'));
  const text = read('datadog.yaml');
  const severityOf = (p: PublishParams) => byCode(p, CODE).map((d) => d.severity);
  const lastFor = (client: LspClient, uri: string, since: number) => (client.received(PUBLISH, since) as PublishParams[]).filter((p) => p.uri === uri).pop();
  let client: LspClient;

  before(() => {
    client = LspClient.start(serverJs, { cwd: root });
    client.settings = { datadogWif: { severity: {}, agentConfigFiles: [] } };
    client.folderSettings = {
      [folderA]: { datadogWif: { severity: { [CODE]: 'off' }, agentConfigFiles: [] } },
      [folderB]: { datadogWif: { severity: { [CODE]: 'warning' }, agentConfigFiles: [] } },
      [folderC]: { datadogWif: { severity: { [CODE]: 'info' }, agentConfigFiles: [] } },
    };
  });
  after(async () => {
    await client?.dispose();
  });

  test('the server asks for each folder\'s settings (scopeUri) and lints each datadog.yaml with its folder\'s severity', async () => {
    const caps = clientCapabilities({ configuration: true, snippets: true });
    const result = await client.initialize({
      capabilities: { ...caps, workspace: { ...caps.workspace, workspaceFolders: true } },
      workspaceFolders: [
        { uri: folderA, name: 'a' },
        { uri: folderB, name: 'b' },
      ],
    });
    assert.deepEqual(result.capabilities.workspace?.workspaceFolders, { supported: true, changeNotifications: true });
    const config = await client.waitForServerRequest('workspace/configuration');
    // Each folder's files.exclude too, in the same request: the workspace scan leaves those files out.
    assert.deepEqual((config.params as { items: unknown[] }).items, [
      { section: 'datadogWif' },
      { section: 'datadogWif', scopeUri: folderA },
      { section: 'datadogWif', scopeUri: folderB },
      { section: 'files.exclude', scopeUri: folderA },
      { section: 'files.exclude', scopeUri: folderB },
    ]);

    const mark = client.mark();
    for (const uri of [docA, docB, outside]) client.notify('textDocument/didOpen', { textDocument: { uri, languageId: 'yaml', version: 1, text } });
    const pA = await client.waitForNotification<PublishParams>(PUBLISH, (p) => p.uri === docA, { since: mark });
    const pB = await client.waitForNotification<PublishParams>(PUBLISH, (p) => p.uri === docB, { since: mark });
    const pOut = await client.waitForNotification<PublishParams>(PUBLISH, (p) => p.uri === outside, { since: mark });
    assert.deepEqual(severityOf(pA), [], '"off" in folder a');
    assert.equal(byCode(pA, 'agent/unknown-key').length, 1, 'other codes stay');
    assert.deepEqual(severityOf(pB), [2], '"warning" in folder b');
    assert.deepEqual(severityOf(pOut), [1], 'outside every folder: the window-level value (none: error)');

    // The quick fixes follow the folder too: none for a code turned off there.
    const everywhere = { start: { line: 0, character: 0 }, end: { line: 20, character: 0 } };
    const actions = await client.request('textDocument/codeAction', { textDocument: { uri: docA }, range: everywhere, context: { diagnostics: [] } });
    assert.ok(!actions.some((a: { diagnostics?: Diag[] }) => a.diagnostics?.some((d) => d.code === CODE)), JSON.stringify(actions));
  });

  test('didChangeConfiguration re-asks every folder', async () => {
    client.folderSettings[folderB] = { datadogWif: { severity: { [CODE]: 'info' } } };
    const mark = client.mark();
    client.notify('workspace/didChangeConfiguration', { settings: null });
    await client.waitForNotification<PublishParams>(PUBLISH, (p) => p.uri === docB && severityOf(p)[0] === 3, { since: mark });
    await client.waitForNotification<PublishParams>(PUBLISH, (p) => p.uri === docA, { since: mark });
    assert.deepEqual(severityOf(lastFor(client, docA, mark)!), [], 'folder a unchanged');
  });

  test('didChangeWorkspaceFolders: a removed folder\'s documents fall back to the window value, an added one is asked', async () => {
    const requests = client.serverRequests.length;
    const mark = client.mark();
    client.notify('textDocument/didOpen', { textDocument: { uri: docC, languageId: 'yaml', version: 1, text } });
    await client.waitForNotification<PublishParams>(PUBLISH, (p) => p.uri === docC && severityOf(p)[0] === 1, { since: mark });
    const mark2 = client.mark();
    client.notify('workspace/didChangeWorkspaceFolders', { event: { added: [{ uri: folderC, name: 'c' }], removed: [{ uri: folderA, name: 'a' }] } });
    await client.waitForNotification<PublishParams>(PUBLISH, (p) => p.uri === docC && severityOf(p)[0] === 3, { since: mark2 });
    await client.waitForNotification<PublishParams>(PUBLISH, (p) => p.uri === docA && severityOf(p)[0] === 1, { since: mark2 });
    const asked = client.serverRequests.slice(requests).filter((r) => r.method === 'workspace/configuration').pop();
    assert.deepEqual(
      (asked?.params as { items: { scopeUri?: string }[] }).items.map((i) => i.scopeUri),
      [undefined, folderB, folderC, folderB, folderC],
    );
    assert.deepEqual(severityOf(lastFor(client, docB, mark2)!), [3]);
  });

  test('shutdown then exit: code 0', async () => {
    assert.equal((await client.shutdown()).code, 0, client.stderr);
  });
});

describe('language server for a client without workspace/configuration (settings in initializationOptions)', { skip: noBundle }, () => {
  let client: LspClient;
  const uri = uriOf(path.join(fixtures, 'datadog.yaml'));
  const text = read('datadog.yaml');

  before(() => {
    client = LspClient.start(serverJs, { cwd: root });
  });
  after(async () => {
    await client?.dispose();
  });

  test('initializationOptions.settings apply from the first publish; didChangeConfiguration carries new ones', async () => {
    await client.initialize({
      capabilities: clientCapabilities({ configuration: false, snippets: false }),
      initializationOptions: { settings: { severity: { 'agent/org-uuid-invalid': 'info' } } },
    });
    let mark = client.mark();
    client.notify('textDocument/didOpen', { textDocument: { uri, languageId: 'yaml', version: 1, text } });
    let p = await client.waitForNotification<PublishParams>(PUBLISH, (p) => p.uri === uri, { since: mark });
    assert.equal(byCode(p, 'agent/org-uuid-invalid')[0]?.severity, 3);

    mark = client.mark();
    client.notify('workspace/didChangeConfiguration', { settings: { datadogWif: { severity: { 'agent/org-uuid-invalid': 'off' } } } });
    p = await client.waitForNotification<PublishParams>(PUBLISH, (p) => p.uri === uri, { since: mark });
    assert.deepEqual(byCode(p, 'agent/org-uuid-invalid'), []);
    assert.equal(
      client.serverRequests.filter((r) => r.method === 'workspace/configuration').length,
      0,
      'a client without the capability is never asked for configuration',
    );
  });

  test('without snippet support, completion inserts plain text', async () => {
    const withLine = text + '  ';
    client.notify('textDocument/didChange', { textDocument: { uri, version: 2 }, contentChanges: [{ text: withLine }] });
    const line = withLine.split('\n').length - 1;
    const items = await client.request('textDocument/completion', { textDocument: { uri }, position: { line, character: 2 } });
    const list: { label: string; insertTextFormat?: number; textEdit?: { newText: string }; insertText?: string }[] = Array.isArray(items) ? items : items.items;
    assert.ok(list.length > 0);
    for (const item of list) {
      assert.notEqual(item.insertTextFormat, 2, item.label);
      assert.doesNotMatch(item.textEdit?.newText ?? item.insertText ?? '', /\$\{?\d/, item.label);
    }
  });

  test('shutdown then exit: code 0', async () => {
    const { code } = await client.shutdown();
    assert.equal(code, 0);
  });
});

describe('language server: exit without shutdown', { skip: noBundle }, () => {
  test('exit before shutdown ends the process with code 1 (LSP: "1 otherwise")', async () => {
    const client = LspClient.start(serverJs, { cwd: root });
    try {
      await client.initialize({ capabilities: clientCapabilities({ configuration: false, snippets: false }) });
      client.notify('exit');
      const { code } = await client.exited;
      assert.equal(code, 1);
    } finally {
      await client.dispose();
    }
  });
});

describe('language server: Terraform files the parser fails on, or must not read', { skip: noBundle }, () => {
  // The parser may use 64 MiB here (DD_WIF_HCL_MEMORY_MB), and hostile.tf wants
  // more: the runtime aborts for real. An unclosed string on 50,000 `${` (see
  // test/helpers/terraform.ts, hostileHcl).
  const HOSTILE = 'a = "' + '${'.repeat(50_000);
  const MAIN = 'provider "datadog" {\n  cloud_provider_type = "gcp"\n  org_uuid            = var.org\n}\n';
  const dir = path.join(fixtures, 'tf-hostile');
  const mainUri = uriOf(path.join(dir, 'main.tf'));
  const hostileUri = uriOf(path.join(dir, 'hostile.tf'));
  let client: LspClient;
  before(() => {
    client = LspClient.start(serverJs, { cwd: root, env: { ...process.env, DD_WIF_HCL_MEMORY_MB: '64' } });
    client.settings = { datadogWif: { severity: {}, agentConfigFiles: [] } };
    client.onRequest('workspace/codeLens/refresh', () => null);
  });
  after(async () => {
    await client?.dispose();
  });

  const open = (uri: string, text: string, version = 1) => client.notify('textDocument/didOpen', { textDocument: { uri, languageId: 'terraform', version, text } });
  const published = (uri: string, test: (p: PublishParams) => boolean, since: number) => client.waitForNotification<PublishParams>(PUBLISH, (p) => p.uri === uri && test(p), { since, timeoutMs: 60_000 });
  const says = (p: PublishParams, code: string, message: RegExp) => byCode(p, code).some((d) => message.test(d.message));

  test('a binary and a 3 MB .tf: one diagnostic each at the start, and a normal .tf still gets its own', async () => {
    await client.initialize({ capabilities: clientCapabilities({ configuration: true, snippets: true }) });
    const mark = client.mark();
    open(uriOf(path.join(dir, 'bin.tf')), '\u0000\u0001\u0002\u0003ELF'.repeat(100));
    open(uriOf(path.join(dir, 'big.tf')), 'a = 1\n'.repeat(500_000));
    open(mainUri, MAIN);
    const bin = await published(uriOf(path.join(dir, 'bin.tf')), (p) => p.diagnostics.length > 0, mark);
    assert.deepEqual(bin.diagnostics.map((d) => [d.code, d.severity, d.range]), [['tf/hcl-syntax', 1, { start: { line: 0, character: 0 }, end: { line: 0, character: 0 } }]]);
    assert.match(bin.diagnostics[0].message, /^Not checked: this file looks binary, not HCL text/);
    const big = await published(uriOf(path.join(dir, 'big.tf')), (p) => p.diagnostics.length > 0, mark);
    assert.match(big.diagnostics[0].message, /^Not checked: this file is 2\.9 MiB, and files over 2 MiB are not parsed/);
    assert.equal(big.diagnostics.length, 1);
    // Terraform is checked once the parser has loaded (the open files are published again then).
    await published(mainUri, (p) => says(p, 'tf/cloud-provider-type-invalid', /not "gcp"/), mark);
  });

  test('the parser runs out of memory on hostile.tf: that file says so, and a fresh parser checks main.tf again and its edits', async () => {
    const mark = client.mark();
    open(hostileUri, HOSTILE);
    const hostile = await published(hostileUri, (p) => p.diagnostics.length > 0, mark);
    assert.deepEqual(hostile.diagnostics.map((d) => [d.code, d.message]), [['tf/hcl-syntax', 'Not checked: the HCL parser ran out of memory on this file (it may use 64 MiB); a fresh one checks the other files.']]);
    // main.tf is checked again (its folder changed, and the fresh runtime republishes the open files): same finding.
    await published(mainUri, (p) => says(p, 'tf/cloud-provider-type-invalid', /not "gcp"/), mark);
    // And its edits are checked by the fresh runtime (with the failed one, they got nothing at all).
    const edit = client.mark();
    client.notify('textDocument/didChange', { textDocument: { uri: mainUri, version: 2 }, contentChanges: [{ text: MAIN.replace('"gcp"', '"azure"') }] });
    const after = await published(mainUri, (p) => p.version === 2, edit);
    assert.ok(says(after, 'tf/cloud-provider-type-invalid', /not "azure"/), JSON.stringify(after.diagnostics));
    const hover = await client.request('textDocument/hover', { textDocument: { uri: mainUri }, position: { line: 1, character: 4 } });
    assert.match(hover?.contents?.value ?? '', /cloud_provider_type/);
    assert.match(client.stderr + JSON.stringify(client.received('window/logMessage')), /HCL parser failed on a file/);
    assert.ok(client.isAlive);
  });

  test('shutdown then exit: code 0', async () => {
    const { code } = await client.shutdown();
    assert.equal(code, 0);
  });
});

describe('language server: a Terraform folder judged as a whole', { skip: noBundle }, () => {
  // The version rule fires in versions.tf only when another file of its folder configures cloud auth.
  const VERSIONS = ['terraform {', '  required_providers {', '    datadog = {', '      source  = "DataDog/datadog"', '      version = "~> 3.7"', '    }', '  }', '}', ''].join('\n');
  const KEYS_MAIN = ['provider "datadog" {', '  api_key = var.datadog_api_key', '  app_key = var.datadog_app_key', '}', ''].join('\n');
  const CLOUD_MAIN = ['provider "datadog" {', '  cloud_provider_type   = "aws"', '  cloud_provider_region = "us-east-1"', '  org_uuid              = var.datadog_org_uuid', '}', ''].join('\n');
  const dir = path.join(fixtures, 'tf-folder');
  const mainUri = uriOf(path.join(dir, 'main.tf'));
  const versionsUri = uriOf(path.join(dir, 'versions.tf'));
  const pinned = (p: PublishParams) => byCode(p, 'tf/provider-version-too-old').length;

  test('an edit of main.tf re-checks versions.tf, unchanged, and its diagnostics follow; in version order', async () => {
    const client = LspClient.start(serverJs, { cwd: root });
    try {
      client.settings = { datadogWif: { severity: {}, agentConfigFiles: [] } };
      client.onRequest('workspace/codeLens/refresh', () => null);
      await client.initialize({ capabilities: clientCapabilities({ configuration: true, snippets: true }) });
      let mark = client.mark();
      client.notify('textDocument/didOpen', { textDocument: { uri: versionsUri, languageId: 'terraform', version: 1, text: VERSIONS } });
      client.notify('textDocument/didOpen', { textDocument: { uri: mainUri, languageId: 'terraform', version: 1, text: KEYS_MAIN } });
      // Checked once the HCL parser has loaded: a publish that says nothing about the pin, no cloud auth yet.
      await client.waitForNotification<PublishParams>(PUBLISH, (p) => p.uri === mainUri && p.version === 1, { since: mark, timeoutMs: 60_000 });
      await delay(SETTLE_MS);
      const before = (client.received(PUBLISH, mark) as PublishParams[]).filter((p) => p.uri === versionsUri);
      assert.ok(before.length > 0 && pinned(before.at(-1)!) === 0, JSON.stringify(before.at(-1)));

      mark = client.mark();
      client.notify('textDocument/didChange', { textDocument: { uri: mainUri, version: 2 }, contentChanges: [{ text: CLOUD_MAIN }] });
      const warned = await client.waitForNotification<PublishParams>(PUBLISH, (p) => p.uri === versionsUri && pinned(p) === 1, { since: mark, timeoutMs: 60_000 });
      assert.equal(warned.version, 1, 'versions.tf itself did not change');

      mark = client.mark();
      client.notify('textDocument/didChange', { textDocument: { uri: mainUri, version: 3 }, contentChanges: [{ text: KEYS_MAIN }] });
      await client.waitForNotification<PublishParams>(PUBLISH, (p) => p.uri === versionsUri && pinned(p) === 0, { since: mark, timeoutMs: 60_000 });
      await client.waitForNotification<PublishParams>(PUBLISH, (p) => p.uri === mainUri && p.version === 3, { since: mark, timeoutMs: 60_000 });
      await delay(SETTLE_MS);
      const mainVersions = (client.received(PUBLISH) as PublishParams[]).filter((p) => p.uri === mainUri).map((p) => p.version!);
      for (let i = 1; i < mainVersions.length; i++) assert.ok(mainVersions[i] >= mainVersions[i - 1], `main.tf: ${mainVersions.join(', ')}`);
      assert.equal(pinned((client.received(PUBLISH) as PublishParams[]).filter((p) => p.uri === versionsUri).at(-1)!), 0, 'the last word on versions.tf is the current folder\'s');
    } finally {
      await client.dispose();
    }
  });
});

describe('language server: Test Login code lenses', { skip: noBundle }, () => {
  const UUID = '11111111-2222-3333-4444-555555555555';
  interface Lens {
    range: Rng;
    command?: { title: string; command: string; arguments?: Record<string, unknown>[] };
  }
  let client: LspClient;
  before(() => {
    client = LspClient.start(serverJs, { cwd: root });
    client.settings = { datadogWif: { severity: {}, agentConfigFiles: [], codeLens: { enabled: true } } };
    client.onRequest('workspace/codeLens/refresh', () => null);
  });
  after(async () => {
    await client?.dispose();
  });

  test('a lens per delegated_auth section and per provider "datadog" block, with the values the file states; off with datadogWif.codeLens.enabled', async () => {
    const caps = clientCapabilities({ configuration: true, snippets: true });
    const result = await client.initialize({ capabilities: { ...caps, workspace: { ...caps.workspace, codeLens: { refreshSupport: true } } } });
    assert.deepEqual(result.capabilities.codeLensProvider, { resolveProvider: false });

    const yamlUri = uriOf(path.join(fixtures, 'lens', 'datadog.yaml'));
    const yamlText = `site: datadoghq.eu\ndelegated_auth:\n  org_uuid: ${UUID}\n  aws:\n    region: eu-west-1\nlogs_config:\n  delegated_auth:\n    org_uuid: ${UUID}\napm_config:\n  delegated_auth: {}\n`;
    client.notify('textDocument/didOpen', { textDocument: { uri: yamlUri, languageId: 'yaml', version: 1, text: yamlText } });
    const lenses: Lens[] = await client.request('textDocument/codeLens', { textDocument: { uri: yamlUri } });
    assert.deepEqual(
      lenses.map((l) => l.range),
      [keyRange(yamlText, 'delegated_auth'), rangeOf(yamlText, 'delegated_auth', 1)],
    );
    for (const l of lenses) {
      assert.equal(l.command?.command, 'datadogWif.testLoginAgent');
      assert.equal(l.command?.title, '$(play) Test Login (Agent)');
    }
    assert.deepEqual(lenses[1].command?.arguments, [{ flow: 'agent', label: 'logs_config.delegated_auth', orgUuid: UUID, site: 'datadoghq.eu', region: 'eu-west-1', uri: yamlUri, line: 6 }]);

    // Terraform: once the HCL parser has loaded (the server asks the client to refresh then).
    const tfUri = uriOf(path.join(fixtures, 'lens', 'main.tf'));
    const tfText = `provider "datadog" {\n  org_uuid              = "${UUID}"\n  cloud_provider_region = var.region\n}\n`;
    client.notify('textDocument/didOpen', { textDocument: { uri: tfUri, languageId: 'terraform', version: 1, text: tfText } });
    let tf: Lens[] = [];
    for (let i = 0; i < 50 && tf.length === 0; i++) {
      tf = await client.request('textDocument/codeLens', { textDocument: { uri: tfUri } });
      if (!tf.length) await delay(100);
    }
    assert.equal(tf.length, 1);
    assert.deepEqual(tf[0].range, rangeOf(tfText, 'provider'));
    assert.equal(tf[0].command?.command, 'datadogWif.testLoginTerraform');
    assert.deepEqual(tf[0].command?.arguments, [{ flow: 'terraform', label: 'provider "datadog"', orgUuid: UUID, uri: tfUri, line: 0 }]);

    // Turned off: the server asks the client to refresh, and answers none.
    const since = client.serverRequests.length;
    client.settings = { datadogWif: { codeLens: { enabled: false } } };
    client.notify('workspace/didChangeConfiguration', { settings: null });
    await client.waitForServerRequest('workspace/codeLens/refresh', { since });
    assert.deepEqual(await client.request('textDocument/codeLens', { textDocument: { uri: yamlUri } }), []);
    assert.deepEqual(await client.request('textDocument/codeLens', { textDocument: { uri: tfUri } }), []);

    // Unknown documents answer empty, not an error.
    assert.deepEqual(await client.request('textDocument/codeLens', { textDocument: { uri: uriOf(path.join(fixtures, 'nope.yaml')) } }), []);
  });
});

describe('the test client\'s framing (no server needed)', () => {
  test('Content-Length counts UTF-8 bytes; messages split anywhere or sharing a chunk are read whole', () => {
    const messages: Message[] = [
      { jsonrpc: '2.0', id: 1, result: { contents: { kind: 'markdown', value: '**`org_uuid`** · string … é 🐕' } } },
      { jsonrpc: '2.0', method: 'window/logMessage', params: { type: 3, message: 'ok' } },
      { jsonrpc: '2.0', id: 2, method: 'workspace/configuration', params: { items: [{ section: 'datadogWif' }] } },
    ];
    // An extra header, as the spec allows.
    const withType = Buffer.concat([Buffer.from('Content-Type: application/vscode-jsonrpc; charset=utf-8\r\n'), frame(messages[2])]);
    const bytes = Buffer.concat([frame(messages[0]), frame(messages[1]), withType]);
    for (const size of [1, 3, 7, 64, bytes.length]) {
      const got: Message[] = [];
      const reader = new MessageReader((m) => got.push(m));
      for (let i = 0; i < bytes.length; i += size) reader.push(bytes.subarray(i, i + size));
      assert.deepEqual(got, messages, `chunks of ${size} bytes`);
    }
  });
});
