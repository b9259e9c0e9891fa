// `dd-wif mappings export` and `dd-wif mappings diff` (CLI.md, issue #14)
// in-process against the emulator: runMappings(argv, io, env) with an io that
// captures the output. Export to stdout, to --out, as JSON; the export parses
// and lints clean; diff exit codes (0 in step, 1 each kind of drift, 2 usage),
// its JSON shape, notes for unknown patterns and unread files; hostile values
// from the server escaped in text output; the keys never printed.

import { after, before, beforeEach, describe, test } from 'node:test';
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { startEmulator, type Emulator } from '../../emulator/src/index';
import { intakeRecord } from '../../emulator/src/mappings';
import { runMappings, MAPPINGS_USAGE } from '../../server/src/cli/mappings';
import { forgetPathFamilies } from '../../server/src/cloud/mappingsApi';
import { LanguageService } from '../../server/src/service';
import { loadHclLanguage, type LoadedHclRuntime } from '../../server/src/shared/treeSitter';

const ACCOUNT = '123456789012';
const RUNNER = `arn:aws:sts::${ACCOUNT}:assumed-role/terraform-runner/*`;
const AGENT = `arn:aws:sts::${ACCOUNT}:assumed-role/DatadogAgent/*`;
const KEYS = { apiKey: 'c0ffee00c0ffee00c0ffee00c0ffee01', appKey: 'c0ffee00c0ffee00c0ffee00c0ffee00c0ffee02' };

let emu: Emulator;
let hcl: LoadedHclRuntime;
let tmp: string;
before(async () => {
  hcl = await loadHclLanguage();
  emu = await startEmulator({
    apiKeys: [{ ...KEYS, permissions: ['read', 'write'] }],
    identityMappings: [{ arn_pattern: RUNNER, account_identifier: 'terraform@example.com' }],
    intakeMappings: [{ arn_pattern: AGENT }],
  });
  tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'dd-wif-sync-'));
});
after(async () => {
  await emu?.close();
  fs.rmSync(tmp, { recursive: true, force: true });
});
beforeEach(() => {
  emu.reset();
  forgetPathFamilies();
});

interface Run {
  code: number;
  stdout: string;
  stderr: string;
}

const at = () => ['--api-url', emu.apiUrl, '--allow-host', new URL(emu.apiUrl).host];

async function run(argv: string[], env: NodeJS.ProcessEnv = { DD_API_KEY: KEYS.apiKey, DD_APP_KEY: KEYS.appKey }): Promise<Run> {
  const out: string[] = [];
  const err: string[] = [];
  const code = await runMappings(argv, { out: (t) => out.push(t), err: (t) => err.push(t) }, env, { sleep: async () => {}, interactive: false, hcl });
  const r = { code, stdout: out.join('\n'), stderr: err.join('\n') };
  for (const s of [KEYS.apiKey, KEYS.appKey]) assert.ok(!r.stdout.includes(s) && !r.stderr.includes(s), `a key was printed: ${JSON.stringify(r)}`);
  return r;
}

/** A folder of files (relative path → text) under the temporary folder. */
function workspace(name: string, files: Record<string, string>): string {
  const dir = path.join(tmp, name);
  for (const [rel, text] of Object.entries(files)) {
    fs.mkdirSync(path.dirname(path.join(dir, rel)), { recursive: true });
    fs.writeFileSync(path.join(dir, rel), text);
  }
  return dir;
}

const IN_STEP_TF = `resource "datadog_aws_wif_identity_mapping" "runner" {
  arn_pattern        = "${RUNNER}"
  account_identifier = "Terraform@Example.com"
}

resource "datadog_aws_wif_intake_mapping" "agent" {
  arn_pattern = "${AGENT}"
}
`;

