// The mapping API client (PROTOCOL.md §3) against the emulator: every path of
// createMappingsClient. Both kinds, both path families (auto's fallback and
// its memory, counted in the emulator's request log), both type strings, both
// auth kinds, the documented failures in words, retries (429 honoured,
// create not retried), timeout, redirect, host policy, and no secret in any
// message.

import { after, before, beforeEach, describe, test } from 'node:test';
import * as assert from 'node:assert/strict';
import { startEmulator, EMULATOR_API_KEYS, TEST_IDENTITIES, type Emulator } from '../../emulator/src/index';
import {
  createMappingsClient,
  forgetPathFamilies,
  MappingApiError,
  readMapping,
  rememberedPathFamily,
  type DatadogAuth,
  type MappingsClientOptions,
} from '../../server/src/cloud/mappingsApi';
import { CloudError } from '../../server/src/cloud/types';
import { buildProof } from '../../server/src/cloud/proof';
import { assertSettlesAtBudget, fakeClock, until, watch } from '../helpers/clock';
import { exchangeProof } from '../../server/src/cloud/exchange';

const INTEGRATED = '123456789012';
const OTHER = '210987654321';
const DEFAULT_PATTERN = `arn:aws:sts::${INTEGRATED}:assumed-role/terraform-runner/*`;
const keys = (pair: { apiKey: string; appKey: string }): DatadogAuth => ({ kind: 'keys', ...pair });
const RW = keys(EMULATOR_API_KEYS.readWrite);
const RO = keys(EMULATOR_API_KEYS.readOnly);

/** Canary keys: if either appears in a message, a secret leaked. */
const CANARY = { apiKey: 'c0ffee00c0ffee00c0ffee00c0ffee01', appKey: 'c0ffee00c0ffee00c0ffee00c0ffee00c0ffee02' };

const emulators: Emulator[] = [];
async function emulator(options: Parameters<typeof startEmulator>[0] = {}): Promise<Emulator> {
  const emu = await startEmulator(options);
  emulators.push(emu);
  return emu;
}
after(async () => {
  await Promise.all(emulators.map((e) => e.close()));
});

const hostOf = (emu: Emulator) => new URL(emu.apiUrl).host;
const sleeps: number[] = [];
function client(emu: Emulator, o: Partial<MappingsClientOptions> = {}) {
  return createMappingsClient({ baseUrl: emu.apiUrl, auth: RW, allowedHosts: [hostOf(emu)], paths: 'auto', timeoutMs: 5000, sleep: async (ms) => void sleeps.push(ms), ...o });
}
/** The mapping API requests the emulator saw, as `METHOD family status`. */
const seen = (emu: Emulator) => emu.requests.filter((r) => r.path.startsWith('/api/v2/')).map((r) => `${r.method} ${/\/api\/v2\/(\w+)\//.exec(r.path)?.[1]} ${r.status}`);

async function rejects(p: Promise<unknown>): Promise<MappingApiError> {
  try {
    await p;
  } catch (err) {
    assert.ok(err instanceof MappingApiError, `a MappingApiError, not ${String(err)}`);
    assert.ok(err instanceof CloudError);
    for (const secret of [...Object.values(EMULATOR_API_KEYS).flatMap((k) => [k.apiKey, k.appKey]), CANARY.apiKey, CANARY.appKey]) {
      for (const text of [err.message, err.nextStep, ...err.details]) assert.ok(!text.includes(secret), `no key in "${text}"`);
    }
    assert.ok(err.nextStep.length > 0, 'a next step');
    return err;
  }
  assert.fail('expected a rejection');
}

beforeEach(() => {
  forgetPathFamilies();
  sleeps.length = 0;
});

