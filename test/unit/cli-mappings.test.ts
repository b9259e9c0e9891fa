// `dd-wif mappings list|create|delete` (CLI.md) in-process against the
// emulator: runMappings(argv, io, env) with an io that captures the output,
// then the built binary when it has the verb. Exit codes 0 / 1 (API failure)
// / 2 (usage); the JSON shape; the lint refusal; missing keys; delete without
// --yes; and the keys never printed.

import { after, before, beforeEach, describe, test } from 'node:test';
import * as assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { startEmulator, type Emulator } from '../../emulator/src/index';
import { MAPPINGS_USAGE, runMappings, type MappingsCliOptions } from '../../server/src/cli/mappings';
import { forgetPathFamilies } from '../../server/src/cloud/mappingsApi';

const INTEGRATED = '123456789012';
const DEFAULT_PATTERN = `arn:aws:sts::${INTEGRATED}:assumed-role/terraform-runner/*`;
/** Canary keys: they must never appear in stdout or stderr. */
const RW = { apiKey: 'c0ffee00c0ffee00c0ffee00c0ffee01', appKey: 'c0ffee00c0ffee00c0ffee00c0ffee00c0ffee02' };
const RO = { apiKey: 'decaf000decaf000decaf000decaf003', appKey: 'decaf000decaf000decaf000decaf000decaf004' };
const SECRETS = [RW.apiKey, RW.appKey, RO.apiKey, RO.appKey];

