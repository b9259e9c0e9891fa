// `dd-wif whoami` and `dd-wif login` (CLI.md) against the local emulator:
// in-process through main() with a buffer io, and as users and CI run them,
// the built binary `node dist/cli.js` in a child process (skipped with a
// message when it is not built). Every run is also a canary: no AWS secret,
// session token, JWT or API key may ever reach stdout or stderr.

import { after, afterEach, before, beforeEach, describe, test } from 'node:test';
import * as assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { main } from '../../server/src/cli/main';
import { parseOptions } from '../../server/src/cli/args';
import { UsageError } from '../../server/src/cli/files';
import { startEmulator, TEST_IDENTITIES, EMULATOR_API_KEYS, type Emulator, type TestIdentity } from '../../emulator/src/index';
import { sharedPhrases } from '../helpers/advice';
import { awsEnvironment } from '../helpers/cli';

const root = path.resolve(__dirname, '..', '..', '..');
const cliJs = path.join(root, 'dist', 'cli.js');
const skipBinary = fs.existsSync(cliJs) ? false : 'dist/cli.js is missing: run `npm run build` first (dd-wif whoami/login binary tests skipped)';

interface Run {
  code: number | null;
  stdout: string;
  stderr: string;
}

/** What the AWS SDK reads from the environment: cleared for every run, so nothing of the machine's leaks in. */
const AWS_ENV = Object.keys(process.env).filter((k) => k.startsWith('AWS_'));
const SAVED = new Map([...AWS_ENV, 'HOME', 'USERPROFILE'].map((k) => [k, process.env[k]]));

let emulator: Emulator;
let apiHost: string;
let home: string;

before(async () => {
  emulator = await startEmulator();
  apiHost = new URL(emulator.apiUrl).host;
  home = fs.mkdtempSync(path.join(os.tmpdir(), 'dd-wif-whoami-'));
});
after(async () => {
  restoreEnv();
  await emulator?.close();
  if (home) fs.rmSync(home, { recursive: true, force: true });
});
beforeEach(() => emulator.reset());
afterEach(restoreEnv);

function restoreEnv(): void {
  for (const k of Object.keys(process.env)) if (k.startsWith('AWS_')) delete process.env[k];
  for (const [k, v] of SAVED) {
    if (v === undefined) delete process.env[k];
    else process.env[k] = v;
  }
}

/** The environment of one run: an identity's keys, STS at the emulator, no shared files, no metadata service. */
function envFor(id: TestIdentity | undefined, extra: Record<string, string> = {}): Record<string, string> {
  return { ...awsEnvironment(home, emulator.stsUrl, id), ...extra };
}

/** Secrets that must never be printed: every identity's secret key and session token, JWTs, the emulator's keys. */
function assertNoSecrets(r: Run, label: string): void {
  const text = r.stdout + r.stderr;
  for (const id of Object.values(TEST_IDENTITIES)) {
    assert.ok(!text.includes(id.secretAccessKey), `${label}: the secret access key of ${id.name} was printed`);
    if (id.sessionToken) assert.ok(!text.includes(id.sessionToken), `${label}: the session token of ${id.name} was printed`);
  }
  assert.doesNotMatch(text, /eyJ/, `${label}: a JWT was printed`);
  // The intake key the emulator hands out is 32 hex digits; only its last 4 may show.
  assert.doesNotMatch(text, /[0-9a-f]{32}/i, `${label}: an API key was printed`);
  for (const k of Object.values(EMULATOR_API_KEYS)) assert.ok(!text.includes(k.apiKey) && !text.includes(k.appKey), label);
  assert.doesNotMatch(text, /Delegated |\|POST\|/, `${label}: a proof was printed`);
  assert.doesNotMatch(text, /\n\s+at .+\(.+:\d+:\d+\)/, `${label}: a stack trace was printed`);
}

/** main() in-process, with `env` as the process environment for the run. */
async function inProcess(env: Record<string, string>, ...argv: string[]): Promise<Run> {
  for (const k of Object.keys(process.env)) if (k.startsWith('AWS_')) delete process.env[k];
  Object.assign(process.env, env);
  const out: string[] = [];
  const err: string[] = [];
  try {
    const code = await main(argv, { out: (t) => out.push(t + '\n'), err: (t) => err.push(t + '\n') });
    const r = { code, stdout: out.join(''), stderr: err.join('') };
    assertNoSecrets(r, `in-process ${argv.join(' ')}`);
    return r;
  } finally {
    restoreEnv();
  }
}

