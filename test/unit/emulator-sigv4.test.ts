// The emulated STS checks SigV4 for real: the golden vector of PROTOCOL.md §1
// passes at its own time, and any change to what was signed, the clock, the
// key or the token is refused as AWS refuses it. The real AWS SDK talks to it.
import { test } from 'node:test';
import * as assert from 'node:assert/strict';
import { request } from 'node:http';
import { SignatureV4 } from '@smithy/signature-v4';
import { Hash } from '@smithy/hash-node';
import { GetCallerIdentityCommand, STSClient } from '@aws-sdk/client-sts';
import { verifySigV4, type ReceivedRequest } from '../../emulator/src/sigv4';
import { startEmulator, TEST_IDENTITIES, type TestIdentity } from '../../emulator/src/index';

const GOLDEN_IDENTITY: TestIdentity = {
  name: 'golden',
  accessKeyId: 'AKIAIOSFODNN7EXAMPLE',
  secretAccessKey: 'wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY',
  sessionToken: 'FwoGZXIvYXdzEExampleSessionToken',
  arn: 'arn:aws:sts::123456789012:assumed-role/golden-role/agent',
  userId: 'AROAGOLDEN:agent',
  account: '123456789012',
};
const GOLDEN_TIME = new Date('2026-08-05T12:34:56Z');
const GOLDEN_SIGNATURE = '3c567cb74f09e429570dae6682df7b08d094e3025394a08df8e92ab225fc2006';
const GOLDEN_AUTHORIZATION =
  'AWS4-HMAC-SHA256 Credential=AKIAIOSFODNN7EXAMPLE/20260805/us-east-1/sts/aws4_request, ' +
  'SignedHeaders=content-length;content-type;host;x-amz-date;x-amz-security-token;x-ddog-org-id, ' +
  `Signature=${GOLDEN_SIGNATURE}`;
const BODY = 'Action=GetCallerIdentity&Version=2011-06-15';

/** The golden request as STS would receive it, written out from PROTOCOL.md, not rebuilt by the product's code. */
function goldenRequest(): ReceivedRequest & { headers: Record<string, string> } {
  return {
    method: 'POST',
    target: '/',
    headers: {
      authorization: GOLDEN_AUTHORIZATION,
      'content-length': '43',
      'content-type': 'application/x-www-form-urlencoded; charset=utf-8',
      host: 'sts.amazonaws.com',
      'user-agent': 'datadog-agent',
      'x-amz-date': '20260805T123456Z',
      'x-amz-security-token': 'FwoGZXIvYXdzEExampleSessionToken',
      'x-ddog-org-id': '11111111-2222-3333-4444-555555555555',
    },
    body: Buffer.from(BODY),
  };
}

const at = (date: Date, identities: TestIdentity[] = [GOLDEN_IDENTITY]) => ({
  lookup: (id: string) => identities.find((i) => i.accessKeyId === id),
  now: () => date,
});
const minutes = (n: number) => new Date(GOLDEN_TIME.getTime() + n * 60_000);

test('golden vector: accepted at 2026-08-05T12:34:56Z with the key pair in the table', async () => {
  const verdict = await verifySigV4(goldenRequest(), at(GOLDEN_TIME));
  assert.deepEqual(verdict, { ok: true, identity: GOLDEN_IDENTITY });
});

