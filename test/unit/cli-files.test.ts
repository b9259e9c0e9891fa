// Which files `dd-wif lint` reads, and how (issue #10): a file named on the
// command line is checked whatever its name; a folder walk names the Agent
// configuration variants it passes over; a FIFO or a device is refused, never
// opened (a read would block forever); a file is decoded as the Agent or
// Terraform would decode it, or refused, never linted as garbage that passes.

import { before, describe, test } from 'node:test';
import * as assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { jsonFindings, runCli, tempTrees, type Run } from '../helpers/cli';
import { kindFromContent } from '../../server/src/cli/files';
import { decodeText, firstInvalidUtf8 } from '../../server/src/shared/textEncoding';
import type { HclRuntime } from '../../server/src/service/terraform/hcl';
import { loadHclLanguage } from '../../server/src/shared/treeSitter';

const root = path.resolve(__dirname, '..', '..', '..');
const fixtures = path.join(root, 'test', 'fixtures', 'cli');
const BAD = fs.readFileSync(path.join(fixtures, 'bad', 'datadog.yaml'), 'utf8');
const CLEAN = fs.readFileSync(path.join(fixtures, 'clean', 'datadog.yaml'), 'utf8');
/** A provider block with cloud auth and an org UUID that is not one: tf/org-uuid-invalid. */
const BAD_TF = ['provider "datadog" {', '  cloud_provider_type = "aws"', '  org_uuid            = "not-a-uuid"', '}', ''].join('\n');

let hcl: HclRuntime;
before(async () => {
  hcl = await loadHclLanguage();
});

const run = (...argv: string[]) => runCli(argv, hcl);

const json = jsonFindings;
const codes = (r: Run) => json(r).map((f) => [f.code, f.range.start.line, f.range.start.character]);

const tree = tempTrees('dd-wif-files');

const utf16le = (text: string, bom = true) => Buffer.concat([Buffer.from(bom ? [0xff, 0xfe] : []), Buffer.from(text, 'utf16le')]);
const utf16be = (text: string) => {
  const le = Buffer.from(text, 'utf16le');
  const be = Buffer.alloc(le.length);
  for (let i = 0; i < le.length; i += 2) [be[i], be[i + 1]] = [le[i + 1], le[i]];
  return Buffer.concat([Buffer.from([0xfe, 0xff]), be]);
};

describe('a file named on the command line is checked whatever its name', () => {
  test('datadog.yaml.example and some.datadog.yaml.example: Agent YAML (the extension before the suffix)', async () => {
    const d = tree({ 'datadog.yaml.example': BAD, 'some.datadog.yaml.example': BAD, 'ref/datadog.yaml': BAD });
    const reference = codes((await run('lint', '--format', 'json', path.join(d, 'ref', 'datadog.yaml'))));
    assert.ok(reference.length > 0);
    for (const name of ['datadog.yaml.example', 'some.datadog.yaml.example']) {
      const r = (await run('lint', '--format', 'json', path.join(d, name)));
      assert.equal(r.code, 1, r.stderr);
      assert.deepEqual(codes(r), reference, name);
      assert.ok(json(r).every((f) => f.file === path.join(d, name)));
    }
    const text = (await run('lint', path.join(d, 'some.datadog.yaml.example')));
    assert.match(text.stderr, /^1 file checked: 1 error, 1 warning, 0 infos$/);
  });

  test('main.tf.bak: Terraform', async () => {
    const d = tree({ 'main.tf.bak': BAD_TF });
    const r = (await run('lint', '--format', 'json', path.join(d, 'main.tf.bak')));
    assert.equal(r.code, 1, r.stderr);
    assert.ok(json(r).some((f) => f.code === 'tf/org-uuid-invalid'), r.stdout);
  });

  test('no extension we know: Terraform when it reads like HCL, Agent YAML otherwise', async () => {
    const d = tree({ 'provider.txt': `# the provider\n\n${BAD_TF}`, 'agent-config': BAD });
    const tf = (await run('lint', '--format', 'json', path.join(d, 'provider.txt')));
    assert.ok(json(tf).some((f) => f.code === 'tf/org-uuid-invalid'), tf.stdout);
    const yaml = (await run('lint', '--format', 'json', path.join(d, 'agent-config')));
    assert.ok(json(yaml).some((f) => f.code === 'agent/org-uuid-invalid'), yaml.stdout);
  });

  test('kindFromContent: a block or an attribute is HCL; a mapping, a comment-only or empty head is YAML', async () => {
    assert.equal(kindFromContent('terraform {\n'), 'terraform');
    assert.equal(kindFromContent('// x\n/* y */\nresource "datadog_aws_wif_identity_mapping" "ci" {\n'), 'terraform');
    assert.equal(kindFromContent('\n  locals{\n'), 'terraform');
    assert.equal(kindFromContent('region = "us-east-1"\n'), 'terraform');
    assert.equal(kindFromContent('# comment\napi_key: x\n'), 'agent');
    assert.equal(kindFromContent('delegated_auth: {org_uuid: x}\n'), 'agent');
    assert.equal(kindFromContent('---\n'), 'agent');
    assert.equal(kindFromContent('a == b\n'), 'agent');
    assert.equal(kindFromContent(''), 'agent');
  });
});

