// `dd-wif lint` on Terraform folders, in-process: main(argv, io, hclRuntime).
// Each .tf file and the lock file is judged with the rest of its folder as it
// is on disk: the version rule fires in versions.tf and in the lock file only
// when a provider block of the same folder (another file) configures cloud
// auth, and never across folders. Text and JSON output, exit codes.
// The contract is /work/shared/spec/CLI.md.

import { before, describe, test } from 'node:test';
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import type { HclRuntime } from '../../server/src/service/terraform/hcl';
import { createHclRuntime, loadHclLanguage } from '../../server/src/shared/treeSitter';
import { countingRuntime, hostileHcl } from '../helpers/terraform';
import { jsonFindings, nonEmptyLines, runCli, tempTrees, type Run } from '../helpers/cli';

let hcl: HclRuntime;
before(async () => {
  hcl = await loadHclLanguage();
});

/** `runtime` null: as if the HCL parser did not load. */
const run = (argv: string[], runtime: HclRuntime | null = hcl): Promise<Run> => runCli(argv, runtime ?? undefined);
const json = jsonFindings;
const lines = nonEmptyLines;
const tree = tempTrees('dd-wif-cli-tf');

const SECRET = 'wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY';

const CLOUD_MAIN = [
  'provider "datadog" {',
  '  cloud_provider_type   = "aws"',
  '  cloud_provider_region = "us-east-1"',
  '  org_uuid              = var.datadog_org_uuid',
  '}',
  '',
].join('\n');

const KEYS_MAIN = ['provider "datadog" {', '  api_key = var.datadog_api_key', '  app_key = var.datadog_app_key', '}', ''].join('\n');

const VERSIONS = [
  'terraform {',
  '  required_providers {',
  '    datadog = {',
  '      source  = "DataDog/datadog"',
  '      version = "~> 3.7"',
  '    }',
  '  }',
  '}',
  '',
].join('\n');

const LOCK = [
  '# This file is maintained automatically by "terraform init".',
  '# Manual edits may be lost in future updates.',
  '',
  'provider "registry.terraform.io/DataDog/datadog" {',
  '  version     = "3.69.1"',
  '  constraints = "~> 3.7"',
  '  hashes = [',
  '    "h1:HlIJtH721CvQhEPq+nNr1N3xp1svKE3VoGx4JrrHVH4=",',
  '  ]',
  '}',
  '',
].join('\n');