test('golden vector: the unsigned User-Agent may change, nothing signed may', async () => {
  const ua = goldenRequest();
  ua.headers['user-agent'] = 'something else';
  assert.equal((await verifySigV4(ua, at(GOLDEN_TIME))).ok, true);

  const body = goldenRequest();
  body.body = Buffer.from(BODY.replace('2011-06-15', '2011-06-16'));
  body.headers['content-length'] = '43';
  assert.deepEqual(pick(await verifySigV4(body, at(GOLDEN_TIME))), [403, 'SignatureDoesNotMatch']);

  const org = goldenRequest();
  org.headers['x-ddog-org-id'] = '11111111-2222-3333-4444-555555555556';
  assert.deepEqual(pick(await verifySigV4(org, at(GOLDEN_TIME))), [403, 'SignatureDoesNotMatch']);

  const type = goldenRequest();
  type.headers['content-type'] = 'application/x-www-form-urlencoded';
  assert.deepEqual(pick(await verifySigV4(type, at(GOLDEN_TIME))), [403, 'SignatureDoesNotMatch']);

  const signature = goldenRequest();
  signature.headers.authorization = GOLDEN_AUTHORIZATION.replace(/6$/, '7');
  assert.deepEqual(pick(await verifySigV4(signature, at(GOLDEN_TIME))), [403, 'SignatureDoesNotMatch']);

  const path = goldenRequest();
  path.target = '/?Action=GetCallerIdentity';
  assert.deepEqual(pick(await verifySigV4(path, at(GOLDEN_TIME))), [403, 'SignatureDoesNotMatch']);
});

test('golden vector: a signed header that did not arrive, or a SignedHeaders list edited, is refused', async () => {
  const missing = goldenRequest();
  delete (missing.headers as Record<string, string | undefined>)['content-length'];
  assert.deepEqual(pick(await verifySigV4(missing, at(GOLDEN_TIME))), [403, 'SignatureDoesNotMatch']);

  // Claiming the org header was not signed (so it could be swapped) breaks the signature.
  const unsigned = goldenRequest();
  unsigned.headers.authorization = GOLDEN_AUTHORIZATION.replace(';x-ddog-org-id', '');
  unsigned.headers['x-ddog-org-id'] = 'another-org';
  assert.deepEqual(pick(await verifySigV4(unsigned, at(GOLDEN_TIME))), [403, 'SignatureDoesNotMatch']);
});

test('golden vector: the 15-minute window around the emulator clock', async () => {
  assert.equal((await verifySigV4(goldenRequest(), at(minutes(14)))).ok, true);
  assert.equal((await verifySigV4(goldenRequest(), at(minutes(-14)))).ok, true);
  const late = await verifySigV4(goldenRequest(), at(minutes(16)));
  assert.deepEqual(pick(late), [403, 'SignatureDoesNotMatch']);
  assert.match(message(late), /^Signature expired: 20260805T123456Z is now earlier than 20260805T123556Z/);
  const early = await verifySigV4(goldenRequest(), at(minutes(-16)));
  assert.deepEqual(pick(early), [403, 'SignatureDoesNotMatch']);
  assert.match(message(early), /^Signature not yet current/);
});

test('keys and tokens: unknown key, missing or wrong session token, wrong secret', async () => {
  const unknown = await verifySigV4(goldenRequest(), at(GOLDEN_TIME, [TEST_IDENTITIES.mappedRole]));
  assert.deepEqual(pick(unknown), [403, 'InvalidClientTokenId']);
  assert.equal(message(unknown), 'The security token included in the request is invalid.');

  const noToken = goldenRequest();
  delete (noToken.headers as Record<string, string | undefined>)['x-amz-security-token'];
  assert.deepEqual(pick(await verifySigV4(noToken, at(GOLDEN_TIME))), [403, 'InvalidClientTokenId']);

  const otherToken = goldenRequest();
  otherToken.headers['x-amz-security-token'] = 'FwoGZXIvYXdzEExampleSessionTokem';
  assert.deepEqual(pick(await verifySigV4(otherToken, at(GOLDEN_TIME))), [403, 'InvalidClientTokenId']);

  // A long-lived key (no token in the table) with a token is refused too.
  const longLived = { ...GOLDEN_IDENTITY, sessionToken: undefined };
  assert.deepEqual(pick(await verifySigV4(goldenRequest(), at(GOLDEN_TIME, [longLived]))), [403, 'InvalidClientTokenId']);

  const otherSecret = { ...GOLDEN_IDENTITY, secretAccessKey: 'wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEZ' };
  assert.deepEqual(pick(await verifySigV4(goldenRequest(), at(GOLDEN_TIME, [otherSecret]))), [403, 'SignatureDoesNotMatch']);
});

