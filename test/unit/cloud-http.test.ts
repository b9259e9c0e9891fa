// The HTTP layer: node:http(s) with the host policy in front, no redirects,
// one timeout, cancellation, errors in words, a size cap, and bounded retries
// through @smithy/core's StandardRetryStrategy.
import { test } from 'node:test';
import * as assert from 'node:assert/strict';
import { send, sendWithRetry, parseRetryAfter, networkError, NetworkError, type HttpRequest } from '../../server/src/cloud/http';
import { CloudError } from '../../server/src/cloud/types';
import { errorDetails, parseApiErrors } from '../../server/src/cloud/apiErrors';
import { decodeJwtClaims } from '../../server/src/cloud/jwt';
import { json, startServer } from '../helpers/loopback';
import { assertSettlesAtBudget, fakeClock, orTestEnd, watch } from '../helpers/clock';


function req(base: string, allowed: string, extra: Partial<HttpRequest> = {}): HttpRequest {
  return { url: `${base}/api/v2/thing`, method: 'GET', headers: {}, timeoutMs: 5000, allowedHosts: [allowed], ...extra };
}

async function rejectsWith(p: Promise<unknown>, code: string, re?: RegExp): Promise<CloudError> {
  try {
    await p;
  } catch (err) {
    assert.ok(err instanceof CloudError, `a CloudError, got ${String(err)}`);
    assert.equal(err.code, code, err.message);
    if (re) assert.match(err.message, re);
    return err;
  }
  assert.fail(`expected a ${code} CloudError`);
}

function recorder() {
  const waits: number[] = [];
  return { waits, sleep: async (ms: number) => void waits.push(ms) };
}

test('send: a POST with an empty body, headers lower-cased on the way back', async () => {
  const s = await startServer((_q, res) => json(res, 200, { ok: 1 }, { 'X-Thing': 'A', 'Set-Cookie': 'a=1' }));
  try {
    const r = await send(req(s.url, s.host, { method: 'POST', headers: { 'Content-Type': 'application/json', Authorization: 'Delegated abc' }, body: '' }));
    assert.equal(r.status, 200);
    assert.equal(r.bodyText, '{"ok":1}');
    assert.equal(r.headers['x-thing'], 'A');
    assert.equal(r.headers['content-type'], 'application/json');
    assert.equal(s.seen.length, 1);
    assert.equal(s.seen[0].method, 'POST');
    assert.equal(s.seen[0].url, '/api/v2/thing');
    assert.equal(s.seen[0].headers['content-length'], '0');
    assert.equal(s.seen[0].headers['authorization'], 'Delegated abc');
    assert.equal(s.seen[0].body, '');
  } finally {
    await s.close();
  }
});

test('send: a host the policy refuses is never connected to', async () => {
  const s = await startServer((_q, res) => json(res, 200, {}));
  try {
    const e = await rejectsWith(send(req(s.url, 'example.com')), 'host-refused', /127\.0\.0\.1/);
    assert.match(e.nextStep ?? '', /allowedApiHosts/);
    await rejectsWith(send({ ...req(s.url, s.host), url: `https://127.0.0.1:${s.port}@evil.example/x` }), 'host-refused');
    await rejectsWith(send({ ...req(s.url, s.host), url: 'https://api.datadoghq.com.evil.com/x' }), 'host-refused');
    await rejectsWith(sendWithRetry(req(s.url, 'nothing'), { retry: 'safe' }), 'host-refused');
    assert.equal(s.seen.length, 0);
  } finally {
    await s.close();
  }
});

test('send: a redirect is returned as is and never followed', async () => {
  const target = await startServer((_q, res) => json(res, 200, { stolen: true }));
  const s = await startServer((_q, res) => {
    res.writeHead(307, { Location: `${target.url}/api/v2/thing` });
    res.end();
  });
  try {
    const r = await send(req(s.url, s.host, { method: 'POST', body: '' }));
    assert.equal(r.status, 307);
    assert.equal(r.headers['location'], `${target.url}/api/v2/thing`);
    const rr = await sendWithRetry(req(s.url, s.host, { method: 'POST', body: '' }), { retry: 'safe' });
    assert.equal(rr.status, 307);
    assert.equal(rr.attempts, 1);
    assert.equal(target.seen.length, 0, 'the redirect target got nothing');
  } finally {
    await s.close();
    await target.close();
  }
});