/** The built binary in a child process (asynchronously: the emulator answers from this process). */
function binary(env: Record<string, string>, ...argv: string[]): Promise<Run> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [cliJs, ...argv], { cwd: root, env: { PATH: process.env.PATH ?? '', ...env }, stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.setEncoding('utf8').on('data', (d) => (stdout += d));
    child.stderr.setEncoding('utf8').on('data', (d) => (stderr += d));
    const timer = setTimeout(() => child.kill(), 30_000);
    child.on('error', reject);
    child.on('close', (code) => {
      clearTimeout(timer);
      const r = { code, stdout, stderr };
      try {
        assertNoSecrets(r, `binary ${argv.join(' ')}`);
      } catch (e) {
        reject(e);
        return;
      }
      resolve(r);
    });
  });
}

type Runner = (env: Record<string, string>, ...argv: string[]) => Promise<Run>;

/**
 * How a contract runs: in-process every case, one after the other (they share
 * process.env); the binary (a second or so a start on a busy machine) one
 * representative of each list of usage mistakes, and independent runs at once.
 */
interface Mode {
  thorough: boolean;
  parallel: boolean;
}

/** The cases of a list this mode runs. */
const pick = <T>(mode: Mode, cases: readonly T[]): readonly T[] => (mode.thorough ? cases : cases.slice(0, 1));

/** Runs independent commands, at once when the mode allows. */
async function each<T>(mode: Mode, cases: readonly T[], fn: (c: T) => Promise<void>): Promise<void> {
  if (mode.parallel) await Promise.all(cases.map(fn));
  else for (const c of cases) await fn(c);
}

const loginArgs = (flow: 'agent' | 'terraform', ...more: string[]) => ['login', '--flow', flow, '--org-uuid', emulator.orgUuid, '--api-url', emulator.apiUrl, '--allow-host', apiHost, ...more];

