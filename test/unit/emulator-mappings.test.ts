// The emulated mapping API (PROTOCOL.md §3): both path families, both type
// strings, both kinds of credentials, and every status a client must handle,
// in the error shape the real API uses for it.
import { test } from 'node:test';
import * as assert from 'node:assert/strict';
import { buildProof } from '../../server/src/cloud/proof';
import { EMULATOR_API_KEYS, startEmulator, TEST_IDENTITIES, type Emulator, type EmulatorOptions } from '../../emulator/src/index';

const RW = { 'dd-api-key': EMULATOR_API_KEYS.readWrite.apiKey, 'dd-application-key': EMULATOR_API_KEYS.readWrite.appKey };
const RO = { 'dd-api-key': EMULATOR_API_KEYS.readOnly.apiKey, 'dd-application-key': EMULATOR_API_KEYS.readOnly.appKey };
const DEFAULT_PATTERN = 'arn:aws:sts::123456789012:assumed-role/terraform-runner/*';
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;

async function withEmulator(options: EmulatorOptions, body: (emu: Emulator) => Promise<void>): Promise<void> {
  const emu = await startEmulator(options);
  try {
    await body(emu);
  } finally {
    await emu.close();
  }
}

async function call(emu: Emulator, method: string, path: string, headers: Record<string, string> = RW, body?: unknown) {
  const res = await fetch(`${emu.apiUrl}${path}`, {
    method,
    headers: { ...headers, ...(body !== undefined ? { 'content-type': 'application/json' } : {}) },
    body: body === undefined ? undefined : typeof body === 'string' ? body : JSON.stringify(body),
  });
  const text = await res.text();
  return { status: res.status, json: text ? (JSON.parse(text) as any) : undefined };
}

const identityBody = (arn_pattern: string, account_identifier?: string, type = 'aws_cloud_auth_config') => ({
  data: { type, attributes: { arn_pattern, ...(account_identifier !== undefined ? { account_identifier } : {}) } },
});
const intakeBody = (arn_pattern: string, type = 'aws_cloud_auth_intake_mapping', extra: Record<string, unknown> = {}) => ({ data: { type, attributes: { arn_pattern, ...extra } } });

const BASES = {
  cloud_auth: { identity: '/api/v2/cloud_auth/aws/persona_mapping', intake: '/api/v2/cloud_auth/aws/intake_mapping' },
  wif: { identity: '/api/v2/wif/aws/persona_mapping', intake: '/api/v2/wif/aws/intake_mapping' },
};

test('list: the default mappings under both families, with the cloud_auth type strings by default', async () => {
  await withEmulator({}, async (emu) => {
    for (const family of ['cloud_auth', 'wif'] as const) {
      const identity = await call(emu, 'GET', BASES[family].identity);
      assert.equal(identity.status, 200);
      assert.equal(identity.json.data.length, 1);
      const [rec] = identity.json.data;
      assert.match(rec.id, UUID);
      assert.equal(rec.type, 'aws_cloud_auth_config');
      assert.equal(rec.attributes.arn_pattern, DEFAULT_PATTERN);
      assert.equal(rec.attributes.account_identifier, 'terraform@example.com');
      assert.match(rec.attributes.account_uuid, UUID);
      const intake = await call(emu, 'GET', BASES[family].intake);
      assert.equal(intake.status, 200);
      assert.deepEqual(intake.json.data.map((r: any) => [r.type, r.attributes]), [['aws_cloud_auth_intake_mapping', { arn_pattern: DEFAULT_PATTERN, par_enrollment_enabled: false }]]);
    }
  });
});

test('typeStrings wif: records carry aws_wif_config / aws_wif_intake_mapping', async () => {
  await withEmulator({ typeStrings: 'wif' }, async (emu) => {
    assert.equal((await call(emu, 'GET', BASES.cloud_auth.identity)).json.data[0].type, 'aws_wif_config');
    assert.equal((await call(emu, 'GET', BASES.wif.intake)).json.data[0].type, 'aws_wif_intake_mapping');
    const created = await call(emu, 'POST', BASES.wif.identity, RW, identityBody('arn:aws:sts::123456789012:assumed-role/deployer/*', 'dev@example.com', 'aws_cloud_auth_config'));
    assert.equal(created.status, 201);
    assert.equal(created.json.data.type, 'aws_wif_config');
  });
});