test('send: the timeout covers the response, fires at the budget (not before), drops the connection, and says the budget in seconds', { timeout: 120_000 }, async (t) => {
  const s = await startServer(() => {
    /* never answers */
  });
  try {
    const clock = fakeClock(t);
    const sent = watch(send(req(s.url, s.host, { timeoutMs: 300 })));
    await s.until(() => s.seen.length === 1, t.signal);
    await assertSettlesAtBudget(clock, sent, 300);
    await rejectsWith(sent.promise, 'timeout', /within 0\.3 seconds/);
    // The client gave up and closed the connection: the server did not end it.
    await s.until(() => s.dropped.length === 1, t.signal);
    assert.deepEqual(s.dropped, [1]);
    const second = watch(send(req(s.url, s.host, { timeoutMs: 1000 })));
    await s.until(() => s.seen.length === 2, t.signal);
    clock.tick(1000);
    await rejectsWith(second.promise, 'timeout', /no answer from 127\.0\.0\.1:\d+ within 1 second\b/);
  } finally {
    await s.close();
  }
});

test('send: a body that stalls half-way still times out', async () => {
  const s = await startServer((_q, res) => {
    res.writeHead(200, { 'Content-Type': 'application/json' });
    res.write('{"data":');
  });
  try {
    await rejectsWith(send(req(s.url, s.host, { timeoutMs: 300 })), 'timeout');
  } finally {
    await s.close();
  }
});

test('send: cancellation, before and during the request (which drops the connection)', { timeout: 120_000 }, async (t) => {
  const s = await startServer(() => {
    /* never answers */
  });
  try {
    const before = new AbortController();
    before.abort();
    await rejectsWith(send(req(s.url, s.host, { signal: before.signal })), 'cancelled');
    assert.equal(s.seen.length, 0);
    // Cancelled once the server holds the request, well inside the 5 s timeout: a
    // cancellation that did not work would end as a timeout instead.
    const during = new AbortController();
    const p = send(req(s.url, s.host, { signal: during.signal }));
    await s.until(() => s.seen.length === 1, t.signal);
    during.abort();
    await rejectsWith(p, 'cancelled', /cancelled/);
    await s.until(() => s.dropped.length === 1, t.signal);
    assert.deepEqual(s.dropped, [1]);
  } finally {
    await s.close();
  }
});

test('send: a reset connection and a refused one, in words', async () => {
  const s = await startServer((q) => q.socket.destroy());
  try {
    const e = await rejectsWith(send(req(s.url, s.host)), 'network', new RegExp(`the connection was reset by 127\\.0\\.0\\.1:${s.port}`));
    assert.ok(e instanceof NetworkError);
    assert.equal((e as NetworkError).errno, 'ECONNRESET');
  } finally {
    await s.close();
  }
  // The port is closed now.
  await rejectsWith(send(req(s.url, s.host)), 'network', new RegExp(`refused by 127\\.0\\.0\\.1:${s.port}`));
});

test('send: a reset in the middle of the body is a reset', async () => {
  const s = await startServer((q, res) => {
    res.writeHead(200, { 'Content-Length': '1000' });
    res.write('{"partial":');
    setTimeout(() => q.socket.destroy(), 20);
  });
  try {
    await rejectsWith(send(req(s.url, s.host)), 'network', /reset/);
  } finally {
    await s.close();
  }
});

test('send: TLS to a plain-HTTP port fails with TLS words', async () => {
  const s = await startServer((_q, res) => json(res, 200, {}));
  try {
    const e = await rejectsWith(send(req(`https://127.0.0.1:${s.port}`, s.host)), 'network');
    assert.match(e.message, /TLS|failed/);
  } finally {
    await s.close();
  }
});

