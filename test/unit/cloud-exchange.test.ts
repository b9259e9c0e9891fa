// The proof exchange (PROTOCOL.md §2) against a loopback server.
import { test } from 'node:test';
import * as assert from 'node:assert/strict';
import { inspect } from 'node:util';
import { exchangeProof, parseExpires, OneTimeSecret, type ExchangeOptions, type ExchangeResult } from '../../server/src/cloud/exchange';
import { json, startServer } from '../helpers/loopback';


const PROOF = 'UFJPT0YtQk9EWQ==|UFJPT0YtSEVBREVSUy1DQU5BUlk=|POST|aHR0cHM6Ly9zdHMuYW1hem9uYXdzLmNvbQ==';
const JWT = `eyJhbGciOiJSUzI1NiJ9.${Buffer.from(JSON.stringify({ email: 'dev@example.com', exp: 1786000000 })).toString('base64url')}.c2lnbmF0dXJlLWNhbmFyeQ`;
const API_KEY = 'abcdef0123456789abcdef012345wxyz';

function opts(s: { url: string; host: string }, extra: Partial<ExchangeOptions> = {}): ExchangeOptions {
  return { flow: 'terraform', baseUrl: s.url, proof: PROOF, timeoutMs: 5000, allowedHosts: [s.host], sleep: async () => {}, ...extra };
}

function failure(r: ExchangeResult): Extract<ExchangeResult, { ok: false }> {
  assert.ok(!r.ok, 'expected a failure');
  return r;
}

function assertNoSecret(r: ExchangeResult, ...secrets: string[]) {
  const forms = [JSON.stringify(r), String((r as { token?: unknown }).token ?? ''), inspect(r, { depth: 10, showHidden: true }), `${JSON.stringify(r, null, 2)}`];
  for (const f of forms) for (const s of secrets) assert.ok(!f.includes(s), `a form of the result carries a secret: ${f.slice(0, 200)}`);
}

test('the request: POST, empty body, Delegated proof, JSON content type, a User-Agent, no Datadog keys', async () => {
  const s = await startServer((_q, res) => json(res, 200, { data: { id: 'x', type: 'intake_api_key', attributes: { api_key: API_KEY, org_id: 42 } } }));
  try {
    await exchangeProof(opts(s, { flow: 'agent', userAgent: 'datadog-wif-test/1.0' }));
    await exchangeProof(opts(s, { flow: 'terraform', baseUrl: `${s.url}/` }));
    assert.equal(s.seen.length, 2);
    const [agent, tf] = s.seen;
    assert.equal(agent.method, 'POST');
    assert.equal(agent.url, '/api/v2/intake-key');
    assert.equal(tf.url, '/api/v2/delegated-token');
    for (const r of s.seen) {
      assert.equal(r.body, '');
      assert.equal(r.headers['content-length'], '0');
      assert.equal(r.headers['authorization'], `Delegated ${PROOF}`);
      assert.equal(r.headers['content-type'], 'application/json');
      assert.ok(r.headers['user-agent']);
      assert.equal(r.headers['dd-api-key'], undefined);
      assert.equal(r.headers['dd-application-key'], undefined);
    }
    assert.equal(agent.headers['user-agent'], 'datadog-wif-test/1.0');
  } finally {
    await s.close();
  }
});

test('terraform success: the token in a one-time box, expiry and unverified claims', async () => {
  const s = await startServer((_q, res) => json(res, 200, { data: { id: 'x', type: 'token', attributes: { access_token: JWT, expires: '1786000000' } } }));
  try {
    const r = await exchangeProof(opts(s));
    assert.ok(r.ok && r.flow === 'terraform');
    assert.equal(r.status, 200);
    assert.equal(r.expiresAt.toISOString(), new Date(1786000000 * 1000).toISOString());
    assert.equal(r.expiresAssumed, false);
    assert.deepEqual(r.claims, { email: 'dev@example.com', exp: 1786000000 });
    assertNoSecret(r, JWT, 'c2lnbmF0dXJlLWNhbmFyeQ');
    assert.equal(r.token.take(), JWT);
    assert.equal(r.token.take(), undefined, 'only once');
    assert.equal(r.token.taken, true);
  } finally {
    await s.close();
  }
});

test('expires: a number, a numeric string, an ISO date; absent or unreadable → now + 15 minutes', async () => {
  const now = new Date('2026-08-05T12:00:00Z');
  const cases: [unknown, string | undefined][] = [
    [1786000000, new Date(1786000000 * 1000).toISOString()],
    ['1786000000', new Date(1786000000 * 1000).toISOString()],
    ['2026-08-05T12:15:00Z', '2026-08-05T12:15:00.000Z'],
    [undefined, undefined],
    ['tomorrow', undefined],
    [null, undefined],
  ];
  for (const [expires, expected] of cases) {
    const s = await startServer((_q, res) => json(res, 200, { data: { attributes: { access_token: 'tok-123456', ...(expires !== undefined ? { expires } : {}) } } }));
    try {
      const r = await exchangeProof(opts(s, { now: () => now }));
      assert.ok(r.ok && r.flow === 'terraform');
      if (expected) {
        assert.equal(r.expiresAt.toISOString(), expected, String(expires));
        assert.equal(r.expiresAssumed, false);
      } else {
        assert.equal(r.expiresAt.toISOString(), '2026-08-05T12:15:00.000Z', String(expires));
        assert.equal(r.expiresAssumed, true);
      }
      assert.equal(r.claims, undefined, 'not a JWT: no claims');
    } finally {
      await s.close();
    }
  }
  assert.equal(parseExpires(1786000000000)?.toISOString(), new Date(1786000000 * 1000).toISOString(), 'milliseconds tolerated');
  assert.equal(parseExpires(-5), undefined);
  assert.equal(parseExpires(''), undefined);
});