describe('dd-wif lint on a Terraform folder: main.tf + versions.tf + .terraform.lock.hcl', () => {
  let cloud: string;
  let keys: string;
  before(() => {
    cloud = tree({ 'main.tf': CLOUD_MAIN, 'versions.tf': VERSIONS, '.terraform.lock.hcl': LOCK });
    keys = tree({ 'main.tf': KEYS_MAIN, 'versions.tf': VERSIONS, '.terraform.lock.hcl': LOCK });
  });

  test('cloud auth in main.tf: versions.tf gets the warning and the lock file the error; exit 1 (text)', async () => {
    const r = await run(['lint', cloud]);
    assert.equal(r.code, 1);
    const got = lines(r.stdout);
    assert.deepEqual(
      got.map((l) => l.split(' ').slice(0, 3).join(' ')),
      [`${path.join(cloud, '.terraform.lock.hcl')}:5:17 error tf/provider-version-too-old`, `${path.join(cloud, 'versions.tf')}:5:17 warning tf/provider-version-too-old`],
    );
    assert.match(got[0], /pins the Datadog provider at 3\.69\.1/);
    assert.match(got[1], /"~> 3\.7" also admits provider versions below 3\.70\.0/);
    assert.equal(r.stderr, '3 files checked: 1 error, 1 warning, 0 infos');
  });

  test('the same files without cloud auth: nothing to report; exit 0', async () => {
    const r = await run(['lint', keys]);
    assert.equal(r.code, 0);
    assert.equal(r.stdout, '');
    assert.equal(r.stderr, '3 files checked: 0 errors, 0 warnings, 0 infos');
  });

  test('--format json: one array, 0-based ranges, sorted by file', async () => {
    const r = await run(['lint', '--format', 'json', cloud]);
    assert.equal(r.code, 1);
    assert.equal(r.stderr, '');
    const found = json(r);
    for (const f of found) assert.deepEqual(Object.keys(f), ['file', 'range', 'severity', 'code', 'message']);
    assert.deepEqual(
      found.map((f) => [path.basename(f.file), f.code, f.severity, f.range]),
      [
        ['.terraform.lock.hcl', 'tf/provider-version-too-old', 'error', { start: { line: 4, character: 16 }, end: { line: 4, character: 24 } }],
        ['versions.tf', 'tf/provider-version-too-old', 'warning', { start: { line: 4, character: 16 }, end: { line: 4, character: 24 } }],
      ],
    );
    assert.deepEqual(json(await run(['lint', '--format', 'json', keys])), []);
  });

  test('a file named alone is still judged with its folder on disk', async () => {
    const r = await run(['lint', '--format', 'json', path.join(cloud, 'versions.tf')]);
    assert.deepEqual(json(r).map((f) => [f.file, f.code, f.severity]), [[path.join(cloud, 'versions.tf'), 'tf/provider-version-too-old', 'warning']]);
    assert.equal(r.code, 0, 'a warning is below the default failure level');
    assert.equal((await run(['lint', '--fail-on', 'warning', path.join(cloud, 'versions.tf')])).code, 1);
    const lock = await run(['lint', '--format', 'json', path.join(cloud, '.terraform.lock.hcl')]);
    assert.deepEqual(json(lock).map((f) => f.code), ['tf/provider-version-too-old']);
    assert.equal(lock.code, 1);
    // main.tf itself is clean: the finding belongs to the file with the constraint.
    assert.equal((await run(['lint', path.join(cloud, 'main.tf')])).stdout, '');
    assert.deepEqual(json(await run(['lint', '--format', 'json', path.join(keys, 'versions.tf')])), []);
  });

  test('--severity and suppression comments apply to Terraform codes', async () => {
    const off = await run(['lint', '--format', 'json', '--severity', 'tf/provider-version-too-old=off', cloud]);
    assert.deepEqual(json(off), []);
    assert.equal(off.code, 0);
    const lowered = await run(['lint', '--severity', 'tf/*=info', cloud]);
    assert.equal(lowered.code, 0);
    assert.equal(lowered.stderr, '3 files checked: 0 errors, 0 warnings, 2 infos');
    const d = tree({ 'main.tf': CLOUD_MAIN, 'versions.tf': VERSIONS.replace('"~> 3.7"', '"~> 3.7" # datadog-wif-ignore tf/provider-version-too-old') });
    assert.deepEqual(json(await run(['lint', '--format', 'json', d])), []);
  });

  test('--severity with an unknown tf code is a usage error (2)', async () => {
    const r = await run(['lint', '--severity', 'tf/no-such-rule=off', cloud]);
    assert.equal(r.code, 2);
    assert.match(r.stderr, /unknown code "tf\/no-such-rule"/);
  });

  test('--format sarif carries the Terraform results', async () => {
    const log = JSON.parse((await run(['lint', '--format', 'sarif', cloud])).stdout);
    const results = log.runs[0].results;
    assert.deepEqual(results.map((x: { ruleId: string; level: string }) => [x.ruleId, x.level]), [['tf/provider-version-too-old', 'error'], ['tf/provider-version-too-old', 'warning']]);
    assert.deepEqual(results[0].locations[0].physicalLocation.region, { startLine: 5, startColumn: 17, endLine: 5, endColumn: 25 });
  });
});

