// Fault injection, seen from a plain client: every kind, the counting of
// `times`, prefix matching, the STS target, and the HTTP control endpoints
// that out-of-process users drive. close() must never hang on a held socket.
import { test } from 'node:test';
import * as assert from 'node:assert/strict';
import { request } from 'node:http';
import { buildProof } from '../../server/src/cloud/proof';
import { EMULATOR_API_KEYS, startEmulator, TEST_IDENTITIES, type Emulator } from '../../emulator/src/index';
import { orTestEnd, turns, until } from '../helpers/clock';

const RW = { 'dd-api-key': EMULATOR_API_KEYS.readWrite.apiKey, 'dd-application-key': EMULATOR_API_KEYS.readWrite.appKey };
const LIST = '/api/v2/cloud_auth/aws/persona_mapping';

async function withEmulator(body: (emu: Emulator) => Promise<void>): Promise<void> {
  const emu = await startEmulator();
  try {
    await body(emu);
  } finally {
    await emu.close();
  }
}

const get = (emu: Emulator, path: string, init: RequestInit = {}) => fetch(`${emu.apiUrl}${path}`, { headers: RW, redirect: 'manual', ...init });

test('status: 429 with Retry-After and a JSON:API body, then normal service', async () => {
  await withEmulator(async (emu) => {
    emu.fault('/api/v2/', { kind: 'status', status: 429, headers: { 'Retry-After': '7' } });
    const limited = await get(emu, LIST);
    assert.equal(limited.status, 429);
    assert.equal(limited.headers.get('retry-after'), '7');
    assert.match(String(limited.headers.get('content-type')), /application\/json/);
    const body = (await limited.json()) as any;
    assert.equal(body.errors[0].status, '429');
    assert.equal(body.errors[0].title, 'Too Many Requests');
    assert.equal((await get(emu, LIST)).status, 200);
  });
});

test('status: a custom body and content type are sent as given', async () => {
  await withEmulator(async (emu) => {
    emu.fault(LIST, { kind: 'status', status: 503, headers: { 'content-type': 'text/html' }, body: '<h1>down</h1>' });
    const res = await get(emu, LIST);
    assert.equal(res.status, 503);
    assert.equal(res.headers.get('content-type'), 'text/html');
    assert.equal(await res.text(), '<h1>down</h1>');
  });
});

test('times: counted per request, only under the prefix; Infinity until clearFaults', async () => {
  await withEmulator(async (emu) => {
    emu.fault('/api/v2/intake-key', { kind: 'status', status: 500 }, 2);
    assert.equal((await get(emu, LIST)).status, 200, 'another path is untouched and uses no count');
    const intake = () => fetch(`${emu.apiUrl}/api/v2/intake-key`, { method: 'POST' });
    assert.deepEqual([(await intake()).status, (await intake()).status, (await intake()).status], [500, 500, 401]);

    emu.fault('/', { kind: 'status', status: 503 }, Infinity);
    for (let i = 0; i < 5; i++) assert.equal((await get(emu, LIST)).status, 503);
    emu.clearFaults();
    assert.equal((await get(emu, LIST)).status, 200);
    assert.throws(() => emu.fault('/', { kind: 'status', status: 503 }, 0));
  });
});

test('malformed: 200 whose body is not JSON', async () => {
  await withEmulator(async (emu) => {
    emu.fault(LIST, { kind: 'malformed' });
    const res = await get(emu, LIST);
    assert.equal(res.status, 200);
    const text = await res.text();
    assert.throws(() => JSON.parse(text));
  });
});

test('redirect: 302 by default or the given 3xx, with Location, never followed by the emulator', async () => {
  await withEmulator(async (emu) => {
    emu.fault('/api/v2/delegated-token', { kind: 'redirect', location: 'https://evil.example.com/steal' });
    emu.fault('/api/v2/delegated-token', { kind: 'redirect', location: 'https://evil.example.com/again', status: 307 });
    const first = await fetch(`${emu.apiUrl}/api/v2/delegated-token`, { method: 'POST', redirect: 'manual' });
    assert.equal(first.status, 302);
    assert.equal(first.headers.get('location'), 'https://evil.example.com/steal');
    const second = await fetch(`${emu.apiUrl}/api/v2/delegated-token`, { method: 'POST', redirect: 'manual' });
    assert.equal(second.status, 307);
    assert.equal(second.headers.get('location'), 'https://evil.example.com/again');
  });
});

test('reset: the socket is destroyed without a response', async () => {
  await withEmulator(async (emu) => {
    emu.fault(LIST, { kind: 'reset' }, 2);
    const u = new URL(emu.apiUrl);
    const err = await new Promise<NodeJS.ErrnoException>((resolve, reject) => {
      const req = request({ host: u.hostname, port: u.port, path: LIST, headers: RW }, () => reject(new Error('got a response')));
      req.on('error', resolve);
      req.end();
    });
    assert.ok(['ECONNRESET', 'EPIPE'].includes(String(err.code)) || /socket hang up/.test(err.message), `${err.code} ${err.message}`);
    // fetch sees it as a network failure, not as an HTTP status.
    await assert.rejects(get(emu, LIST), (e: Error) => e instanceof TypeError && /fetch failed/.test(e.message));
    assert.deepEqual(emu.requests, [
      { server: 'api', method: 'GET', path: LIST, status: 0 },
      { server: 'api', method: 'GET', path: LIST, status: 0 },
    ]);
  });
});

