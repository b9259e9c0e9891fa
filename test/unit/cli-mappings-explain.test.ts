// `dd-wif mappings explain` (CLI.md) against the emulator: in-process through
// runMappings(argv, io, env), then once through the built binary. A match
// (exit 0), no match with the closest and the commands that fix it (exit 1),
// the JSON shape, the caller identity of the AWS credentials by default,
// usage errors (an --arn that is no caller, missing keys: exit 2, nothing
// sent), control characters from the server and the user escaped, and no
// key or AWS secret ever printed.

import { after, afterEach, before, beforeEach, describe, test } from 'node:test';
import * as assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { startEmulator, TEST_IDENTITIES, type Emulator } from '../../emulator/src/index';
import { runMappings } from '../../server/src/cli/mappings';
import { forgetPathFamilies } from '../../server/src/cloud/mappingsApi';
import { awsEnvironment, type AwsKeys } from '../helpers/cli';

const ACCOUNT = '123456789012';
const OTHER = '210987654321';
const PATTERN = `arn:aws:sts::${ACCOUNT}:assumed-role/terraform-runner/*`;
const KEYS = { apiKey: 'c0ffee00c0ffee00c0ffee00c0ffee01', appKey: 'c0ffee00c0ffee00c0ffee00c0ffee00c0ffee02' };
const SECRETS = [KEYS.apiKey, KEYS.appKey, ...Object.values(TEST_IDENTITIES).flatMap((i) => [i.secretAccessKey, i.sessionToken ?? i.secretAccessKey])];
const keys = (): NodeJS.ProcessEnv => ({ DD_API_KEY: KEYS.apiKey, DD_APP_KEY: KEYS.appKey });

let emu: Emulator;
let home: string;
before(async () => {
  emu = await startEmulator({ apiKeys: [{ ...KEYS, permissions: ['read', 'write'] }] });
  home = fs.mkdtempSync(path.join(os.tmpdir(), 'dd-wif-explain-'));
});
after(async () => {
  await emu?.close();
  if (home) fs.rmSync(home, { recursive: true, force: true });
});
beforeEach(() => {
  emu.reset();
  forgetPathFamilies();
});

interface Run {
  code: number | null;
  stdout: string;
  stderr: string;
}

const at = (e: Emulator = emu) => ['--api-url', e.apiUrl, '--allow-host', new URL(e.apiUrl).host];
const apiRequests = (e: Emulator = emu) => e.requests.filter((r) => r.path.startsWith('/api/v2/'));

function assertClean(r: Run): void {
  for (const s of SECRETS) assert.ok(!r.stdout.includes(s) && !r.stderr.includes(s), `a secret was printed: ${JSON.stringify(r)}`);
  assert.doesNotMatch(r.stdout + r.stderr, /\n\s+at .+:\d+:\d+\)?/, 'a stack trace was printed');
}

async function explain(argv: string[], env: NodeJS.ProcessEnv = keys()): Promise<Run> {
  const out: string[] = [];
  const err: string[] = [];
  const code = await runMappings(['explain', ...argv], { out: (t) => out.push(t), err: (t) => err.push(t) }, env, { sleep: async () => {} });
  const r = { code, stdout: out.join('\n'), stderr: err.join('\n') };
  assertClean(r);
  return r;
}

