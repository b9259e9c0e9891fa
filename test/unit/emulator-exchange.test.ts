// The emulated Datadog proof exchanges (PROTOCOL.md §2): a proof is decoded,
// checked for its org binding, replayed to the emulated STS, and only a
// mapping matching the verified ARN earns a token or the intake key.
import { test } from 'node:test';
import * as assert from 'node:assert/strict';
import { SignatureV4 } from '@smithy/signature-v4';
import { Hash } from '@smithy/hash-node';
import { buildProof, decodeProof, STS_BODY, STS_CONTENT_TYPE } from '../../server/src/cloud/proof';
import { decodeJwtClaims, EMULATOR_ORG_UUID, startEmulator, TEST_IDENTITIES, type Emulator, type EmulatorOptions, type TestIdentity } from '../../emulator/src/index';

const b64 = (s: string) => Buffer.from(s, 'utf8').toString('base64');

async function withEmulator(options: EmulatorOptions, body: (emu: Emulator) => Promise<void>): Promise<void> {
  const emu = await startEmulator(options);
  try {
    await body(emu);
  } finally {
    await emu.close();
  }
}

async function exchange(emu: Emulator, path: string, authorization?: string, method = 'POST') {
  const res = await fetch(`${emu.apiUrl}${path}`, {
    method,
    headers: { 'content-type': 'application/json', ...(authorization !== undefined ? { authorization } : {}) },
    redirect: 'manual',
  });
  const text = await res.text();
  return { status: res.status, json: JSON.parse(text) as any };
}

const proofOf = async (identity: TestIdentity, extra: { orgUuid?: string; region?: string; date?: Date } = {}) =>
  (await buildProof({ credentials: identity, orgUuid: extra.orgUuid ?? EMULATOR_ORG_UUID, region: extra.region, date: extra.date })).value;

/** Re-encodes a proof after `edit` changes its decoded parts (the signature no longer covers the edit). */
function editProof(value: string, edit: (p: ReturnType<typeof decodeProof>) => void): string {
  const p = decodeProof(value);
  edit(p);
  return [b64(p.body), b64(JSON.stringify(p.headers)), p.method, b64(p.url)].join('|');
}

test('delegated-token: the mapped role gets a JWT for its mapping, expires as a unix-seconds string', async () => {
  const now = new Date('2030-01-02T03:04:05Z');
  await withEmulator({ now: () => now }, async (emu) => {
    const { status, json } = await exchange(emu, '/api/v2/delegated-token', `Delegated ${await proofOf(TEST_IDENTITIES.mappedRole, { date: now })}`);
    assert.equal(status, 200);
    assert.equal(json.data.type, 'delegated_token');
    assert.match(json.data.id, /^[0-9a-f-]{36}$/);
    const token: string = json.data.attributes.access_token;
    const [header] = token.split('.');
    assert.deepEqual(JSON.parse(Buffer.from(header, 'base64url').toString()), { alg: 'HS256', typ: 'JWT' });
    const claims = decodeJwtClaims(token);
    const iat = Math.floor(now.getTime() / 1000);
    assert.equal(claims.sub, 'terraform@example.com');
    assert.equal(claims.org_uuid, EMULATOR_ORG_UUID);
    assert.equal(claims.aws_arn, TEST_IDENTITIES.mappedRole.arn);
    assert.equal(claims.iat, iat);
    assert.equal(claims.exp, iat + 900);
    assert.equal(json.data.attributes.expires, String(iat + 900));
    // Datadog replayed the proof to STS before answering.
    assert.deepEqual(
      emu.requests.map((r) => `${r.server} ${r.path} ${r.status}`),
      ['sts / 200', 'api /api/v2/delegated-token 200'],
    );
  });
});

test('delegated-token: each expires format, and the token lifetime', async () => {
  const now = new Date('2030-01-02T03:04:05Z');
  const exp = Math.floor(now.getTime() / 1000) + 60;
  const expected = { 'unix-string': String(exp), iso: '2030-01-02T03:05:05.000Z', number: exp, absent: undefined } as const;
  for (const [format, value] of Object.entries(expected)) {
    await withEmulator({ now: () => now, tokenLifetimeSeconds: 60, expiresFormat: format as keyof typeof expected }, async (emu) => {
      const { status, json } = await exchange(emu, '/api/v2/delegated-token', `Delegated ${await proofOf(TEST_IDENTITIES.mappedRole, { date: now })}`);
      assert.equal(status, 200);
      assert.equal(json.data.attributes.expires, value, format);
      assert.equal('expires' in json.data.attributes, format !== 'absent');
      assert.equal(decodeJwtClaims(json.data.attributes.access_token).exp, exp);
    });
  }
});