describe('list, create, get, delete: both kinds', () => {
  let emu: Emulator;
  before(async () => {
    emu = await emulator();
  });
  beforeEach(() => emu.reset());

  test('list: the default identity and intake mappings, all attributes read', async () => {
    const c = client(emu);
    const identity = await c.list('identity');
    assert.equal(identity.length, 1);
    assert.deepEqual(Object.keys(identity[0]).sort(), ['accountIdentifier', 'accountUuid', 'arnPattern', 'id', 'kind', 'type']);
    assert.equal(identity[0].kind, 'identity');
    assert.equal(identity[0].arnPattern, DEFAULT_PATTERN);
    assert.equal(identity[0].accountIdentifier, 'terraform@example.com');
    assert.match(identity[0].accountUuid!, /^[0-9a-f-]{36}$/);
    assert.equal(identity[0].type, 'aws_cloud_auth_config');
    assert.equal(identity[0].id, emu.identityMappings[0].id);
    const intake = await c.list('intake');
    assert.deepEqual(intake, [{ kind: 'intake', id: emu.intakeMappings[0].id, arnPattern: DEFAULT_PATTERN, parEnrollmentEnabled: false, type: 'aws_cloud_auth_intake_mapping' }]);
  });

  test('identity: create (201) → get → list → delete (204) → get is a 404', async () => {
    const c = client(emu);
    const pattern = `arn:aws:sts::${INTEGRATED}:assumed-role/deployer/*`;
    const made = await c.create('identity', { arnPattern: pattern, accountIdentifier: 'deploy@example.com' });
    assert.equal(made.kind, 'identity');
    assert.equal(made.arnPattern, pattern);
    assert.equal(made.accountIdentifier, 'deploy@example.com');
    assert.ok(made.accountUuid);
    assert.deepEqual(await c.get('identity', made.id), made);
    assert.deepEqual((await c.list('identity')).map((m) => m.id), [emu.identityMappings[0].id, made.id]);
    await c.delete('identity', made.id);
    assert.equal(emu.identityMappings.length, 1);
    const err = await rejects(c.get('identity', made.id));
    assert.equal(err.failure, 'not-found');
    assert.equal(err.status, 404);
    assert.match(err.message, new RegExp(`no identity mapping with id \`${made.id}\``));
    assert.deepEqual(seen(emu), ['POST cloud_auth 201', 'GET cloud_auth 200', 'GET cloud_auth 200', 'DELETE cloud_auth 204', 'GET cloud_auth 404']);
  });

  test('intake: create (with par_enrollment_enabled) → get → delete', async () => {
    const c = client(emu);
    const pattern = `arn:aws:sts::${INTEGRATED}:assumed-role/datadog-agent/*`;
    const made = await c.create('intake', { arnPattern: pattern, parEnrollmentEnabled: true });
    assert.equal(made.kind, 'intake');
    assert.equal(made.parEnrollmentEnabled, true);
    assert.equal(made.accountIdentifier, undefined);
    assert.deepEqual(await c.get('intake', made.id), made);
    await c.delete('intake', made.id);
    assert.deepEqual(emu.intakeMappings.map((m) => m.id), [emu.intakeMappings[0].id]);
    assert.equal(emu.intakeMappings.length, 1);
  });

  test('usage: a create without a pattern, an identity create without an account, an empty id: refused before any request', async () => {
    const c = client(emu);
    assert.equal((await rejects(c.create('intake', { arnPattern: ' ' }))).code, 'usage');
    assert.equal((await rejects(c.create('identity', { arnPattern: DEFAULT_PATTERN }))).failure, 'usage');
    assert.equal((await rejects(c.delete('identity', ''))).code, 'usage');
    assert.deepEqual(seen(emu), []);
  });

  test('an id is one path segment, encoded', async () => {
    const err = await rejects(client(emu, { paths: 'cloud_auth' }).get('identity', '../intake_mapping'));
    assert.equal(err.failure, 'not-found');
    assert.deepEqual(emu.requests.map((r) => r.path), ['/api/v2/cloud_auth/aws/persona_mapping/..%2Fintake_mapping']);
  });

  test('cancelled before it starts', async () => {
    const ac = new AbortController();
    ac.abort();
    const err = await rejects(client(emu).list('identity', ac.signal));
    assert.equal(err.code, 'cancelled');
  });
});