describe('dd-wif lint: folders are judged apart', () => {
  test('cloud auth in one folder does not make another folder\'s constraint or lock pin wrong', async () => {
    const d = tree({
      'wif/main.tf': CLOUD_MAIN,
      'wif/versions.tf': VERSIONS.replace('"~> 3.7"', '">= 3.70.0"'),
      'legacy/main.tf': KEYS_MAIN,
      'legacy/versions.tf': VERSIONS,
      'legacy/.terraform.lock.hcl': LOCK,
    });
    const r = await run(['lint', '--format', 'json', d]);
    assert.deepEqual(json(r), []);
    assert.equal(r.code, 0);
    // Move the cloud-auth provider into legacy/: now legacy/ is judged.
    fs.writeFileSync(path.join(d, 'legacy', 'wif.tf'), CLOUD_MAIN);
    const again = await run(['lint', '--format', 'json', d]);
    assert.deepEqual(json(again).map((f) => [path.relative(d, f.file).split(path.sep).join('/'), f.severity]), [['legacy/.terraform.lock.hcl', 'error'], ['legacy/versions.tf', 'warning']]);
    assert.equal(again.code, 1);
  });

  test('a module in a subfolder is its own folder; .terraform/ is never walked', async () => {
    const d = tree({
      'main.tf': CLOUD_MAIN,
      'modules/child/versions.tf': VERSIONS,
      '.terraform/providers/x/versions.tf': VERSIONS,
    });
    const r = await run(['lint', '--format', 'json', d]);
    assert.deepEqual(json(r), []);
    assert.equal((await run(['lint', d])).stderr, '2 files checked: 0 errors, 0 warnings, 0 infos');
  });
});

describe('dd-wif lint: other Terraform findings through the CLI', () => {
  test('every file of the folder reports its own findings; a hard-coded secret is never printed', async () => {
    const d = tree({
      'main.tf': [
        'provider "datadog" {',
        '  cloud_provider_type   = "gcp"',
        '  org_uuid              = "not-a-uuid"',
        '  aws_access_key_id     = var.id',
        `  aws_secret_access_key = "${SECRET}"`,
        '}',
        '',
      ].join('\n'),
      'mappings.tf': [
        'resource "datadog_aws_wif_identity_mapping" "ci" {',
        '  account_identifier = "ci@example.com"',
        '  arn_pattern        = "arn:aws:sts::12345:assumed-role/ci/*"',
        '}',
        '',
      ].join('\n'),
      'versions.tf': VERSIONS.replace('"~> 3.7"', '"3.18.0"'),
    });
    const r = await run(['lint', '--format', 'json', d]);
    assert.equal(r.code, 1);
    assert.deepEqual(
      json(r).map((f) => [path.basename(f.file), f.range.start.line + 1, f.code, f.severity]),
      [
        ['main.tf', 2, 'tf/cloud-provider-type-invalid', 'error'],
        ['main.tf', 3, 'tf/org-uuid-invalid', 'error'],
        ['main.tf', 5, 'tf/hardcoded-aws-credential', 'error'],
        ['mappings.tf', 3, 'arn/invalid-account', 'error'],
        ['versions.tf', 5, 'tf/provider-version-too-old', 'error'],
      ],
    );
    for (const format of ['text', 'json', 'sarif']) {
      const out = await run(['lint', '--format', format, d]);
      assert.ok(!out.stdout.includes(SECRET) && !out.stderr.includes(SECRET), `${format} output shows the secret`);
    }
  });

  test('a file that does not parse: tf/hcl-syntax, one line a diagnostic in text output', async () => {
    const d = tree({ 'main.tf': 'provider "datadog" {\n  cloud_provider_type = "aws\n  org_uuid = var.o\n}\n' });
    const r = await run(['lint', d]);
    assert.equal(r.code, 1);
    assert.ok(lines(r.stdout).some((l) => / error tf\/hcl-syntax /.test(l)), r.stdout);
    for (const l of lines(r.stdout)) assert.match(l, /^.+:\d+:\d+ (error|warning|info) [a-z]+\/[a-z0-9-]+ \S.*$/);
  });

  test('without the HCL runtime, Terraform files are listed as not checked', async () => {
    const d = tree({ 'main.tf': CLOUD_MAIN, 'versions.tf': VERSIONS });
    const r = await run(['lint', d], null);
    assert.equal(r.stdout, '');
    assert.match(r.stderr, /main\.tf: not checked \(the HCL parser could not be loaded\)/);
    assert.match(r.stderr, /versions\.tf: not checked/);
    // (Nothing was judged, so nothing failed: exit 0, and the summary still counts the files found.)
    assert.equal(r.code, 0);
    assert.match(r.stderr, /2 files checked: 0 errors, 0 warnings, 0 infos$/);
  });
});

