// AWS credential resolution (server/src/cloud/credentials.ts) against
// temporary shared config / credentials files and a temporary HOME (the SSO
// token cache lives in ~/.aws/sso/cache). No test reaches the network:
// instance metadata is disabled, container credentials are cleared, and every
// resolution is bounded.

import { after, afterEach, beforeEach, describe, test } from 'node:test';
import * as assert from 'node:assert/strict';
import * as crypto from 'node:crypto';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { credentialsSource, describeCredentialsError, listProfiles } from '../../server/src/cloud/credentials';
import { CloudError } from '../../server/src/cloud/types';
import { assertSettlesAtBudget, fakeClock, until, watch } from '../helpers/clock';

/** Every variable the SDK's chain reads; cleared for each test, restored after. */
const AWS_ENV = [
  'AWS_PROFILE', 'AWS_DEFAULT_PROFILE', 'AWS_ACCESS_KEY_ID', 'AWS_SECRET_ACCESS_KEY', 'AWS_SESSION_TOKEN', 'AWS_CREDENTIAL_EXPIRATION',
  'AWS_CREDENTIAL_SCOPE', 'AWS_ACCOUNT_ID', 'AWS_CONFIG_FILE', 'AWS_SHARED_CREDENTIALS_FILE', 'AWS_WEB_IDENTITY_TOKEN_FILE', 'AWS_ROLE_ARN',
  'AWS_ROLE_SESSION_NAME', 'AWS_CONTAINER_CREDENTIALS_RELATIVE_URI', 'AWS_CONTAINER_CREDENTIALS_FULL_URI', 'AWS_CONTAINER_AUTHORIZATION_TOKEN',
  'AWS_CONTAINER_AUTHORIZATION_TOKEN_FILE', 'AWS_EC2_METADATA_DISABLED', 'AWS_EC2_METADATA_SERVICE_ENDPOINT', 'AWS_REGION', 'AWS_DEFAULT_REGION',
  'AWS_ENDPOINT_URL', 'AWS_ENDPOINT_URL_STS', 'AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED', 'HOME', 'USERPROFILE',
];

const saved = new Map(AWS_ENV.map((k) => [k, process.env[k]]));
const made: string[] = [];
let home: string;

function restoreEnv(): void {
  for (const [k, v] of saved) {
    if (v === undefined) delete process.env[k];
    else process.env[k] = v;
  }
}

beforeEach(() => {
  for (const k of AWS_ENV) delete process.env[k];
  home = fs.mkdtempSync(path.join(os.tmpdir(), 'dd-wif-creds-'));
  made.push(home);
  fs.mkdirSync(path.join(home, '.aws', 'sso', 'cache'), { recursive: true });
  process.env.HOME = home;
  process.env.USERPROFILE = home;
  process.env.AWS_EC2_METADATA_DISABLED = 'true';
  process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED = 'true';
  process.env.AWS_CONFIG_FILE = path.join(home, '.aws', 'config');
  process.env.AWS_SHARED_CREDENTIALS_FILE = path.join(home, '.aws', 'credentials');
});
afterEach(restoreEnv);
after(() => {
  restoreEnv();
  for (const dir of made) fs.rmSync(dir, { recursive: true, force: true });
});

const STATIC_KEY = 'AKIAFILESTATIC000001';
const STATIC_SECRET = 'fileSecret/Static/000000000000000000000001';
const ENV_KEY = 'AKIAENVIRONMENT00001';
const ENV_SECRET = 'envSecret/Environment/0000000000000000001';
const START_URL = 'https://example.awsapps.com/start';