test('network errors in words: DNS, TLS, unknown', () => {
  const u = new URL('https://api.datadoghq.eu/api/v2/intake-key');
  const mk = (code: string) => networkError(Object.assign(new Error('x'), { code }), u);
  assert.equal(mk('ENOTFOUND').message, 'could not resolve api.datadoghq.eu: check your network or proxy');
  assert.equal(mk('EAI_AGAIN').message, 'could not resolve api.datadoghq.eu: check your network or proxy');
  assert.equal(mk('ECONNRESET').message, 'the connection was reset by api.datadoghq.eu');
  assert.match(mk('SELF_SIGNED_CERT_IN_CHAIN').message, /TLS connection to api\.datadoghq\.eu failed/);
  assert.match(mk('SELF_SIGNED_CERT_IN_CHAIN').nextStep ?? '', /NODE_EXTRA_CA_CERTS/);
  assert.match(mk('ERR_TLS_CERT_ALTNAME_INVALID').message, /TLS/);
  assert.match(mk('EHOSTUNREACH').message, /could not reach/);
  assert.match(networkError(new Error('weird'), u).message, /failed \(UNKNOWN\)/);
  for (const c of ['ENOTFOUND', 'ECONNRESET', 'X']) {
    const e = mk(c);
    assert.equal(e.code, 'network');
    assert.ok(!e.message.includes('/api/v2'), 'no path in the message');
  }
});

test('send: DNS failure on an allowed host', async () => {
  await rejectsWith(
    send({ url: 'https://no-such-host.invalid/api', method: 'GET', headers: {}, timeoutMs: 10_000, allowedHosts: ['no-such-host.invalid'] }),
    'network',
    /could not resolve no-such-host\.invalid|could not reach|failed/,
  );
});

test('send: the response size is capped', async () => {
  const big = 'x'.repeat(300_000);
  const s = await startServer((_q, res) => {
    res.writeHead(200, { 'Content-Type': 'text/plain' });
    for (let i = 0; i < 10; i++) res.write(big);
    res.end();
  });
  try {
    const r = await send(req(s.url, s.host, { maxResponseBytes: 1000 }));
    assert.equal(r.truncated, true);
    assert.equal(r.bodyText.length, 1000);
    const r2 = await send(req(s.url, s.host)); // default 1 MB
    assert.equal(r2.truncated, true);
    assert.equal(r2.bodyText.length, 1024 * 1024);
  } finally {
    await s.close();
  }
});

test('parseRetryAfter: seconds, HTTP date, X-RateLimit-Reset', () => {
  const now = new Date('2026-08-05T12:00:00Z');
  assert.equal(parseRetryAfter({ 'retry-after': '7' }, now), 7000);
  assert.equal(parseRetryAfter({ 'Retry-After': ' 0 ' }, now), 0);
  assert.equal(parseRetryAfter({ 'retry-after': 'Wed, 05 Aug 2026 12:00:30 GMT' }, now), 30_000);
  assert.equal(parseRetryAfter({ 'retry-after': 'Wed, 05 Aug 2026 11:00:00 GMT' }, now), 0, 'a past date: now');
  assert.equal(parseRetryAfter({ 'x-ratelimit-reset': '12' }, now), 12_000);
  assert.equal(parseRetryAfter({ 'x-ratelimit-reset': String(now.getTime() / 1000 + 5) }, now), 5000, 'a unix time');
  assert.equal(parseRetryAfter({ 'retry-after': '3', 'x-ratelimit-reset': '60' }, now), 3000, 'Retry-After wins');
  assert.equal(parseRetryAfter({ 'retry-after': 'soon', 'x-ratelimit-reset': '60' }, now), 60_000);
  assert.equal(parseRetryAfter({ 'retry-after': '-1' }, now), undefined);
  assert.equal(parseRetryAfter({ 'retry-after': 'soon' }, now), undefined);
  assert.equal(parseRetryAfter({}, now), undefined);
});