describe('path families and type strings', () => {
  test('auto against a wif-only API: cloud_auth 404, then wif, remembered for later calls', async () => {
    const emu = await emulator({ mappingPaths: 'wif', typeStrings: 'wif' });
    const c = client(emu);
    assert.equal(c.family(), undefined);
    const listed = await c.list('identity');
    assert.equal(listed[0].type, 'aws_wif_config');
    assert.equal(listed[0].kind, 'identity');
    assert.equal(c.family(), 'wif');
    assert.equal(rememberedPathFamily(emu.apiUrl), 'wif');
    assert.equal((await c.list('intake'))[0].type, 'aws_wif_intake_mapping');
    const made = await c.create('identity', { arnPattern: `arn:aws:sts::${INTEGRATED}:assumed-role/wif-role/*`, accountIdentifier: 'wif@example.com' });
    await c.delete('identity', made.id);
    assert.deepEqual(seen(emu), ['GET cloud_auth 404', 'GET wif 200', 'GET wif 200', 'POST wif 201', 'DELETE wif 204']);
    // A new client for the same base URL (a new VS Code command, a settings change) uses the memory too.
    await client(emu).list('identity');
    assert.equal(seen(emu).length, 6);
    assert.equal(seen(emu)[5], 'GET wif 200');
  });

  test('auto against a cloud_auth-only API: one request, cloud_auth remembered', async () => {
    const emu = await emulator({ mappingPaths: 'cloud_auth' });
    const c = client(emu);
    await c.list('identity');
    await c.list('intake');
    assert.deepEqual(seen(emu), ['GET cloud_auth 200', 'GET cloud_auth 200']);
    assert.equal(c.family(), 'cloud_auth');
  });

  test('auto: the memory is per base URL', async () => {
    const wifOnly = await emulator({ mappingPaths: 'wif' });
    const cloudOnly = await emulator({ mappingPaths: 'cloud_auth' });
    await client(wifOnly).list('identity');
    await client(cloudOnly).list('identity');
    assert.equal(rememberedPathFamily(wifOnly.apiUrl), 'wif');
    assert.equal(rememberedPathFamily(cloudOnly.apiUrl), 'cloud_auth');
    assert.deepEqual(seen(cloudOnly), ['GET cloud_auth 200']);
  });

  test('auto, family known: a 404 for an id is a real 404 (no second try)', async () => {
    const emu = await emulator({ mappingPaths: 'wif' });
    const c = client(emu);
    await c.list('identity');
    const err = await rejects(c.delete('identity', 'no-such-id'));
    assert.equal(err.failure, 'not-found');
    assert.equal(err.status, 404);
    assert.deepEqual(seen(emu), ['GET cloud_auth 404', 'GET wif 200', 'DELETE wif 404']);
  });

  test('auto, family unknown: an id 404 in both families is "no such mapping", and nothing is remembered', async () => {
    const emu = await emulator();
    const err = await rejects(client(emu).get('intake', 'missing'));
    assert.equal(err.failure, 'not-found');
    assert.match(err.message, /either API path/);
    assert.deepEqual(seen(emu), ['GET cloud_auth 404', 'GET wif 404']);
    assert.equal(rememberedPathFamily(emu.apiUrl), undefined);
  });

  test('auto: a get that 404s in cloud_auth and succeeds in wif finds the mapping and remembers wif', async () => {
    const emu = await emulator({ mappingPaths: 'wif' });
    const id = emu.identityMappings[0].id;
    assert.equal((await client(emu).get('identity', id)).id, id);
    assert.equal(rememberedPathFamily(emu.apiUrl), 'wif');
  });

  test('a fixed family is used as is: wif writes the wif type string; a 404 names the setting', async () => {
    const emu = await emulator({ mappingPaths: 'both' });
    const c = client(emu, { paths: 'wif' });
    assert.equal(c.family(), 'wif');
    const made = await c.create('intake', { arnPattern: `arn:aws:sts::${INTEGRATED}:assumed-role/fixed/*` });
    assert.ok(made.id);
    assert.deepEqual(seen(emu), ['POST wif 201']);
    assert.equal(rememberedPathFamily(emu.apiUrl), undefined, 'a fixed family does not touch the auto memory');

    const cloudOnly = await emulator({ mappingPaths: 'cloud_auth' });
    const err = await rejects(client(cloudOnly, { paths: 'wif' }).list('identity'));
    assert.equal(err.failure, 'api-not-found');
    assert.match(err.nextStep, /mappingApiPaths.*--paths/);
    assert.deepEqual(seen(cloudOnly), ['GET wif 404']);
  });

  test('auto against no mapping API at all: both families tried, api-not-found', async () => {
    const emu = await emulator();
    emu.fault('/api/v2/', { kind: 'status', status: 404, body: '{"errors":["Not found"]}' }, 2);
    const err = await rejects(client(emu).list('identity'));
    assert.equal(err.failure, 'api-not-found');
    assert.match(err.message, /cloud_auth\/aws\/persona_mapping and .*wif\/aws\/persona_mapping/);
  });

  test('readMapping: both type strings; an unknown type tolerated; the other kind and incomplete items skipped', () => {
    const item = (type: string, attributes: Record<string, unknown> = { arn_pattern: 'p' }) => ({ id: 'x', type, attributes });
    assert.equal(readMapping(item('aws_wif_config'), 'identity')?.type, 'aws_wif_config');
    assert.equal(readMapping(item('aws_cloud_auth_config'), 'identity')?.kind, 'identity');
    assert.equal(readMapping(item('aws_wif_intake_mapping'), 'intake')?.kind, 'intake');
    assert.equal(readMapping(item('aws_something_newer'), 'intake')?.arnPattern, 'p');
    assert.equal(readMapping(item('aws_wif_intake_mapping'), 'identity'), undefined);
    assert.equal(readMapping(item('aws_wif_config', {}), 'identity'), undefined);
    assert.equal(readMapping({ type: 'aws_wif_config', attributes: { arn_pattern: 'p' } }, 'identity'), undefined);
    assert.equal(readMapping(null, 'identity'), undefined);
  });
});