const CONFIG = `[default]
region = eu-west-1

[profile static]
region = us-west-2

[profile dev-sso]
sso_start_url = ${START_URL}
sso_region = us-east-1
sso_account_id = 123456789012
sso_role_name = Admin
region = eu-central-1

[profile new-sso]
sso_session = corp
sso_account_id = 123456789012
sso_role_name = ReadOnly

[sso-session corp]
sso_start_url = ${START_URL}
sso_region = us-east-1

[profile deploy]
role_arn = arn:aws:iam::123456789012:role/deploy
source_profile = static

[profile irsa]
role_arn = arn:aws:iam::123456789012:role/irsa
web_identity_token_file = /var/run/secrets/token

[profile vault]
credential_process = /usr/local/bin/vault-aws

[services local]
sts =
  endpoint_url = http://127.0.0.1:1
`;

const CREDENTIALS = `[static]
aws_access_key_id = ${STATIC_KEY}
aws_secret_access_key = ${STATIC_SECRET}

[ci]
aws_access_key_id = AKIAFILECI0000000001
aws_secret_access_key = fileSecret/Ci/00000000000000000000000000001
region = ap-southeast-2
`;

function writeFiles(config = CONFIG, credentials = CREDENTIALS): void {
  fs.writeFileSync(process.env.AWS_CONFIG_FILE!, config);
  fs.writeFileSync(process.env.AWS_SHARED_CREDENTIALS_FILE!, credentials);
}

/** Writes an SSO token cache entry as `aws sso login` does (sha1 of the start URL, or of the session name). */
function writeSsoToken(id: string, expiresAt: Date): void {
  const file = path.join(home, '.aws', 'sso', 'cache', `${crypto.createHash('sha1').update(id).digest('hex')}.json`);
  fs.writeFileSync(file, JSON.stringify({ accessToken: 'sso-access-token-never-shown', expiresAt: expiresAt.toISOString(), region: 'us-east-1', startUrl: START_URL }));
}

async function failure(promise: Promise<unknown>): Promise<CloudError> {
  try {
    await promise;
  } catch (err) {
    assert.ok(err instanceof CloudError, `a CloudError, not ${String(err)}`);
    return err;
  }
  assert.fail('expected a failure');
}

/** A message a user reads: one line, no stack trace, no SDK class names. */
function assertWords(err: CloudError): void {
  assert.equal(err.code, 'credentials');
  assert.ok(!err.message.includes('\n'), err.message);
  assert.doesNotMatch(err.message, /\n\s+at |CredentialsProviderError|TokenProviderError/);
}