/** The same contract, in-process and as the binary. */
function contract(name: string, run: Runner, mode: Mode, skip: string | false) {
  describe(name, { skip }, () => {
    describe('whoami', () => {
      test('text: account, ARN, kind in words, user id, and the pattern for any session', async () => {
        const id = TEST_IDENTITIES.mappedRole;
        const r = await run(envFor(id), 'whoami');
        assert.equal(r.code, 0, r.stderr);
        assert.equal(r.stderr, '');
        const lines = r.stdout.split('\n');
        assert.ok(lines.includes(`Account:  ${id.account}`), r.stdout);
        assert.ok(lines.includes(`ARN:      ${id.arn}`), r.stdout);
        assert.ok(lines.includes(`User ID:  ${id.userId}`), r.stdout);
        assert.match(r.stdout, /^Kind: +an assumed role/m);
        assert.ok(lines.includes('  arn:aws:sts::123456789012:assumed-role/terraform-runner/*'), r.stdout);
      });

      test('text: an IAM user is mapped by its own ARN, with the advice to prefer a role', async () => {
        const id = TEST_IDENTITIES.iamUser;
        const r = await run(envFor(id), 'whoami');
        assert.equal(r.code, 0, r.stderr);
        assert.match(r.stdout, /^Kind: +an IAM user/m);
        assert.ok(r.stdout.split('\n').includes(`  ${id.arn}`), r.stdout);
        assert.match(r.stdout, /prefer a role/);
      });

      test('json: exactly account, arn, userId, kind, suggestedPattern', async () => {
        const cases = [
          [TEST_IDENTITIES.mappedRole, 'assumed-role', 'arn:aws:sts::123456789012:assumed-role/terraform-runner/*'],
          [TEST_IDENTITIES.iamUser, 'iam-user', TEST_IDENTITIES.iamUser.arn],
        ] as const;
        await each(mode, cases, async ([id, kind, pattern]) => {
          const r = await run(envFor(id), 'whoami', '--format', 'json');
          assert.equal(r.code, 0, r.stderr);
          assert.deepEqual(JSON.parse(r.stdout), { account: id.account, arn: id.arn, userId: id.userId, kind, suggestedPattern: pattern });
          assert.deepEqual(Object.keys(JSON.parse(r.stdout)), ['account', 'arn', 'userId', 'kind', 'suggestedPattern']);
        });
      });

      test('--region and --format=json forms are accepted', async () => {
        const r = await run(envFor(TEST_IDENTITIES.mappedRole), 'whoami', '--region', 'eu-west-1', '--format=json');
        assert.equal(r.code, 0, r.stderr);
        assert.equal(JSON.parse(r.stdout).arn, TEST_IDENTITIES.mappedRole.arn);
      });

      test('no credentials at all: exit 1, the words on stderr, nothing on stdout', async () => {
        const r = await run(envFor(undefined), 'whoami');
        assert.equal(r.code, 1);
        assert.equal(r.stdout, '');
        assert.match(r.stderr, /No AWS credentials were found \(environment, shared files, SSO, web identity, container or instance metadata\)\./);
        assert.match(r.stderr, /set AWS_PROFILE or run `aws configure`/);
      });

      test('an unknown profile: exit 1, named, with the known ones', async () => {
        const config = path.join(home, 'config-known');
        fs.writeFileSync(config, '[profile dev]\nregion = us-east-1\n[profile prod]\nregion = us-east-1\n');
        const r = await run(envFor(undefined, { AWS_CONFIG_FILE: config }), 'whoami', '--profile', 'staging');
        assert.equal(r.code, 1);
        assert.match(r.stderr, /"staging"/);
        assert.match(r.stderr, /Known profiles: dev, prod/);
      });

      test('an SSO profile whose session is gone: exit 1, `aws sso login --profile X`', async () => {
        const config = path.join(home, 'config-sso');
        fs.writeFileSync(config, '[profile corp]\nsso_start_url = https://example.awsapps.com/start\nsso_region = us-east-1\nsso_account_id = 123456789012\nsso_role_name = Dev\n');
        const r = await run(envFor(undefined, { AWS_CONFIG_FILE: config }), 'whoami', '--profile', 'corp');
        assert.equal(r.code, 1);
        assert.match(r.stderr, /The AWS SSO session for profile corp has expired\./);
        assert.match(r.stderr, /aws sso login --profile corp/);
      });

      test('keys STS does not know: exit 1, "AWS rejected the credentials"', async () => {
        const r = await run(envFor({ ...TEST_IDENTITIES.iamUser, accessKeyId: 'AKIAEMULATORNOBODY01' }), 'whoami');
        assert.equal(r.code, 1);
        assert.match(r.stderr, /AWS rejected the credentials \(InvalidClientTokenId/);
      });

      test("--profile: the profile's endpoint_url and region are honoured (no AWS_ENDPOINT_URL_STS), as the AWS CLI does", async () => {
        const id = TEST_IDENTITIES.mappedRole;
        const config = path.join(home, 'config-endpoint');
        const credentials = path.join(home, 'credentials-endpoint');
        fs.writeFileSync(
          config,
          `[profile emu]\nregion = eu-west-3\nendpoint_url = ${emulator.stsUrl}\n` +
            `[profile emu-services]\nservices = local-sts\nendpoint_url = http://127.0.0.1:9\n[services local-sts]\nsts =\n  endpoint_url = ${emulator.stsUrl}\n`,
        );
        const keys = `aws_access_key_id = ${id.accessKeyId}\naws_secret_access_key = ${id.secretAccessKey}\naws_session_token = ${id.sessionToken}\n`;
        fs.writeFileSync(credentials, `[emu]\n${keys}[emu-services]\n${keys}`);
        const env = envFor(undefined, { AWS_CONFIG_FILE: config, AWS_SHARED_CREDENTIALS_FILE: credentials });
        delete env.AWS_ENDPOINT_URL_STS;
        await each(mode, pick(mode, ['emu', 'emu-services']), async (profile) => {
          const r = await run(env, 'whoami', '--profile', profile, '--format', 'json');
          assert.equal(r.code, 0, `${profile}: ${r.stderr}`);
          assert.equal(JSON.parse(r.stdout).arn, id.arn);
        });
        // The environment's endpoint still comes first: a dead one is named in the failure.
        const dead = await run({ ...env, AWS_ENDPOINT_URL_STS: 'http://127.0.0.1:9' }, 'whoami', '--profile', 'emu');
        assert.equal(dead.code, 1);
        assert.match(dead.stderr, /AWS STS \(http:\/\/127\.0\.0\.1:9\/?\) could not be reached/);
      });

      test('--timeout SECONDS bounds the check; a bad value is a usage error', async () => {
        emulator.fault('sts:/', { kind: 'timeout' }, Infinity);
        const r = await run(envFor(TEST_IDENTITIES.mappedRole), 'whoami', '--timeout', '1');
        assert.equal(r.code, 1, r.stderr);
        assert.match(r.stderr, /AWS STS did not answer within 1 s\./);
        emulator.clearFaults();
        const ok = await run(envFor(TEST_IDENTITIES.mappedRole), 'whoami', '--timeout=2.5', '--format', 'json');
        assert.equal(ok.code, 0, ok.stderr);
      });

      test('usage errors exit 2 with the usage: unknown option, missing value, stray argument, bad format, bad timeout', async () => {
        await each(mode, pick(mode, [['--bogus'], ['--profile'], ['--profile', '--region', 'us-east-1'], ['extra'], ['--format', 'xml'], ['--timeout', '0'], ['--timeout', 'soon'], ['--timeout', '3601']]), async (argv) => {
          const r = await run(envFor(TEST_IDENTITIES.mappedRole), 'whoami', ...argv);
          assert.equal(r.code, 2, argv.join(' '));
          assert.equal(r.stdout, '');
          assert.match(r.stderr, /Usage: dd-wif whoami/);
        });
      });
    });

    describe('login', () => {
      test('terraform, json: exactly ok, flow, site, callerArn, expiresAt', async () => {
        const r = await run(envFor(TEST_IDENTITIES.mappedRole), ...loginArgs('terraform', '--format', 'json'));
        assert.equal(r.code, 0, r.stderr);
        const got = JSON.parse(r.stdout);
        assert.deepEqual(Object.keys(got), ['ok', 'flow', 'site', 'callerArn', 'expiresAt']);
        assert.equal(got.ok, true);
        assert.equal(got.flow, 'terraform');
        assert.equal(got.callerArn, TEST_IDENTITIES.mappedRole.arn);
        assert.ok(Date.parse(got.expiresAt) > Date.now(), got.expiresAt);
        assert.ok(emulator.requests.some((q) => q.path === '/api/v2/delegated-token' && q.status === 200));
      });

      test('agent, json: exactly ok, flow, site, callerArn, apiKeyLast4 (4 characters)', async () => {
        const r = await run(envFor(TEST_IDENTITIES.mappedRole), ...loginArgs('agent', '--format', 'json'));
        assert.equal(r.code, 0, r.stderr);
        const got = JSON.parse(r.stdout);
        assert.deepEqual(Object.keys(got), ['ok', 'flow', 'site', 'callerArn', 'apiKeyLast4']);
        assert.equal(got.flow, 'agent');
        assert.equal(got.callerArn, TEST_IDENTITIES.mappedRole.arn);
        assert.match(got.apiKeyLast4, /^[0-9a-f]{4}$/);
        assert.ok(emulator.requests.some((q) => q.path === '/api/v2/intake-key' && q.status === 200));
      });

      test('text: success on stdout, naming the caller; exit 0 for both flows', async () => {
        await each(mode, ['terraform', 'agent'] as const, async (flow) => {
          const r = await run(envFor(TEST_IDENTITIES.mappedRole), ...loginArgs(flow));
          assert.equal(r.code, 0, r.stderr);
          assert.match(r.stdout, /Login succeeded/);
          assert.ok(r.stdout.includes(TEST_IDENTITIES.mappedRole.arn), r.stdout);
          assert.equal(r.stderr, '');
        });
      });

      test('403 for an unmapped role: exit 1, the ARN and the pattern to map it named, each piece of advice once', async () => {
        const id = TEST_IDENTITIES.unmappedRole;
        const pattern = 'arn:aws:sts::123456789012:assumed-role/unmapped-role/*';
        const r = await run(envFor(id), ...loginArgs('terraform'));
        assert.equal(r.code, 1);
        assert.equal(r.stdout, '');
        assert.ok(r.stderr.includes(id.arn), r.stderr);
        assert.equal(r.stderr.split(pattern).length - 1, 1, `the pattern is named once:\n${r.stderr}`);
        const lines = r.stderr.trimEnd().split('\n');
        const next = lines.filter((l) => l.startsWith('Next: '));
        assert.equal(next.length, 1, r.stderr);
        assert.ok(next[0].includes(pattern), r.stderr);
        assert.deepEqual(sharedPhrases(lines.filter((l) => !l.startsWith('Next: ')).join('\n'), next[0]), [], r.stderr);
      });

      test('403, json: the server\'s own words in details, the next step, the caller and the pattern', async () => {
        const id = TEST_IDENTITIES.unmappedRole;
        const json = await run(envFor(id), ...loginArgs('agent', '--format', 'json'));
        assert.equal(json.code, 1);
        const got = JSON.parse(json.stdout);
        assert.deepEqual(Object.keys(got), ['ok', 'status', 'reason', 'details', 'nextStep', 'callerArn', 'suggestedPattern']);
        assert.equal(got.ok, false);
        assert.equal(got.status, 403);
        assert.ok(got.reason.includes(id.arn), got.reason);
        assert.deepEqual(got.details, [`Forbidden: no mapping matches ${id.arn} (intake mappings)`]);
        assert.match(got.nextStep, /^create an intake mapping with the ARN pattern arn:aws:sts::123456789012:assumed-role\/unmapped-role\/\* /);
        assert.equal(got.callerArn, id.arn);
        assert.equal(got.suggestedPattern, 'arn:aws:sts::123456789012:assumed-role/unmapped-role/*');
      });

      test('--api-url to a host that is not a Datadog API host, without --allow-host: exit 2, nothing sent', async () => {
        const r = await run(envFor(TEST_IDENTITIES.mappedRole), 'login', '--flow', 'terraform', '--org-uuid', emulator.orgUuid, '--api-url', emulator.apiUrl);
        assert.equal(r.code, 2);
        assert.match(r.stderr, /not a Datadog API host/);
        assert.match(r.stderr, /--allow-host/);
        assert.equal(emulator.requests.filter((q) => q.server === 'api').length, 0);
      });

      test('plain http to a non-loopback host, even allowed: exit 2', async () => {
        const r = await run(envFor(TEST_IDENTITIES.mappedRole), 'login', '--flow', 'agent', '--org-uuid', emulator.orgUuid, '--api-url', 'http://datadog-proxy.example.com', '--allow-host', 'datadog-proxy.example.com');
        assert.equal(r.code, 2);
        assert.match(r.stderr, /loopback/);
      });

      test('a bad org UUID, a missing one, a bad or missing flow: exit 2', async () => {
        const env = envFor(TEST_IDENTITIES.mappedRole);
        let r = await run(env, 'login', '--flow', 'terraform', '--org-uuid', 'not-a-uuid', '--api-url', emulator.apiUrl, '--allow-host', apiHost);
        assert.equal(r.code, 2);
        assert.match(r.stderr, /UUID/);
        if (!mode.thorough) return;
        r = await run(env, 'login', '--flow', 'terraform', '--org-uuid', EMULATOR_API_KEYS.readWrite.apiKey);
        assert.equal(r.code, 2);
        assert.match(r.stderr, /looks like a Datadog API key/);
        r = await run(env, 'login', '--flow', 'terraform');
        assert.equal(r.code, 2);
        assert.match(r.stderr, /--org-uuid/);
        r = await run(env, 'login', '--org-uuid', emulator.orgUuid);
        assert.equal(r.code, 2);
        assert.match(r.stderr, /--flow/);
        r = await run(env, 'login', '--flow', 'lambda', '--org-uuid', emulator.orgUuid);
        assert.equal(r.code, 2);
        assert.equal(emulator.requests.length, 0);
      });

      test('unknown flags, missing values and bad timeouts: exit 2 with the usage', async () => {
        await each(mode, pick(mode, [['--bogus'], ['--timeout'], ['--timeout', 'soon'], ['--timeout', '0'], ['--format', 'sarif'], ['stray']]), async (more) => {
          const r = await run(envFor(TEST_IDENTITIES.mappedRole), ...loginArgs('terraform', ...more));
          assert.equal(r.code, 2, more.join(' '));
          assert.match(r.stderr, /Usage: dd-wif login/, more.join(' '));
        });
      });

      test('a malformed --region is refused before anything is signed: exit 2', async () => {
        const r = await run(envFor(TEST_IDENTITIES.mappedRole), ...loginArgs('terraform', '--region', 'moon-base'));
        assert.equal(r.code, 2);
        assert.match(r.stderr, /not an AWS region/);
        assert.equal(emulator.requests.length, 0);
      });

      test('--format json on a usage refusal still prints one JSON object, in the failure shape (no details)', async () => {
        const r = await run(envFor(TEST_IDENTITIES.mappedRole), 'login', '--flow', 'terraform', '--org-uuid', 'nope', '--format', 'json');
        assert.equal(r.code, 2);
        const got = JSON.parse(r.stdout);
        assert.deepEqual(Object.keys(got), ['ok', 'status', 'reason', 'details', 'nextStep']);
        assert.deepEqual([got.ok, got.status, got.details], [false, null, []]);
        assert.match(got.nextStep, /Organization Settings/);
        assert.match(r.stderr, /^Next: copy the org UUID/m);
        // A refused host: its reason says what to do, so no second next step.
        const host = await run(envFor(TEST_IDENTITIES.mappedRole), 'login', '--flow', 'terraform', '--org-uuid', emulator.orgUuid, '--api-url', emulator.apiUrl, '--format', 'json');
        assert.equal(host.code, 2);
        const refused = JSON.parse(host.stdout);
        assert.deepEqual(Object.keys(refused), ['ok', 'status', 'reason', 'details']);
        assert.match(refused.reason, /--allow-host/);
        // Mistakes the option parser finds answer in the same shape, and the usage still goes to stderr.
        await each(mode, pick(mode, [['--timeout', 'soon'], ['--bogus'], ['--flow', 'lambda']]), async (more) => {
          const bad = await run(envFor(TEST_IDENTITIES.mappedRole), 'login', '--org-uuid', emulator.orgUuid, ...(more[0] === '--flow' ? [] : ['--flow', 'agent']), ...more, '--format', 'json');
          assert.equal(bad.code, 2, more.join(' '));
          const j = JSON.parse(bad.stdout);
          assert.deepEqual(Object.keys(j), ['ok', 'status', 'reason', 'details', 'nextStep'], more.join(' '));
          assert.deepEqual([j.ok, j.status, j.details], [false, null, []]);
          assert.match(bad.stderr, /Usage: dd-wif login/);
        });
        assert.equal(emulator.requests.length, 0);
      });

      test('a server that never answers, with --timeout 1: exit 1, the 1 second budget in words, not retried', async () => {
        // The emulator holds the request for good: the command can only end through its budget, and
        // the words say it was the 1 second given, not the default 30 (that the budget's timer fires
        // at the budget is shown with a fake clock in cloud-faults.test.ts).
        emulator.fault('/api/v2/delegated-token', { kind: 'timeout' });
        const r = await run(envFor(TEST_IDENTITIES.mappedRole), ...loginArgs('terraform', '--timeout', '1'));
        assert.equal(r.code, 1, r.stderr);
        assert.match(r.stderr, /within the login test's 1 second\./);
        assert.match(r.stderr, /longer --timeout \(it was 1 seconds\)/);
        assert.deepEqual(emulator.requests.filter((x) => x.path === '/api/v2/delegated-token').map((x) => x.status), [0], 'one request, held');
      });

      test("--profile: the caller identity beside the exchange is asked at the profile's endpoint_url", async () => {
        const id = TEST_IDENTITIES.mappedRole;
        const config = path.join(home, 'config-login-endpoint');
        const credentials = path.join(home, 'credentials-login-endpoint');
        fs.writeFileSync(config, `[profile emu]\nregion = eu-west-3\nendpoint_url = ${emulator.stsUrl}\n`);
        fs.writeFileSync(credentials, `[emu]\naws_access_key_id = ${id.accessKeyId}\naws_secret_access_key = ${id.secretAccessKey}\naws_session_token = ${id.sessionToken}\n`);
        const env = envFor(undefined, { AWS_CONFIG_FILE: config, AWS_SHARED_CREDENTIALS_FILE: credentials });
        delete env.AWS_ENDPOINT_URL_STS;
        const r = await run(env, ...loginArgs('terraform', '--profile', 'emu', '--format', 'json'));
        assert.equal(r.code, 0, r.stderr);
        // On a success only the caller identity call names the caller, and only the emulated STS knows these keys.
        assert.equal(JSON.parse(r.stdout).callerArn, id.arn);
        // Two calls to the emulated STS: Datadog's replay of the proof, and the caller identity.
        assert.equal(emulator.requests.filter((q) => q.server === 'sts' && q.status === 200).length, 2);
        assert.ok(emulator.requests.some((q) => q.path === '/api/v2/delegated-token' && q.status === 200));
      });

      test('no AWS credentials: exit 1 with the words', async () => {
        const r = await run(envFor(undefined), ...loginArgs('agent', '--format', 'json'));
        assert.equal(r.code, 1);
        const got = JSON.parse(r.stdout);
        assert.equal(got.ok, false);
        assert.equal(got.status, null);
        assert.match(got.reason, /No AWS credentials were found/);
        assert.deepEqual(got.details, []);
        assert.match(got.nextStep, /aws configure/);
      });
    });

    describe('dispatch', () => {
      test('the usage lists whoami, login and mappings; mappings without keys is a usage error naming DD_API_KEY (exit 2)', async () => {
        const help = await run(envFor(undefined), '--help');
        assert.equal(help.code, 0);
        assert.match(help.stdout, /whoami/);
        assert.match(help.stdout, /login --flow/);
        assert.match(help.stdout, /mappings list\|create\|delete/);
        const r = await run(envFor(undefined), 'mappings', 'list');
        assert.equal(r.code, 2);
        assert.match(r.stderr, /DD_API_KEY/);
      });

      test('--help of each verb', async () => {
        await each(mode, ['whoami', 'login', 'mappings'], async (verb) => {
          const r = await run(envFor(undefined), verb, '--help');
          assert.equal(r.code, 0);
          assert.match(r.stdout, new RegExp(`Usage:\\s+dd-wif ${verb}`));
        });
      });
    });
  });
}

contract('dd-wif whoami / login in-process (main)', inProcess, { thorough: true, parallel: false }, false);
contract('dd-wif whoami / login as the binary (node dist/cli.js)', binary, { thorough: false, parallel: true }, skipBinary);

describe('main() answers every verb with a promise', () => {
  test('lint too (a failed HCL parser is replaced asynchronously): it resolves to the exit code', async () => {
    const result = main(['lint', '--format', 'json', path.join(root, 'test', 'fixtures', 'cli', 'clean', 'datadog.yaml')], { out: () => undefined, err: () => undefined });
    assert.ok(result instanceof Promise);
    assert.equal(await result, 0);
  });
});

describe('parseOptions (the strict parser of whoami and login)', () => {
  const specs = { name: { type: 'string' }, tag: { type: 'string', multiple: true }, yes: { type: 'boolean', short: 'y' } } as const;
  const usage = (argv: string[], pattern: RegExp) => assert.throws(() => parseOptions(argv, specs), (e: unknown) => e instanceof UsageError && pattern.test(e.message));

  test('--name value, --name=value (empty and dashed values too), repeatable options, short booleans', () => {
    assert.deepEqual(parseOptions(['--name', 'a', '--tag=x', '--tag', 'y', '-y'], specs).values, { name: 'a', tag: ['x', 'y'], yes: true });
    assert.deepEqual(parseOptions(['--name='], specs).values, { name: '' });
    assert.deepEqual(parseOptions(['--name=-dash'], specs).values, { name: '-dash' });
  });

  test('positionals only when allowed; everything after -- is one', () => {
    assert.deepEqual(parseOptions(['a', '--yes', '--', '--name'], specs, { positionals: true }), { values: { yes: true }, positionals: ['a', '--name'] });
    usage(['a'], /unexpected argument "a"/);
  });

  test('mistakes are usage errors', () => {
    usage(['--nope'], /unknown option --nope/);
    usage(['-x'], /unknown option -x/);
    usage(['-yy'], /unknown option -yy/);
    usage(['--name'], /--name needs a value/);
    usage(['--name', '--yes'], /--name needs a value/);
    usage(['--name', 'a', '--name', 'b'], /--name given more than once/);
    usage(['--yes=1'], /--yes takes no value/);
    usage(['--__proto__', 'x'], /unknown option/);
  });
});