test('credential scope: global STS is us-east-1, a regional host its region, loopback any; service sts', async () => {
  const regional = goldenRequest();
  regional.headers.host = 'sts.eu-west-1.amazonaws.com';
  const wrongRegion = await verifySigV4(regional, at(GOLDEN_TIME));
  assert.deepEqual(pick(wrongRegion), [403, 'SignatureDoesNotMatch']);
  assert.match(message(wrongRegion), /scoped to a valid region/);

  for (const [host, region, ok] of [
    ['sts.eu-west-1.amazonaws.com', 'eu-west-1', true],
    ['sts.amazonaws.com', 'eu-west-1', false],
    ['127.0.0.1:4566', 'ap-southeast-2', true],
  ] as const) {
    const req = await signed({ identity: TEST_IDENTITIES.mappedRole, host, region, date: GOLDEN_TIME });
    const verdict = await verifySigV4(req, at(GOLDEN_TIME, [TEST_IDENTITIES.mappedRole]));
    assert.equal(verdict.ok, ok, `${host} signed for ${region}`);
  }
  const s3 = await signed({ identity: TEST_IDENTITIES.mappedRole, host: '127.0.0.1', region: 'us-east-1', date: GOLDEN_TIME, service: 's3' });
  assert.match(message(await verifySigV4(s3, at(GOLDEN_TIME, [TEST_IDENTITIES.mappedRole]))), /service: 'sts'/);
});

test('missing or malformed Authorization', async () => {
  const none = goldenRequest();
  delete (none.headers as Record<string, string | undefined>).authorization;
  assert.deepEqual(pick(await verifySigV4(none, at(GOLDEN_TIME))), [403, 'MissingAuthenticationToken']);
  const garbage = goldenRequest();
  garbage.headers.authorization = 'AWS4-HMAC-SHA256 Credential=AKIAIOSFODNN7EXAMPLE';
  assert.deepEqual(pick(await verifySigV4(garbage, at(GOLDEN_TIME))), [400, 'IncompleteSignature']);
});

test('STS over HTTP: the golden request answered in AWS XML; a bad one in AWS error XML', async () => {
  const emu = await startEmulator({ identities: [GOLDEN_IDENTITY], now: () => GOLDEN_TIME });
  try {
    const ok = await post(emu.stsUrl, goldenRequest());
    assert.equal(ok.status, 200);
    assert.match(ok.contentType, /^text\/xml/);
    assert.match(ok.body, /<GetCallerIdentityResponse xmlns="https:\/\/sts\.amazonaws\.com\/doc\/2011-06-15\/">/);
    assert.match(ok.body, /<GetCallerIdentityResult>\s*<Arn>arn:aws:sts::123456789012:assumed-role\/golden-role\/agent<\/Arn>\s*<UserId>AROAGOLDEN:agent<\/UserId>\s*<Account>123456789012<\/Account>/);
    assert.match(ok.body, /<ResponseMetadata>\s*<RequestId>[0-9a-f-]{36}<\/RequestId>/);

    const tampered = goldenRequest();
    tampered.headers['x-ddog-org-id'] = 'tampered';
    const bad = await post(emu.stsUrl, tampered);
    assert.equal(bad.status, 403);
    assert.match(bad.body, /<ErrorResponse[^>]*>\s*<Error>\s*<Type>Sender<\/Type>\s*<Code>SignatureDoesNotMatch<\/Code>\s*<Message>The request signature we calculated/);
    assert.match(bad.body, /<RequestId>[0-9a-f-]{36}<\/RequestId>\s*<\/ErrorResponse>/);
    assert.deepEqual(emu.requests, [
      { server: 'sts', method: 'POST', path: '/', status: 200 },
      { server: 'sts', method: 'POST', path: '/', status: 403 },
    ]);
  } finally {
    await emu.close();
  }
});

test('STS over HTTP: a correctly signed request for another action is 400 InvalidAction', async () => {
  const emu = await startEmulator();
  try {
    const host = new URL(emu.stsUrl).host;
    const req = await signed({ identity: TEST_IDENTITIES.iamUser, host, region: 'us-east-1', date: new Date(), body: 'Action=AssumeRole&Version=2011-06-15' });
    const answer = await post(emu.stsUrl, req);
    assert.equal(answer.status, 400);
    assert.match(answer.body, /<Code>InvalidAction<\/Code>/);
  } finally {
    await emu.close();
  }
});