describe('dd-wif lint: files the parser fails on, or must not read, do not stop the run', () => {
  test('the HCL parser runs out of memory on one file: that file is reported, a fresh parser checks the rest; exit 1', async () => {
    const files = { 'main.tf': CLOUD_MAIN.replace('"aws"', '"gcp"'), 'versions.tf': VERSIONS, '.terraform.lock.hcl': LOCK };
    const clean = tree(files);
    const d = tree({ ...files, 'hostile.tf': hostileHcl() });
    const expected = json(await run(['lint', '--format', 'json', clean])).map((f) => ({ ...f, file: path.relative(clean, f.file) }));
    assert.equal(expected.length, 3);
    // A runtime given 64 MiB: hostile.tf wants more, and aborts it for real.
    const r = await run(['lint', '--format', 'json', d], await createHclRuntime({ maxMemoryBytes: 64 * 1024 * 1024 }));
    assert.equal(r.code, 1);
    assert.equal(r.stderr, '');
    const found = json(r).map((f) => ({ ...f, file: path.relative(d, f.file) }));
    assert.deepEqual(
      found.filter((f) => f.file === 'hostile.tf'),
      [{ file: 'hostile.tf', range: { start: { line: 0, character: 0 }, end: { line: 0, character: 0 } }, severity: 'error', code: 'tf/hcl-syntax', message: 'Not checked: the HCL parser ran out of memory on this file (it may use 64 MiB); a fresh one checks the other files.' }],
    );
    assert.deepEqual(found.filter((f) => f.file !== 'hostile.tf'), expected, 'the other files, judged as without it');
    const text = await run(['lint', d], await createHclRuntime({ maxMemoryBytes: 64 * 1024 * 1024 }));
    assert.equal(text.stderr, '4 files checked: 3 errors, 1 warning, 0 infos');
  });

  test('a binary file and one over 2 MiB: one finding each, the others checked; the large one is not even read', async () => {
    const d = tree({ 'main.tf': CLOUD_MAIN.replace('"aws"', '"gcp"'), 'bin.tf': '', 'conf/datadog.yaml': '' });
    fs.writeFileSync(path.join(d, 'bin.tf'), Buffer.from([0x7f, 0x45, 0x4c, 0x46, 2, 1, 1, 0, 0, 0, 0, 0, 0, 0, 0, 0, 3, 0, 0x3e, 0]));
    // 3 GiB, sparse: reading it would fail (Node reads no file over 2 GiB), so the run would end with exit 2.
    fs.truncateSync(path.join(d, 'conf', 'datadog.yaml'), 3 * 1024 ** 3);
    fs.writeFileSync(path.join(d, 'big.tf'), 'a = 1\n'.repeat(400_000));
    const r = await run(['lint', d]);
    assert.equal(r.code, 1);
    const byFile = lines(r.stdout).map((l) => path.relative(d, l.slice(0, l.indexOf(':'))) + l.slice(l.indexOf(':')));
    assert.deepEqual(byFile.slice(0, 3), [
      'big.tf:1:1 error tf/hcl-syntax Not checked: this file is 2.3 MiB, and files over 2 MiB are not parsed (a real Terraform file is far smaller).',
      'bin.tf:1:1 error tf/hcl-syntax Not checked: this file looks binary, not HCL text (NUL or other control characters, or bytes that are not UTF-8, in its first 8000 characters). A file saved as UTF-16 looks like this too: save it as UTF-8.',
      'conf/datadog.yaml:1:1 error agent/yaml-syntax Not checked: this file is 3 GiB, and files over 2 MiB are not parsed (a real Agent configuration is far smaller).',
    ]);
    assert.match(byFile[3], /^main\.tf:2:27 error tf\/cloud-provider-type-invalid .*not "gcp"/);
    assert.equal(byFile.length, 4);
    assert.equal(r.stderr, '4 files checked: 4 errors, 0 warnings, 0 infos');
  });
});