test('intake-key: the mapped role gets the org managed key; a regional proof works too', async () => {
  await withEmulator({}, async (emu) => {
    const first = await exchange(emu, '/api/v2/intake-key', `Delegated ${await proofOf(TEST_IDENTITIES.mappedRole)}`);
    assert.equal(first.status, 200);
    assert.equal(first.json.data.type, 'intake_api_key');
    assert.match(first.json.data.attributes.api_key, /^[0-9a-f]{32}$/);
    assert.equal(typeof first.json.data.attributes.org_id, 'number');
    const regional = await exchange(emu, '/api/v2/intake-key', `Delegated ${await proofOf(TEST_IDENTITIES.mappedRole, { region: 'eu-west-1' })}`);
    assert.equal(regional.status, 200);
    assert.equal(regional.json.data.attributes.api_key, first.json.data.attributes.api_key, 'one managed key per org');
  });
});

test('no mapping: 403 naming the verified ARN, for the unmapped role, the other account and the IAM user', async () => {
  await withEmulator({}, async (emu) => {
    for (const identity of [TEST_IDENTITIES.unmappedRole, TEST_IDENTITIES.otherAccountRole, TEST_IDENTITIES.iamUser]) {
      for (const path of ['/api/v2/delegated-token', '/api/v2/intake-key']) {
        const { status, json } = await exchange(emu, path, `Delegated ${await proofOf(identity)}`);
        assert.equal(status, 403, `${identity.name} ${path}`);
        assert.deepEqual(Object.keys(json.errors[0]).sort(), ['detail', 'status', 'title']);
        assert.equal(json.errors[0].status, '403');
        assert.equal(json.errors[0].title, 'Forbidden');
        assert.ok(json.errors[0].detail.startsWith(`no mapping matches ${identity.arn}`), json.errors[0].detail);
      }
    }
  });
});

test('the live mapping arrays decide: a pushed mapping lets the IAM user (long-lived key) in, removing it shuts it out', async () => {
  await withEmulator({}, async (emu) => {
    emu.identityMappings.push({ id: 'x', type: 'aws_cloud_auth_config', attributes: { arn_pattern: TEST_IDENTITIES.iamUser.arn, account_identifier: 'ci@example.com' } });
    const ok = await exchange(emu, '/api/v2/delegated-token', `Delegated ${await proofOf(TEST_IDENTITIES.iamUser)}`);
    assert.equal(ok.status, 200);
    assert.equal(decodeJwtClaims(ok.json.data.attributes.access_token).sub, 'ci@example.com');
    emu.intakeMappings.length = 0;
    assert.equal((await exchange(emu, '/api/v2/intake-key', `Delegated ${await proofOf(TEST_IDENTITIES.mappedRole)}`)).status, 403);
  });
});

test('org binding: another org, a missing org header, an unsigned org header are each 401 saying which', async () => {
  await withEmulator({}, async (emu) => {
    const other = await exchange(emu, '/api/v2/delegated-token', `Delegated ${await proofOf(TEST_IDENTITIES.mappedRole, { orgUuid: '11111111-2222-3333-4444-555555555555' })}`);
    assert.equal(other.status, 401);
    assert.match(other.json.errors[0].detail, /X-Ddog-Org-Id "11111111-2222-3333-4444-555555555555" does not match this organization/);

    const missing = editProof(await proofOf(TEST_IDENTITIES.mappedRole), (p) => delete p.headers['X-Ddog-Org-Id']);
    const m = await exchange(emu, '/api/v2/delegated-token', `Delegated ${missing}`);
    assert.equal(m.status, 401);
    assert.match(m.json.errors[0].detail, /X-Ddog-Org-Id header is missing/);

    // Signed for real (so STS alone would accept it), but the org header is outside the signature.
    const unsigned = await proofWithoutSignedOrg(TEST_IDENTITIES.mappedRole, emu.orgUuid);
    const u = await exchange(emu, '/api/v2/delegated-token', `Delegated ${unsigned}`);
    assert.equal(u.status, 401);
    assert.match(u.json.errors[0].detail, /X-Ddog-Org-Id header is not signed/);
    assert.equal(emu.requests.filter((r) => r.server === 'sts').length, 0, 'refused before any replay');
  });
});