describe('credentialsSource', () => {
  test('a static profile resolves to its keys, even with environment keys set', async () => {
    writeFiles();
    process.env.AWS_ACCESS_KEY_ID = ENV_KEY;
    process.env.AWS_SECRET_ACCESS_KEY = ENV_SECRET;
    const c = await credentialsSource({ profile: 'static', timeoutMs: 5000 })();
    assert.equal(c.accessKeyId, STATIC_KEY);
    assert.equal(c.secretAccessKey, STATIC_SECRET);
    assert.equal(c.sessionToken, undefined);
  });

  test('environment keys win when no profile is given', async () => {
    writeFiles(CONFIG, CREDENTIALS + `\n[default]\naws_access_key_id = AKIAFILEDEFAULT00001\naws_secret_access_key = fileSecret/Default/0000000000000000000001\n`);
    process.env.AWS_ACCESS_KEY_ID = ENV_KEY;
    process.env.AWS_SECRET_ACCESS_KEY = ENV_SECRET;
    process.env.AWS_SESSION_TOKEN = 'env-session-token';
    const c = await credentialsSource({ timeoutMs: 5000 })();
    assert.equal(c.accessKeyId, ENV_KEY);
    assert.equal(c.secretAccessKey, ENV_SECRET);
    assert.equal(c.sessionToken, 'env-session-token');
  });

  test('without a profile or environment keys, the default profile is used', async () => {
    writeFiles(CONFIG, CREDENTIALS + `\n[default]\naws_access_key_id = AKIAFILEDEFAULT00001\naws_secret_access_key = fileSecret/Default/0000000000000000000001\n`);
    assert.equal((await credentialsSource({ timeoutMs: 5000 })()).accessKeyId, 'AKIAFILEDEFAULT00001');
  });

  test('AWS_PROFILE picks the profile when none is given', async () => {
    writeFiles();
    process.env.AWS_PROFILE = 'ci';
    assert.equal((await credentialsSource({ timeoutMs: 5000 })()).accessKeyId, 'AKIAFILECI0000000001');
  });

  test('resolved afresh on every call: an edited credentials file counts at once', async () => {
    writeFiles();
    const source = credentialsSource({ profile: 'static', timeoutMs: 5000 });
    assert.equal((await source()).accessKeyId, STATIC_KEY);
    writeFiles(CONFIG, CREDENTIALS.replace(STATIC_KEY, 'AKIAFILEROTATED00001'));
    assert.equal((await source()).accessKeyId, 'AKIAFILEROTATED00001');
  });

  test('no credentials at all: the words, and `aws configure`', async () => {
    const err = await failure(credentialsSource({ timeoutMs: 5000 })());
    assertWords(err);
    assert.equal(err.message, 'No AWS credentials were found (environment, shared files, SSO, web identity, container or instance metadata).');
    assert.equal(err.nextStep, 'set AWS_PROFILE or run `aws configure`');
  });

  test('an unknown profile is named, with the known ones listed', async () => {
    writeFiles();
    const err = await failure(credentialsSource({ profile: 'prod', timeoutMs: 5000 })());
    assertWords(err);
    assert.match(err.message, /"prod"/);
    assert.match(err.message, /Known profiles: default, ci, deploy, dev-sso, irsa, new-sso, static, vault\./);
    assert.match(err.nextStep ?? '', /aws configure --profile prod/);
  });

  test('an unknown AWS_PROFILE is named too', async () => {
    writeFiles();
    process.env.AWS_PROFILE = 'typo';
    const err = await failure(credentialsSource({ timeoutMs: 5000 })());
    assert.match(err.message, /"typo"/);
  });

  test('an SSO profile without a cached token: `aws sso login --profile X`', async () => {
    writeFiles();
    const err = await failure(credentialsSource({ profile: 'dev-sso', timeoutMs: 5000 })());
    assertWords(err);
    assert.equal(err.message, 'The AWS SSO session for profile dev-sso has expired.');
    assert.equal(err.nextStep, 'run `aws sso login --profile dev-sso`');
  });

  test('an SSO profile whose cached token has expired: the same words', async () => {
    writeFiles();
    writeSsoToken(START_URL, new Date(Date.now() - 3600_000));
    const err = await failure(credentialsSource({ profile: 'dev-sso', timeoutMs: 5000 })());
    assert.equal(err.message, 'The AWS SSO session for profile dev-sso has expired.');
    assert.equal(err.nextStep, 'run `aws sso login --profile dev-sso`');
    assert.doesNotMatch(`${err.message} ${err.nextStep}`, /sso-access-token-never-shown/);
  });

  test('an sso-session profile, token missing or expired: the same words, through AWS_PROFILE too', async () => {
    writeFiles();
    let err = await failure(credentialsSource({ profile: 'new-sso', timeoutMs: 5000 })());
    assert.equal(err.message, 'The AWS SSO session for profile new-sso has expired.');
    assert.equal(err.nextStep, 'run `aws sso login --profile new-sso`');
    writeSsoToken('corp', new Date(Date.now() - 3600_000));
    process.env.AWS_PROFILE = 'new-sso';
    err = await failure(credentialsSource({ timeoutMs: 5000 })());
    assert.equal(err.message, 'The AWS SSO session for profile new-sso has expired.');
  });

  test('expired temporary credentials in the environment are said to be expired', async () => {
    process.env.AWS_ACCESS_KEY_ID = 'ASIAENVIRONMENT00001';
    process.env.AWS_SECRET_ACCESS_KEY = ENV_SECRET;
    process.env.AWS_SESSION_TOKEN = 'env-session-token';
    process.env.AWS_CREDENTIAL_EXPIRATION = new Date(Date.now() - 60_000).toISOString();
    const err = await failure(credentialsSource({ timeoutMs: 5000 })());
    assertWords(err);
    assert.match(err.message, /expired/);
    assert.doesNotMatch(err.message, new RegExp(ENV_SECRET.replace(/\//g, '\\/')));
  });

  test('a credential process that gives nothing names the profile', async () => {
    writeFiles(CONFIG.replace('/usr/local/bin/vault-aws', `${JSON.stringify(process.execPath)} -e "process.exit(3)"`));
    const err = await failure(credentialsSource({ profile: 'vault', timeoutMs: 10_000 })());
    assertWords(err);
    assert.match(err.message, /credential process of profile vault/);
  });

  test('a credential process that fails is named by its profile and its stderr, never by its command line (an argument may be a secret)', async () => {
    // What the SDK's credential_process provider throws: Node's exec message, the command line first.
    const sdk = Object.assign(new Error("Command failed: sh -c 'echo boom >&2; exit 3' SECRETARG\nboom\n"), { name: 'CredentialsProviderError' });
    const fromSdk = describeCredentialsError(sdk, 'vault');
    assert.doesNotMatch(`${fromSdk.message} ${fromSdk.nextStep}`, /SECRETARG|Command failed|sh -c/);
    assert.equal(fromSdk.message, 'The credential process of profile vault failed: boom.');
    // With the exit status when the error carries it; stderr redacted.
    const exec = Object.assign(new Error("Command failed: sh -c 'exit 3' SECRETARG\nboom: token AKIAIOSFODNN7EXAMPLE refused\n"), { code: 3 });
    assert.equal(describeCredentialsError(exec, 'vault').message, 'The credential process of profile vault failed with exit status 3: boom: token [redacted key id …MPLE] refused.');

    // Through the whole chain, which hides the failure behind "no credentials": the same words.
    writeFiles(CONFIG.replace('/usr/local/bin/vault-aws', `sh -c 'echo boom >&2; exit 3' SECRETARG`));
    const err = await failure(credentialsSource({ profile: 'vault', timeoutMs: 10_000 })());
    assertWords(err);
    assert.equal(err.message, 'The credential process of profile vault failed: boom.');
    for (const text of [err.message, err.nextStep ?? '', JSON.stringify(err)]) assert.doesNotMatch(text, /SECRETARG|Command failed|sh -c/, text);
  });

  test('a resolution that hangs is given up at timeoutMs, not before, not later', { timeout: 120_000 }, async (t) => {
    // A credential process that answers only when the test lets it: the resolution cannot end by itself.
    const started = path.join(home, 'process-started');
    const release = path.join(home, 'process-release');
    const script = path.join(home, 'hang.js');
    fs.writeFileSync(script, 'const fs = require("fs");\nfs.writeFileSync(process.argv[2], "");\nsetInterval(() => fs.existsSync(process.argv[3]) && process.exit(0), 20);\n');
    writeFiles(CONFIG.replace('/usr/local/bin/vault-aws', [process.execPath, script, started, release].map((a) => JSON.stringify(a)).join(' ')));
    try {
      const clock = fakeClock(t);
      const resolving = watch(failure(credentialsSource({ profile: 'vault', timeoutMs: 200 })()));
      await until(() => fs.existsSync(started), t.signal);
      await assertSettlesAtBudget(clock, resolving, 200, 'given up at the budget, the process still running');
      const err = await resolving.promise;
      assertWords(err);
      assert.equal(err.message, 'AWS credentials could not be resolved within 0.2 s for profile vault (SSO, a credential process, or container or instance metadata did not answer).');
    } finally {
      fs.writeFileSync(release, '');
    }
  });
});

describe('describeCredentialsError', () => {
  test('ExpiredToken from AWS: said so', () => {
    const e = Object.assign(new Error('The security token included in the request is expired'), { name: 'ExpiredToken' });
    const err = describeCredentialsError(e, 'dev');
    assert.equal(err.code, 'credentials');
    assert.match(err.message, /expired \(ExpiredToken\)/);
    assert.match(err.message, /profile dev/);
  });

  test("the SDK's SSO messages become the `aws sso login` words", () => {
    for (const message of [
      'The SSO session associated with this profile has expired or is otherwise invalid. To refresh this SSO session run aws sso login with the corresponding profile.',
      'The SSO session associated with this profile is invalid. To refresh this SSO session run aws sso login with the corresponding profile.',
      "The SSO session token associated with profile=dev was not found or is invalid. To refresh this SSO session run 'aws sso login' with the corresponding profile.",
      'Token is expired. To refresh this SSO session run \'aws sso login\' with the corresponding profile.',
    ]) {
      const err = describeCredentialsError(Object.assign(new Error(message), { name: 'CredentialsProviderError' }), 'dev');
      assert.equal(err.message, 'The AWS SSO session for profile dev has expired.', message);
      assert.equal(err.nextStep, 'run `aws sso login --profile dev`');
    }
  });

  test('without a profile, AWS_PROFILE or `default` is the one named', () => {
    const sso = new Error('The SSO session associated with this profile has expired.');
    assert.equal(describeCredentialsError(sso).nextStep, 'run `aws sso login --profile default`');
    process.env.AWS_PROFILE = 'team';
    assert.equal(describeCredentialsError(sso).nextStep, 'run `aws sso login --profile team`');
  });

  test('a secret in an unexpected message is redacted; only its first line is kept', () => {
    const e = new Error('credential process printed AKIAIOSFODNN7EXAMPLE wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY\n    at Object.<anonymous> (/x.js:1:1)');
    const err = describeCredentialsError(e, 'vault');
    assert.doesNotMatch(err.message, /AKIAIOSFODNN7EXAMPLE|wJalrXUtnFEMI|at Object/);
  });

  test('a CloudError passes through unchanged', () => {
    const original = new CloudError('x', 'credentials', 'y');
    assert.equal(describeCredentialsError(original), original);
  });
});

describe('listProfiles', () => {
  test('every profile, its kind, file and region; default first, then by name', async () => {
    writeFiles();
    assert.deepEqual(await listProfiles(), [
      { name: 'default', source: 'config', kind: 'other', region: 'eu-west-1' },
      { name: 'ci', source: 'credentials', kind: 'static', region: 'ap-southeast-2' },
      { name: 'deploy', source: 'config', kind: 'role' },
      { name: 'dev-sso', source: 'config', kind: 'sso', region: 'eu-central-1' },
      { name: 'irsa', source: 'config', kind: 'web-identity' },
      { name: 'new-sso', source: 'config', kind: 'sso' },
      { name: 'static', source: 'both', kind: 'static', region: 'us-west-2' },
      { name: 'vault', source: 'config', kind: 'process' },
    ]);
  });

  test('missing files give no profiles', async () => {
    assert.deepEqual(await listProfiles(), []);
    assert.deepEqual(await listProfiles({ configFile: path.join(home, 'nope'), credentialsFile: path.join(home, 'nope2') }), []);
  });

  test('explicit paths win over AWS_CONFIG_FILE / AWS_SHARED_CREDENTIALS_FILE', async () => {
    writeFiles();
    const other = path.join(home, 'other-config');
    fs.writeFileSync(other, '[profile elsewhere]\nregion = sa-east-1\n');
    assert.deepEqual(await listProfiles({ configFile: other, credentialsFile: path.join(home, 'none') }), [{ name: 'elsewhere', source: 'config', kind: 'other', region: 'sa-east-1' }]);
  });

  test('edits are seen at once (no cache)', async () => {
    writeFiles();
    assert.equal((await listProfiles()).length, 8);
    writeFiles('[profile only]\nregion = us-east-2\n', '');
    assert.deepEqual((await listProfiles()).map((p) => p.name), ['only']);
  });
});
