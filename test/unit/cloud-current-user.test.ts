// GET /api/v2/current_user: the emulator's route (keys, its own tokens, 401
// and 403 as the real API answers) and the cloud core's reader of it
// (currentOrg): the org's UUID and name, the host policy, no redirect
// followed, retries of a GET, failures in words without any secret.

import { after, describe, test } from 'node:test';
import * as assert from 'node:assert/strict';
import { DEFAULT_ORG_NAME, EMULATOR_API_KEYS, startEmulator, TEST_IDENTITIES, type Emulator } from '../../emulator/src/index';
import { currentOrg, readCurrentOrg, type CurrentUserOptions } from '../../server/src/cloud/currentUser';
import { CloudError } from '../../server/src/cloud/types';
import { buildProof } from '../../server/src/cloud/proof';
import { exchangeProof } from '../../server/src/cloud/exchange';
import { json, startServer } from '../helpers/loopback';

const CANARY = { apiKey: 'c0ffee00c0ffee00c0ffee00c0ffee01', appKey: 'c0ffee00c0ffee00c0ffee00c0ffee00c0ffee02' };
const RW = { kind: 'keys' as const, ...EMULATOR_API_KEYS.readWrite };

const emulators: Emulator[] = [];
async function emulator(options: Parameters<typeof startEmulator>[0] = {}): Promise<Emulator> {
  const emu = await startEmulator(options);
  emulators.push(emu);
  return emu;
}
after(async () => {
  await Promise.all(emulators.map((e) => e.close()));
});
const hostOf = (url: string) => new URL(url).host;
const options = (emu: Emulator, o: Partial<CurrentUserOptions> = {}): CurrentUserOptions => ({ baseUrl: emu.apiUrl, auth: RW, allowedHosts: [hostOf(emu.apiUrl)], timeoutMs: 5000, sleep: async () => {}, ...o });

async function tokenFor(emu: Emulator): Promise<string> {
  const id = TEST_IDENTITIES.mappedRole;
  const proof = await buildProof({ credentials: { accessKeyId: id.accessKeyId, secretAccessKey: id.secretAccessKey, sessionToken: id.sessionToken }, orgUuid: emu.orgUuid });
  const result = await exchangeProof({ flow: 'terraform', baseUrl: emu.apiUrl, proof: proof.value, timeoutMs: 5000, allowedHosts: [hostOf(emu.apiUrl)] });
  assert.ok(result.ok && result.flow === 'terraform', 'a token');
  return result.token.take()!;
}

async function rejects(p: Promise<unknown>, secrets: string[]): Promise<CloudError> {
  try {
    await p;
  } catch (err) {
    assert.ok(err instanceof CloudError, `a CloudError, not ${String(err)}`);
    for (const s of secrets) for (const text of [err.message, err.nextStep ?? '']) assert.ok(!text.includes(s), `no secret in "${text}"`);
    assert.ok((err.nextStep ?? '').length > 0, 'a next step');
    return err;
  }
  assert.fail('expected a rejection');
}

describe('the emulator', () => {
  test('answers for its keys with the org UUID and name (configurable), in the JSON:API shape', async () => {
    const emu = await emulator({ orgName: 'staging & co' });
    const res = await fetch(`${emu.apiUrl}/api/v2/current_user`, { headers: { 'dd-api-key': RW.apiKey, 'dd-application-key': RW.appKey } });
    assert.equal(res.status, 200);
    const body = (await res.json()) as any;
    assert.equal(body.data.type, 'users');
    assert.deepEqual(body.data.relationships.org.data, { type: 'orgs', id: emu.orgUuid });
    assert.deepEqual(body.included.map((i: any) => [i.type, i.id, i.attributes.name]), [['orgs', emu.orgUuid, 'staging & co']]);
    assert.equal(emu.orgName, 'staging & co');
    assert.equal((await emulator()).orgName, DEFAULT_ORG_NAME);
  });

  test('answers for a token it issued as the mapped user; 403 for unknown keys or tokens, 401 without credentials', async () => {
    const emu = await emulator();
    const token = await tokenFor(emu);
    const ok = await fetch(`${emu.apiUrl}/api/v2/current_user`, { headers: { authorization: `Bearer ${token}` } });
    assert.equal(ok.status, 200);
    const body = (await ok.json()) as any;
    assert.equal(body.data.attributes.handle, 'terraform@example.com');
    assert.equal(body.data.relationships.org.data.id, emu.orgUuid);
    const status = async (headers: Record<string, string>) => (await fetch(`${emu.apiUrl}/api/v2/current_user`, { headers })).status;
    assert.equal(await status({ authorization: `Bearer ${token}x` }), 403);
    assert.equal(await status({ 'dd-api-key': CANARY.apiKey, 'dd-application-key': CANARY.appKey }), 403);
    assert.equal(await status({ 'dd-api-key': RW.apiKey }), 403, 'an API key alone is not enough');
    assert.equal(await status({}), 401);
    assert.equal((await fetch(`${emu.apiUrl}/api/v2/current_user`, { method: 'POST', headers: { 'dd-api-key': RW.apiKey, 'dd-application-key': RW.appKey } })).status, 405);
  });
});