describe('a folder walk says which Agent configuration variants it passes over', () => {
  test('datadog.prod.yaml, datadog-agent.yaml, datadog.yaml.example named on stderr; Helm values and other YAML not', async () => {
    const d = tree({
      'datadog.yaml': CLEAN,
      'env/datadog.prod.yaml': BAD,
      'env/datadog-agent.yml': BAD,
      'env/datadog.yaml.example': BAD,
      'helm/datadog-values.yaml': BAD,
      'other/config.yaml': BAD,
    });
    const r = (await run('lint', d));
    assert.equal(r.code, 0, 'the variants are not checked');
    const [note, summary, ...rest] = r.stderr.split('\n');
    assert.deepEqual(rest, []);
    const j = (...p: string[]) => path.join(d, ...p);
    assert.equal(
      note,
      `dd-wif: not checked: ${j('env', 'datadog-agent.yml')}, ${j('env', 'datadog.prod.yaml')}, ${j('env', 'datadog.yaml.example')} ` +
        `(a folder is walked for datadog.yaml and datadog.yml only); if one is Agent configuration, name it on the command line or add --agent-glob (e.g. --agent-glob 'datadog*.yaml')`,
    );
    assert.equal(summary, '1 file checked: 0 errors, 0 warnings, 0 infos');
  });

  test('what --agent-glob picks up is checked and no longer named', async () => {
    const d = tree({ 'datadog.prod.yaml': BAD, 'datadog.yaml.example': BAD });
    const r = (await run('lint', '--format', 'json', '--agent-glob', 'datadog*.yaml', d));
    assert.equal(r.code, 1);
    assert.deepEqual([...new Set(json(r).map((f) => path.basename(f.file)))], ['datadog.prod.yaml']);
    assert.match(r.stderr, /^dd-wif: not checked: .*datadog\.yaml\.example \(a folder/);
    assert.doesNotMatch(r.stderr, /datadog\.prod\.yaml/);
  });

  test('many variants: five named, then how many more', async () => {
    const files: Record<string, string> = {};
    for (let i = 0; i < 8; i++) files[`datadog.${i}.yaml`] = CLEAN;
    const r = (await run('lint', tree(files)));
    assert.match(r.stderr, /datadog\.4\.yaml and 3 more \(a folder is walked/);
    assert.doesNotMatch(r.stderr, /datadog\.5\.yaml/);
  });

  test('nothing to say: no note', async () => {
    assert.equal((await run('lint', tree({ 'datadog.yaml': CLEAN }))).stderr, '1 file checked: 0 errors, 0 warnings, 0 infos');
  });
});

describe('only regular files are read', () => {
  const skipFifo = process.platform === 'win32' ? 'no mkfifo on Windows' : false;

  /**
   * main() in a child process, killed after a while: a FIFO that is opened
   * blocks the read, and the whole process with it, so a regression fails
   * here instead of hanging the suite.
   */
  function child(...argv: string[]): { code: number | null; stderr: string; killed: boolean } {
    const script = `const { main } = require(${JSON.stringify(path.join(root, 'out', 'server', 'src', 'cli', 'main.js'))});
      main(${JSON.stringify(argv)}).then((code) => { process.exitCode = code; });`;
    const r = spawnSync(process.execPath, ['-e', script], { encoding: 'utf8', timeout: 20_000 });
    return { code: r.status, stderr: r.stderr, killed: r.signal !== null };
  }

  test('a FIFO named on the command line: exit 2, "not a regular file (a FIFO)", without waiting for a writer', { skip: skipFifo }, async () => {
    const d = tree({});
    const fifo = path.join(d, 'datadog.yaml');
    assert.equal(spawnSync('mkfifo', [fifo]).status, 0, 'mkfifo');
    const r = child('lint', fifo);
    assert.equal(r.killed, false, 'dd-wif lint blocked on the FIFO');
    assert.equal(r.code, 2);
    assert.match(r.stderr, /datadog\.yaml: not a regular file \(a FIFO\); dd-wif reads regular files only/);
  });

  test('a FIFO a walk would check is not opened: a note, and the rest is checked', { skip: skipFifo }, async () => {
    const d = tree({ 'a/datadog.yaml': BAD });
    fs.mkdirSync(path.join(d, 'b'), { recursive: true });
    assert.equal(spawnSync('mkfifo', [path.join(d, 'b', 'datadog.yaml')]).status, 0, 'mkfifo');
    const r = child('lint', d);
    assert.equal(r.killed, false, 'dd-wif lint blocked on the FIFO');
    assert.equal(r.code, 1);
    assert.match(r.stderr, new RegExp(`^dd-wif: ${escapeRe(path.join(d, 'b', 'datadog.yaml'))}: not a regular file \\(a FIFO\\); not checked$`, 'm'));
    assert.match(r.stderr, /^1 file checked: 1 error, 1 warning, 0 infos$/m);
  });

  test('/dev/zero: exit 2, a character device, not read', { skip: fs.existsSync('/dev/zero') ? false : 'no /dev/zero' }, async () => {
    const r = child('lint', '/dev/zero');
    assert.equal(r.killed, false, 'dd-wif lint kept reading /dev/zero');
    assert.equal(r.code, 2);
    assert.match(r.stderr, /\/dev\/zero: not a regular file \(a character device\)/);
  });
});

function escapeRe(s: string): string {
  return s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}

describe('a file is decoded as the Agent or Terraform decodes it, or refused', () => {
  test('UTF-16 LE and BE with a byte order mark: Agent YAML is decoded (go-yaml does), same findings as UTF-8', async () => {
    const d = tree({ 'utf8/datadog.yaml': BAD, 'le/datadog.yaml': utf16le(BAD), 'be/datadog.yaml': utf16be(BAD) });
    const reference = codes((await run('lint', '--format', 'json', path.join(d, 'utf8', 'datadog.yaml'))));
    for (const variant of ['le', 'be']) {
      const r = (await run('lint', '--format', 'json', path.join(d, variant, 'datadog.yaml')));
      assert.equal(r.code, 1, `${variant}: ${r.stderr}`);
      assert.deepEqual(codes(r), reference, variant);
    }
    assert.match((await run('lint', path.join(d, 'le', 'datadog.yaml'))).stderr, /1 file checked: 1 error, 1 warning/);
  });

  test('UTF-16 without a byte order mark: refused with an error on the file, exit 1 (the Agent reads it as UTF-8 and refuses its NUL bytes)', async () => {
    const d = tree({ 'datadog.yaml': utf16le(CLEAN, false) });
    const r = (await run('lint', path.join(d, 'datadog.yaml')));
    assert.equal(r.code, 1);
    assert.match(r.stdout, /datadog\.yaml:1:1 error agent\/yaml-syntax Not checked: this file is UTF-16LE text without a byte order mark; the Agent reads it as UTF-8 and refuses it: save it as UTF-8\.$/);
  });

  test('invalid UTF-8 (a Latin-1 é in a comment of a clean file): an error saying where, never a pass; the other files are still checked', async () => {
    const latin1 = Buffer.from(`# configur\u00e9 par l'\u00e9quipe\n${CLEAN}`, 'latin1');
    const d = tree({ 'a/datadog.yaml': latin1, 'b/datadog.yaml': BAD });
    const r = (await run('lint', path.join(d, 'a', 'datadog.yaml')));
    assert.equal(r.code, 1);
    assert.match(r.stdout, /datadog\.yaml:1:1 error agent\/yaml-syntax Not checked: this file is not valid UTF-8 \(byte 0xe9 at line 1, column 11: another encoding, such as Latin-1\?\); the Agent refuses it: save it as UTF-8\.$/);
    const both = await run('lint', '--format', 'json', d);
    assert.equal(both.code, 1);
    assert.deepEqual([...new Set(json(both).map((f) => path.relative(d, f.file)))], [path.join('a', 'datadog.yaml'), path.join('b', 'datadog.yaml')]);
    assert.ok(json(both).filter((f) => f.file.endsWith(path.join('b', 'datadog.yaml'))).length > 1, 'the readable file is linted as usual');
  });

  test('Terraform reads UTF-8 only: a UTF-16 or Latin-1 .tf is an error on that file (tf/hcl-syntax), exit 1', async () => {
    const d = tree({ 'a/main.tf': utf16le(BAD_TF), 'b/main.tf': Buffer.from(`# \u00e9\n${BAD_TF}`, 'latin1') });
    const utf16 = (await run('lint', path.join(d, 'a', 'main.tf')));
    assert.equal(utf16.code, 1);
    assert.match(utf16.stdout, /main\.tf:1:1 error tf\/hcl-syntax Not checked: this file is UTF-16LE text \(it starts with a byte order mark\); Terraform reads UTF-8 only: save it as UTF-8\.$/);
    const latin1 = (await run('lint', '--format', 'json', path.join(d, 'b')));
    assert.equal(latin1.code, 1);
    assert.deepEqual(codes(latin1), [['tf/hcl-syntax', 0, 0]], 'only the refusal: the Latin-1 text is not judged as if it were UTF-8');
    assert.match(json(latin1)[0].message, /not valid UTF-8 \(byte 0xe9 at line 1, column 3: .*\); Terraform refuses it/);
  });

  test('a folder-mate Terraform refuses (Latin-1) gives the folder no facts: its cloud auth does not make the version rule fire', async () => {
    const versions = ['terraform {', '  required_providers {', '    datadog = { source = "DataDog/datadog", version = "~> 3.50" }', '  }', '}', ''].join('\n');
    const d = tree({ 'versions.tf': versions, 'provider.tf': Buffer.from('# g\u00e9r\u00e9 par Terraform\nprovider "datadog" {\n  cloud_provider_type = "aws"\n}\n', 'latin1') });
    const r = await run('lint', '--format', 'json', path.join(d, 'versions.tf'));
    assert.deepEqual(codes(r), [], r.stdout);
    const utf8 = tree({ 'versions.tf': versions, 'provider.tf': 'provider "datadog" {\n  cloud_provider_type = "aws"\n}\n' });
    assert.ok(codes(await run('lint', '--format', 'json', path.join(utf8, 'versions.tf'))).some(([c]) => c === 'tf/provider-version-too-old'), 'the same folder in UTF-8 does fire');
  });

  test('decodeText: UTF-8 with or without a byte order mark; a broken UTF-16 refused', async () => {
    assert.deepEqual(decodeText(Buffer.from('\ufeffa: \u00e9\u{1f600}'), { utf16: true, reader: 'x' }), { ok: true, text: 'a: \u00e9\u{1f600}', encoding: 'utf-8' });
    assert.deepEqual(decodeText(utf16le('a: \u00e9'), { utf16: true, reader: 'x' }), { ok: true, text: 'a: \u00e9', encoding: 'utf-16le' });
    const odd = decodeText(Buffer.concat([utf16le('ab'), Buffer.from([0x61])]), { utf16: true, reader: 'the Agent' });
    assert.equal(odd.ok, false);
    const lone = decodeText(Buffer.from([0xff, 0xfe, 0x00, 0xd8, 0x61, 0x00]), { utf16: true, reader: 'the Agent' });
    assert.deepEqual(lone, { ok: false, reason: 'not valid UTF-16LE (an unpaired surrogate or an odd number of bytes); the Agent refuses it' });
    assert.deepEqual(decodeText(Buffer.alloc(0), { utf16: false, reader: 'x' }), { ok: true, text: '', encoding: 'utf-8' });
  });

  test('firstInvalidUtf8: overlong forms, surrogates, beyond U+10FFFF, cut sequences', async () => {
    assert.equal(firstInvalidUtf8(Buffer.from('plain \u00e9 \u20ac \u{1f600}')), -1);
    assert.equal(firstInvalidUtf8(Buffer.from([0x61, 0xc0, 0x80])), 1); // overlong NUL
    assert.equal(firstInvalidUtf8(Buffer.from([0x61, 0x62, 0xed, 0xa0, 0x80])), 2); // a surrogate
    assert.equal(firstInvalidUtf8(Buffer.from([0xf4, 0x90, 0x80, 0x80])), 0); // above U+10FFFF
    assert.equal(firstInvalidUtf8(Buffer.from([0x61, 0xe2, 0x82])), 1); // cut at the end
    assert.equal(firstInvalidUtf8(Buffer.from([0xe2, 0x28, 0xa1])), 0); // a bad continuation
    assert.equal(firstInvalidUtf8(Buffer.from([0x80])), 0); // a lone continuation
  });

  test('the check is one pass: a large valid file, and a large invalid one, are judged', async () => {
    const big = Buffer.from('\u00e9'.repeat(1 << 20));
    assert.equal(firstInvalidUtf8(big), -1);
    const bad = Buffer.concat([big, Buffer.from([0xff])]);
    assert.equal(firstInvalidUtf8(bad), big.length);
  });
});

describe('--skip-unknown: a named file is taken as a folder walk would take it (pre-commit hands over every changed YAML)', () => {
  const K8S = fs.readFileSync(path.join(root, 'examples', 'agent-env', 'kubernetes', 'bad', 'daemonset.yaml'), 'utf8');
  const files = {
    'datadog.yaml': BAD,
    'main.tf': BAD_TF,
    'k8s/daemonset.yaml': K8S,
    // Not ours: a workflow, a Helm template (not YAML until rendered), a YAML with a site that is not Datadog's, JSON.
    '.github/workflows/ci.yml': 'on: push\njobs:\n  b:\n    runs-on: ubuntu-latest\n    steps:\n      - run: echo hi\n',
    'chart/templates/deploy.yaml': 'spec:\n  {{- if .Values.x }}\n  replicas: [\n',
    'other.yaml': 'site: example.com\n',
    'package.json': '{"name": "x"}\n',
    'agent-prod.yaml': BAD,
    'vendor/datadog.yaml': BAD,
    'notes.txt': 'site: x\n',
  };

  test('ours by name or by content is checked; every other file is skipped without a finding', async () => {
    const d = tree(files);
    const all = Object.keys(files).map((f) => path.join(d, f));
    const r = await run('lint', '--skip-unknown', '--format', 'json', ...all);
    assert.equal(r.code, 1, r.stderr);
    const checked = [...new Set(json(r).map((f) => path.relative(d, f.file).split(path.sep).join('/')))].sort();
    assert.deepEqual(checked, ['datadog.yaml', 'k8s/daemonset.yaml', 'main.tf', 'vendor/datadog.yaml']);
    // Without the flag each named file is checked whatever its name: the template is a YAML error.
    const plain = await run('lint', '--format', 'json', path.join(d, 'chart/templates/deploy.yaml'), path.join(d, 'other.yaml'));
    assert.deepEqual([...new Set(json(plain).map((f) => f.code))], ['agent/yaml-syntax', 'agent/unknown-site']);
  });

  test('only files not ours: exit 0, nothing on stdout', async () => {
    const d = tree(files);
    const r = await run('lint', '--skip-unknown', ...['.github/workflows/ci.yml', 'chart/templates/deploy.yaml', 'other.yaml', 'package.json', 'notes.txt'].map((f) => path.join(d, f)));
    assert.equal(r.code, 0, r.stdout);
    assert.equal(r.stdout, '');
    assert.match(r.stderr, /^0 files checked/);
  });

  test('--agent-glob adds files, --exclude leaves them out, as in a walk', async () => {
    const d = tree(files);
    const r = await run('lint', '--skip-unknown', '--format', 'json', '--agent-glob', 'agent-*.yaml', '--exclude', 'vendor', path.join(d, 'agent-prod.yaml'), path.join(d, 'vendor', 'datadog.yaml'), path.join(d, 'other.yaml'));
    assert.deepEqual([...new Set(json(r).map((f) => path.basename(f.file)))], ['agent-prod.yaml']);
  });
});