describe('dd-wif mappings explain --arn', () => {
  test('a match: exit 0, the matching mapping named; without --kind both kinds count', async () => {
    const caller = TEST_IDENTITIES.mappedRole.arn;
    const r = await explain(['--arn', caller, '--kind', 'identity', ...at()]);
    assert.equal(r.code, 0, r.stderr);
    const lines = r.stdout.split('\n');
    assert.equal(lines[0], `Caller ARN: ${caller}`);
    assert.equal(lines[1], `Matched:    identity mapping ${emu.identityMappings[0].id} (${PATTERN})`);
    assert.match(r.stdout, /matches `arn:aws:sts::123456789012:assumed-role\/terraform-runner\/i-0abc1234`/);
    assert.doesNotMatch(r.stdout, /Next:/);
    assert.match(r.stderr, /^2 mappings \(1 identity, 1 intake\) at http:\/\/127\.0\.0\.1:\d+; the caller from --arn$/);

    const both = await explain(['--arn', caller, ...at()]);
    assert.equal(both.code, 0);
    assert.match(both.stdout, /Matched: {4}identity mapping .*\n {12}intake mapping /);
  });

  test('no match: exit 1, the closest mapping and why, and the command that creates the right one', async () => {
    const caller = TEST_IDENTITIES.otherAccountRole.arn;
    const r = await explain(['--arn', caller, '--kind', 'intake', ...at()]);
    assert.equal(r.code, 1, r.stderr);
    const lines = r.stdout.split('\n');
    assert.equal(lines[1], 'Result:     no intake mapping matches');
    assert.equal(lines[2], `Closest:    intake mapping ${emu.intakeMappings[0].id} (${PATTERN})`);
    assert.match(r.stdout, /names the same role \(`terraform-runner`\) in account `123456789012`; the caller is in account `210987654321`/);
    // (The identity mapping of the same pattern is of the other kind and does not match: not a near miss.)
    assert.doesNotMatch(r.stdout, /Also close:/);
    assert.match(r.stdout, new RegExp(`Next:\\n  dd-wif mappings create --kind intake --arn-pattern 'arn:aws:sts::${OTHER}:assumed-role/terraform-runner/\\*'$`));
  });

  test('a mapping that is almost right: exit 1, delete it and create it again (there is no update)', async () => {
    const other = await startEmulator({ apiKeys: [{ ...KEYS, permissions: ['read'] }], identityMappings: [{ arn_pattern: `arn:aws:iam::${ACCOUNT}:role/unmapped-role`, account_identifier: 'ci@example.com' }], intakeMappings: [] });
    try {
      const r = await explain(['--arn', TEST_IDENTITIES.unmappedRole.arn, '--kind', 'identity', ...at(other)]);
      assert.equal(r.code, 1);
      assert.match(r.stdout, /is the IAM role ARN: a caller using the role presents its assumed-role ARN/);
      const id = other.identityMappings[0].id;
      assert.match(r.stdout, new RegExp(`Next:\\n  dd-wif mappings delete --kind identity --id ${id}\\n  dd-wif mappings create --kind identity --arn-pattern 'arn:aws:sts::${ACCOUNT}:assumed-role/unmapped-role/\\*' --account ci@example\\.com$`));
    } finally {
      await other.close();
    }
  });

  test('--format json: the explanation; a match, then none with the closest', async () => {
    const yes = await explain(['--arn', TEST_IDENTITIES.mappedRole.arn, '--kind', 'identity', '--format', 'json', ...at()]);
    assert.equal(yes.code, 0);
    const body = JSON.parse(yes.stdout);
    assert.deepEqual(Object.keys(body).sort(), ['callerArn', 'callerKind', 'callerNote', 'callerProblem', 'callerSource', 'closest', 'effectiveArn', 'kind', 'matched', 'nearMisses', 'suggestedPattern', 'summary']);
    assert.equal(body.callerSource, 'argument');
    assert.equal(body.callerKind, 'assumed-role');
    assert.equal(body.kind, 'identity');
    assert.deepEqual(body.matched, [{ kind: 'identity', id: emu.identityMappings[0].id, arnPattern: PATTERN, accountIdentifier: 'terraform@example.com', accountUuid: emu.identityMappings[0].attributes.account_uuid }]);
    assert.equal(body.closest, null);
    assert.equal(body.suggestedPattern, PATTERN);

    const no = await explain(['--arn', TEST_IDENTITIES.otherAccountRole.arn, '--format=json', ...at()]);
    assert.equal(no.code, 1);
    const miss = JSON.parse(no.stdout);
    assert.equal(miss.kind, null);
    assert.deepEqual(miss.matched, []);
    assert.equal(miss.closest.reason, 'other-account');
    assert.equal(miss.closest.replaceWith, null);
    assert.equal(miss.closest.mapping.arnPattern, PATTERN);
    assert.equal(miss.nearMisses.length, 2);
    assert.match(miss.summary, /^No mapping matches/);
  });

  test('an IAM role ARN is read as a session of the role; the root cannot be mapped (exit 1, no near miss)', async () => {
    const role = await explain(['--arn', `arn:aws:iam::${ACCOUNT}:role/terraform-runner`, '--kind', 'identity', ...at()]);
    assert.equal(role.code, 0);
    assert.match(role.stdout, /^Caller ARN: arn:aws:iam::123456789012:role\/terraform-runner\nRead as: {4}arn:aws:sts::123456789012:assumed-role\/terraform-runner\/session-name \(`arn:aws:iam::123456789012:role\/terraform-runner` is the IAM role, not a caller/);
    const root = await explain(['--arn', `arn:aws:iam::${ACCOUNT}:root`, ...at()]);
    assert.equal(root.code, 1);
    assert.match(root.stdout, /Result: {5}it cannot be mapped\n\nThe caller is the account root/);
  });

  test('an --arn that is no caller ARN: exit 2 with the reason, nothing sent', async () => {
    for (const [arn, reason] of [
      ['deploy', /is not an ARN/],
      ['arn:aws:s3:::my-bucket', /is not a caller identity/],
      [PATTERN, /is a pattern \(it holds a `\*`\), not a caller/],
      ['arn:aws:sts::12345:assumed-role/r/s1', /an account is exactly 12 digits/],
      ['arn:aws:sts::123456789012:assumed-role/r/s 1', /holds white space/],
      ['', /is not an ARN/],
    ] as const) {
      const r = await explain(['--arn', arn, ...at()]);
      assert.equal(r.code, 2, arn);
      assert.match(r.stderr, /^dd-wif mappings: --arn: /, arn);
      assert.match(r.stderr, reason, arn);
    }
    const json = await explain(['--arn', 'deploy', '--format', 'json', ...at()]);
    assert.equal(json.code, 2);
    assert.equal(JSON.parse(json.stdout).ok, false);
    const profile = await explain(['--arn', TEST_IDENTITIES.mappedRole.arn, '--profile', 'dev', ...at()]);
    assert.equal(profile.code, 2);
    assert.match(profile.stderr, /do not apply with --arn/);
    assert.deepEqual(apiRequests(), []);
  });

  test('missing DD_API_KEY / DD_APP_KEY: exit 2 naming them, nothing sent', async () => {
    const r = await explain(['--arn', TEST_IDENTITIES.mappedRole.arn, ...at()], {});
    assert.equal(r.code, 2);
    assert.match(r.stderr, /DD_API_KEY and DD_APP_KEY are not set/);
    const noApp = await explain(['--arn', TEST_IDENTITIES.mappedRole.arn, ...at()], { DD_API_KEY: KEYS.apiKey });
    assert.equal(noApp.code, 2);
    assert.match(noApp.stderr, /DD_APP_KEY is not set/);
    assert.deepEqual(apiRequests(), []);
  });

  test('control characters from the server (a pattern) and from the user (the caller ARN) are shown escaped', async () => {
    const hostile = `arn:aws:sts::${ACCOUNT}:assumed-role/terraform-runner/\x1b]8;;https://evil.example\x07x\x1b[2J`;
    const other = await startEmulator({ apiKeys: [{ ...KEYS, permissions: ['read'] }], identityMappings: [{ arn_pattern: hostile, account_identifier: 'ci@example.com' }], intakeMappings: [] });
    try {
      const caller = `arn:aws:sts::${ACCOUNT}:assumed-role/deploy/s\x1b[1A\u202e1`;
      const r = await explain(['--arn', caller, ...at(other)]);
      assert.equal(r.code, 1);
      assert.ok(!/[\x00-\x08\x0b-\x1f\x7f-\x9f\u202a-\u202e]/.test(r.stdout + r.stderr), JSON.stringify(r.stdout));
      assert.match(r.stdout, /Caller ARN: arn:aws:sts::123456789012:assumed-role\/deploy\/s\\x1b\[1A\\u202e1/);
      assert.match(r.stdout, /terraform-runner\/\\x1b\]8;;https:\/\/evil\.example\\x07x\\x1b\[2J/);
    } finally {
      await other.close();
    }
  });

  test('the API unreachable: exit 1, in words', async () => {
    emu.fault('/api/v2/', { kind: 'timeout' }, 1);
    const r = await explain(['--arn', TEST_IDENTITIES.mappedRole.arn, '--timeout', '0.3', ...at()]);
    assert.equal(r.code, 1);
    assert.match(r.stderr, /no answer from/);
  });
});

describe('dd-wif mappings explain: the caller identity of the AWS credentials by default', () => {
  const saved = new Map(Object.keys(process.env).filter((k) => k.startsWith('AWS_') || k === 'HOME' || k === 'USERPROFILE').map((k) => [k, process.env[k]]));
  const restore = () => {
    for (const k of Object.keys(process.env)) if (k.startsWith('AWS_')) delete process.env[k];
    for (const [k, v] of saved) {
      if (v === undefined) delete process.env[k];
      else process.env[k] = v;
    }
  };
  afterEach(restore);
  /** The AWS SDK reads the process environment: an identity's keys, STS at the emulator, no shared files. */
  const awsEnv = (id: AwsKeys): Record<string, string> => awsEnvironment(home, emu.stsUrl, id);
  const withAws = (id: (typeof TEST_IDENTITIES)[keyof typeof TEST_IDENTITIES]) => {
    for (const k of Object.keys(process.env)) if (k.startsWith('AWS_')) delete process.env[k];
    Object.assign(process.env, awsEnv(id));
  };

  test('a mapped role: exit 0, the caller from STS', async () => {
    withAws(TEST_IDENTITIES.mappedRole);
    const r = await explain(['--kind', 'identity', '--format', 'json', ...at()]);
    assert.equal(r.code, 0, r.stderr);
    const body = JSON.parse(r.stdout);
    assert.equal(body.callerArn, TEST_IDENTITIES.mappedRole.arn);
    assert.equal(body.callerSource, 'aws');
    assert.equal(body.matched.length, 1);
  });

  test('an unmapped role: exit 1, the pattern to create', async () => {
    withAws(TEST_IDENTITIES.unmappedRole);
    const r = await explain(['--kind', 'intake', ...at()]);
    assert.equal(r.code, 1);
    assert.match(r.stdout, /^Caller ARN: arn:aws:sts::123456789012:assumed-role\/unmapped-role\/i-0def5678\nResult: {5}no intake mapping matches/);
    assert.match(r.stdout, /Create an intake mapping with `arn:aws:sts::123456789012:assumed-role\/unmapped-role\/\*`/);
    assert.match(r.stderr, /the caller from AWS STS GetCallerIdentity/);
  });

  test('credentials AWS does not know: exit 1, STS\'s refusal in words', async () => {
    withAws({ ...TEST_IDENTITIES.iamUser, accessKeyId: 'AKIAEMULATORUNKNOWN1' });
    const r = await explain([...at()]);
    assert.equal(r.code, 1);
    assert.match(r.stderr, /^dd-wif mappings: AWS rejected the credentials/);
    assert.deepEqual(apiRequests(), []);
  });
});

describe('dd-wif mappings explain: the built binary', () => {
  const cli = path.resolve(__dirname, '..', '..', '..', 'dist', 'cli.js');
  test('--arn … --format json with the keys from the environment, and a usage error', async (t) => {
    if (!fs.existsSync(cli)) {
      t.skip('dist/cli.js is not built (node esbuild.mjs)');
      return;
    }
    const run = (args: string[]) =>
      new Promise<Run>((resolve) => {
        const child = spawn(process.execPath, [cli, 'mappings', 'explain', ...args], { env: { PATH: process.env.PATH, ...keys() }, stdio: ['ignore', 'pipe', 'pipe'] });
        let stdout = '';
        let stderr = '';
        child.stdout.on('data', (d) => (stdout += d));
        child.stderr.on('data', (d) => (stderr += d));
        child.on('close', (code) => resolve({ code, stdout, stderr }));
      });
    const yes = await run(['--arn', TEST_IDENTITIES.mappedRole.arn, '--format', 'json', ...at()]);
    assert.equal(yes.code, 0, yes.stderr);
    assert.equal(JSON.parse(yes.stdout).matched.length, 2);
    const bad = await run(['--arn', 'not-an-arn', ...at()]);
    assert.equal(bad.code, 2);
    assert.match(bad.stderr, /--arn: `not-an-arn` is not an ARN/);
    for (const r of [yes, bad]) assertClean(r);
  });
});