test('malformed or missing proofs are 401 with a reason', async () => {
  await withEmulator({}, async (emu) => {
    const cases: [string | undefined, RegExp][] = [
      [undefined, /missing proof/],
      ['Bearer abc', /missing proof/],
      ['Delegated ', /missing proof/],
      ['Delegated abc', /malformed proof: a proof has 4 parts/],
      ['Delegated a|b|c|d', /malformed proof: the headers part is not JSON/],
      [`Delegated ${b64(STS_BODY)}|${b64('[1]')}|POST|${b64('https://sts.amazonaws.com')}`, /malformed proof: the headers part is not a JSON object/],
      [`Delegated !!|${b64('{}')}|POST|${b64('https://sts.amazonaws.com')}`, /malformed proof: the body part is not base64/],
    ];
    for (const [authorization, detail] of cases) {
      const { status, json } = await exchange(emu, '/api/v2/intake-key', authorization);
      assert.equal(status, 401, String(authorization));
      assert.match(json.errors[0].detail, detail);
    }
  });
});

test('the signed request must be POST, the exact body, an AWS STS URL', async () => {
  await withEmulator({}, async (emu) => {
    const proof = await proofOf(TEST_IDENTITIES.mappedRole);
    const cases: [string, RegExp][] = [
      [editProof(proof, (p) => (p.url = 'https://evil.example.com')), /URL must be https:\/\/sts\.amazonaws\.com/],
      [editProof(proof, (p) => (p.url = 'https://sts.amazonaws.com.evil.example')), /URL must be/],
      [editProof(proof, (p) => (p.url = 'http://sts.amazonaws.com')), /URL must be/],
      [editProof(proof, (p) => (p.method = 'GET')), /method must be POST/],
      [editProof(proof, (p) => (p.body = 'Action=AssumeRole&Version=2011-06-15')), /body must be exactly/],
    ];
    for (const [value, detail] of cases) {
      const { status, json } = await exchange(emu, '/api/v2/delegated-token', `Delegated ${value}`);
      assert.equal(status, 401);
      assert.match(json.errors[0].detail, detail);
    }
  });
});

test('STS refusals become 401 naming the STS error: bad signature, unknown key, stale proof, wrong region for the host', async () => {
  await withEmulator({}, async (emu) => {
    const cases: [string, RegExp][] = [
      [await proofOf({ ...TEST_IDENTITIES.mappedRole, secretAccessKey: 'EMULATOR/not/the/right/secret/0000000000' }), /SignatureDoesNotMatch/],
      [await proofOf({ ...TEST_IDENTITIES.mappedRole, accessKeyId: 'ASIAEMULATORUNKNOWN0' }), /InvalidClientTokenId/],
      [await proofOf(TEST_IDENTITIES.mappedRole, { date: new Date(Date.now() - 20 * 60_000) }), /Signature expired/],
      // Signed for eu-west-1 but carrying the global host: the scope's region is wrong for it.
      [editProof(await proofOf(TEST_IDENTITIES.mappedRole, { region: 'eu-west-1' }), (p) => (p.headers.Host = ['sts.amazonaws.com'])), /valid region/],
      // The carried org header altered after signing.
      [editProof(await proofOf(TEST_IDENTITIES.mappedRole, { orgUuid: '11111111-2222-3333-4444-555555555555' }), (p) => (p.headers['X-Ddog-Org-Id'] = [EMULATOR_ORG_UUID])), /SignatureDoesNotMatch/],
    ];
    for (const [value, detail] of cases) {
      const { status, json } = await exchange(emu, '/api/v2/delegated-token', `Delegated ${value}`);
      assert.equal(status, 401);
      assert.match(json.errors[0].detail, /^AWS STS rejected the proof: /);
      assert.match(json.errors[0].detail, detail);
    }
  });
});

