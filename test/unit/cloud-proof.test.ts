// The proof builder against PROTOCOL.md §1's golden vector, byte for byte.
import { test } from 'node:test';
import * as assert from 'node:assert/strict';
import { buildProof, decodeProof, stsUrlFor, STS_BODY } from '../../server/src/cloud/proof';

const GOLDEN = {
  credentials: {
    accessKeyId: 'AKIAIOSFODNN7EXAMPLE',
    secretAccessKey: 'wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY',
    sessionToken: 'FwoGZXIvYXdzEExampleSessionToken',
  },
  orgUuid: '11111111-2222-3333-4444-555555555555',
  date: new Date('2026-08-05T12:34:56Z'),
};
const GOLDEN_AUTHORIZATION =
  'AWS4-HMAC-SHA256 Credential=AKIAIOSFODNN7EXAMPLE/20260805/us-east-1/sts/aws4_request, ' +
  'SignedHeaders=content-length;content-type;host;x-amz-date;x-amz-security-token;x-ddog-org-id, ' +
  'Signature=3c567cb74f09e429570dae6682df7b08d094e3025394a08df8e92ab225fc2006';

const b64 = (s: string) => Buffer.from(s).toString('base64');

test('golden vector: the Authorization header is the Agent test\'s, byte for byte', async () => {
  const proof = await buildProof({ ...GOLDEN, userAgent: 'datadog-agent' });
  assert.equal(proof.authorization, GOLDEN_AUTHORIZATION);
});

test('golden vector: the headers JSON and the whole proof string', async () => {
  const proof = await buildProof({ ...GOLDEN, userAgent: 'datadog-agent' });
  const headersJson =
    '{"Authorization":["' + GOLDEN_AUTHORIZATION + '"],' +
    '"Content-Type":["application/x-www-form-urlencoded; charset=utf-8"],' +
    '"Host":["sts.amazonaws.com"],' +
    '"User-Agent":["datadog-agent"],' +
    '"X-Amz-Date":["20260805T123456Z"],' +
    '"X-Amz-Security-Token":["FwoGZXIvYXdzEExampleSessionToken"],' +
    '"X-Ddog-Org-Id":["11111111-2222-3333-4444-555555555555"]}';
  const expected = [b64('Action=GetCallerIdentity&Version=2011-06-15'), b64(headersJson), 'POST', b64('https://sts.amazonaws.com')].join('|');
  assert.equal(proof.value, expected);
  assert.equal(b64(STS_BODY), 'QWN0aW9uPUdldENhbGxlcklkZW50aXR5JlZlcnNpb249MjAxMS0wNi0xNQ==');
  assert.equal(Buffer.byteLength(STS_BODY), 43);
  assert.equal(proof.stsUrl, 'https://sts.amazonaws.com');
});

test('the User-Agent is carried but not signed: another agent string keeps the signature', async () => {
  const a = await buildProof({ ...GOLDEN, userAgent: 'one' });
  const b = await buildProof({ ...GOLDEN, userAgent: 'another' });
  assert.equal(a.authorization, b.authorization);
  assert.notEqual(a.value, b.value);
});

test('the org UUID is signed: another org gives another signature', async () => {
  const a = await buildProof(GOLDEN);
  const b = await buildProof({ ...GOLDEN, orgUuid: '11111111-2222-3333-4444-555555555556' });
  assert.notEqual(a.authorization.split('Signature=')[1], b.authorization.split('Signature=')[1]);
});

test('a regional STS endpoint: URL, Host, credential scope all name the region, even us-east-1', async () => {
  for (const region of ['eu-west-1', 'us-east-1']) {
    const proof = await buildProof({ ...GOLDEN, region });
    assert.equal(proof.stsUrl, `https://sts.${region}.amazonaws.com`);
    assert.equal(proof.headers.Host, `sts.${region}.amazonaws.com`);
    assert.match(proof.authorization, new RegExp(`Credential=AKIAIOSFODNN7EXAMPLE/20260805/${region}/sts/aws4_request`));
    const decoded = decodeProof(proof.value);
    assert.equal(decoded.url, `https://sts.${region}.amazonaws.com`);
  }
  const global = await buildProof(GOLDEN);
  const east = await buildProof({ ...GOLDEN, region: 'us-east-1' });
  assert.notEqual(global.authorization, east.authorization, 'the regional host is signed, so the signatures differ');
  assert.equal(stsUrlFor('  '), 'https://sts.amazonaws.com', 'a blank region is global STS');
});

test('credentials without a session token: no X-Amz-Security-Token, signed or carried', async () => {
  const { sessionToken: _omit, ...longLived } = GOLDEN.credentials;
  const proof = await buildProof({ ...GOLDEN, credentials: longLived });
  assert.match(proof.authorization, /SignedHeaders=content-length;content-type;host;x-amz-date;x-ddog-org-id,/);
  assert.equal('X-Amz-Security-Token' in proof.headers, false);
  const decoded = decodeProof(proof.value);
  assert.deepEqual(Object.keys(decoded.headers), ['Authorization', 'Content-Type', 'Host', 'User-Agent', 'X-Amz-Date', 'X-Ddog-Org-Id']);
  assert.equal(decoded.method, 'POST');
  assert.equal(decoded.body, STS_BODY);
});

test('decodeProof refuses malformed proofs with a plain reason', () => {
  assert.throws(() => decodeProof('a|b|c'), /4 parts/);
  assert.throws(() => decodeProof(`${b64(STS_BODY)}|${b64('not json')}|POST|${b64('https://sts.amazonaws.com')}`), /not JSON/);
  assert.throws(() => decodeProof(`${b64(STS_BODY)}|${b64('{"A":"x"}')}|POST|${b64('u')}`), /array of strings/);
  assert.throws(() => decodeProof(`!!|${b64('{}')}|POST|${b64('u')}`), /not base64/);
});