let emu: Emulator;
before(async () => {
  emu = await startEmulator({
    apiKeys: [
      { ...RW, permissions: ['read', 'write'] },
      { ...RO, permissions: ['read'] },
    ],
  });
});
after(async () => {
  await emu?.close();
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

const env = (pair: { apiKey: string; appKey: string } | undefined = RW): NodeJS.ProcessEnv => (pair ? { DD_API_KEY: pair.apiKey, DD_APP_KEY: pair.appKey } : {});
const at = () => ['--api-url', emu.apiUrl, '--allow-host', new URL(emu.apiUrl).host];

async function run(argv: string[], e: NodeJS.ProcessEnv = env(), options: MappingsCliOptions = { interactive: false }): Promise<Run> {
  const out: string[] = [];
  const err: string[] = [];
  const code = await runMappings(argv, { out: (t) => out.push(t), err: (t) => err.push(t) }, e, { sleep: async () => {}, ...options });
  const r = { code, stdout: out.join('\n'), stderr: err.join('\n') };
  for (const s of SECRETS) assert.ok(!r.stdout.includes(s) && !r.stderr.includes(s), `a key was printed: ${JSON.stringify(r)}`);
  return r;
}
const apiRequests = () => emu.requests.filter((r) => r.path.startsWith('/api/v2/'));

describe('dd-wif mappings list', () => {
  test('text: a table of kind, id, pattern, target; both kinds by default', async () => {
    const r = await run(['list', ...at()]);
    assert.equal(r.code, 0, r.stderr);
    const lines = r.stdout.split('\n');
    assert.match(lines[0], /^KIND\s+ID\s+PATTERN\s+TARGET$/);
    assert.equal(lines.length, 3);
    assert.match(lines[1], new RegExp(`^identity\\s+${emu.identityMappings[0].id}\\s+${DEFAULT_PATTERN.replace('*', '\\*')}\\s+terraform@example\\.com$`));
    assert.match(lines[2], new RegExp(`^intake\\s+${emu.intakeMappings[0].id}\\s+`));
    assert.match(r.stderr, /2 mappings \(1 identity, 1 intake\)/);
  });

  test('json: an array of {kind, id, arnPattern, accountIdentifier?, accountUuid?}', async () => {
    const r = await run(['list', '--format', 'json', ...at()]);
    assert.equal(r.code, 0, r.stderr);
    const parsed = JSON.parse(r.stdout);
    assert.deepEqual(parsed, [
      { kind: 'identity', id: emu.identityMappings[0].id, arnPattern: DEFAULT_PATTERN, accountIdentifier: 'terraform@example.com', accountUuid: emu.identityMappings[0].attributes.account_uuid },
      { kind: 'intake', id: emu.intakeMappings[0].id, arnPattern: DEFAULT_PATTERN },
    ]);
  });

  test('--kind intake: one kind, one request', async () => {
    const r = await run(['list', '--kind', 'intake', '--format=json', ...at()]);
    assert.equal(r.code, 0);
    assert.deepEqual(JSON.parse(r.stdout).map((m: { kind: string }) => m.kind), ['intake']);
    assert.equal(apiRequests().length, 1);
  });

  test('--paths wif against an API that has both: the wif family', async () => {
    const r = await run(['list', '--kind', 'identity', '--paths', 'wif', ...at()]);
    assert.equal(r.code, 0);
    assert.deepEqual(apiRequests().map((x) => x.path), ['/api/v2/wif/aws/persona_mapping']);
  });

  test('a read-only key may list', async () => {
    assert.equal((await run(['list', ...at()], env(RO))).code, 0);
  });
});

describe('dd-wif mappings create', () => {
  test('identity: created, printed as a row; json prints the mapping', async () => {
    const pattern = `arn:aws:sts::${INTEGRATED}:assumed-role/deployer/*`;
    const r = await run(['create', '--kind', 'identity', '--arn-pattern', pattern, '--account', 'deploy@example.com', '--format', 'json', ...at()]);
    assert.equal(r.code, 0, r.stderr);
    const made = JSON.parse(r.stdout);
    assert.deepEqual(Object.keys(made).sort(), ['accountIdentifier', 'accountUuid', 'arnPattern', 'id', 'kind']);
    assert.equal(made.arnPattern, pattern);
    assert.equal(emu.identityMappings.length, 2);

    const t = await run(['create', '--kind', 'intake', '--arn-pattern', pattern, ...at()]);
    assert.equal(t.code, 0, t.stderr);
    assert.match(t.stdout, /^KIND/);
    assert.match(t.stdout, /intake\s+\S+\s+arn:aws:sts::123456789012:assumed-role\/deployer\/\*\s+managed API key/);
    assert.match(t.stderr, /several minutes/);
  });

  test('a pattern with an arn/* error is refused before anything is sent (exit 2, the diagnostics printed)', async () => {
    const r = await run(['create', '--kind', 'intake', '--arn-pattern', `arn:aws:iam::${INTEGRATED}:role/deployer`, ...at()]);
    assert.equal(r.code, 2);
    assert.match(r.stderr, /error arn\/iam-role-arn /);
    assert.match(r.stderr, /fix: Replace with arn:aws:sts::123456789012:assumed-role\/deployer\/\*/);
    assert.match(r.stderr, /nothing was sent/);
    assert.deepEqual(apiRequests(), []);

    const j = await run(['create', '--kind', 'intake', '--arn-pattern', 'arn:aws:sts::*:assumed-role/x/*', '--format', 'json', ...at()]);
    assert.equal(j.code, 2);
    const body = JSON.parse(j.stdout);
    assert.equal(body.ok, false);
    assert.ok(body.diagnostics.some((d: { code: string }) => d.code === 'arn/multiple-wildcards'));
  });

  test('a warning is shown but does not refuse (an IAM user)', async () => {
    const r = await run(['create', '--kind', 'intake', '--arn-pattern', `arn:aws:iam::${INTEGRATED}:user/ci-bot`, ...at()]);
    assert.equal(r.code, 0, r.stderr);
    assert.match(r.stderr, /warning arn\/iam-user/);
  });

  test('API failures are exit 1 with the next step: 409, 400 not integrated, 403 read-only', async () => {
    const conflict = await run(['create', '--kind', 'intake', '--arn-pattern', DEFAULT_PATTERN, ...at()]);
    assert.equal(conflict.code, 1);
    assert.match(conflict.stderr, /conflicts with an existing mapping \(HTTP 409\): it overlaps intake mapping/);
    assert.match(conflict.stderr, /Next step: Delete the existing mapping first/);

    const notIntegrated = await run(['create', '--kind', 'intake', '--arn-pattern', 'arn:aws:sts::210987654321:assumed-role/x/*', '--format', 'json', ...at()]);
    assert.equal(notIntegrated.code, 1);
    const body = JSON.parse(notIntegrated.stdout);
    assert.equal(body.ok, false);
    assert.equal(body.status, 400);
    assert.match(body.nextStep, /Datadog AWS integration/);

    const readOnly = await run(['create', '--kind', 'intake', '--arn-pattern', `arn:aws:sts::${INTEGRATED}:assumed-role/ro/*`, ...at()], env(RO));
    assert.equal(readOnly.code, 1);
    assert.match(readOnly.stderr, /workload_identity_federation_config_write/);
  });

  test('usage: --kind and --arn-pattern required; --account for identity only and not a key', async () => {
    for (const argv of [
      ['create', '--arn-pattern', DEFAULT_PATTERN],
      ['create', '--kind', 'identity', '--arn-pattern', DEFAULT_PATTERN],
      ['create', '--kind', 'intake'],
      ['create', '--kind', 'intake', '--arn-pattern', DEFAULT_PATTERN, '--account', 'a@example.com'],
      ['create', '--kind', 'identity', '--arn-pattern', DEFAULT_PATTERN, '--account', RO.appKey],
      ['create', '--kind', 'robot', '--arn-pattern', DEFAULT_PATTERN],
    ]) {
      const r = await run([...argv, ...at()]);
      assert.equal(r.code, 2, argv.join(' '));
      assert.match(r.stderr, /^dd-wif mappings: /);
    }
    assert.deepEqual(apiRequests(), []);
  });
});

describe('dd-wif mappings delete', () => {
  test('without --yes on a non-interactive stdin: refused, exit 2, nothing deleted', async () => {
    const id = emu.intakeMappings[0].id;
    const r = await run(['delete', '--kind', 'intake', '--id', id, ...at()]);
    assert.equal(r.code, 2);
    assert.match(r.stderr, /--yes/);
    assert.equal(emu.intakeMappings.length, 1);
    assert.deepEqual(apiRequests(), []);
  });

  test('with --yes: deleted; json says so', async () => {
    const id = emu.intakeMappings[0].id;
    const r = await run(['delete', '--kind', 'intake', '--id', id, '--yes', '--format', 'json', ...at()]);
    assert.equal(r.code, 0, r.stderr);
    assert.deepEqual(JSON.parse(r.stdout), { kind: 'intake', id, deleted: true });
    assert.equal(emu.intakeMappings.length, 0);
  });

  test('on a terminal: shows the mapping and asks; no keeps it, yes deletes it', async () => {
    const id = emu.identityMappings[0].id;
    const questions: string[] = [];
    const no = await run(['delete', '--kind', 'identity', '--id', id, ...at()], env(), { interactive: true, confirm: async (q) => (questions.push(q), false) });
    assert.equal(no.code, 2);
    assert.match(no.stderr, /terraform@example\.com/);
    assert.match(no.stderr, /Not deleted/);
    assert.equal(emu.identityMappings.length, 1);
    const yes = await run(['delete', '--kind', 'identity', '--id', id, ...at()], env(), { interactive: true, confirm: async () => true });
    assert.equal(yes.code, 0, yes.stderr);
    assert.equal(emu.identityMappings.length, 0);
    assert.match(questions[0], /Delete this identity mapping\?/);
  });

  test('an unknown id: exit 1, a 404 in words', async () => {
    const r = await run(['delete', '--kind', 'intake', '--id', 'nope', '--yes', '--paths', 'cloud_auth', ...at()]);
    assert.equal(r.code, 1);
    assert.match(r.stderr, /no intake mapping with id `nope`/);
  });

  test('--id is required', async () => {
    assert.equal((await run(['delete', '--kind', 'intake', '--yes', ...at()])).code, 2);
  });
});

describe('what the server sends is escaped in text output (issue #10)', () => {
  /** Nothing a terminal acts on (TAB and LF aside, which are ours). */
  const CONTROL = /[\u0000-\u0008\u000b-\u001f\u007f-\u009f\u2028\u2029\u202a-\u202e\u2066-\u2069]/;
  /** Clears the screen, moves up a line and rewrites it, a C1 CSI, a line feed, a right-to-left override. */
  const HOSTILE_PATTERN = `arn:aws:sts::${INTEGRATED}:assumed-role/ops/*\u001b[2J\u001b[1A\r\u009b2K\nintake  fake  arn:aws:sts::1:assumed-role/x/*  managed API key\u202e`;
  const SHOWN_PATTERN = `arn:aws:sts::${INTEGRATED}:assumed-role/ops/*\\x1b[2J\\x1b[1A\\x0d\\x9b2K\\x0aintake  fake  arn:aws:sts::1:assumed-role/x/*  managed API key\\u202e`;
  const HOSTILE_ACCOUNT = 'ops@example.com\u0007\u001b]8;;https://evil.example\u001b\\';

  function poison(): void {
    const m = emu.identityMappings[0];
    m.attributes.arn_pattern = HOSTILE_PATTERN;
    m.attributes.account_identifier = HOSTILE_ACCOUNT;
  }

  test('list: one row a mapping, every value escaped; json keeps the values exactly', async () => {
    poison();
    const r = await run(['list', ...at()]);
    assert.equal(r.code, 0, r.stderr);
    assert.doesNotMatch(r.stdout + r.stderr, CONTROL, JSON.stringify(r.stdout));
    const lines = r.stdout.split('\n');
    assert.equal(lines.length, 3, 'a header and two rows: no forged row');
    assert.ok(lines[1].includes(SHOWN_PATTERN), lines[1]);
    assert.ok(lines[1].endsWith('ops@example.com\\x07\\x1b]8;;https://evil.example\\x1b\\'), lines[1]);

    const j = await run(['list', '--kind', 'identity', '--format', 'json', ...at()]);
    const [m] = JSON.parse(j.stdout);
    assert.equal(m.arnPattern, HOSTILE_PATTERN);
    assert.equal(m.accountIdentifier, HOSTILE_ACCOUNT);
  });

  test('delete on a terminal: the mapping shown before the question is escaped; the question is ours', async () => {
    poison();
    const id = emu.identityMappings[0].id;
    const questions: string[] = [];
    const r = await run(['delete', '--kind', 'identity', '--id', id, ...at()], env(), { interactive: true, confirm: async (q) => (questions.push(q), false) });
    assert.equal(r.code, 2);
    assert.doesNotMatch(r.stderr, CONTROL, JSON.stringify(r.stderr));
    assert.ok(r.stderr.includes(SHOWN_PATTERN), r.stderr);
    assert.deepEqual(questions, ['Delete this identity mapping? [y/N] ']);
    assert.equal(r.stderr.split('\n').filter((l) => l.startsWith('identity ')).length, 1, 'one row');
  });

  test('create: the mapping the server answers with, and its id, escaped', async () => {
    const id = 'id\u001b[2J\r\u0007';
    const body = JSON.stringify({ data: { id, type: 'aws_cloud_auth_intake_mapping', attributes: { arn_pattern: HOSTILE_PATTERN } } });
    emu.fault('/api/v2/cloud_auth/aws/intake_mapping', { kind: 'status', status: 201, body });
    const r = await run(['create', '--kind', 'intake', '--arn-pattern', `arn:aws:sts::${INTEGRATED}:assumed-role/deployer/*`, '--paths', 'cloud_auth', ...at()]);
    assert.equal(r.code, 0, r.stderr);
    assert.doesNotMatch(r.stdout + r.stderr, CONTROL, JSON.stringify(r));
    assert.ok(r.stdout.includes(SHOWN_PATTERN), r.stdout);
    assert.match(r.stderr, /^Created the intake mapping id\\x1b\[2J\\x0d\\x07\. /m);
  });

  test('an API failure that quotes a listed pattern: on one line, escaped', async () => {
    emu.intakeMappings[0].attributes.arn_pattern = `${DEFAULT_PATTERN}\n\u001b[2JDeleted.`;
    const r = await run(['create', '--kind', 'intake', '--arn-pattern', DEFAULT_PATTERN, '--paths', 'cloud_auth', ...at()]);
    assert.equal(r.code, 1, r.stderr);
    assert.doesNotMatch(r.stderr, CONTROL, JSON.stringify(r.stderr));
    assert.ok(r.stderr.includes('terraform-runner/*\\x0a\\x1b[2JDeleted.`'), r.stderr);
    assert.doesNotMatch(r.stderr, /^\S*Deleted\./m, 'no forged line');
  });
});

describe('keys, hosts and options', () => {
  test('a missing DD_API_KEY / DD_APP_KEY: exit 2 naming the variable', async () => {
    const noApi = await run(['list', ...at()], { DD_APP_KEY: RW.appKey });
    assert.equal(noApi.code, 2);
    assert.match(noApi.stderr, /DD_API_KEY is not set/);
    const noApp = await run(['list', ...at()], { DD_API_KEY: RW.apiKey });
    assert.equal(noApp.code, 2);
    assert.match(noApp.stderr, /DD_APP_KEY is not set/);
    const none = await run(['list', ...at()], {});
    assert.match(none.stderr, /DD_API_KEY and DD_APP_KEY are not set/);
    assert.deepEqual(apiRequests(), []);
  });

  test('--api-url to a host that is not allowed: exit 2, no request', async () => {
    const r = await run(['list', '--api-url', emu.apiUrl]);
    assert.equal(r.code, 2);
    assert.match(r.stderr, /--allow-host/);
    assert.deepEqual(apiRequests(), []);
    assert.equal((await run(['list', '--site', 'datadoghq.evil'])).code, 2);
  });

  test('bad options: exit 2', async () => {
    for (const argv of [['list', '--paths', 'v3'], ['list', '--format', 'yaml'], ['list', '--id', 'x'], ['list', '--bogus'], ['frobnicate'], ['list', '--timeout', '-1']]) {
      const r = await run([...argv, ...at()]);
      assert.equal(r.code, 2, argv.join(' '));
    }
    assert.equal((await run([])).code, 2);
  });

  test('--help: the usage, exit 0', async () => {
    const r = await run(['--help']);
    assert.equal(r.code, 0);
    assert.equal(r.stdout, MAPPINGS_USAGE);
    assert.equal((await run(['create', '--help'])).code, 0);
  });

  test('the API unreachable: exit 1', async () => {
    emu.fault('/api/v2/', { kind: 'timeout' }, 1);
    const r = await run(['list', '--kind', 'identity', '--timeout', '0.3', ...at()]);
    assert.equal(r.code, 1);
    assert.match(r.stderr, /no answer from/);
  });
});

describe('the built binary', () => {
  const cli = path.resolve(__dirname, '..', '..', '..', 'dist', 'cli.js');
  const has = () => {
    if (!fs.existsSync(cli)) return 'dist/cli.js is not built (node esbuild.mjs)';
    const probe = spawnSync(process.execPath, [cli, 'mappings', '--help'], { encoding: 'utf8', timeout: 20_000 });
    return probe.status === 0 && probe.stdout.includes('dd-wif mappings list') ? undefined : 'dist/cli.js has no `mappings` verb yet (main.ts not wired)';
  };

  test('list --format json and a delete refused without --yes, with the keys from the environment', async (t) => {
    const missing = has();
    if (missing) {
      t.skip(missing);
      return;
    }
    const spawn = (args: string[], e: NodeJS.ProcessEnv) => new Promise<{ status: number | null; stdout: string; stderr: string }>((resolve) => {
      const { spawn: sp } = require('node:child_process') as typeof import('node:child_process');
      const child = sp(process.execPath, [cli, 'mappings', ...args], { env: { PATH: process.env.PATH, ...e }, stdio: ['ignore', 'pipe', 'pipe'] });
      let stdout = '';
      let stderr = '';
      child.stdout.on('data', (d) => (stdout += d));
      child.stderr.on('data', (d) => (stderr += d));
      child.on('close', (status) => resolve({ status, stdout, stderr }));
    });
    const list = await spawn(['list', '--format', 'json', ...at()], env());
    assert.equal(list.status, 0, list.stderr);
    assert.equal(JSON.parse(list.stdout).length, 2);
    const del = await spawn(['delete', '--kind', 'intake', '--id', emu.intakeMappings[0].id, ...at()], env());
    assert.equal(del.status, 2);
    assert.equal(emu.intakeMappings.length, 1);
    const noKey = await spawn(['list', ...at()], {});
    assert.equal(noKey.status, 2);
    assert.match(noKey.stderr, /DD_API_KEY/);
    for (const r of [list, del, noKey]) for (const s of SECRETS) assert.ok(!r.stdout.includes(s) && !r.stderr.includes(s));
  });
});
