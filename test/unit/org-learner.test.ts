// The client's org learner (client/src/org/learner.ts) with a stand-in vscode
// module: what it asks /api/v2/current_user with (the emulator, for real),
// and when it asks nothing (no trust, no credentials); the cache in
// globalState without any secret; offline-safe (a failure keeps the cache,
// one warning then debug lines, the keys never in them); credentials cleared
// or moved to another base URL: the org is forgotten.

import { after, before, describe, test } from 'node:test';
import * as assert from 'node:assert/strict';
import { installFakeVscode, type FakeVscode } from '../helpers/vscodeStub';
import { EMULATOR_API_KEYS, startEmulator, type Emulator } from '../../emulator/src/index';
import type { SiteCredentials } from '../../client/src/mappings/secrets';
import type { CurrentUserOptions } from '../../server/src/cloud/currentUser';
import { CloudError } from '../../server/src/cloud/types';

let fake: FakeVscode;
let learnerModule: typeof import('../../client/src/org/learner');
let cacheModule: typeof import('../../client/src/org/cache');
let emu: Emulator;
before(async () => {
  fake = installFakeVscode();
  learnerModule = require('../../client/src/org/learner');
  cacheModule = require('../../client/src/org/cache');
  emu = await startEmulator({ orgName: 'acme-prod' });
});
after(async () => {
  fake?.restore();
  await emu?.close();
});

const KEYS = EMULATOR_API_KEYS.readWrite;

function memento() {
  const values = new Map<string, unknown>();
  return { values, get: <T>(k: string) => values.get(k) as T | undefined, update: async (k: string, v: unknown) => void values.set(k, structuredClone(v)), keys: () => [...values.keys()] };
}

interface Setup {
  sites: string[];
  baseUrl: string | undefined;
  credentials: SiteCredentials | undefined;
  trusted: boolean;
  fetchOrg?: (o: CurrentUserOptions) => Promise<{ orgUuid: string; orgName?: string }>;
}

function setup(over: Partial<Setup> = {}) {
  const s: Setup = { sites: ['datadoghq.com'], baseUrl: emu.apiUrl, credentials: { kind: 'keys', ...KEYS }, trusted: true, ...over };
  const state = memento();
  const lines: { level: string; text: string }[] = [];
  const log = { info: (t: string) => void lines.push({ level: 'info', text: t }), warn: (t: string) => void lines.push({ level: 'warn', text: t }), debug: (t: string) => void lines.push({ level: 'debug', text: t }) };
  const asked: CurrentUserOptions[] = [];
  const learner = new learnerModule.OrgFactsLearner({
    state: state as never,
    store: { sites: () => s.sites, baseUrl: () => s.baseUrl, credentials: async () => s.credentials },
    log,
    settings: () => ({ allowedHosts: [new URL(emu.apiUrl).host], timeoutMs: 5000 }),
    isTrusted: () => s.trusted,
    fetchOrg: async (o) => {
      asked.push(o);
      return s.fetchOrg ? s.fetchOrg(o) : (await import('../../server/src/cloud/currentUser')).currentOrg({ ...o, sleep: async () => {} });
    },
    now: () => 1_000,
  });
  let changes = 0;
  learner.onDidChange(() => changes++);
  return { s, state, lines, asked, learner, changes: () => changes };
}