describe('auth kinds', () => {
  test('a Terraform-flow login token as Bearer', async () => {
    const emu = await emulator();
    const id = TEST_IDENTITIES.mappedRole;
    const proof = await buildProof({ credentials: { accessKeyId: id.accessKeyId, secretAccessKey: id.secretAccessKey, sessionToken: id.sessionToken }, orgUuid: emu.orgUuid });
    const result = await exchangeProof({ flow: 'terraform', baseUrl: emu.apiUrl, proof: proof.value, timeoutMs: 5000, allowedHosts: [hostOf(emu)] });
    assert.ok(result.ok && result.flow === 'terraform', 'a token');
    const token = result.token.take()!;
    const c = client(emu, { auth: { kind: 'bearer', token } });
    assert.equal((await c.list('identity')).length, 1);
    const made = await c.create('intake', { arnPattern: `arn:aws:sts::${INTEGRATED}:assumed-role/bearer-made/*` });
    await c.delete('intake', made.id);

    const bad = await rejects(client(emu, { auth: { kind: 'bearer', token: `${token}x` } }).list('identity'));
    assert.equal(bad.status, 403);
    assert.match(bad.nextStep, /log in again/);
    assert.ok(!bad.message.includes(token) && !bad.nextStep.includes(token));
  });

  test('unknown keys: 403 in words, neither key in it', async () => {
    const emu = await emulator();
    const err = await rejects(client(emu, { auth: keys(CANARY) }).list('identity'));
    assert.equal(err.failure, 'forbidden');
    assert.match(err.nextStep, /not valid keys/);
  });
});

