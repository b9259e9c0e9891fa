// STS GetCallerIdentity (server/src/cloud/callerIdentity.ts) against the
// local emulator, whose STS verifies SigV4 for real: the caller's account,
// ARN, kind and the pattern to map it; and every failure in words (rejected
// keys, expired tokens, server errors, a dead port, a server that never
// answers), with no SDK stack trace and no secret.

import { after, afterEach, before, beforeEach, describe, test } from 'node:test';
import * as assert from 'node:assert/strict';
import * as net from 'node:net';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { getCallerIdentity, stsRegion, stsTarget, describeStsError } from '../../server/src/cloud/callerIdentity';
import { CloudError, type AwsCredentials, type CredentialsSource } from '../../server/src/cloud/types';
import { startEmulator, TEST_IDENTITIES, type Emulator, type TestIdentity } from '../../emulator/src/index';
import { callerIdentityXml } from '../../emulator/src/sts';
import { startServer } from '../helpers/loopback';
import { assertSettlesAtBudget, fakeClock, until, watch } from '../helpers/clock';

const ENV = ['AWS_REGION', 'AWS_DEFAULT_REGION', 'AWS_ENDPOINT_URL', 'AWS_ENDPOINT_URL_STS', 'AWS_IGNORE_CONFIGURED_ENDPOINT_URLS', 'AWS_PROFILE', 'AWS_CONFIG_FILE', 'AWS_SHARED_CREDENTIALS_FILE', 'AWS_EC2_METADATA_DISABLED', 'AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED'];
const saved = new Map(ENV.map((k) => [k, process.env[k]]));
function restoreEnv(): void {
  for (const [k, v] of saved) {
    if (v === undefined) delete process.env[k];
    else process.env[k] = v;
  }
}

let emulator: Emulator;
before(async () => {
  emulator = await startEmulator();
});
after(async () => {
  restoreEnv();
  await emulator?.close();
});
beforeEach(() => {
  for (const k of ENV) delete process.env[k];
  // The STS client reads the shared files for its own settings: none here.
  process.env.AWS_CONFIG_FILE = '/nonexistent/dd-wif-test/config';
  process.env.AWS_SHARED_CREDENTIALS_FILE = '/nonexistent/dd-wif-test/credentials';
  process.env.AWS_EC2_METADATA_DISABLED = 'true';
  process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED = 'true';
  emulator.reset();
});
afterEach(restoreEnv);

const source = (id: Pick<TestIdentity, 'accessKeyId' | 'secretAccessKey' | 'sessionToken'>): CredentialsSource => async () => ({
  accessKeyId: id.accessKeyId,
  secretAccessKey: id.secretAccessKey,
  ...(id.sessionToken ? { sessionToken: id.sessionToken } : {}),
});

async function failure(promise: Promise<unknown>): Promise<CloudError> {
  try {
    await promise;
  } catch (err) {
    assert.ok(err instanceof CloudError, `a CloudError, not ${err instanceof Error ? `${err.name}: ${err.message}` : String(err)}`);
    return err;
  }
  assert.fail('expected a failure');
}