test('retry safe: 503, 502, 504 are retried, bounded by maxAttempts', async () => {
  const statuses = [503, 502, 200];
  const s = await startServer((_q, res, n) => json(res, statuses[n - 1] ?? 200, { n }));
  try {
    const rec = recorder();
    const r = await sendWithRetry(req(s.url, s.host), { retry: 'safe', sleep: rec.sleep });
    assert.equal(r.status, 200);
    assert.equal(r.attempts, 3);
    assert.equal(s.seen.length, 3);
    assert.ok(rec.waits.length <= 2, 'at most one wait a retry (a zero backoff is not slept)');
    for (const w of rec.waits) assert.ok(w > 0 && w <= 10_000);
  } finally {
    await s.close();
  }
  const always = await startServer((_q, res) => json(res, 504, { errors: ['gateway'] }));
  try {
    const r = await sendWithRetry(req(always.url, always.host), { retry: 'safe', sleep: async () => {} });
    assert.equal(r.status, 504);
    assert.equal(r.attempts, 3);
    assert.equal(always.seen.length, 3);
    const r5 = await sendWithRetry(req(always.url, always.host), { retry: 'safe', maxAttempts: 5, sleep: async () => {} });
    assert.equal(r5.attempts, 5);
    assert.equal(always.seen.length, 8);
  } finally {
    await always.close();
  }
});

test('retry: 500, 4xx other than 429 and 3xx are never retried', async () => {
  for (const status of [500, 400, 401, 403, 404, 409, 301, 302, 307]) {
    const s = await startServer((_q, res) => {
      res.writeHead(status, status >= 300 && status < 400 ? { Location: 'https://elsewhere.example/' } : {});
      res.end('{}');
    });
    try {
      const r = await sendWithRetry(req(s.url, s.host), { retry: 'safe', sleep: async () => assert.fail('no wait') });
      assert.equal(r.status, status);
      assert.equal(r.attempts, 1, String(status));
      assert.equal(s.seen.length, 1);
    } finally {
      await s.close();
    }
  }
});

test('retry: 429 honours Retry-After (seconds, capped) and X-RateLimit-Reset', async () => {
  let first = true;
  const s = await startServer((_q, res) => {
    if (first) {
      first = false;
      return json(res, 429, { errors: ['slow down'] }, { 'Retry-After': '2' });
    }
    json(res, 200, {});
  });
  try {
    const rec = recorder();
    const r = await sendWithRetry(req(s.url, s.host), { retry: 'throttle-only', sleep: rec.sleep });
    assert.equal(r.status, 200);
    assert.equal(r.attempts, 2);
    assert.equal(rec.waits.length, 1);
    assert.ok(rec.waits[0] >= 2000 && rec.waits[0] <= 10_000, `waited ${rec.waits[0]}`);
  } finally {
    await s.close();
  }
  let n = 0;
  const reset = await startServer((_q, res) => (++n === 1 ? json(res, 429, {}, { 'X-RateLimit-Reset': '4' }) : json(res, 200, {})));
  try {
    const rec = recorder();
    const r = await sendWithRetry(req(reset.url, reset.host), { retry: 'safe', sleep: rec.sleep });
    assert.equal(r.status, 200);
    assert.ok(rec.waits[0] >= 4000, `waited ${rec.waits[0]}`);
  } finally {
    await reset.close();
  }
});

test('retry: a Retry-After longer than maxWaitMs is not waited for, and reported', async () => {
  const s = await startServer((_q, res) => json(res, 429, { errors: ['slow down'] }, { 'Retry-After': '3600' }));
  try {
    const r = await sendWithRetry(req(s.url, s.host), { retry: 'safe', sleep: async () => assert.fail('must not wait') });
    assert.equal(r.status, 429);
    assert.equal(r.attempts, 1);
    assert.equal(r.retryAfterMs, 3_600_000);
    assert.equal(s.seen.length, 1);
    const r2 = await sendWithRetry(req(s.url, s.host), { retry: 'safe', maxWaitMs: 5000, sleep: async () => assert.fail('must not wait') });
    assert.equal(r2.attempts, 1);
  } finally {
    await s.close();
  }
});