describe('dd-wif lint: cost of folder-wide judgement', () => {
  test('a folder is read and parsed once for all its targets: parses grow with the files, not with their square', { timeout: 120_000 }, async (t) => {
    const body = (i: number) => `${VERSIONS.replace('"~> 3.7"', '">= 3.70.0"')}${CLOUD_MAIN.replace('provider "datadog" {', `provider "datadog" {\n  alias = "a${i}"`)}` + Array.from({ length: 20 }, (_, k) => `resource "datadog_monitor" "m${k}" {\n  name    = "m${k}"\n  type    = "metric alert"\n  query   = "avg(last_5m):avg:system.cpu.user{*} > ${k}"\n  message = "x"\n}\n`).join('');
    const report: string[] = [];
    for (const n of [10, 30]) {
      const d = tree(Object.fromEntries(Array.from({ length: n }, (_, i) => [`f${String(i).padStart(3, '0')}.tf`, body(i)])));
      // The parses are counted (never timed). Re-reading the folder for each target made this n².
      const { runtime: counted, parsed } = countingRuntime(hcl);
      const started = performance.now();
      const r = await run(['lint', '--format', 'json', d], counted);
      const ms = performance.now() - started;
      assert.deepEqual(json(r), []);
      assert.ok(parsed.length >= n, `every file parsed: ${parsed.length} parses for ${n} files`);
      // At most twice each (as a target, and as a folder mate of the others).
      assert.ok(parsed.length <= 2 * n, `${parsed.length} parses for ${n} files`);
      report.push(`${n} files: ${parsed.length} parses, ${ms.toFixed(0)} ms`);
    }
    t.diagnostic(`${report.join('; ')} (130-line files; the time is printed, never asserted)`);
  });
});

describe('dd-wif lint: arn/overlapping-patterns stays linear in its output', () => {
  test('2,000 identical mapping resources: 1,999 warnings (not 1,999,000, nor a crash), each naming the first; 1,000 shown, one line counts the rest', async () => {
    const n = 2_000;
    const pattern = 'arn:aws:sts::123456789012:assumed-role/ci/*';
    const d = tree({ 'main.tf': Array.from({ length: n }, (_, i) => `resource "datadog_aws_wif_intake_mapping" "m${i}" {\n  arn_pattern = "${pattern}"\n}\n`).join('') });
    const text = await run(['lint', d]);
    assert.equal(text.code, 0, text.stderr);
    const warnings = lines(text.stdout);
    assert.equal(warnings.length, 1_001);
    const rest = warnings.pop()!;
    assert.match(rest, / warning lint\/too-many-findings /);
    assert.match(rest, /999 more/);
    // The summary counts what is shown, says how much is not, and names each count in the singular when it is one.
    assert.equal(text.stderr, '1 file checked: 0 errors, 1001 warnings, 0 infos; 999 more findings not shown (see lint/too-many-findings)');
    assert.ok(warnings.every((l) => / warning arn\/overlapping-patterns .*datadog_aws_wif_intake_mapping\.m0 .*1998 more mappings of this file overlap it/.test(l)), warnings[0]);
    const j = await run(['lint', '--format', 'json', d]);
    assert.equal(json(j).length, 1_001);
  });
});
