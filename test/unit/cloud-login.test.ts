// testLogin and describeLoginOutcome against a loopback stand-in for Datadog
// (the emulator's fault tests are in cloud-faults.test.ts).
import { test } from 'node:test';
import * as assert from 'node:assert/strict';
import * as http from 'node:http';
import { inspect } from 'node:util';
import { testLogin, arnInText, formatDelay, type LoginOptions, type LoginOutcome } from '../../server/src/cloud/login';
import { describeLoginOutcome, formatTime, tokenSubject } from '../../server/src/cloud/outcome';
import { decodeProof } from '../../server/src/cloud/proof';
import { CloudError, type CallerIdentity } from '../../server/src/cloud/types';
import { json, startServer } from '../helpers/loopback';
import { assertSettlesAtBudget, fakeClock, until, watch } from '../helpers/clock';
import { sharedPhrases } from '../helpers/advice';


// Canary secrets: none may appear in any string the login produces.
const CREDS = {
  accessKeyId: 'ASIACANARYKEYID00001',
  secretAccessKey: 'CanarySecretAccessKey/Abc123Def456Ghi789',
  sessionToken: 'CanarySessionToken-FwoGZXIvYXdzEJr//////////wEaDCanary',
};
const ORG = '11111111-2222-3333-4444-555555555555';
const JWT = `eyJhbGciOiJSUzI1NiJ9.${Buffer.from(JSON.stringify({ email: 'dev@example.com', sub: 'u-1', exp: 1786000000 })).toString('base64url')}.Q2FuYXJ5SldUU2lnbmF0dXJl`;
const API_KEY = 'canaryapikey0123456789abcdefabcd';
const CALLER: CallerIdentity = {
  account: '123456789012',
  arn: 'arn:aws:sts::123456789012:assumed-role/deployer/i-0abc123',
  userId: 'AROAEXAMPLE:i-0abc123',
  kind: 'assumed-role',
  suggestedPattern: 'arn:aws:sts::123456789012:assumed-role/deployer/*',
};
const CANARIES = [CREDS.secretAccessKey, CREDS.sessionToken, JWT, 'Q2FuYXJ5SldUU2lnbmF0dXJl', API_KEY];

function base(s: { url: string; host: string }, extra: Partial<LoginOptions> = {}): LoginOptions {
  return {
    flow: 'terraform',
    orgUuid: ORG,
    apiUrl: s.url,
    allowedHosts: [s.host],
    credentials: async () => ({ ...CREDS }),
    identify: async () => CALLER,
    timeoutMs: 5000,
    sleep: async () => {},
    ...extra,
  };
}

/** Every string a login produces, in every form a caller might print. */
function everyString(o: LoginOutcome): string {
  const d = describeLoginOutcome(o);
  return [JSON.stringify(o), inspect(o, { depth: 10 }), JSON.stringify(d), d.title, d.detail, d.nextStep ?? '', String(o)].join('\n');
}

function assertClean(o: LoginOutcome, proofs: string[] = []) {
  const all = everyString(o);
  for (const c of [...CANARIES, ...proofs]) assert.ok(!all.includes(c), `leaked ${c.slice(0, 12)}… in ${all.slice(0, 300)}`);
  for (const p of proofs) for (const part of p.split('|')) if (part.length > 60) assert.ok(!all.includes(part), 'a part of the proof leaked');
}

function failed(o: LoginOutcome) {
  assert.ok(!o.ok, `expected a failure, got ${JSON.stringify(o)}`);
  return o;
}

const tokenBody = (expires?: unknown) => ({ data: { id: 'x', type: 'delegated_token', attributes: { access_token: JWT, ...(expires !== undefined ? { expires } : {}) } } });
const keyBody = { data: { id: 'x', type: 'intake_api_key', attributes: { api_key: API_KEY, org_id: 1234567 } } };