test('retry: 429 without a hint backs off (the strategy\'s throttling backoff), within maxWaitMs', async () => {
  const s = await startServer((_q, res) => json(res, 429, {}));
  try {
    const rec = recorder();
    const r = await sendWithRetry(req(s.url, s.host), { retry: 'safe', sleep: rec.sleep, maxWaitMs: 1500 });
    assert.equal(r.status, 429);
    assert.equal(r.attempts, 3);
    assert.equal(r.retryAfterMs, undefined);
    assert.ok(rec.waits.length <= 2 && rec.waits.length >= 1);
    for (const w of rec.waits) assert.ok(w <= 1500, `capped: ${w}`);
  } finally {
    await s.close();
  }
});

test('retry modes: throttle-only retries 429 only; never retries nothing', async () => {
  const s503 = await startServer((_q, res) => json(res, 503, {}));
  const s429 = await startServer((_q, res) => json(res, 429, {}, { 'Retry-After': '1' }));
  try {
    assert.equal((await sendWithRetry(req(s503.url, s503.host), { retry: 'throttle-only', sleep: async () => {} })).attempts, 1);
    assert.equal((await sendWithRetry(req(s429.url, s429.host), { retry: 'throttle-only', sleep: async () => {} })).attempts, 3);
    assert.equal((await sendWithRetry(req(s429.url, s429.host), { retry: 'never', sleep: async () => {} })).attempts, 1);
    assert.equal((await sendWithRetry(req(s503.url, s503.host), { retry: 'never', sleep: async () => {} })).attempts, 1);
  } finally {
    await s503.close();
    await s429.close();
  }
});

test('retry: a reset connection is retried when safe, not otherwise', async () => {
  const s = await startServer((q, res, n) => (n === 1 ? q.socket.destroy() : json(res, 200, { n })));
  try {
    const r = await sendWithRetry(req(s.url, s.host), { retry: 'safe', sleep: async () => {} });
    assert.equal(r.status, 200);
    assert.equal(r.attempts, 2);
  } finally {
    await s.close();
  }
  const always = await startServer((q) => q.socket.destroy());
  try {
    await rejectsWith(sendWithRetry(req(always.url, always.host), { retry: 'safe', sleep: async () => {} }), 'network', /reset/);
    assert.equal(always.seen.length, 3, 'bounded');
    await rejectsWith(sendWithRetry(req(always.url, always.host, { method: 'POST', body: '{}' }), { retry: 'throttle-only', sleep: async () => {} }), 'network');
    assert.equal(always.seen.length, 4, 'a creating POST is not replayed');
  } finally {
    await always.close();
  }
});

test('retry: a timeout is not retried and the budget covers all attempts', { timeout: 120_000 }, async (t) => {
  const s = await startServer(() => {
    /* never answers */
  });
  try {
    const clock = fakeClock(t);
    const sent = watch(sendWithRetry(req(s.url, s.host, { timeoutMs: 300 }), { retry: 'safe', sleep: async () => assert.fail('no wait after a timeout') }));
    await s.until(() => s.seen.length === 1, t.signal);
    await assertSettlesAtBudget(clock, sent, 300);
    await rejectsWith(sent.promise, 'timeout', /0\.3 seconds/);
    await s.until(() => s.dropped.length === 1, t.signal);
    assert.equal(s.seen.length, 1);
    t.mock.timers.reset();
  } finally {
    await s.close();
  }
  // A wait that would end past the budget is not started: the last answer is returned.
  const slow = await startServer((_q, res) => json(res, 429, {}, { 'Retry-After': '5' }));
  try {
    const r = await sendWithRetry(req(slow.url, slow.host, { timeoutMs: 2000 }), { retry: 'safe', sleep: async () => assert.fail('no wait past the budget') });
    assert.equal(r.status, 429);
    assert.equal(r.attempts, 1);
  } finally {
    await slow.close();
  }
});