describe('dd-wif mappings export', () => {
  test('terraform on stdout: a resource and an import block per mapping; parses and lints clean', async () => {
    const r = await run(['export', ...at()]);
    assert.equal(r.code, 0, r.stderr);
    const [identity] = emu.identityMappings;
    const [intake] = emu.intakeMappings;
    assert.ok(r.stdout.includes(`import {\n  to = datadog_aws_wif_identity_mapping.terraform_runner\n  id = "${identity.id}"\n}`), r.stdout);
    assert.ok(r.stdout.includes(`import {\n  to = datadog_aws_wif_intake_mapping.datadog_agent\n  id = "${intake.id}"\n}`), r.stdout);
    assert.ok(r.stdout.includes(`account_identifier = "terraform@example.com"`));
    assert.match(r.stderr, /Exported 2 mappings \(1 identity, 1 intake\)/);
    const service = new LanguageService();
    service.setHclRuntime(hcl);
    assert.deepEqual(service.lint({ path: path.join(tmp, 'export.tf'), text: r.stdout }), []);
    // What was exported is in step with the org it came from.
    const dir = workspace('exported', { 'wif.tf': r.stdout });
    const d = await run(['diff', dir, ...at()]);
    assert.equal(d.code, 0, d.stdout + d.stderr);
  });

  test('--out FILE writes the file and says where on stderr; --kind keeps one kind', async () => {
    const file = path.join(tmp, 'out', 'mappings.tf');
    fs.mkdirSync(path.dirname(file), { recursive: true });
    const r = await run(['export', '--kind', 'intake', '--out', file, ...at()]);
    assert.equal(r.code, 0, r.stderr);
    assert.equal(r.stdout, '');
    assert.ok(r.stderr.includes(`Wrote 1 mapping (1 intake) from ${emu.apiUrl} to ${file}`), r.stderr);
    const text = fs.readFileSync(file, 'utf8');
    assert.match(text, /resource "datadog_aws_wif_intake_mapping" "datadog_agent"/);
    assert.doesNotMatch(text, /resource "datadog_aws_wif_identity_mapping"/);
  });

  test('--format json: the list shape', async () => {
    const r = await run(['export', '--format', 'json', ...at()]);
    assert.equal(r.code, 0, r.stderr);
    assert.deepEqual(JSON.parse(r.stdout).map((m: { kind: string; id: string; arnPattern: string }) => [m.kind, m.id, m.arnPattern]), [
      ['identity', emu.identityMappings[0].id, RUNNER],
      ['intake', emu.intakeMappings[0].id, AGENT],
    ]);
  });

  test('usage: --format text, --out with diff options, an unwritable --out (exit 2, nothing written)', async () => {
    assert.equal((await run(['export', '--format', 'text', ...at()])).code, 2);
    assert.equal((await run(['export', '--exclude', 'x', ...at()])).code, 2);
    const r = await run(['export', '--out', path.join(tmp, 'no-such-dir', 'x.tf'), ...at()]);
    assert.equal(r.code, 2);
    assert.match(r.stderr, /cannot write \(ENOENT\)/);
  });
});