test('terraform success: the token only through onToken; expiry, claims (unverified) and caller in the outcome', async () => {
  const s = await startServer((_q, res) => json(res, 200, tokenBody('1786000000')));
  try {
    const got: { accessToken?: string; apiKey?: string; expiresAt?: Date }[] = [];
    const o = await testLogin(base(s, { onToken: (t) => got.push(t), userAgent: 'dd-wif-test/1' }));
    assert.ok(o.ok, JSON.stringify(o));
    assert.equal(o.flow, 'terraform');
    assert.equal(o.baseUrl, s.url);
    assert.equal(o.callerArn, CALLER.arn);
    assert.equal(o.expiresAt, new Date(1786000000 * 1000).toISOString());
    assert.deepEqual(o.claims, { email: 'dev@example.com', sub: 'u-1', exp: 1786000000 });
    assert.equal(got.length, 1);
    assert.equal(got[0].accessToken, JWT);
    assert.equal(got[0].expiresAt?.toISOString(), o.expiresAt);
    // The request that went out.
    assert.equal(s.seen.length, 1);
    const r = s.seen[0];
    assert.equal(r.method, 'POST');
    assert.equal(r.url, '/api/v2/delegated-token');
    assert.equal(r.body, '');
    assert.equal(r.headers['content-type'], 'application/json');
    assert.equal(r.headers['user-agent'], 'dd-wif-test/1');
    assert.equal(r.headers['dd-api-key'], undefined);
    const auth = String(r.headers['authorization']);
    assert.match(auth, /^Delegated /);
    const proof = decodeProof(auth.slice('Delegated '.length));
    assert.deepEqual(proof.headers['X-Ddog-Org-Id'], [ORG]);
    assert.deepEqual(proof.headers['X-Amz-Security-Token'], [CREDS.sessionToken]);
    assert.equal(proof.url, 'https://sts.amazonaws.com');
    assertClean(o, [auth.slice('Delegated '.length)]);
    const d = describeLoginOutcome(o);
    assert.equal(d.severity, 'info');
    assert.match(d.detail, /^Login succeeded: Datadog issued a token for dev@example\.com that expires at 2026-08-0\d \d\d:\d\d:\d\d UTC \(claims decoded from the JWT, unverified\)\./);
    assert.match(d.detail, /Caller: arn:aws:sts::123456789012:assumed-role\/deployer\/i-0abc123/);
  } finally {
    await s.close();
  }
});

test('terraform success: a regional proof, ISO expires, absent expires → 15 minutes', async () => {
  const s = await startServer((_q, res, n) => json(res, 200, tokenBody(n === 1 ? '2026-08-05T12:30:00Z' : undefined)));
  try {
    const now = () => new Date('2026-08-05T12:00:00Z');
    const a = await testLogin(base(s, { region: 'eu-west-1', now }));
    assert.ok(a.ok);
    assert.equal(a.expiresAt, '2026-08-05T12:30:00.000Z');
    assert.equal(decodeProof(String(s.seen[0].headers['authorization']).slice(10)).url, 'https://sts.eu-west-1.amazonaws.com');
    const b = await testLogin(base(s, { now }));
    assert.ok(b.ok);
    assert.equal(b.expiresAt, '2026-08-05T12:15:00.000Z');
  } finally {
    await s.close();
  }
});