test('mappingPaths picks the family that answers; the other is 404', async () => {
  for (const [paths, on, off] of [['cloud_auth', 'cloud_auth', 'wif'], ['wif', 'wif', 'cloud_auth']] as const) {
    await withEmulator({ mappingPaths: paths }, async (emu) => {
      for (const kind of ['identity', 'intake'] as const) {
        assert.equal((await call(emu, 'GET', BASES[on][kind])).status, 200);
        const gone = await call(emu, 'GET', BASES[off][kind]);
        assert.equal(gone.status, 404);
        assert.deepEqual(gone.json, { errors: ['Not found'] });
        assert.equal((await call(emu, 'POST', BASES[off][kind], RW, intakeBody('arn:aws:sts::123456789012:assumed-role/x/*'))).status, 404);
      }
    });
  }
});

test('create (both type strings), get, delete, then 404 for the deleted id', async () => {
  await withEmulator({}, async (emu) => {
    const a = await call(emu, 'POST', BASES.cloud_auth.identity, RW, identityBody('arn:aws:sts::123456789012:assumed-role/deployer/*', 'dev@example.com'));
    assert.equal(a.status, 201);
    assert.match(a.json.data.id, UUID);
    assert.deepEqual(Object.keys(a.json.data.attributes).sort(), ['account_identifier', 'account_uuid', 'arn_pattern']);
    const sa = '3f2504e0-4f89-41d3-9a0c-0305e82c3301';
    const b = await call(emu, 'POST', BASES.wif.identity, RW, identityBody('arn:aws:iam::123456789012:user/ci-bot', sa, 'aws_wif_config'));
    assert.equal(b.status, 201);
    assert.equal(b.json.data.attributes.account_uuid, sa, 'a service account UUID is its own account_uuid');
    const i = await call(emu, 'POST', BASES.cloud_auth.intake, RW, intakeBody('arn:aws:sts::123456789012:assumed-role/agent-host/*', 'aws_wif_intake_mapping'));
    assert.equal(i.status, 201);
    assert.deepEqual(i.json.data.attributes, { arn_pattern: 'arn:aws:sts::123456789012:assumed-role/agent-host/*', par_enrollment_enabled: false });
    const par = await call(emu, 'POST', BASES.wif.intake, RW, intakeBody('arn:aws:sts::123456789012:assumed-role/par/*', 'aws_cloud_auth_intake_mapping', { par_enrollment_enabled: true }));
    assert.equal(par.json.data.attributes.par_enrollment_enabled, true);

    // The live arrays hold what was created.
    assert.deepEqual(emu.identityMappings.map((r) => r.id).slice(1), [a.json.data.id, b.json.data.id]);
    assert.equal(emu.intakeMappings.length, 3);

    const got = await call(emu, 'GET', `${BASES.wif.identity}/${a.json.data.id}`);
    assert.equal(got.status, 200);
    assert.deepEqual(got.json.data, a.json.data);
    const del = await fetch(`${emu.apiUrl}${BASES.cloud_auth.identity}/${a.json.data.id}`, { method: 'DELETE', headers: RW });
    assert.equal(del.status, 204);
    assert.equal(await del.text(), '');
    for (const method of ['GET', 'DELETE']) {
      const missing = await call(emu, method, `${BASES.cloud_auth.identity}/${a.json.data.id}`);
      assert.equal(missing.status, 404);
      assert.equal(missing.json.errors[0].status, '404');
      assert.match(missing.json.errors[0].detail, /not found/);
    }
    // An id of the other kind is not found either.
    assert.equal((await call(emu, 'GET', `${BASES.cloud_auth.identity}/${i.json.data.id}`)).status, 404);
  });
});

test('auth: no keys, a wrong key, a wrong pairing are 403 in the string shape', async () => {
  await withEmulator({}, async (emu) => {
    const cases: Record<string, string>[] = [
      {},
      { 'dd-api-key': EMULATOR_API_KEYS.readWrite.apiKey },
      { ...RW, 'dd-application-key': '0'.repeat(40) },
      { 'dd-api-key': EMULATOR_API_KEYS.readWrite.apiKey, 'dd-application-key': EMULATOR_API_KEYS.readOnly.appKey },
      { authorization: 'Bearer not-a-token' },
    ];
    for (const headers of cases) {
      const res = await call(emu, 'GET', BASES.cloud_auth.identity, headers);
      assert.equal(res.status, 403, JSON.stringify(Object.keys(headers)));
      assert.deepEqual(res.json, { errors: ['Forbidden'] });
    }
  });
});