describe('dd-wif mappings diff', () => {
  test('in step: exit 0, the count on stdout', async () => {
    const dir = workspace('in-step', { 'infra/wif.tf': IN_STEP_TF });
    const r = await run(['diff', dir, ...at()]);
    assert.equal(r.code, 0, r.stdout + r.stderr);
    assert.match(r.stdout, /^In step: 2 mappings declared as in the org\.$/);
    assert.match(r.stderr, /2 org mappings at .*, 2 declared in 1 file \(1 read\): in step\./);
  });

  test('only in the org (with its id): exit 1', async () => {
    const dir = workspace('only-org', { 'wif.tf': IN_STEP_TF.split('\n\n')[0] + '\n' });
    const r = await run(['diff', dir, ...at()]);
    assert.equal(r.code, 1);
    assert.match(r.stdout, new RegExp(`^Only in the org \\(1\\): no file declares them\\n  intake    ${emu.intakeMappings[0].id}  ${AGENT.replace(/[*]/g, '\\*')}$`, 'm'));
  });

  test('only in code (file:line), from a YAML list a walk finds by its content: exit 1', async () => {
    const dir = workspace('only-code', {
      'wif.tf': IN_STEP_TF,
      'lists/mappings.yaml': `# mappings we keep\nintake_mappings:\n  - arn_pattern: arn:aws:sts::${ACCOUNT}:assumed-role/new-role/*\n`,
    });
    const r = await run(['diff', dir, ...at()]);
    assert.equal(r.code, 1);
    assert.ok(r.stdout.includes(`Only in code (1): the org has no such mapping\n  ${path.join(dir, 'lists/mappings.yaml')}:3  intake    arn:aws:sts::${ACCOUNT}:assumed-role/new-role/*  (intake_mappings)`), r.stdout);
    // --exclude leaves the folder out of the walk, as for lint.
    const excluded = await run(['diff', '--exclude', 'lists', dir, ...at()]);
    assert.equal(excluded.code, 0, excluded.stdout);
  });

  test('account mismatch: exit 1, both accounts named', async () => {
    const dir = workspace('mismatch', { 'wif.tf': IN_STEP_TF.replace('Terraform@Example.com', 'someone-else@example.com') });
    const r = await run(['diff', dir, ...at()]);
    assert.equal(r.code, 1);
    assert.match(r.stdout, /Account differs \(1\)[^\n]*\n  .*wif\.tf:2  arn:aws:sts::123456789012:assumed-role\/terraform-runner\/\*: the code says someone-else@example\.com, the org's \S+ acts as terraform@example\.com/);
  });

  test('--format json: the documented shape; notes for a pattern not known and a file not decodable', async () => {
    const dir = workspace('json', {
      'wif.tf': IN_STEP_TF + `\nresource "datadog_aws_wif_intake_mapping" "var" {\n  arn_pattern = var.pattern\n}\n`,
    });
    fs.writeFileSync(path.join(dir, 'latin1.tf'), Buffer.from('resource "datadog_aws_wif_intake_mapping" "x" {\n  arn_pattern = "caf\xe9"\n}\n', 'latin1'));
    const r = await run(['diff', '--format', 'json', dir, ...at()]);
    assert.equal(r.code, 0, r.stderr);
    const j = JSON.parse(r.stdout);
    assert.deepEqual(Object.keys(j).sort(), ['accountMismatch', 'drift', 'inStep', 'inStepCount', 'onlyInCode', 'onlyInOrg', 'unknown', 'unread']);
    assert.equal(j.drift, false);
    assert.equal(j.inStepCount, 2);
    assert.deepEqual(j.inStep[0].org, { kind: 'identity', id: emu.identityMappings[0].id, arnPattern: RUNNER, accountIdentifier: 'terraform@example.com', accountUuid: emu.identityMappings[0].attributes.account_uuid });
    assert.deepEqual(j.inStep[0].declared, [{ kind: 'identity', pattern: RUNNER, interpolated: false, accountIdentifier: 'Terraform@Example.com', file: path.join(dir, 'wif.tf'), line: 2, owner: 'datadog_aws_wif_identity_mapping.runner' }]);
    assert.deepEqual(j.unknown, [{ kind: 'intake', pattern: null, interpolated: false, file: path.join(dir, 'wif.tf'), line: 11, owner: 'datadog_aws_wif_intake_mapping.var' }]);
    assert.deepEqual(j.unread, [path.join(dir, 'latin1.tf')]);
    const t = await run(['diff', dir, ...at()]);
    assert.match(t.stdout, /Notes:\n  .*wif\.tf:11  intake mapping datadog_aws_wif_intake_mapping\.var: its pattern is not in the files\n  .*latin1\.tf: not read/);
  });

  test('--kind intake compares one kind; an interpolated pattern declares the org mapping it can be', async () => {
    const dir = workspace('kind', { 'wif.tf': `resource "datadog_aws_wif_intake_mapping" "agent" {\n  arn_pattern = "arn:aws:sts::\${data.aws_caller_identity.current.account_id}:assumed-role/DatadogAgent/*"\n}\n` });
    const r = await run(['diff', '--kind', 'intake', dir, ...at()]);
    assert.equal(r.code, 0, r.stdout + r.stderr);
    assert.equal(emu.requests.filter((q) => q.path.includes('persona')).length, 0, 'identity mappings not listed');
  });

  test('usage: no path, a missing path, --out (exit 2, nothing sent); the usage text documents the verbs and the JSON', async () => {
    for (const argv of [['diff'], ['diff', path.join(tmp, 'nope')], ['diff', tmp, '--out', 'x']]) {
      const r = await run([...argv, ...at()]);
      assert.equal(r.code, 2, `${argv.join(' ')}: ${r.stderr}`);
    }
    assert.equal(emu.requests.filter((q) => q.path.startsWith('/api/')).length, 0);
    const j = await run(['diff', '--format', 'json', ...at()]);
    assert.equal(JSON.parse(j.stdout).ok, false);
    assert.match(MAPPINGS_USAGE, /mappings export +\[--kind identity\|intake\]/);
    assert.match(MAPPINGS_USAGE, /diff prints \{"inStep"/);
  });

  test('hostile values from the server are escaped in text output (no line, no terminal control added)', async () => {
    emu.intakeMappings.push(intakeRecord(`arn:aws:sts::${ACCOUNT}:assumed-role/x/*\n  intake    forged-id  \u001b[2Jarn:forged\u202e`, 'cloud_auth'));
    emu.intakeMappings[1].id = 'id\r\nIn step: everything';
    const dir = workspace('hostile', { 'wif.tf': IN_STEP_TF });
    const r = await run(['diff', dir, ...at()]);
    assert.equal(r.code, 1);
    const lines = r.stdout.split('\n');
    assert.deepEqual(lines.filter((l) => /forged|everything/.test(l)).length, 1, r.stdout);
    assert.ok(!/[\u001b\u202e\r]/.test(r.stdout));
    assert.match(r.stdout, /id\\x0d\\x0aIn step: everything/);
    // The export writes the same values escaped for HCL.
    const e = await run(['export', '--kind', 'intake', ...at()]);
    assert.ok(e.stdout.includes('id = "id\\r\\nIn step: everything"'), e.stdout);
    assert.ok(!/[\u001b\u202e\r]/.test(e.stdout));
  });
});