describe('currentOrg', () => {
  test('keys and a Test Login token both give the emulator org', async () => {
    const emu = await emulator({ orgName: 'acme-prod' });
    assert.deepEqual(await currentOrg(options(emu)), { orgUuid: emu.orgUuid, orgName: 'acme-prod' });
    const token = await tokenFor(emu);
    assert.deepEqual(await currentOrg(options(emu, { auth: { kind: 'bearer', token } })), { orgUuid: emu.orgUuid, orgName: 'acme-prod' });
  });

  test('refused credentials: an error in words with the next step, no key or token in it', async () => {
    const emu = await emulator();
    const err = await rejects(currentOrg(options(emu, { auth: { kind: 'keys', ...CANARY } })), [CANARY.apiKey, CANARY.appKey]);
    assert.equal(err.status, 403);
    assert.match(err.nextStep ?? '', /Set API Keys/);
    const token = await tokenFor(emu);
    const bad = await rejects(currentOrg(options(emu, { auth: { kind: 'bearer', token: `${token}x` } })), [token]);
    assert.match(bad.nextStep ?? '', /Test Login again/);
  });

  test('a host the policy refuses is never contacted; a redirect is not followed', async () => {
    const server = await startServer((req, res) => {
      res.writeHead(302, { location: 'https://evil.example/steal' });
      res.end();
    });
    try {
      const refused = await rejects(currentOrg({ baseUrl: server.url, auth: { kind: 'keys', ...CANARY }, allowedHosts: [], timeoutMs: 5000 }), [CANARY.apiKey, CANARY.appKey]);
      assert.equal(refused.code, 'host-refused');
      assert.equal(server.seen.length, 0, 'no request to a refused host');
      const redirected = await rejects(currentOrg({ baseUrl: server.url, auth: { kind: 'keys', ...CANARY }, allowedHosts: [server.host], timeoutMs: 5000 }), [CANARY.apiKey, CANARY.appKey]);
      assert.match(redirected.message, /redirect/);
      assert.equal(server.seen.length, 1, 'the redirect was not followed');
    } finally {
      await server.close();
    }
  });

  test('a 503 is retried, then the answer is read; a body that echoes the key is scrubbed', async () => {
    const uuid = '11111111-2222-4333-8444-555555555555';
    const server = await startServer((req, res, n) => {
      if (n === 1) json(res, 503, { errors: ['busy'] });
      else if (n === 2) json(res, 200, { data: { type: 'users', id: 'u', relationships: { org: { data: { type: 'orgs', id: uuid.toUpperCase() } } } }, included: [{ type: 'orgs', id: uuid, attributes: { name: `org ${CANARY.apiKey}\u0007\u202e` } }] });
      else json(res, 500, { errors: [`key ${CANARY.apiKey} bad`] });
    });
    try {
      const org = await currentOrg({ baseUrl: server.url, auth: { kind: 'keys', ...CANARY }, allowedHosts: [server.host], timeoutMs: 5000, sleep: async () => {} });
      assert.equal(org.orgUuid, uuid);
      assert.ok(!org.orgName!.includes(CANARY.apiKey) && !org.orgName!.includes('\u0007') && !org.orgName!.includes('\u202e'), org.orgName);
      assert.match(org.orgName!, /\\x07/);
      assert.equal(server.seen.length, 2);
      assert.equal(server.seen[1].headers['dd-api-key'], CANARY.apiKey);
      const err = await rejects(currentOrg({ baseUrl: server.url, auth: { kind: 'keys', ...CANARY }, allowedHosts: [server.host], timeoutMs: 5000, sleep: async () => {}, maxAttempts: 1 }), [CANARY.apiKey]);
      assert.equal(err.status, 500);
    } finally {
      await server.close();
    }
  });

  test('readCurrentOrg: the related org, named by the included org of the same id; nothing without a UUID', () => {
    const uuid = '0b0e6f8e-7d1c-4a2b-9c3d-5e6f7a8b9c0d';
    const doc = (org: unknown, included: unknown[] = []) => ({ data: { type: 'users', relationships: { org: { data: org } } }, included });
    assert.deepEqual(readCurrentOrg(doc({ type: 'orgs', id: uuid }, [{ type: 'roles', id: uuid, attributes: { name: 'x' } }, { type: 'orgs', id: 'other', attributes: { name: 'y' } }, { type: 'orgs', id: uuid, attributes: { name: ' acme\nprod ' } }])), { orgUuid: uuid, orgName: 'acme prod' });
    assert.deepEqual(readCurrentOrg(doc({ type: 'orgs', id: uuid })), { orgUuid: uuid });
    assert.equal(readCurrentOrg(doc({ type: 'orgs', id: 'org-1' })), undefined);
    assert.equal(readCurrentOrg(doc({ type: 'users', id: uuid })), undefined);
    assert.equal(readCurrentOrg({ data: [] }), undefined);
    assert.equal(readCurrentOrg(null), undefined);
    assert.equal(readCurrentOrg('x'), undefined);
  });
});