test('agent success: the API key in a one-time box, last 4 and org id', async () => {
  const s = await startServer((_q, res) => json(res, 200, { data: { id: 'x', type: 'intake_api_key', attributes: { api_key: API_KEY, org_id: 42 } } }));
  try {
    const r = await exchangeProof(opts(s, { flow: 'agent' }));
    assert.ok(r.ok && r.flow === 'agent');
    assert.equal(r.apiKeyLast4, 'wxyz');
    assert.equal(r.orgId, 42);
    assertNoSecret(r, API_KEY);
    assert.equal(r.apiKey.take(), API_KEY);
  } finally {
    await s.close();
  }
});

test('OneTimeSecret: redacted in every form', () => {
  const secret = new OneTimeSecret('super-secret-value-1234');
  assert.equal(String(secret), '[redacted]');
  assert.equal(`${secret}`, '[redacted]');
  assert.equal(JSON.stringify({ secret }), '{"secret":"[redacted]"}');
  assert.ok(!inspect(secret, { showHidden: true, depth: 5 }).includes('super-secret'));
  assert.ok(!Object.values(secret).some((v) => String(v).includes('super-secret')));
  assert.equal(secret.last4, '1234');
});

test('200 only, and only with the secret: anything else is malformed', async () => {
  const bodies: [number, string, 'terraform' | 'agent'][] = [
    [200, 'not json', 'terraform'],
    [200, '<html>hello</html>', 'agent'],
    [200, '{"data":{"attributes":{"access_token":""}}}', 'terraform'],
    [200, '{"data":{"attributes":{"access_token":"   "}}}', 'terraform'],
    [200, '{"data":{"attributes":{"access_token":42}}}', 'terraform'],
    [200, '{"data":{"attributes":{"api_key":""}}}', 'agent'],
    [200, '{"data":{"attributes":{}}}', 'agent'],
    [200, '{"data":[]}', 'agent'],
    [200, '{"data":{"attributes":{"access_token":"t0k3n-abc"}}}', 'agent'], // the other flow's answer
    [201, '{"data":{"attributes":{"api_key":"abcdabcdabcd"}}}', 'agent'],
    [204, '', 'terraform'],
  ];
  for (const [status, body, flow] of bodies) {
    const s = await startServer((_q, res) => {
      res.writeHead(status, { 'Content-Type': 'application/json' });
      res.end(body);
    });
    try {
      const f = failure(await exchangeProof(opts(s, { flow })));
      assert.equal(f.kind, 'malformed', `${status} ${body}`);
      assert.equal(f.status, status);
      assert.deepEqual(f.details, []);
      assert.ok(!f.message.includes('hello'), 'never echoes the body');
    } finally {
      await s.close();
    }
  }
});

test('failures: 401, 403, 429, 5xx, 404, 400 with the server\'s details', async () => {
  const cases: [number, string, Record<string, string>][] = [
    [401, 'unauthorized', {}],
    [403, 'forbidden', {}],
    [429, 'rate-limited', { 'Retry-After': '3600' }],
    [500, 'server', {}],
    [404, 'http', {}],
    [400, 'http', {}],
  ];
  for (const [status, kind, headers] of cases) {
    const s = await startServer((_q, res) => json(res, status, { errors: [{ status: String(status), title: 'T', detail: `detail for ${status}` }] }, headers));
    try {
      const f = failure(await exchangeProof(opts(s)));
      assert.equal(f.kind, kind);
      assert.equal(f.status, status);
      assert.deepEqual(f.details, [`T: detail for ${status}`]);
      assert.equal(f.attempts, 1);
      if (status === 429) assert.equal(f.retryAfterSeconds, 3600);
    } finally {
      await s.close();
    }
  }
});

test('the exchange is retried as safe: 503 then 200', async () => {
  const s = await startServer((_q, res, n) => (n < 3 ? json(res, 503, {}) : json(res, 200, { data: { attributes: { api_key: API_KEY } } })));
  try {
    const r = await exchangeProof(opts(s, { flow: 'agent' }));
    assert.ok(r.ok);
    assert.equal(r.attempts, 3);
  } finally {
    await s.close();
  }
});

test('a redirect is reported with the target origin only, never followed', async () => {
  const target = await startServer((_q, res) => json(res, 200, {}));
  const s = await startServer((_q, res) => {
    res.writeHead(302, { Location: `${target.url}/collect?proof=x#y` });
    res.end();
  });
  try {
    const f = failure(await exchangeProof(opts(s, { allowedHosts: [s.host, target.host] })));
    assert.equal(f.kind, 'redirect');
    assert.equal(f.redirectTo, target.url);
    assert.match(f.message, /never forwarded/);
    assert.equal(target.seen.length, 0);
  } finally {
    await s.close();
    await target.close();
  }
});

test('refused host, timeout, cancellation and network errors are results, not exceptions', async () => {
  const hang = await startServer(() => {
    /* never answers */
  });
  try {
    const refused = failure(await exchangeProof(opts(hang, { allowedHosts: [] })));
    assert.equal(refused.kind, 'host-refused');
    assert.equal(hang.seen.length, 0);
    const t = failure(await exchangeProof(opts(hang, { timeoutMs: 200 })));
    assert.equal(t.kind, 'timeout');
    const ac = new AbortController();
    setTimeout(() => ac.abort(), 50);
    assert.equal(failure(await exchangeProof(opts(hang, { signal: ac.signal }))).kind, 'cancelled');
  } finally {
    await hang.close();
  }
  const f = failure(await exchangeProof(opts(hang)));
  assert.equal(f.kind, 'network');
  assert.match(f.message, /refused/);
});