test('auth: a read-only key reads, and is refused writes naming workload_identity_federation_config_write', async () => {
  await withEmulator({}, async (emu) => {
    assert.equal((await call(emu, 'GET', BASES.cloud_auth.identity, RO)).status, 200);
    const id = emu.identityMappings[0].id;
    assert.equal((await call(emu, 'GET', `${BASES.wif.identity}/${id}`, RO)).status, 200);
    const create = await call(emu, 'POST', BASES.cloud_auth.intake, RO, intakeBody('arn:aws:sts::123456789012:assumed-role/ro/*'));
    const del = await call(emu, 'DELETE', `${BASES.cloud_auth.identity}/${id}`, RO);
    for (const res of [create, del]) {
      assert.equal(res.status, 403);
      assert.equal(res.json.errors[0].status, '403');
      assert.match(res.json.errors[0].detail, /workload_identity_federation_config_write/);
    }
    assert.equal(emu.identityMappings.length, 1);
    assert.equal(emu.intakeMappings.length, 1);
  });
});

test('auth: a bearer token from delegated-token reads and writes; an expired or foreign one is refused', async () => {
  let clock = new Date();
  await withEmulator({ now: () => clock }, async (emu) => {
    const proof = await buildProof({ credentials: TEST_IDENTITIES.mappedRole, orgUuid: emu.orgUuid, date: clock });
    const exchanged = await (await fetch(`${emu.apiUrl}/api/v2/delegated-token`, { method: 'POST', headers: { authorization: `Delegated ${proof.value}` } })).json();
    const bearer = { authorization: `Bearer ${(exchanged as any).data.attributes.access_token}` };
    assert.equal((await call(emu, 'GET', BASES.wif.identity, bearer)).status, 200);
    assert.equal((await call(emu, 'POST', BASES.wif.intake, bearer, intakeBody('arn:aws:sts::123456789012:assumed-role/bearer/*'))).status, 201);

    await withEmulator({}, async (other) => {
      assert.deepEqual((await call(other, 'GET', BASES.wif.identity, bearer)).json, { errors: ['Forbidden'] });
    });
    clock = new Date(clock.getTime() + 901_000);
    assert.equal((await call(emu, 'GET', BASES.wif.identity, bearer)).status, 403);
  });
});

test('create: an invalid pattern is 400 with source.pointer, one error object per error-level finding', async () => {
  await withEmulator({}, async (emu) => {
    for (const pattern of ['arn:aws:iam::123456789012:role/terraform-runner', 'arn:aws:sts::123456789012:assumed-role/*', 'not an arn', 'arn:aws:sts::123456789012:root']) {
      const res = await call(emu, 'POST', BASES.cloud_auth.identity, RW, identityBody(pattern, 'dev@example.com'));
      assert.equal(res.status, 400, pattern);
      assert.ok(res.json.errors.length >= 1);
      for (const e of res.json.errors) {
        assert.equal(e.status, '400');
        assert.deepEqual(e.source, { pointer: '/data/attributes/arn_pattern' });
        assert.match(e.detail, /\(arn\/[a-z-]+\)$/);
      }
    }
    // A warning-level finding (an IAM user) does not stop a create.
    assert.equal((await call(emu, 'POST', BASES.cloud_auth.intake, RW, intakeBody('arn:aws:iam::123456789012:user/ci-bot'))).status, 201);
    assert.equal(emu.identityMappings.length, 1);
  });
});

test('create: an account that is not integrated is 400 in the string shape', async () => {
  await withEmulator({}, async (emu) => {
    for (const [base, body] of [
      [BASES.cloud_auth.identity, identityBody('arn:aws:sts::210987654321:assumed-role/terraform-runner/*', 'dev@example.com')],
      [BASES.wif.intake, intakeBody('arn:aws:sts::210987654321:assumed-role/terraform-runner/*')],
    ] as const) {
      const res = await call(emu, 'POST', base, RW, body);
      assert.equal(res.status, 400);
      assert.deepEqual(res.json, { errors: ['AWS Account Id is not integrated with this Datadog account'] });
    }
  });
  await withEmulator({ integratedAccounts: ['123456789012', '210987654321'] }, async (emu) => {
    assert.equal((await call(emu, 'POST', BASES.wif.intake, RW, intakeBody('arn:aws:sts::210987654321:assumed-role/terraform-runner/*'))).status, 201);
  });
});