/** One line of words: no stack, no SDK class names, no secret of any emulator identity. */
function assertClean(err: CloudError): void {
  const text = `${err.message} ${err.nextStep ?? ''}`;
  assert.ok(!text.includes('\n'), text);
  assert.doesNotMatch(text, /\bat \S+ \(|ServiceException|\$metadata|\[object /);
  for (const id of Object.values(TEST_IDENTITIES)) {
    assert.ok(!text.includes(id.secretAccessKey), 'no secret access key');
    if (id.sessionToken) assert.ok(!text.includes(id.sessionToken), 'no session token');
  }
}

describe('getCallerIdentity against the emulator', () => {
  test('an assumed role: account, ARN, user id, kind, and the pattern for any session', async () => {
    const id = TEST_IDENTITIES.mappedRole;
    const got = await getCallerIdentity({ credentials: source(id), endpoint: emulator.stsUrl, timeoutMs: 10_000 });
    assert.deepEqual(got, {
      account: id.account,
      arn: id.arn,
      userId: id.userId,
      kind: 'assumed-role',
      suggestedPattern: 'arn:aws:sts::123456789012:assumed-role/terraform-runner/*',
    });
  });

  test('an IAM user (long-lived key, no session token): its own ARN is the pattern', async () => {
    const id = TEST_IDENTITIES.iamUser;
    const got = await getCallerIdentity({ credentials: source(id), endpoint: emulator.stsUrl, timeoutMs: 10_000 });
    assert.equal(got.arn, id.arn);
    assert.equal(got.kind, 'iam-user');
    assert.equal(got.suggestedPattern, id.arn);
    assert.equal(got.account, id.account);
  });

  test('AWS_ENDPOINT_URL_STS is honoured without an endpoint option', async () => {
    process.env.AWS_ENDPOINT_URL_STS = emulator.stsUrl;
    const got = await getCallerIdentity({ credentials: source(TEST_IDENTITIES.otherAccountRole), timeoutMs: 10_000 });
    assert.equal(got.arn, TEST_IDENTITIES.otherAccountRole.arn);
    assert.equal(got.account, '210987654321');
    assert.ok(emulator.requests.some((r) => r.server === 'sts' && r.status === 200));
  });

  test('the credentials are resolved afresh on every call', async () => {
    let calls = 0;
    const credentials: CredentialsSource = async () => {
      calls++;
      const id = calls === 1 ? TEST_IDENTITIES.mappedRole : TEST_IDENTITIES.iamUser;
      return { accessKeyId: id.accessKeyId, secretAccessKey: id.secretAccessKey, ...(id.sessionToken ? { sessionToken: id.sessionToken } : {}) };
    };
    assert.equal((await getCallerIdentity({ credentials, endpoint: emulator.stsUrl })).kind, 'assumed-role');
    assert.equal((await getCallerIdentity({ credentials, endpoint: emulator.stsUrl })).kind, 'iam-user');
  });

  test('an unknown access key: "AWS rejected the credentials (…)"', async () => {
    const err = await failure(getCallerIdentity({ credentials: source({ accessKeyId: 'AKIAEMULATORUNKNOWN1', secretAccessKey: 'x'.repeat(40) }), endpoint: emulator.stsUrl }));
    assert.match(err.message, /^AWS rejected the credentials \(InvalidClientTokenId/);
    assert.equal(err.code, 'credentials');
    assert.equal(err.status, 403);
    assertClean(err);
  });

  test('a wrong secret key: rejected, SignatureDoesNotMatch, without the secret', async () => {
    const id = TEST_IDENTITIES.mappedRole;
    const err = await failure(getCallerIdentity({ credentials: source({ ...id, secretAccessKey: TEST_IDENTITIES.unmappedRole.secretAccessKey }), endpoint: emulator.stsUrl }));
    assert.match(err.message, /^AWS rejected the credentials \(SignatureDoesNotMatch/);
    assertClean(err);
  });

  test('ExpiredToken: said so', async () => {
    emulator.fault('sts:/', {
      kind: 'status',
      status: 403,
      headers: { 'content-type': 'text/xml' },
      body: '<ErrorResponse xmlns="https://sts.amazonaws.com/doc/2011-06-15/"><Error><Type>Sender</Type><Code>ExpiredToken</Code><Message>The security token included in the request is expired</Message></Error><RequestId>1</RequestId></ErrorResponse>',
    });
    const err = await failure(getCallerIdentity({ credentials: source(TEST_IDENTITIES.mappedRole), endpoint: emulator.stsUrl }));
    assert.match(err.message, /expired \(ExpiredToken\)/);
    assert.equal(err.code, 'credentials');
    assertClean(err);
  });

  test('a server error: the status in words', async () => {
    emulator.fault('sts:/', { kind: 'status', status: 500 }, Infinity);
    const err = await failure(getCallerIdentity({ credentials: source(TEST_IDENTITIES.mappedRole), endpoint: emulator.stsUrl }));
    assert.equal(err.code, 'http');
    assert.equal(err.status, 500);
    assert.match(err.message, /AWS STS answered 500/);
    assertClean(err);
  });

  test('a reset connection: a network failure', async () => {
    emulator.fault('sts:/', { kind: 'reset' }, Infinity);
    const err = await failure(getCallerIdentity({ credentials: source(TEST_IDENTITIES.mappedRole), endpoint: emulator.stsUrl, timeoutMs: 5000 }));
    assert.equal(err.code, 'network');
    assert.match(err.message, /could not be reached/);
    assertClean(err);
  });

  test('a server that never answers: a timeout at the budget, not before, not later', { timeout: 120_000 }, async (t) => {
    emulator.fault('sts:/', { kind: 'timeout' }, Infinity);
    // 20 s of fake time: the SDK's own request timeout (a real socket timer, armed
    // 3 s of fake time in) cannot end the call first.
    const clock = fakeClock(t);
    const call = watch(failure(getCallerIdentity({ credentials: source(TEST_IDENTITIES.mappedRole), endpoint: emulator.stsUrl, timeoutMs: 20_000 })));
    await until(() => emulator.requests.some((r) => r.server === 'sts'), t.signal);
    await assertSettlesAtBudget(clock, call, 20_000);
    const err = await call.promise;
    assert.equal(err.code, 'timeout');
    assert.match(err.message, /did not answer within 20 s/);
    assert.deepEqual(emulator.requests.map((r) => `${r.server} ${r.status}`), ['sts 0'], 'one request, held, not retried');
    assertClean(err);
  });

  test('a cancelled call', async () => {
    emulator.fault('sts:/', { kind: 'timeout' }, Infinity);
    const controller = new AbortController();
    setTimeout(() => controller.abort(), 100);
    const err = await failure(getCallerIdentity({ credentials: source(TEST_IDENTITIES.mappedRole), endpoint: emulator.stsUrl, timeoutMs: 10_000, signal: controller.signal }));
    assert.equal(err.code, 'cancelled');
  });
});

describe('getCallerIdentity without the emulator', () => {
  test('a closed port: a network failure naming the endpoint', async () => {
    const server = net.createServer();
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
    const port = (server.address() as net.AddressInfo).port;
    await new Promise<void>((r) => server.close(() => r()));
    const err = await failure(getCallerIdentity({ credentials: source(TEST_IDENTITIES.mappedRole), endpoint: `http://127.0.0.1:${port}`, timeoutMs: 5000 }));
    assert.equal(err.code, 'network');
    assert.match(err.message, new RegExp(`127\\.0\\.0\\.1:${port}.*ECONNREFUSED`));
    assertClean(err);
  });

  test("a credentials failure keeps its own words (and is not sent anywhere)", async () => {
    const credentials: CredentialsSource = async () => {
      throw new CloudError('The AWS SSO session for profile dev has expired.', 'credentials', 'run `aws sso login --profile dev`');
    };
    const err = await failure(getCallerIdentity({ credentials, endpoint: 'http://127.0.0.1:9' }));
    assert.equal(err.message, 'The AWS SSO session for profile dev has expired.');
    assert.equal(err.nextStep, 'run `aws sso login --profile dev`');
  });

  test("a raw provider failure is described like credentialsSource's", async () => {
    const credentials: CredentialsSource = async () => {
      throw Object.assign(new Error('Could not load credentials from any providers'), { name: 'CredentialsProviderError' });
    };
    const err = await failure(getCallerIdentity({ credentials, endpoint: 'http://127.0.0.1:9' }));
    assert.equal(err.code, 'credentials');
    assert.match(err.message, /^No AWS credentials were found/);
  });

  test('credentials that never come are bounded by timeoutMs', async () => {
    const credentials: CredentialsSource = () => new Promise<AwsCredentials>(() => undefined);
    const err = await failure(getCallerIdentity({ credentials, endpoint: 'http://127.0.0.1:9', timeoutMs: 200 }));
    assert.equal(err.code, 'timeout');
    assert.match(err.message, /AWS credentials could not be resolved within 0\.2 s/);
  });

  test('the region: given, else AWS_REGION, else AWS_DEFAULT_REGION, else us-east-1', () => {
    assert.equal(stsRegion(), 'us-east-1');
    process.env.AWS_DEFAULT_REGION = 'eu-west-3';
    assert.equal(stsRegion(), 'eu-west-3');
    process.env.AWS_REGION = 'ap-south-1';
    assert.equal(stsRegion(), 'ap-south-1');
    assert.equal(stsRegion(' us-west-2 '), 'us-west-2');
  });

  test('describeStsError: words for the names STS uses', () => {
    const sts = (name: string, status: number, message = '') => Object.assign(new Error(message), { name, $metadata: { httpStatusCode: status } });
    assert.match(describeStsError(sts('InvalidClientTokenId', 403)).message, /^AWS rejected the credentials \(InvalidClientTokenId/);
    assert.match(describeStsError(sts('ExpiredToken', 400)).message, /ExpiredToken/);
    assert.equal(describeStsError(sts('RegionDisabledException', 403), 'me-south-1').message, 'STS is not enabled in region me-south-1.');
    assert.equal(describeStsError(sts('TimeoutError', 0)).code, 'timeout');
    assert.equal(describeStsError(Object.assign(new Error('getaddrinfo ENOTFOUND sts.example'), { code: 'ENOTFOUND' })).code, 'network');
    const leaky = describeStsError(sts('AccessDenied', 403, 'denied for wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY'));
    assert.doesNotMatch(leaky.message, /wJalrXUtnFEMI/);
  });
});

describe('the STS region and endpoint of a profile (AWS CLI precedence)', () => {
  let dir: string;
  before(() => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'dd-wif-sts-'));
  });
  after(() => fs.rmSync(dir, { recursive: true, force: true }));

  /** Points the shared files at fresh temporary files with these contents. */
  function files(config: string, credentials = ''): void {
    const c = path.join(dir, `config-${Math.random().toString(36).slice(2)}`);
    const k = path.join(dir, `credentials-${Math.random().toString(36).slice(2)}`);
    fs.writeFileSync(c, config);
    fs.writeFileSync(k, credentials);
    process.env.AWS_CONFIG_FILE = c;
    process.env.AWS_SHARED_CREDENTIALS_FILE = k;
  }

  const CONFIG = [
    '[default]',
    'region = eu-west-1',
    '[profile dev]',
    'region = eu-central-1',
    'endpoint_url = http://profile.example',
    '[profile svc]',
    'services = local',
    'endpoint_url = http://profile.example',
    '[profile svc-other]',
    'services = s3-only',
    'endpoint_url = http://profile.example',
    '[services local]',
    'sts =',
    '  endpoint_url = http://services.example',
    '[services s3-only]',
    's3 =',
    '  endpoint_url = http://s3.example',
    '[profile ignoring]',
    'endpoint_url = http://profile.example',
    'ignore_configured_endpoint_urls = true',
    '[profile dangling]',
    'services = nowhere',
    '',
  ].join('\n');

  test("the profile's region and endpoint_url; AWS_PROFILE picks the profile as --profile does", async () => {
    files(CONFIG);
    assert.deepEqual(await stsTarget(), { region: 'eu-west-1' });
    assert.deepEqual(await stsTarget({ profile: 'dev' }), { region: 'eu-central-1', endpoint: 'http://profile.example' });
    process.env.AWS_PROFILE = 'dev';
    assert.deepEqual(await stsTarget(), { region: 'eu-central-1', endpoint: 'http://profile.example' });
    // The profile given wins over AWS_PROFILE, as for credentials.
    assert.deepEqual(await stsTarget({ profile: 'default' }), { region: 'eu-west-1' });
    // A profile with neither: us-east-1, the SDK's own endpoint.
    files('[profile bare]\naws_access_key_id = AKIAEXAMPLE\n');
    delete process.env.AWS_PROFILE;
    assert.deepEqual(await stsTarget({ profile: 'bare' }), { region: 'us-east-1' });
    // A region written only in the credentials file still counts (as the SDK reads it).
    files('', '[creds-only]\nregion = sa-east-1\n');
    assert.deepEqual(await stsTarget({ profile: 'creds-only' }), { region: 'sa-east-1' });
  });

  test('the [services] section names the STS endpoint first; another service\'s entry does not count', async () => {
    files(CONFIG);
    assert.deepEqual(await stsTarget({ profile: 'svc' }), { region: 'us-east-1', endpoint: 'http://services.example' });
    assert.deepEqual(await stsTarget({ profile: 'svc-other' }), { region: 'us-east-1', endpoint: 'http://profile.example' });
    const err = await failure(stsTarget({ profile: 'dangling' }));
    assert.match(err.message, /profile dangling names the services section "nowhere"/);
    assert.match(err.nextStep ?? '', /\[services nowhere\]/);
  });

  test('region: given > AWS_REGION > AWS_DEFAULT_REGION > the profile\'s > us-east-1', async () => {
    files(CONFIG);
    process.env.AWS_DEFAULT_REGION = 'ap-southeast-2';
    assert.equal((await stsTarget({ profile: 'dev' })).region, 'ap-southeast-2');
    process.env.AWS_REGION = 'ca-central-1';
    assert.equal((await stsTarget({ profile: 'dev' })).region, 'ca-central-1');
    assert.equal((await stsTarget({ profile: 'dev', region: 'us-west-2' })).region, 'us-west-2');
  });

  test('endpoint: given > AWS_ENDPOINT_URL_STS > AWS_ENDPOINT_URL > the profile\'s; ignore_configured_endpoint_urls skips all but the given', async () => {
    files(CONFIG);
    process.env.AWS_ENDPOINT_URL = 'http://global-env.example';
    assert.equal((await stsTarget({ profile: 'svc' })).endpoint, 'http://global-env.example');
    process.env.AWS_ENDPOINT_URL_STS = 'http://sts-env.example';
    assert.equal((await stsTarget({ profile: 'svc' })).endpoint, 'http://sts-env.example');
    assert.equal((await stsTarget({ profile: 'svc', endpoint: 'http://given.example' })).endpoint, 'http://given.example');
    // The profile's ignore_configured_endpoint_urls: the environment's endpoints are configured ones too.
    assert.deepEqual(await stsTarget({ profile: 'ignoring' }), { region: 'us-east-1' });
    assert.equal((await stsTarget({ profile: 'ignoring', endpoint: 'http://given.example' })).endpoint, 'http://given.example');
    // The environment's setting wins over the profile's, either way.
    process.env.AWS_IGNORE_CONFIGURED_ENDPOINT_URLS = 'false';
    assert.equal((await stsTarget({ profile: 'ignoring' })).endpoint, 'http://sts-env.example');
    process.env.AWS_IGNORE_CONFIGURED_ENDPOINT_URLS = 'TRUE';
    assert.deepEqual(await stsTarget({ profile: 'dev' }), { region: 'eu-central-1' });
  });

  test("getCallerIdentity with a profile: sent to the profile's endpoint, signed for its region (or the one given)", async () => {
    const sts = await startServer((_q, res) => {
      res.writeHead(200, { 'Content-Type': 'text/xml' });
      res.end(callerIdentityXml(TEST_IDENTITIES.mappedRole, 'req-1'));
    });
    try {
      files(`[profile far]\nregion = ap-south-1\nendpoint_url = ${sts.url}\n`);
      const got = await getCallerIdentity({ credentials: source(TEST_IDENTITIES.mappedRole), profile: 'far', timeoutMs: 10_000 });
      assert.equal(got.arn, TEST_IDENTITIES.mappedRole.arn);
      assert.equal(sts.seen.length, 1);
      assert.match(String(sts.seen[0].headers.authorization), /Credential=ASIAEMULATORMAPPED01\/\d{8}\/ap-south-1\/sts\/aws4_request/);
      await getCallerIdentity({ credentials: source(TEST_IDENTITIES.mappedRole), profile: 'far', region: 'us-west-2', timeoutMs: 10_000 });
      assert.match(String(sts.seen[1].headers.authorization), /\/us-west-2\/sts\/aws4_request/);
      // AWS_PROFILE names the profile when no profile is given.
      process.env.AWS_PROFILE = 'far';
      await getCallerIdentity({ credentials: source(TEST_IDENTITIES.mappedRole), timeoutMs: 10_000 });
      assert.match(String(sts.seen[2].headers.authorization), /\/ap-south-1\/sts\/aws4_request/);
    } finally {
      await sts.close();
    }
  });

  test("a profile's endpoint that does not answer is named in the failure", async () => {
    files('[profile dead]\nendpoint_url = http://127.0.0.1:9\n');
    const err = await failure(getCallerIdentity({ credentials: source(TEST_IDENTITIES.mappedRole), profile: 'dead', timeoutMs: 10_000 }));
    assert.equal(err.code, 'network');
    assert.match(err.message, /AWS STS \(http:\/\/127\.0\.0\.1:9\/?\) could not be reached/);
  });
});