test('exchanges take POST only; unknown API paths are 404', async () => {
  await withEmulator({}, async (emu) => {
    assert.equal((await exchange(emu, '/api/v2/delegated-token', undefined, 'GET')).status, 405);
    const nope = await exchange(emu, '/api/v2/nothing-here', undefined, 'GET');
    assert.equal(nope.status, 404);
    assert.deepEqual(nope.json, { errors: ['Not found'] });
  });
});

/** A real SigV4 proof whose SignedHeaders lacks x-ddog-org-id, though the header is carried. */
async function proofWithoutSignedOrg(identity: TestIdentity, orgUuid: string): Promise<string> {
  const signer = new SignatureV4({ service: 'sts', region: 'us-east-1', credentials: identity, sha256: Hash.bind(null, 'sha256'), applyChecksum: false });
  const req = await signer.sign(
    { method: 'POST', protocol: 'https:', hostname: 'sts.amazonaws.com', path: '/', query: {}, headers: { host: 'sts.amazonaws.com', 'content-type': STS_CONTENT_TYPE, 'content-length': '43' }, body: STS_BODY },
    { signingDate: new Date() },
  );
  assert.ok(!req.headers.authorization.includes('x-ddog-org-id'));
  const headers = {
    Authorization: [req.headers.authorization],
    'Content-Type': [STS_CONTENT_TYPE],
    Host: ['sts.amazonaws.com'],
    'X-Amz-Date': [req.headers['x-amz-date']],
    'X-Amz-Security-Token': [req.headers['x-amz-security-token']],
    'X-Ddog-Org-Id': [orgUuid],
  };
  return [b64(STS_BODY), b64(JSON.stringify(headers)), 'POST', b64('https://sts.amazonaws.com')].join('|');
}

test('the golden proof of PROTOCOL.md §1, byte for byte, is accepted end to end at its own time', async () => {
  const time = new Date('2026-08-05T12:34:56Z');
  const org = '11111111-2222-3333-4444-555555555555';
  const arn = 'arn:aws:sts::123456789012:assumed-role/golden-role/agent';
  const golden: TestIdentity = {
    name: 'golden',
    accessKeyId: 'AKIAIOSFODNN7EXAMPLE',
    secretAccessKey: 'wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY',
    sessionToken: 'FwoGZXIvYXdzEExampleSessionToken',
    arn,
    userId: 'AROAGOLDEN:agent',
    account: '123456789012',
  };
  const authorization =
    'AWS4-HMAC-SHA256 Credential=AKIAIOSFODNN7EXAMPLE/20260805/us-east-1/sts/aws4_request, ' +
    'SignedHeaders=content-length;content-type;host;x-amz-date;x-amz-security-token;x-ddog-org-id, ' +
    'Signature=3c567cb74f09e429570dae6682df7b08d094e3025394a08df8e92ab225fc2006';
  const headersJson =
    `{"Authorization":["${authorization}"],"Content-Type":["application/x-www-form-urlencoded; charset=utf-8"],"Host":["sts.amazonaws.com"],` +
    `"User-Agent":["datadog-agent"],"X-Amz-Date":["20260805T123456Z"],"X-Amz-Security-Token":["FwoGZXIvYXdzEExampleSessionToken"],"X-Ddog-Org-Id":["${org}"]}`;
  const proof = [b64(STS_BODY), b64(headersJson), 'POST', b64('https://sts.amazonaws.com')].join('|');
  await withEmulator({ now: () => time, orgUuid: org, identities: [golden], intakeMappings: [{ arn_pattern: 'arn:aws:sts::123456789012:assumed-role/golden-role/*' }] }, async (emu) => {
    const { status, json } = await exchange(emu, '/api/v2/intake-key', `Delegated ${proof}`);
    assert.equal(status, 200, JSON.stringify(json));
  });
  // The same proof twenty minutes later is stale.
  await withEmulator({ now: () => new Date(time.getTime() + 20 * 60_000), orgUuid: org, identities: [golden] }, async (emu) => {
    const { status, json } = await exchange(emu, '/api/v2/intake-key', `Delegated ${proof}`);
    assert.equal(status, 401);
    assert.match(json.errors[0].detail, /Signature expired/);
  });
});