test('timeout: the request is held until the client gives up; close() ends a held socket rather than waiting for it', { timeout: 120_000 }, async (t) => {
  const emu = await startEmulator();
  const u = new URL(emu.apiUrl);
  let held: ReturnType<typeof request> | undefined;
  try {
    emu.fault(LIST, { kind: 'timeout' }, 2);
    // Held, never answered: the client gives up (here, once the emulator has the request).
    const giveUp = new AbortController();
    const first = get(emu, LIST, { signal: giveUp.signal });
    await until(() => emu.requests.length === 1, t.signal);
    giveUp.abort();
    await assert.rejects(first, (e: Error) => e.name === 'AbortError');
    // A client that never gives up (node:http has no timeout of its own): only the emulator can end it.
    let outcome: string | undefined;
    const pending = new Promise<string>((resolve) => {
      held = request({ host: u.hostname, port: u.port, path: LIST, headers: RW }, (res) => {
        res.resume();
        res.on('end', () => resolve('answered'));
      });
      held.on('error', () => resolve('failed'));
      held.end();
    }).then((v) => (outcome = v));
    await until(() => emu.requests.length === 2, t.signal);
    await turns();
    assert.equal(outcome, undefined, 'still held when close() is called');
    // Were close() to wait for the held socket, it would never resolve (the test's timeout fails it).
    await orTestEnd(emu.close(), t.signal);
    assert.equal(await pending, 'failed', 'the held socket was ended by close()');
    assert.deepEqual(emu.requests.map((r) => r.status), [0, 0]);
  } finally {
    held?.destroy();
    await emu.close();
  }
});

test('sts: prefix aims at the STS server: the exchange cannot verify and answers 502', async () => {
  await withEmulator(async (emu) => {
    emu.fault('sts:/', { kind: 'status', status: 503, body: 'Service Unavailable' });
    const proof = await buildProof({ credentials: TEST_IDENTITIES.mappedRole, orgUuid: emu.orgUuid });
    const res = await fetch(`${emu.apiUrl}/api/v2/delegated-token`, { method: 'POST', headers: { authorization: `Delegated ${proof.value}` } });
    assert.equal(res.status, 502);
    assert.match(((await res.json()) as any).errors[0].detail, /could not verify the proof with AWS STS/);
    assert.equal((await get(emu, LIST)).status, 200, 'the API itself is not faulted');
    assert.deepEqual(emu.requests.map((r) => `${r.server} ${r.status}`), ['sts 503', 'api 502', 'api 200']);
  });
});

test('control over HTTP: add (times, null = unlimited), state, clear, reset; never faulted nor recorded', async () => {
  await withEmulator(async (emu) => {
    const control = (method: string, path: string, body?: unknown) =>
      fetch(`${emu.apiUrl}/__emulator/${path}`, { method, ...(body !== undefined ? { body: JSON.stringify(body), headers: { 'content-type': 'application/json' } } : {}) });

    const added = await control('POST', 'faults', { path: '/api/v2/', fault: { kind: 'status', status: 503 }, times: 2 });
    assert.equal(added.status, 201);
    assert.deepEqual(((await added.json()) as any).faults, [{ path: '/api/v2/', fault: { kind: 'status', status: 503 }, times: 2 }]);
    assert.equal((await get(emu, LIST)).status, 503);
    const state = (await (await control('GET', 'state')).json()) as any;
    assert.equal(state.orgUuid, emu.orgUuid);
    assert.equal(state.identityMappings.length, 1);
    assert.equal(state.intakeMappings.length, 1);
    assert.deepEqual(state.requests, [{ server: 'api', method: 'GET', path: LIST, status: 503 }]);
    assert.deepEqual(state.faults, [{ path: '/api/v2/', fault: { kind: 'status', status: 503 }, times: 1 }]);

    assert.equal((await control('DELETE', 'faults')).status, 204);
    assert.equal((await get(emu, LIST)).status, 200);

    await control('POST', 'faults', { path: '/', fault: { kind: 'reset' }, times: null });
    assert.equal((await control('GET', 'state')).status, 200, 'a "/" fault leaves the control endpoints alone');
    assert.equal(emu.requests.filter((r) => r.path.startsWith('/__emulator')).length, 0);
    await control('DELETE', 'faults');

    for (const bad of [{ path: '/', fault: { kind: 'explode' } }, { fault: { kind: 'reset' } }, { path: '/', fault: { kind: 'status', status: 99 } }, { path: '/', fault: { kind: 'redirect' } }, { path: '/', fault: { kind: 'reset' }, times: 0 }]) {
      const res = await control('POST', 'faults', bad);
      assert.equal(res.status, 400, JSON.stringify(bad));
      assert.equal(typeof ((await res.json()) as any).errors[0], 'string');
    }

    await fetch(`${emu.apiUrl}${LIST}/${emu.identityMappings[0].id}`, { method: 'DELETE', headers: RW });
    assert.equal(emu.identityMappings.length, 0);
    assert.equal((await control('POST', 'reset')).status, 204);
    assert.equal(emu.identityMappings.length, 1);
    assert.deepEqual(emu.requests, []);
    assert.equal((await control('GET', 'nothing')).status, 404);
  });
});