test('agent success: the key only through onToken; last 4 and org id in the outcome', async () => {
  const s = await startServer((_q, res) => json(res, 200, keyBody));
  try {
    const got: { apiKey?: string }[] = [];
    const o = await testLogin(base(s, { flow: 'agent', onToken: (t) => got.push(t) }));
    assert.ok(o.ok);
    assert.equal(o.apiKeyLast4, 'abcd');
    assert.equal(o.orgId, 1234567);
    assert.equal(got[0].apiKey, API_KEY);
    assert.equal(s.seen[0].url, '/api/v2/intake-key');
    assertClean(o);
    const d = describeLoginOutcome(o);
    assert.match(d.detail, /issued the org's managed API key ending in …abcd/);
    assert.ok(!d.detail.includes(API_KEY));
  } finally {
    await s.close();
  }
});

test('identify is best effort: its failure or absence is not fatal', async () => {
  const s = await startServer((_q, res) => json(res, 200, keyBody));
  try {
    const a = await testLogin(base(s, { flow: 'agent', identify: async () => { throw new Error('sts down'); } }));
    assert.ok(a.ok);
    assert.equal(a.callerArn, undefined);
    const b = await testLogin(base(s, { flow: 'agent', identify: undefined }));
    assert.ok(b.ok);
    const c = await testLogin(base(s, { flow: 'agent', identify: () => new Promise(() => {}), timeoutMs: 600 }));
    assert.ok(c.ok, 'a hanging identify does not hang the login');
    const d = await testLogin(base(s, { flow: 'agent', onToken: () => { throw new Error('storage failed'); } }));
    assert.ok(d.ok, 'an onToken failure is the caller\'s');
  } finally {
    await s.close();
  }
});

test('inputs are checked before credentials are resolved', async () => {
  let resolved = 0;
  const credentials = async () => {
    resolved++;
    return { ...CREDS };
  };
  const common = { allowedHosts: [], credentials, identify: async () => CALLER };
  const cases: [Partial<LoginOptions>, string, RegExp][] = [
    [{ orgUuid: 'not-a-uuid' }, 'usage', /"not-a-uuid" is not an org UUID/],
    [{ orgUuid: '' }, 'usage', /no org UUID/],
    [{ orgUuid: '0123456789abcdef0123456789abcdef' }, 'usage', /looks like a Datadog API key/],
    [{ flow: 'bogus' as never }, 'usage', /not a login flow/],
    [{ flow: 'agent', site: 'ddog-gov.com' }, 'usage', /Agent flow .* not available on ddog-gov\.com \(US1-FED\)/],
    [{ flow: 'agent', site: 'us2.ddog-gov.com' }, 'usage', /not available on us2\.ddog-gov\.com/],
    [{ flow: 'agent', apiUrl: 'https://app.ddog-gov.com' }, 'usage', /not available on ddog-gov\.com/],
    [{ site: 'datadoghq.evil' }, 'usage', /not a known Datadog site/],
    [{ apiUrl: 'https://evil.example' }, 'host-refused', /not a Datadog API host/],
    [{ apiUrl: 'https://api.datadoghq.com.evil.com' }, 'host-refused', /allowedApiHosts/],
    [{ apiUrl: 'http://127.0.0.1:9' }, 'host-refused', /allowedApiHosts/],
    [{ apiUrl: 'https://api.datadoghq.com/x?y' }, 'usage', /path, query or fragment/],
    [{ region: 'us-east-1; rm -rf' }, 'usage', /not an AWS region/],
  ];
  for (const [extra, kind, re] of cases) {
    const o = failed(await testLogin({ flow: 'terraform', orgUuid: ORG, ...common, ...extra }));
    assert.equal(o.kind, kind, JSON.stringify(extra));
    assert.match(o.reason, re);
    // A refused host's reason says what to do itself (allow it, or the site's API host): no second next step.
    if (kind === 'host-refused') assert.equal(o.nextStep, undefined, JSON.stringify(extra));
    else assert.ok(o.nextStep);
    assert.ok(!JSON.stringify(o).includes('0123456789abcdef0123456789abcdef'), 'a pasted key is never echoed');
  }
  assert.equal(resolved, 0);
  // The Terraform flow is fine on a gov site.
  const gov = await testLogin({ flow: 'terraform', orgUuid: ORG, site: 'ddog-gov.com', ...common, credentials: async () => { throw new CloudError('no creds here', 'credentials', 'run aws sso login'); } });
  assert.equal(failed(gov).kind, 'credentials');
  assert.equal(gov.site, 'ddog-gov.com');
});

test('credential failures keep the source\'s words', { timeout: 120_000 }, async (t) => {
  const o = failed(
    await testLogin({
      flow: 'agent',
      orgUuid: ORG,
      allowedHosts: [],
      credentials: async () => {
        throw new CloudError('the SSO session for profile "dev" has expired', 'credentials', 'run `aws sso login --profile dev`');
      },
    }),
  );
  assert.equal(o.kind, 'credentials');
  assert.equal(o.reason, 'the SSO session for profile "dev" has expired');
  assert.equal(o.nextStep, 'run `aws sso login --profile dev`');
  assert.equal(o.baseUrl, 'https://api.datadoghq.com');
  const d = describeLoginOutcome(o);
  assert.match(d.detail, /SSO session for profile "dev" has expired/);
  assert.equal(d.nextStep, 'run `aws sso login --profile dev`');
  // A plain error, and incomplete credentials.
  const plain = failed(await testLogin({ flow: 'agent', orgUuid: ORG, allowedHosts: [], credentials: async () => { throw new Error('Could not load credentials from any providers'); } }));
  assert.equal(plain.kind, 'credentials');
  assert.match(plain.reason, /Could not load credentials/);
  const partial = failed(await testLogin({ flow: 'agent', orgUuid: ORG, allowedHosts: [], credentials: async () => ({ accessKeyId: 'AKIAX', secretAccessKey: '' }) }));
  assert.equal(partial.kind, 'credentials');
  // A credential source that never answers is given up at the login's budget, not before.
  const clock = fakeClock(t);
  let asked = false;
  const hanging = watch(
    testLogin({
      flow: 'agent',
      orgUuid: ORG,
      allowedHosts: [],
      timeoutMs: 300,
      credentials: () => {
        asked = true;
        return new Promise(() => {});
      },
    }),
  );
  await until(() => asked, t.signal);
  await assertSettlesAtBudget(clock, hanging, 300);
  const hang = failed(await hanging.promise);
  assert.equal(hang.kind, 'timeout');
  assert.equal(hang.reason, 'resolving AWS credentials took longer than 0.3 seconds');
});

test('401: the server\'s detail, and the org UUID and credentials in the next step', async () => {
  const s = await startServer((_q, res) => json(res, 401, { errors: [{ status: '401', title: 'Unauthorized', detail: 'invalid signature on the delegated request' }] }));
  try {
    const o = failed(await testLogin(base(s)));
    assert.equal(o.kind, 'unauthorized');
    assert.equal(o.status, 401);
    assert.deepEqual(o.details, ['Unauthorized: invalid signature on the delegated request']);
    assert.equal(o.reason, 'Datadog rejected the proof (401)');
    const d = describeLoginOutcome(o);
    assert.equal(d.severity, 'error');
    assert.match(d.detail, /invalid signature on the delegated request/);
    assert.match(d.detail, /^Datadog rejected the proof \(401\)\. Datadog said: "Unauthorized: invalid signature on the delegated request"\. Caller: arn:aws:sts::123456789012:assumed-role\/deployer\/i-0abc123\.$/);
    assert.equal(d.nextStep, 'check the org UUID (Organization Settings in Datadog) and refresh your AWS credentials');
    assertClean(o);
  } finally {
    await s.close();
  }
});

test('403: names the caller ARN and the pattern to map it, with createMapping', async () => {
  const s = await startServer((_q, res) =>
    json(res, 403, { errors: [{ status: '403', title: 'Forbidden', detail: 'no intake mapping matches arn:aws:sts::123456789012:assumed-role/deployer/i-0abc123' }] }),
  );
  try {
    const o = failed(await testLogin(base(s, { flow: 'agent' })));
    assert.equal(o.kind, 'forbidden');
    assert.equal(o.callerArn, CALLER.arn);
    assert.match(o.reason, /no intake mapping matches arn:aws:sts::123456789012:assumed-role\/deployer\/i-0abc123/);
    assert.match(o.nextStep ?? '', /arn:aws:sts::123456789012:assumed-role\/deployer\/\*/);
    const d = describeLoginOutcome(o);
    assert.equal(d.pattern, 'arn:aws:sts::123456789012:assumed-role/deployer/*');
    assert.ok(d.actions.includes('createMapping'));
    assert.ok(d.actions.includes('copyArn'));
    assert.match(d.detail, /no intake mapping matches arn:aws:sts::123456789012:assumed-role\/deployer\/i-0abc123/);
    // The pattern is the next step's (said once): the detail says what happened.
    assert.doesNotMatch(d.detail, /assumed-role\/deployer\/\*/);
    assert.match(d.nextStep ?? '', /^create an intake mapping with the ARN pattern arn:aws:sts::123456789012:assumed-role\/deployer\/\* /);
    // Without identify, the ARN comes from the server's detail.
    const noId = failed(await testLogin(base(s, { flow: 'agent', identify: undefined })));
    assert.equal(noId.callerArn, CALLER.arn);
    assert.equal(describeLoginOutcome(noId).pattern, 'arn:aws:sts::123456789012:assumed-role/deployer/*');
  } finally {
    await s.close();
  }
  // No detail, no identity: still words and createMapping.
  const bare = await startServer((_q, res) => json(res, 403, '{}'));
  try {
    const o = failed(await testLogin(base(bare, { identify: undefined })));
    assert.match(o.reason, /no identity mapping matches the verified identity/);
    const d = describeLoginOutcome(o);
    assert.ok(d.actions.includes('createMapping'));
    assert.equal(d.pattern, undefined);
  } finally {
    await bare.close();
  }
});

test('429, 5xx, 404, malformed, redirect, network, timeout, cancellation: kinds and words', { timeout: 120_000 }, async (t) => {
  const cases: { name: string; handler: (q: http.IncomingMessage, r: http.ServerResponse) => void; kind: string; re: RegExp; extra?: Partial<LoginOptions> }[] = [
    { name: '429', handler: (_q, r) => json(r, 429, { errors: ['Too many requests'] }, { 'Retry-After': '120' }), kind: 'rate-limited', re: /Datadog is rate limiting these requests \(429\)\. Datadog said: "Too many requests"/ },
    { name: '500', handler: (_q, r) => json(r, 500, { errors: [{ detail: 'internal error id 42' }] }), kind: 'server', re: /Datadog had a problem \(500\)\. Datadog said: "internal error id 42"/ },
    { name: '503', handler: (_q, r) => json(r, 503, '<html>busy</html>'), kind: 'server', re: /Datadog had a problem \(503\)/ },
    { name: '404', handler: (_q, r) => json(r, 404, { errors: ['Not found'] }), kind: 'http', re: /Not found/ },
    { name: 'not json', handler: (_q, r) => json(r, 200, '<html>login page</html>'), kind: 'malformed', re: /the response was not the JSON Datadog sends \(/i },
    { name: 'redirect', handler: (_q, r) => { r.writeHead(302, { Location: 'https://elsewhere.example/steal' }); r.end(); }, kind: 'redirect', re: /redirect to another location \(https:\/\/elsewhere\.example\); a proof is never forwarded/ },
    { name: 'reset', handler: (q) => q.socket.destroy(), kind: 'network', re: /the connection was reset by 127\.0\.0\.1:\d+/i },
    { name: 'timeout', handler: () => {}, kind: 'timeout', re: /within the login test's 0\.5 seconds\./, extra: { timeoutMs: 500 } },
  ];
  for (const c of cases) {
    const s = await startServer(c.handler);
    try {
      const waits: number[] = [];
      const o = failed(await testLogin(base(s, { sleep: async (ms) => void waits.push(ms), ...c.extra })));
      assert.equal(o.kind, c.kind, c.name);
      // What the login asked to wait between attempts: never past its budget (5 s), and
      // nothing for a Retry-After longer than it waits for (the 429's 120 s).
      assert.ok(waits.reduce((a, b) => a + b, 0) < 5000, `${c.name} asked to wait ${waits.join(', ')} ms`);
      if (c.name === '429') assert.deepEqual(waits, []);
      // The timeout gave up on the request and dropped the connection.
      if (c.kind === 'timeout') await s.until(() => s.dropped.length === 1, t.signal);
      const d = describeLoginOutcome(o);
      assert.match(d.detail, c.re, `${c.name}: ${d.detail}`);
      assert.ok(o.nextStep, c.name);
      assert.ok(!everyString(o).includes('login page') && !everyString(o).includes('busy'), 'never the raw body');
      assertClean(o);
      if (c.name === '429') {
        assert.equal(o.retryAfterSeconds, 120);
        assert.equal(d.nextStep, 'try again in 2 minutes');
        assert.equal(d.severity, 'warning');
        assert.deepEqual(d.actions, ['retry']);
      }
    } finally {
      await s.close();
    }
  }
  const hang = await startServer(() => {});
  try {
    // Cancelled once the server holds the request, inside the 5 s budget.
    const ac = new AbortController();
    void hang.until(() => hang.seen.length === 1, t.signal).then(() => ac.abort(), () => {});
    const o = failed(await testLogin(base(hang, { signal: ac.signal })));
    assert.equal(o.kind, 'cancelled');
    await hang.until(() => hang.dropped.length === 1, t.signal);
    assert.equal(describeLoginOutcome(o).severity, 'info');
  } finally {
    await hang.close();
  }
  const closed = failed(await testLogin(base(hang)));
  assert.equal(closed.kind, 'network');
  assert.match(closed.reason, /refused/);
});

test('no failure says its advice twice: the detail says what happened, the next step what to do', async () => {
  // Every way a login fails, produced by testLogin itself (its reasons and next steps are what users read).
  const servers: [string, (q: http.IncomingMessage, r: http.ServerResponse) => void, Partial<LoginOptions>?][] = [
    ['401', (_q, r) => json(r, 401, { errors: [{ status: '401', title: 'Unauthorized', detail: 'invalid signature' }] })],
    ['403', (_q, r) => json(r, 403, { errors: [{ status: '403', title: 'Forbidden', detail: 'no mapping matches arn:aws:sts::123456789012:assumed-role/deployer/i-0abc123 (identity mappings)' }] })],
    ['403 agent', (_q, r) => json(r, 403, { errors: ['Forbidden'] }), { flow: 'agent' }],
    ['403 without a caller', (_q, r) => json(r, 403, '{}'), { identify: undefined }],
    ['429', (_q, r) => json(r, 429, { errors: ['Too many requests'] }, { 'Retry-After': '120' })],
    ['429 without Retry-After', (_q, r) => json(r, 429, '{}')],
    ['500', (_q, r) => json(r, 500, { errors: [{ detail: 'internal error id 42' }] })],
    ['400', (_q, r) => json(r, 400, { errors: ['Bad Request'] })],
    ['404', (_q, r) => json(r, 404, { errors: ['Not found'] })],
    ['not json', (_q, r) => json(r, 200, '<html>login page</html>')],
    ['redirect', (_q, r) => { r.writeHead(302, { Location: 'https://elsewhere.example/' }); r.end(); }],
    ['reset', (q) => q.socket.destroy()],
    ['timeout', () => {}, { timeoutMs: 300 }],
  ];
  const outcomes: [string, LoginOutcome][] = [];
  for (const [name, handler, extra] of servers) {
    const s = await startServer(handler);
    try {
      outcomes.push([name, failed(await testLogin(base(s, extra)))]);
    } finally {
      await s.close();
    }
  }
  const local = { flow: 'terraform' as const, orgUuid: ORG, allowedHosts: [], identify: async () => CALLER, credentials: async () => ({ ...CREDS }) };
  outcomes.push(['bad org UUID', failed(await testLogin({ ...local, orgUuid: 'nope' }))]);
  outcomes.push(['refused host', failed(await testLogin({ ...local, apiUrl: 'https://evil.example' }))]);
  outcomes.push(['no credentials', failed(await testLogin({ ...local, credentials: async () => { throw new CloudError('No AWS credentials were found.', 'credentials', 'set AWS_PROFILE or run `aws configure`'); } }))]);
  for (const [name, o] of outcomes) {
    const d = describeLoginOutcome(o);
    // Said once: in the next step, or (a refused host) in the reason itself.
    assert.ok(d.nextStep || name === 'refused host', name);
    assert.deepEqual(sharedPhrases(`${d.title}. ${d.detail}`, d.nextStep ?? ''), [], `${name}: "${d.detail}" / Next: "${d.nextStep}"`);
    if (d.pattern) assert.equal(`${d.detail} ${d.nextStep}`.split(d.pattern).length - 1, 1, `${name}: the pattern is named once`);
  }
});

test('describe: every failure kind has a title, words, a next step and no secret', () => {
  const kinds = ['credentials', 'host-refused', 'usage', 'unauthorized', 'forbidden', 'rate-limited', 'server', 'network', 'timeout', 'redirect', 'malformed', 'cancelled', 'http'] as const;
  for (const kind of kinds) {
    const o: LoginOutcome = {
      ok: false,
      flow: 'terraform',
      kind,
      status: 400,
      reason: `reason with Delegated ${'QUJD'.repeat(20)}|x and ${JWT}`,
      details: [`detail with ${CREDS.secretAccessKey}`],
      nextStep: 'do the thing',
    };
    const d = describeLoginOutcome(o);
    assert.ok(d.title && d.detail, kind);
    assert.equal(d.nextStep, 'do the thing');
    assert.ok(!JSON.stringify(d).includes(JWT), kind);
    assert.ok(!JSON.stringify(d).includes('QUJDQUJDQUJD'), kind);
    assert.ok(!JSON.stringify(d).includes(CREDS.secretAccessKey), kind);
  }
});

test('helpers: ARN in text, delays, times, token subject', () => {
  assert.equal(arnInText(['no mapping for arn:aws:sts::123456789012:assumed-role/X/i-123.']), 'arn:aws:sts::123456789012:assumed-role/X/i-123');
  assert.equal(arnInText(['nothing']), undefined);
  assert.equal(formatDelay(1), '1 second');
  assert.equal(formatDelay(45), '45 seconds');
  assert.equal(formatDelay(3600), '1 hour');
  assert.equal(formatDelay(3000), '50 minutes');
  assert.equal(formatDelay(5400), '2 hours');
  assert.equal(formatDelay(7200), '2 hours');
  assert.equal(formatTime('2026-08-05T12:34:56.789Z'), '2026-08-05 12:34:56 UTC');
  assert.equal(tokenSubject({ sub: 's', email: 'e@x' }), 'e@x');
  assert.equal(tokenSubject({ sub: 's' }), 's');
  assert.equal(tokenSubject({}), undefined);
  const noClaims = describeLoginOutcome({ ok: true, flow: 'terraform', baseUrl: 'https://api.datadoghq.com', expiresAt: '2026-08-05T12:00:00Z' });
  assert.match(noClaims.detail, /Datadog issued a token that expires at 2026-08-05 12:00:00 UTC/);
});
