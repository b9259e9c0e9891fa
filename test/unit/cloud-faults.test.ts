// testLogin against the emulator (a real STS replay of the proof) and its
// faults: timeouts, resets, rate limits, server errors, garbage, redirects.
// Plus the canary test: no string a login produces carries a secret.
import { test, before, after, beforeEach } from 'node:test';
import * as assert from 'node:assert/strict';
import * as http from 'node:http';
import { inspect } from 'node:util';
import type { AddressInfo } from 'node:net';
import { startEmulator, TEST_IDENTITIES, type Emulator, type TestIdentity } from '../../emulator/src/index';
import { testLogin, type LoginOptions, type LoginOutcome } from '../../server/src/cloud/login';
import { describeLoginOutcome } from '../../server/src/cloud/outcome';
import { buildProof } from '../../server/src/cloud/proof';
import type { LoginFlow } from '../../server/src/cloud/types';
import { assertSettlesAtBudget, fakeClock, until, watch } from '../helpers/clock';

let emu: Emulator;
let apiHost: string;
/** A second loopback server: the target of redirects. It must never hear from us. */
let target: { url: string; host: string; hits: number; close: () => Promise<void> };

before(async () => {
  emu = await startEmulator();
  apiHost = new URL(emu.apiUrl).host;
  const server = http.createServer((_req, res) => {
    target.hits++;
    res.writeHead(200, { 'Content-Type': 'application/json' });
    res.end('{"data":{"attributes":{"access_token":"stolen","api_key":"stolen"}}}');
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  const port = (server.address() as AddressInfo).port;
  target = {
    url: `http://127.0.0.1:${port}`,
    host: `127.0.0.1:${port}`,
    hits: 0,
    close: () =>
      new Promise<void>((r) => {
        server.closeAllConnections();
        server.close(() => r());
      }),
  };
});

after(async () => {
  await emu?.close();
  await target?.close();
});

beforeEach(() => emu.reset());

const USER_AGENT = 'datadog-wif-faults-test';

/** Secrets seen so far (tokens and keys handed out through onToken, the proofs): none may leak. */
const seenSecrets = new Set<string>();

function options(identity: TestIdentity, flow: LoginFlow, extra: Partial<LoginOptions> = {}): LoginOptions {
  return {
    flow,
    orgUuid: emu.orgUuid,
    apiUrl: emu.apiUrl,
    allowedHosts: [apiHost],
    credentials: async () => ({
      accessKeyId: identity.accessKeyId,
      secretAccessKey: identity.secretAccessKey,
      ...(identity.sessionToken ? { sessionToken: identity.sessionToken } : {}),
    }),
    identify: async () => ({ account: identity.account, arn: identity.arn, userId: identity.userId, kind: 'assumed-role', suggestedPattern: '' }),
    userAgent: USER_AGENT,
    timeoutMs: 10_000,
    onToken: (s) => {
      if (s.accessToken) seenSecrets.add(s.accessToken);
      if (s.apiKey) seenSecrets.add(s.apiKey);
    },
    ...extra,
  };
}

/** Runs a login with a pinned clock, so the very proof it sent can be rebuilt and searched for. */
async function login(identity: TestIdentity, flow: LoginFlow, extra: Partial<LoginOptions> = {}): Promise<LoginOutcome> {
  const date = new Date();
  const o = await testLogin(options(identity, flow, { now: () => date, ...extra }));
  const proof = await buildProof({
    credentials: { accessKeyId: identity.accessKeyId, secretAccessKey: identity.secretAccessKey, sessionToken: identity.sessionToken },
    orgUuid: emu.orgUuid,
    date,
    userAgent: USER_AGENT,
  });
  seenSecrets.add(proof.value);
  seenSecrets.add(proof.authorization);
  assertNoSecret(o, identity);
  return o;
}

function assertNoSecret(o: LoginOutcome, identity: TestIdentity) {
  const d = describeLoginOutcome(o);
  const strings = [JSON.stringify(o), inspect(o, { depth: 10 }), JSON.stringify(d), d.title, d.detail, d.nextStep ?? '', ...(o.ok ? [] : [o.reason, ...o.details])];
  const canaries = [identity.secretAccessKey, identity.sessionToken, ...seenSecrets].filter((s): s is string => !!s);
  for (const s of strings) {
    for (const c of canaries) assert.ok(!s.includes(c), `a secret (${c.slice(0, 8)}…) leaked into: ${s.slice(0, 300)}`);
    // Nor a large piece of any proof (its signed-headers part is unique to the call).
    for (const c of canaries) for (const part of c.split('|')) if (part.length >= 80) assert.ok(!s.includes(part), 'a part of a proof leaked');
  }
}

function failed(o: LoginOutcome) {
  assert.ok(!o.ok, `expected a failure, got ${JSON.stringify(o)}`);
  return o;
}

const requestsTo = (path: string) => emu.requests.filter((r) => r.server === 'api' && r.path === path);

test('mapped role: both flows succeed against the emulator', async () => {
  const tokens: string[] = [];
  const tf = await login(TEST_IDENTITIES.mappedRole, 'terraform', {
    onToken: (s) => {
      if (s.accessToken) {
        tokens.push(s.accessToken);
        seenSecrets.add(s.accessToken);
      }
    },
  });
  assert.ok(tf.ok, JSON.stringify(tf));
  assert.equal(tf.callerArn, TEST_IDENTITIES.mappedRole.arn);
  assert.ok(tf.expiresAt && Date.parse(tf.expiresAt) > Date.now());
  assert.equal(tokens.length, 1);
  assert.ok(tf.claims, 'claims decoded');
  assert.match(describeLoginOutcome(tf).detail, /^Login succeeded: Datadog issued a token for .+ that expires at .+ \(claims decoded from the JWT, unverified\)/);

  const keys: string[] = [];
  const agent = await login(TEST_IDENTITIES.mappedRole, 'agent', {
    onToken: (s) => {
      if (s.apiKey) {
        keys.push(s.apiKey);
        seenSecrets.add(s.apiKey);
      }
    },
  });
  assert.ok(agent.ok, JSON.stringify(agent));
  assert.equal(keys.length, 1);
  assert.equal(agent.apiKeyLast4, keys[0].slice(-4));
  assert.match(describeLoginOutcome(agent).detail, new RegExp(`managed API key ending in …${keys[0].slice(-4)}`));
  assert.deepEqual(
    emu.requests.filter((r) => r.server === 'api').map((r) => `${r.method} ${r.path} ${r.status}`),
    ['POST /api/v2/delegated-token 200', 'POST /api/v2/intake-key 200'],
  );
});

test('the Terraform flow reads every expires format the emulator writes', async () => {
  for (const expiresFormat of ['unix-string', 'iso', 'number', 'absent'] as const) {
    const e = await startEmulator({ expiresFormat });
    try {
      const before = Date.now();
      const o = await testLogin({ ...options(TEST_IDENTITIES.mappedRole, 'terraform'), apiUrl: e.apiUrl, allowedHosts: [new URL(e.apiUrl).host] });
      assert.ok(o.ok, `${expiresFormat}: ${JSON.stringify(o)}`);
      const t = Date.parse(o.expiresAt!);
      assert.ok(t > before + 10 * 60_000 && t < before + 16 * 60_000, `${expiresFormat}: ${o.expiresAt}`);
    } finally {
      await e.close();
    }
  }
});

test('unmapped role: forbidden, naming the caller ARN and the pattern to map it', async () => {
  for (const flow of ['terraform', 'agent'] as const) {
    const o = failed(await login(TEST_IDENTITIES.unmappedRole, flow));
    assert.equal(o.kind, 'forbidden');
    assert.equal(o.status, 403);
    assert.equal(o.callerArn, TEST_IDENTITIES.unmappedRole.arn);
    assert.ok(o.details.some((d) => d.includes(TEST_IDENTITIES.unmappedRole.arn)), 'the server\'s detail is kept');
    const d = describeLoginOutcome(o);
    assert.ok(d.detail.includes(TEST_IDENTITIES.unmappedRole.arn));
    assert.equal(d.pattern, 'arn:aws:sts::123456789012:assumed-role/unmapped-role/*');
    assert.ok(d.actions.includes('createMapping'));
  }
  // Without identify, the ARN still comes from the server's detail.
  const o = failed(await login(TEST_IDENTITIES.unmappedRole, 'agent', { identify: undefined }));
  assert.equal(o.callerArn, TEST_IDENTITIES.unmappedRole.arn);
});

test('a wrong org UUID: the proof is rejected (401) with the server\'s words', async () => {
  const o = failed(await login(TEST_IDENTITIES.mappedRole, 'terraform', { orgUuid: '99999999-8888-7777-6666-555555555555' }));
  assert.equal(o.kind, 'unauthorized');
  assert.ok(o.details.length > 0);
  assert.match(describeLoginOutcome(o).detail, /^Datadog rejected the proof \(401\)\. Datadog said: ".*does not match this organization"/);
  assert.match(describeLoginOutcome(o).nextStep ?? '', /^check the org UUID/);
});

test('fault timeout: a held request is given up at the budget (not before, not later), no retry', { timeout: 120_000 }, async (t) => {
  emu.fault('/api/v2/delegated-token', { kind: 'timeout' }, Infinity);
  const clock = fakeClock(t);
  const running = watch(login(TEST_IDENTITIES.mappedRole, 'terraform', { timeoutMs: 700 }));
  await until(() => requestsTo('/api/v2/delegated-token').length === 1, t.signal);
  await assertSettlesAtBudget(clock, running, 700);
  const o = failed(await running.promise);
  assert.equal(o.kind, 'timeout');
  assert.match(o.reason, /within the login test's 0\.7 seconds\./);
  assert.equal(requestsTo('/api/v2/delegated-token').length, 1);
  assert.ok(describeLoginOutcome(o).actions.includes('retry'));
});

test('fault reset: retried once then success; always reset → failure after bounded attempts', async () => {
  emu.fault('/api/v2/intake-key', { kind: 'reset' }, 1);
  const ok = await login(TEST_IDENTITIES.mappedRole, 'agent');
  assert.ok(ok.ok, JSON.stringify(ok));
  assert.equal(requestsTo('/api/v2/intake-key').length, 2);

  emu.reset();
  emu.fault('/api/v2/intake-key', { kind: 'reset' }, Infinity);
  const o = failed(await login(TEST_IDENTITIES.mappedRole, 'agent'));
  assert.equal(o.kind, 'network');
  assert.match(o.reason, /the connection was reset by 127\.0\.0\.1:\d+/);
  assert.equal(requestsTo('/api/v2/intake-key').length, 3, 'bounded attempts');
});

test('fault 429 Retry-After: 1 → a wait of that second, then success', async () => {
  emu.fault('/api/v2/delegated-token', { kind: 'status', status: 429, headers: { 'Retry-After': '1' } }, 1);
  const waits: number[] = [];
  const o = await login(TEST_IDENTITIES.mappedRole, 'terraform', { sleep: async (ms) => void waits.push(ms) });
  assert.ok(o.ok, JSON.stringify(o));
  // The wait asked for is the second the server asked for (the backoff of a first retry is shorter).
  assert.deepEqual(waits, [1000]);
  assert.deepEqual(requestsTo('/api/v2/delegated-token').map((r) => r.status), [429, 200]);
});

test('fault 429 Retry-After: 3600 → not waited for; rate-limited with retryAfterSeconds', async () => {
  emu.fault('/api/v2/delegated-token', { kind: 'status', status: 429, headers: { 'Retry-After': '3600' } }, Infinity);
  const waits: number[] = [];
  const o = failed(await login(TEST_IDENTITIES.mappedRole, 'terraform', { sleep: async (ms) => void waits.push(ms) }));
  assert.deepEqual(waits, [], 'no wait at all');
  assert.equal(o.kind, 'rate-limited');
  assert.equal(o.retryAfterSeconds, 3600);
  assert.equal(requestsTo('/api/v2/delegated-token').length, 1);
  assert.equal(describeLoginOutcome(o).nextStep, 'try again in 1 hour');
});

test('fault 503: retried, bounded; once → success', async () => {
  emu.fault('/api/v2/intake-key', { kind: 'status', status: 503 }, Infinity);
  const o = failed(await login(TEST_IDENTITIES.mappedRole, 'agent'));
  assert.equal(o.kind, 'server');
  assert.equal(o.status, 503);
  assert.equal(requestsTo('/api/v2/intake-key').length, 3);
  assert.match(describeLoginOutcome(o).detail, /Datadog had a problem \(503\)/);

  emu.reset();
  emu.fault('/api/v2/intake-key', { kind: 'status', status: 503 }, 1);
  assert.ok((await login(TEST_IDENTITIES.mappedRole, 'agent')).ok);
  assert.equal(requestsTo('/api/v2/intake-key').length, 2);
});

test('fault 500 with a JSON error: its detail is shown, not retried', async () => {
  const body = JSON.stringify({ errors: [{ status: '500', title: 'Internal Server Error', detail: 'the token service is unavailable' }] });
  emu.fault('/api/v2/delegated-token', { kind: 'status', status: 500, body }, Infinity);
  const o = failed(await login(TEST_IDENTITIES.mappedRole, 'terraform'));
  assert.equal(o.kind, 'server');
  assert.equal(o.status, 500);
  assert.ok(o.details.some((d) => d.includes('the token service is unavailable')));
  assert.match(describeLoginOutcome(o).detail, /the token service is unavailable/);
  assert.equal(requestsTo('/api/v2/delegated-token').length, 1);
});

test('fault malformed: kind malformed, the body never echoed', async () => {
  emu.fault('/api/v2/intake-key', { kind: 'malformed' }, Infinity);
  const o = failed(await login(TEST_IDENTITIES.mappedRole, 'agent'));
  assert.equal(o.kind, 'malformed');
  assert.match(describeLoginOutcome(o).detail, /the response was not the JSON Datadog sends \(/i);
  assert.deepEqual(o.details, []);
});

test('fault redirect to another host: refused, and that host never hears from us', async () => {
  for (const status of [302, 307, 308]) {
    emu.fault('/api/v2/delegated-token', { kind: 'redirect', location: `${target.url}/api/v2/delegated-token`, status }, 1);
    // Even with the other host allowed, a redirect is not followed.
    const o = failed(await login(TEST_IDENTITIES.mappedRole, 'terraform', { allowedHosts: [apiHost, target.host] }));
    assert.equal(o.kind, 'redirect');
    assert.equal(o.status, status);
    assert.match(describeLoginOutcome(o).detail, /the server answered with a redirect to another location.*; a proof is never forwarded/i);
  }
  assert.equal(target.hits, 0);
  assert.equal(requestsTo('/api/v2/delegated-token').length, 3, 'one request each, no retry');
});

test('a login to a host not allowed never reaches it', async () => {
  const o = failed(await login(TEST_IDENTITIES.mappedRole, 'agent', { allowedHosts: [] }));
  assert.equal(o.kind, 'host-refused');
  assert.equal(emu.requests.length, 0);
});

test('canary: no outcome or description carries a secret, across every case', async () => {
  // Every login above already ran assertNoSecret against all secrets seen so far;
  // here the whole set again, on a fresh run of each kind, with every secret collected.
  const runs: [TestIdentity, LoginFlow, (() => void) | undefined, Partial<LoginOptions>][] = [
    [TEST_IDENTITIES.mappedRole, 'terraform', undefined, {}],
    [TEST_IDENTITIES.mappedRole, 'agent', undefined, {}],
    [TEST_IDENTITIES.unmappedRole, 'terraform', undefined, {}],
    [TEST_IDENTITIES.iamUser, 'agent', undefined, {}],
    [TEST_IDENTITIES.mappedRole, 'terraform', () => emu.fault('/api/v2/', { kind: 'status', status: 500 }, Infinity), {}],
    [TEST_IDENTITIES.mappedRole, 'terraform', () => emu.fault('/api/v2/', { kind: 'status', status: 429, headers: { 'Retry-After': '999' } }, Infinity), {}],
    [TEST_IDENTITIES.mappedRole, 'agent', () => emu.fault('/api/v2/', { kind: 'malformed' }, Infinity), {}],
    [TEST_IDENTITIES.mappedRole, 'agent', () => emu.fault('/api/v2/', { kind: 'redirect', location: target.url }, Infinity), {}],
    [TEST_IDENTITIES.mappedRole, 'agent', () => emu.fault('/api/v2/', { kind: 'reset' }, Infinity), {}],
    [TEST_IDENTITIES.mappedRole, 'agent', () => emu.fault('/api/v2/', { kind: 'timeout' }, Infinity), { timeoutMs: 300 }],
    [TEST_IDENTITIES.mappedRole, 'terraform', undefined, { orgUuid: '99999999-8888-7777-6666-555555555555' }],
  ];
  const outcomes: LoginOutcome[] = [];
  const identities: TestIdentity[] = [];
  for (const [identity, flow, arrange, extra] of runs) {
    emu.reset();
    arrange?.();
    outcomes.push(await login(identity, flow, extra));
    identities.push(identity);
  }
  assert.ok(outcomes.some((o) => o.ok) && outcomes.some((o) => !o.ok));
  assert.ok(seenSecrets.size >= outcomes.length, 'the proofs and secrets were collected');
  for (let i = 0; i < outcomes.length; i++) for (const id of Object.values(TEST_IDENTITIES)) assertNoSecret(outcomes[i], id);
  assert.equal(target.hits, 0);
});