describe('failures in words', () => {
  let emu: Emulator;
  before(async () => {
    emu = await emulator();
  });
  beforeEach(() => emu.reset());

  test('400 not integrated: add the AWS account to the integration, it takes a few minutes', async () => {
    const err = await rejects(client(emu).create('identity', { arnPattern: `arn:aws:sts::${OTHER}:assumed-role/terraform-runner/*`, accountIdentifier: 'a@example.com' }));
    assert.equal(err.failure, 'not-integrated');
    assert.equal(err.status, 400);
    assert.deepEqual(err.details, ['AWS Account Id is not integrated with this Datadog account']);
    assert.match(err.message, new RegExp(`AWS account ${OTHER} is not integrated`));
    assert.match(err.nextStep, /Add the AWS account 210987654321 to the Datadog AWS integration; it can take a few minutes to propagate/);
  });

  test('400 invalid pattern: the server\'s detail and pointer', async () => {
    const err = await rejects(client(emu).create('intake', { arnPattern: `arn:aws:iam::${INTEGRATED}:role/x` }));
    assert.equal(err.failure, 'invalid-pattern');
    assert.equal(err.status, 400);
    assert.ok(err.details.length >= 1);
    assert.match(err.details[0], /arn\/iam-role-arn.*\(at \/data\/attributes\/arn_pattern\)/);
    assert.match(err.message, /refused the ARN pattern `arn:aws:iam::123456789012:role\/x`/);
    assert.match(err.nextStep, /assumed-role/);
  });

  test('400 account identifier refused', async () => {
    const err = await rejects(client(emu).create('identity', { arnPattern: `arn:aws:sts::${INTEGRATED}:assumed-role/r1/*`, accountIdentifier: 'not an email' }));
    assert.equal(err.failure, 'invalid-account-identifier');
    assert.match(err.nextStep, /email or handle/);
  });

  test('403 read-only key: list works, create is refused naming the write permission (both names)', async () => {
    const c = client(emu, { auth: RO });
    assert.equal((await c.list('intake')).length, 1);
    const err = await rejects(c.create('intake', { arnPattern: `arn:aws:sts::${INTEGRATED}:assumed-role/r2/*` }));
    assert.equal(err.failure, 'forbidden');
    assert.equal(err.status, 403);
    assert.match(err.nextStep, /workload_identity_federation_config_write/);
    assert.match(err.nextStep, /`cloud_auth_config_write` on older orgs/);
    const del = await rejects(c.delete('intake', emu.intakeMappings[0].id));
    assert.equal(del.failure, 'forbidden');
    assert.equal(emu.intakeMappings.length, 1);
  });

  test('409: the pattern conflicts, naming the existing mapping', async () => {
    const existing = emu.identityMappings[0];
    const err = await rejects(client(emu).create('identity', { arnPattern: `arn:aws:sts::${INTEGRATED}:assumed-role/terraform-runner/i-0abc1234`, accountIdentifier: 'x@example.com' }));
    assert.equal(err.failure, 'conflict');
    assert.equal(err.status, 409);
    assert.deepEqual(err.conflicting?.map((m) => m.id), [existing.id]);
    assert.match(err.message, new RegExp(`overlaps identity mapping \`${existing.id}\` \\(\`${DEFAULT_PATTERN.replace(/[*]/g, '\\*')}\`\\)`));
    assert.match(err.nextStep, /delete \+ create/);
    assert.match(err.details[0], /conflicts with the existing identity mapping/);
  });

  test('429 with Retry-After: waited, retried, then success', async () => {
    emu.fault('/api/v2/cloud_auth/aws/persona_mapping', { kind: 'status', status: 429, headers: { 'Retry-After': '2' } }, 1);
    const listed = await client(emu).list('identity');
    assert.equal(listed.length, 1);
    assert.deepEqual(sleeps, [2000]);
    assert.deepEqual(seen(emu), ['GET cloud_auth 429', 'GET cloud_auth 200']);
  });

  test('429 on create is retried too (it was not processed); X-RateLimit-Reset honoured', async () => {
    emu.fault('/api/v2/cloud_auth/aws/intake_mapping', { kind: 'status', status: 429, headers: { 'X-RateLimit-Reset': '3' } }, 1);
    const made = await client(emu).create('intake', { arnPattern: `arn:aws:sts::${INTEGRATED}:assumed-role/throttled/*` });
    assert.ok(made.id);
    assert.deepEqual(sleeps, [3000]);
    assert.deepEqual(seen(emu), ['POST cloud_auth 429', 'POST cloud_auth 201']);
  });

  test('429 until the attempts are spent: rate-limited, with the wait asked', async () => {
    emu.fault('/api/v2/cloud_auth/aws/persona_mapping', { kind: 'status', status: 429, headers: { 'Retry-After': '1' } }, Infinity);
    const err = await rejects(client(emu, { maxAttempts: 2 }).list('identity'));
    assert.equal(err.failure, 'rate-limited');
    assert.equal(err.status, 429);
    assert.equal(err.retryAfterMs, 1000);
    assert.match(err.nextStep, /Wait 1 seconds/);
    assert.equal(seen(emu).length, 2);
    emu.clearFaults();
  });

  test('429 asking for longer than we wait: reported at once', async () => {
    emu.fault('/api/v2/cloud_auth/aws/persona_mapping', { kind: 'status', status: 429, headers: { 'Retry-After': '120' } }, 1);
    const err = await rejects(client(emu).list('identity'));
    assert.equal(err.failure, 'rate-limited');
    assert.match(err.nextStep, /Wait 120 seconds/);
    assert.deepEqual(sleeps, []);
  });

  test('5xx: list is retried; create is not', async () => {
    emu.fault('/api/v2/cloud_auth/aws/persona_mapping', { kind: 'status', status: 503 }, 1);
    assert.equal((await client(emu).list('identity')).length, 1);
    assert.deepEqual(seen(emu), ['GET cloud_auth 503', 'GET cloud_auth 200']);
    emu.reset();
    emu.fault('/api/v2/cloud_auth/aws/intake_mapping', { kind: 'status', status: 503 }, 1);
    const err = await rejects(client(emu).create('intake', { arnPattern: `arn:aws:sts::${INTEGRATED}:assumed-role/once/*` }));
    assert.equal(err.failure, 'server-error');
    assert.equal(err.status, 503);
    assert.match(err.nextStep, /list the mappings first/);
    assert.deepEqual(seen(emu), ['POST cloud_auth 503']);
  });

  test('a reset connection: delete is retried', async () => {
    emu.fault('/api/v2/cloud_auth/aws/intake_mapping/', { kind: 'reset' }, 1);
    await client(emu).delete('intake', emu.intakeMappings[0].id);
    assert.equal(emu.intakeMappings.length, 0);
  });

  test('a reset connection on create: not retried, and the words say it may have been made', async () => {
    emu.fault('/api/v2/cloud_auth/aws/intake_mapping', { kind: 'reset' }, 1);
    const err = await rejects(client(emu).create('intake', { arnPattern: `arn:aws:sts::${INTEGRATED}:assumed-role/reset/*` }));
    assert.equal(err.code, 'network');
    assert.equal(err.failure, 'transport');
    assert.match(err.message, /may have been created anyway/);
  });

  test('timeout: given up at the budget (not before, not later), not retried, in words', { timeout: 120_000 }, async (t) => {
    emu.fault('/api/v2/cloud_auth/aws/persona_mapping', { kind: 'timeout' }, 1);
    const clock = fakeClock(t);
    const listing = watch(rejects(client(emu, { timeoutMs: 300 }).list('identity')));
    await until(() => seen(emu).length === 1, t.signal);
    await assertSettlesAtBudget(clock, listing, 300);
    const err = await listing.promise;
    assert.equal(err.code, 'timeout');
    assert.equal(err.failure, 'transport');
    assert.match(err.message, /^Listing the identity mappings failed: no answer from 127\.0\.0\.1:\d+ within 0\.3 seconds\.$/);
    assert.deepEqual(seen(emu), ['GET cloud_auth 0'], 'held once, not retried');
    assert.deepEqual(sleeps, []);
  });

  test('a redirect is not followed', async () => {
    emu.fault('/api/v2/cloud_auth/aws/persona_mapping', { kind: 'redirect', location: 'https://collector.example.net/steal' }, 1);
    const err = await rejects(client(emu).list('identity'));
    assert.equal(err.failure, 'redirect');
    assert.equal(err.status, 302);
    assert.match(err.message, /collector\.example\.net/);
    assert.match(err.message, /not followed/);
    assert.equal(seen(emu).length, 1);
  });

  test('a 200 that is not JSON: malformed', async () => {
    emu.fault('/api/v2/cloud_auth/aws/persona_mapping', { kind: 'malformed' }, 1);
    const err = await rejects(client(emu).list('identity'));
    assert.equal(err.failure, 'malformed');
    assert.equal(err.status, 200);
  });

  test('a server that echoes a key in its error: scrubbed from the details', async () => {
    emu.fault('/api/v2/cloud_auth/aws/persona_mapping', { kind: 'status', status: 400, body: JSON.stringify({ errors: [`bad key ${EMULATOR_API_KEYS.readWrite.apiKey} / ${EMULATOR_API_KEYS.readWrite.appKey}`] }) }, 1);
    const err = await rejects(client(emu).list('identity'));
    assert.equal(err.failure, 'bad-request');
    assert.match(err.details[0], /bad key/);
  });
});

describe('host policy', () => {
  test('a host that is not allowed: refused before any request', async () => {
    const emu = await emulator();
    const err = await rejects(client(emu, { allowedHosts: [] }).list('identity'));
    assert.equal(err.code, 'host-refused');
    assert.match(err.nextStep, /allowedApiHosts|--allow-host/);
    assert.deepEqual(emu.requests, []);
  });

  test('an unknown https host and plain http to a non-loopback host: refused without a connection', async () => {
    for (const baseUrl of ['https://api.datadoghq.evil.example', 'http://api.datadoghq.com']) {
      const err = await rejects(createMappingsClient({ baseUrl, auth: RW, allowedHosts: [], timeoutMs: 1000 }).list('identity'));
      assert.equal(err.code, 'host-refused', baseUrl);
    }
  });
});