describe('OrgFactsLearner', () => {
  test('keys stored and trust: the org of the emulator, cached without a secret, a change fired', async () => {
    const t = setup();
    await t.learner.refresh();
    assert.deepEqual(t.learner.facts(), [{ site: 'datadoghq.com', orgUuid: emu.orgUuid, orgName: 'acme-prod', source: 'keys' }]);
    assert.equal(t.asked.length, 1);
    assert.deepEqual(t.asked[0].auth, { kind: 'keys', ...KEYS });
    assert.equal(t.asked[0].baseUrl, emu.apiUrl);
    assert.equal(t.changes(), 1);
    const stored = JSON.stringify(t.state.values.get(cacheModule.ORG_FACTS_KEY));
    assert.deepEqual(cacheModule.readOrgCache(t.state as never), [{ site: 'datadoghq.com', baseUrl: emu.apiUrl, orgUuid: emu.orgUuid, orgName: 'acme-prod', source: 'keys', when: 1_000 }]);
    assert.ok(!stored.includes(KEYS.apiKey) && !stored.includes(KEYS.appKey), stored);
    // The same answer again: no change to tell the server about.
    await t.learner.refresh('datadoghq.com');
    assert.equal(t.changes(), 1);
  });

  test('a Test Login token: source token', async () => {
    const t = setup({ credentials: { kind: 'bearer', token: 'tok', expiresAt: 10 }, fetchOrg: async () => ({ orgUuid: emu.orgUuid }) });
    await t.learner.refresh();
    assert.deepEqual(t.asked[0].auth, { kind: 'bearer', token: 'tok' });
    assert.deepEqual(t.learner.facts(), [{ site: 'datadoghq.com', orgUuid: emu.orgUuid, source: 'token' }]);
  });

  test('no request without trust, without credentials, or without a base URL the settings accept', async () => {
    for (const over of [{ trusted: false }, { credentials: undefined }, { baseUrl: undefined }, { sites: [] }] as Partial<Setup>[]) {
      const t = setup(over);
      await t.learner.refresh();
      assert.equal(t.asked.length, 0, JSON.stringify(over));
      assert.deepEqual(t.learner.facts(), []);
    }
  });

  test('offline: what was known is kept; one warning, then debug lines; never a key', async () => {
    const t = setup();
    await t.learner.refresh();
    t.s.fetchOrg = async () => {
      throw new CloudError(`no answer (key ${KEYS.apiKey})`, 'network', 'try again');
    };
    await t.learner.refresh();
    await t.learner.refresh();
    assert.deepEqual(t.learner.facts().map((f) => f.orgUuid), [emu.orgUuid]);
    const failures = t.lines.filter((l) => /Could not read the org/.test(l.text));
    assert.deepEqual(failures.map((l) => l.level), ['warn', 'debug']);
    for (const l of t.lines) assert.ok(!l.text.includes(KEYS.apiKey) && !l.text.includes(KEYS.appKey), l.text);
    assert.equal(t.changes(), 1);
  });

  test('credentials cleared, or sent to another base URL now: the org is forgotten (and the server told)', async () => {
    const t = setup();
    await t.learner.refresh();
    t.s.sites = [];
    await t.learner.refresh('datadoghq.com');
    assert.deepEqual(t.learner.facts(), []);
    assert.deepEqual(cacheModule.readOrgCache(t.state as never), []);
    assert.equal(t.changes(), 2);

    const u = setup();
    await u.learner.refresh();
    u.s.baseUrl = 'https://api.datadoghq.com';
    u.s.trusted = false;
    await u.learner.refresh();
    assert.deepEqual(u.learner.facts(), []);
  });

  test('a global state that refuses updates: refresh still resolves, and the next one still asks', async () => {
    const t = setup();
    t.state.update = async () => {
      throw new Error('storage full');
    };
    await t.learner.refresh();
    await t.learner.refresh();
    assert.equal(t.asked.length, 2);
    assert.ok(t.lines.some((l) => l.level === 'debug' && /storage full/.test(l.text)));
  });

  test('a cache from an earlier session is what the server gets before any request', async () => {
    const t = setup({ trusted: false });
    await t.state.update(cacheModule.ORG_FACTS_KEY, [{ site: 'datadoghq.com', baseUrl: emu.apiUrl, orgUuid: emu.orgUuid, source: 'keys', when: 5 }, { bogus: true }]);
    assert.deepEqual(cacheModule.orgFactsOf(cacheModule.readOrgCache(t.state as never)), [{ site: 'datadoghq.com', orgUuid: emu.orgUuid, source: 'keys' }]);
  });
});