test('create: a pattern overlapping or equal to one of the same kind is 409 naming it; kinds are separate', async () => {
  await withEmulator({}, async (emu) => {
    for (const pattern of [DEFAULT_PATTERN, 'arn:aws:sts::123456789012:assumed-role/terraform-runner/i-0abc1234']) {
      const res = await call(emu, 'POST', BASES.cloud_auth.identity, RW, identityBody(pattern, 'dev@example.com'));
      assert.equal(res.status, 409, pattern);
      assert.equal(res.json.errors[0].status, '409');
      assert.ok(res.json.errors[0].detail.includes(DEFAULT_PATTERN), res.json.errors[0].detail);
    }
    const exact = 'arn:aws:sts::123456789012:assumed-role/deployer/s1';
    assert.equal((await call(emu, 'POST', BASES.cloud_auth.identity, RW, identityBody(exact, 'dev@example.com'))).status, 201);
    assert.equal((await call(emu, 'POST', BASES.cloud_auth.identity, RW, identityBody('arn:aws:sts::123456789012:assumed-role/deployer/*', 'dev@example.com'))).status, 409);
    assert.equal((await call(emu, 'POST', BASES.cloud_auth.intake, RW, intakeBody('arn:aws:sts::123456789012:assumed-role/deployer/*'))).status, 201);
  });
});

test('create: account_identifier required on identity mappings, and an email or a UUID', async () => {
  await withEmulator({}, async (emu) => {
    const cases: [unknown, string][] = [
      [identityBody('arn:aws:sts::123456789012:assumed-role/a/*'), '/data/attributes/account_identifier'],
      [identityBody('arn:aws:sts::123456789012:assumed-role/a/*', ''), '/data/attributes/account_identifier'],
      [identityBody('arn:aws:sts::123456789012:assumed-role/a/*', 'not an email'), '/data/attributes/account_identifier'],
      [identityBody('arn:aws:sts::123456789012:assumed-role/a/*', '3f2504e0-4f89-41d3-9a0c'), '/data/attributes/account_identifier'],
      [identityBody('', 'dev@example.com'), '/data/attributes/arn_pattern'],
      [identityBody('arn:aws:sts::123456789012:assumed-role/a/*', 'dev@example.com', 'aws_cloud_auth_intake_mapping'), '/data/type'],
      [{ data: { attributes: { arn_pattern: 'arn:aws:sts::123456789012:assumed-role/a/*', account_identifier: 'dev@example.com' } } }, '/data/type'],
      [{ data: { type: 'aws_cloud_auth_config' } }, '/data/attributes'],
      [{}, '/data'],
    ];
    for (const [body, pointer] of cases) {
      const res = await call(emu, 'POST', BASES.cloud_auth.identity, RW, body);
      assert.equal(res.status, 400, JSON.stringify(body));
      assert.equal(res.json.errors[0].status, '400');
      assert.deepEqual(res.json.errors[0].source, { pointer });
    }
    const notJson = await call(emu, 'POST', BASES.cloud_auth.identity, RW, '{"data":');
    assert.equal(notJson.status, 400);
    assert.match(notJson.json.errors[0].detail, /not valid JSON/);
    assert.equal((await call(emu, 'POST', BASES.cloud_auth.intake, RW, intakeBody('arn:aws:sts::123456789012:assumed-role/b/*', undefined, { par_enrollment_enabled: 'yes' }))).status, 400);
    assert.equal(emu.identityMappings.length, 1);
  });
});

test('methods outside the API are 405; reset() restores the initial mappings with their ids', async () => {
  await withEmulator({}, async (emu) => {
    assert.equal((await call(emu, 'PUT', BASES.cloud_auth.identity)).status, 405);
    assert.equal((await call(emu, 'PATCH', `${BASES.cloud_auth.identity}/x`)).status, 405);
    const [initial] = emu.identityMappings;
    const ref = emu.identityMappings;
    await call(emu, 'DELETE', `${BASES.cloud_auth.identity}/${initial.id}`);
    await call(emu, 'POST', BASES.cloud_auth.intake, RW, intakeBody('arn:aws:sts::123456789012:assumed-role/c/*'));
    emu.reset();
    assert.equal(emu.identityMappings, ref, 'the same live array');
    assert.deepEqual(emu.identityMappings, [initial]);
    assert.equal(emu.intakeMappings.length, 1);
    assert.deepEqual(emu.requests, []);
  });
});