test('the real AWS SDK: GetCallerIdentity against stsUrl, with and without a session token', async () => {
  const emu = await startEmulator();
  try {
    for (const identity of [TEST_IDENTITIES.mappedRole, TEST_IDENTITIES.iamUser, TEST_IDENTITIES.otherAccountRole]) {
      const client = new STSClient({ region: 'us-east-1', endpoint: emu.stsUrl, credentials: identity, maxAttempts: 1 });
      const out = await client.send(new GetCallerIdentityCommand({}));
      assert.deepEqual({ Arn: out.Arn, Account: out.Account, UserId: out.UserId }, { Arn: identity.arn, Account: identity.account, UserId: identity.userId });
      client.destroy();
    }
    // A region that is not us-east-1 is fine on a loopback endpoint.
    const eu = new STSClient({ region: 'eu-central-1', endpoint: emu.stsUrl, credentials: TEST_IDENTITIES.mappedRole, maxAttempts: 1 });
    assert.equal((await eu.send(new GetCallerIdentityCommand({}))).Arn, TEST_IDENTITIES.mappedRole.arn);
    eu.destroy();

    const forged = new STSClient({ region: 'us-east-1', endpoint: emu.stsUrl, credentials: { ...TEST_IDENTITIES.mappedRole, secretAccessKey: 'EMULATOR/not/the/right/secret/0000000000' }, maxAttempts: 1 });
    await assert.rejects(forged.send(new GetCallerIdentityCommand({})), (err: Error) => err.name === 'SignatureDoesNotMatch');
    forged.destroy();
    const unknown = new STSClient({ region: 'us-east-1', endpoint: emu.stsUrl, credentials: { accessKeyId: 'AKIAEMULATORUNKNOWN0', secretAccessKey: 'x' }, maxAttempts: 1 });
    await assert.rejects(unknown.send(new GetCallerIdentityCommand({})), (err: Error) => err.name === 'InvalidClientTokenId');
    unknown.destroy();
  } finally {
    await emu.close();
  }
});

// --- helpers ---

function pick(v: Awaited<ReturnType<typeof verifySigV4>>): [number, string] | 'ok' {
  return v.ok ? 'ok' : [v.status, v.code];
}
function message(v: Awaited<ReturnType<typeof verifySigV4>>): string {
  return v.ok ? '' : v.message;
}

/** A request signed with the library, as a client would sign it, for the cases the golden vector does not cover. */
async function signed(o: { identity: TestIdentity; host: string; region: string; date: Date; body?: string; service?: string }): Promise<ReceivedRequest> {
  const body = o.body ?? BODY;
  const signer = new SignatureV4({ service: o.service ?? 'sts', region: o.region, credentials: o.identity, sha256: Hash.bind(null, 'sha256'), applyChecksum: false });
  const req = await signer.sign(
    {
      method: 'POST',
      protocol: 'https:',
      hostname: o.host,
      path: '/',
      query: {},
      headers: { host: o.host, 'content-type': 'application/x-www-form-urlencoded; charset=utf-8', 'content-length': String(Buffer.byteLength(body)) },
      body,
    },
    { signingDate: o.date },
  );
  return { method: 'POST', target: '/', headers: req.headers, body: Buffer.from(body) };
}

/** Sends a received-request description to a server, keeping its Host header as given. */
function post(url: string, req: ReceivedRequest): Promise<{ status: number; contentType: string; body: string }> {
  const u = new URL(url);
  return new Promise((resolve, reject) => {
    const r = request({ host: u.hostname, port: u.port, method: req.method, path: req.target, headers: req.headers as Record<string, string> }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (c: Buffer) => chunks.push(c));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, contentType: String(res.headers['content-type']), body: Buffer.concat(chunks).toString() }));
    });
    r.on('error', reject);
    r.end(req.body);
  });
}