test('retry: cancellation during a wait ends it at once', { timeout: 120_000 }, async (t) => {
  const s = await startServer((_q, res) => json(res, 429, {}, { 'Retry-After': '8' }));
  try {
    // A wait that never ends by itself: only the cancellation can end it.
    const ac = new AbortController();
    const waits: number[] = [];
    const sleep = (ms: number) => {
      waits.push(ms);
      ac.abort();
      return new Promise<void>(() => {});
    };
    await rejectsWith(orTestEnd(sendWithRetry(req(s.url, s.host, { signal: ac.signal, timeoutMs: 20_000 }), { retry: 'safe', sleep }), t.signal), 'cancelled');
    assert.deepEqual(waits, [8000], 'the 8 seconds the server asked for were being waited');
    assert.equal(s.seen.length, 1);
  } finally {
    await s.close();
  }
});

test('api errors: both shapes, mixed, redacted; non-JSON and HTML give nothing', () => {
  assert.deepEqual(errorDetails('{"errors":["Invalid pattern"]}'), ['Invalid pattern']);
  assert.deepEqual(
    errorDetails(JSON.stringify({ errors: [{ status: '403', title: 'Forbidden', detail: 'no mapping for arn:aws:sts::123456789012:assumed-role/X/i-1' }] })),
    ['Forbidden: no mapping for arn:aws:sts::123456789012:assumed-role/X/i-1'],
  );
  assert.deepEqual(
    errorDetails(JSON.stringify({ errors: ['plain text', { status: '400', title: 'Bad Request', detail: 'arn_pattern is invalid', source: { pointer: '/data/attributes/arn_pattern' } }, { title: 'Conflict' }, 42, null] })),
    ['plain text', 'Bad Request: arn_pattern is invalid (at /data/attributes/arn_pattern)', 'Conflict'],
  );
  assert.deepEqual(errorDetails(JSON.stringify({ errors: [{ title: 'Forbidden', detail: 'Forbidden: nope' }] })), ['Forbidden: nope']);
  for (const body of ['<html><body><h1>502 Bad Gateway</h1></body></html>', 'Not Found', '', '{"data":{}}', '{"errors":"x"}', '[1,2]', 'null', '{']) {
    assert.deepEqual(errorDetails(body), [], body);
  }
  assert.equal(parseApiErrors('<html>'), undefined);
  assert.deepEqual(parseApiErrors('{"errors":[]}'), []);
  const secret = errorDetails(JSON.stringify({ errors: ['key 0123456789abcdef0123456789abcdef leaked; Bearer eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiJ4In0.sig and AKIAIOSFODNN7EXAMPLE'] }))[0];
  assert.ok(!secret.includes('0123456789abcdef0123456789abcdef'));
  assert.ok(!secret.includes('eyJhbGciOiJIUzI1NiJ9'));
  assert.ok(!secret.includes('AKIAIOSFODNN7EXAMPLE'));
  const long = errorDetails(JSON.stringify({ errors: ['a'.repeat(5000) + '\n\u0007x'] }))[0];
  assert.ok(long.length < 600);
  assert.ok(!/[\u0000-\u001f]/.test(long));
  assert.equal(errorDetails(JSON.stringify({ errors: Array.from({ length: 50 }, (_, i) => `e${i}`) })).length, 10);
});

test('jwt: claims decoded without verification; never throws', () => {
  const payload = { sub: 'user@example.com', exp: 1786000000, org_uuid: '11111111-2222-3333-4444-555555555555' };
  const token = `eyJhbGciOiJSUzI1NiJ9.${Buffer.from(JSON.stringify(payload)).toString('base64url')}.c2ln`;
  assert.deepEqual(decodeJwtClaims(token), payload);
  assert.deepEqual(decodeJwtClaims(`h.${Buffer.from('{"a":"ü/?>"}').toString('base64url')}`), { a: 'ü/?>' });
  for (const bad of ['', 'abc', 'a.b.c', 'a.!!!.c', `h.${Buffer.from('[1]').toString('base64url')}.s`, `h.${Buffer.from('"s"').toString('base64url')}.s`, 'a.b.c.d.e.f', null, undefined, 42, {}]) {
    assert.equal(decodeJwtClaims(bad as unknown as string), undefined, String(bad));
  }
});

