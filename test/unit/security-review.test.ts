// Security review of the cloud core (host policy, HTTP layer, exchange, login,
// mapping API, redaction): one test per problem found, written to fail before
// the fix. Loopback servers only; nothing leaves the machine.

import { after, test } from 'node:test';
import * as assert from 'node:assert/strict';
import * as http from 'node:http';
import { randomBytes } from 'node:crypto';
import { redact } from '../../server/src/shared/redact';
import { errorDetails } from '../../server/src/cloud/apiErrors';
import { parseRetryAfter } from '../../server/src/cloud/http';
import { createMappingsClient, MappingApiError } from '../../server/src/cloud/mappingsApi';
import { testLogin, type LoginOutcome } from '../../server/src/cloud/login';
import { describeStsError } from '../../server/src/cloud/callerIdentity';
import { describeLoginOutcome } from '../../server/src/cloud/outcome';
import { TEST_IDENTITIES } from '../../emulator/src/index';
import { json, startServer as startLoopback } from '../helpers/loopback';
import { callOffThread } from '../helpers/offThread';

const ORG = '11111111-2222-3333-4444-555555555555';

interface Server {
  url: string;
  host: string;
  seen: { method: string; url: string; headers: http.IncomingHttpHeaders }[];
  close(): Promise<void>;
}

const servers: Server[] = [];
after(async () => {
  await Promise.all(servers.map((s) => s.close()));
});

/** A loopback server closed after the last test (the process must not stay alive). */
async function startServer(handler: (req: http.IncomingMessage, res: http.ServerResponse) => void): Promise<Server> {
  const s = await startLoopback(handler);
  servers.push(s);
  return s;
}


/** `n` characters of harmless words, ending with a space, so what follows starts at offset `n`. */
const filler = (n: number) => 'lorem ipsum dolor sit amet '.repeat(Math.ceil(n / 27)).slice(0, n - 1) + ' ';

function everyString(e: unknown): string {
  if (e instanceof MappingApiError) return [e.message, e.nextStep, ...e.details, JSON.stringify(e)].join('\n');
  return JSON.stringify(e);
}

function mappingError(p: Promise<unknown>): Promise<MappingApiError> {
  return p.then(
    () => assert.fail('expected a MappingApiError'),
    (err: unknown) => {
      assert.ok(err instanceof MappingApiError, `a MappingApiError, got ${String(err)}`);
      return err;
    },
  );
}

// ---------------------------------------------------------------------------
// 1. Error details were cut to 500 characters BEFORE redaction: a secret the
//    server echoes across the cut became a fragment no redactor recognises
//    (the shape rules need the whole key; redactKnown needs the exact value).

test('a secret echoed across the 500-character cap of an error detail is redacted whole, never cut into a visible fragment', () => {
  const apiKey = randomBytes(16).toString('hex'); // 32 hex
  const session = 'IQoJb3JpZ2luX2VjE' + randomBytes(300).toString('base64'); // long base64
  // The key starts at 476: the cap at 500 would keep its first 24 characters.
  const [keyDetail] = errorDetails(JSON.stringify({ errors: [`${filler(476)}${apiKey} is not a valid API key`] }));
  assert.ok(!keyDetail.includes(apiKey.slice(0, 16)), `a fragment of the API key is shown: …${keyDetail.slice(460)}`);
  // The session token starts at 410: 90 characters would be kept (under the 100 the long-blob rule needs).
  const [tokenDetail] = errorDetails(JSON.stringify({ errors: [{ title: 'Unauthorized', detail: `${filler(410)}${session}` }] }));
  assert.ok(!tokenDetail.includes(session.slice(0, 40)), `a fragment of the session token is shown: …${tokenDetail.slice(400)}`);
  // A known secret of any shape (here an unusual key "used as typed") is scrubbed before the cut too.
  const odd = 'my-proxy-key-' + randomBytes(20).toString('base64url');
  const [oddDetail] = errorDetails(JSON.stringify({ errors: [`${filler(480)}${odd}`] }), [odd]);
  assert.ok(!oddDetail.includes(odd.slice(0, 16)), `a fragment of a known secret is shown: …${oddDetail.slice(460)}`);
  // Still capped.
  assert.ok(keyDetail.length <= 501 && tokenDetail.length <= 520);
});

test('mapping API: a 403 that echoes the API key across the cap does not show any part of it', async () => {
  const apiKey = randomBytes(16).toString('hex');
  const appKey = randomBytes(20).toString('hex');
  const s = await startServer((_q, res) => json(res, 403, { errors: [{ status: '403', title: 'Forbidden', detail: `${filler(470)}${apiKey} lacks the permission` }] }));
  const client = createMappingsClient({ baseUrl: s.url, auth: { kind: 'keys', apiKey, appKey }, allowedHosts: [s.host], paths: 'cloud_auth', timeoutMs: 5000 });
  const err = await mappingError(client.list('identity'));
  assert.equal(err.failure, 'forbidden');
  const all = everyString(err);
  assert.ok(!all.includes(apiKey.slice(0, 16)), `a fragment of the API key leaked: ${all.slice(0, 200)}…`);
});

test('login: a 401 that echoes the session token across the cap does not show any part of it', async () => {
  const id = TEST_IDENTITIES.mappedRole; // its fake session token has no secret shape: only redactKnown knows it
  const s = await startServer((_q, res) => json(res, 401, { errors: [{ status: '401', title: 'Unauthorized', detail: `${filler(480)}${id.sessionToken} was refused` }] }));
  const o = await testLogin({
    flow: 'terraform',
    orgUuid: ORG,
    apiUrl: s.url,
    allowedHosts: [s.host],
    credentials: async () => ({ accessKeyId: id.accessKeyId, secretAccessKey: id.secretAccessKey, sessionToken: id.sessionToken }),
    timeoutMs: 5000,
    sleep: async () => {},
  });
  assert.ok(!o.ok);
  assert.equal(o.kind, 'unauthorized');
  const all = [JSON.stringify(o), JSON.stringify(describeLoginOutcome(o))].join('\n');
  assert.ok(!all.includes(id.sessionToken!.slice(0, 12)), `a fragment of the session token leaked: ${o.details.join(' | ').slice(440)}`);
});

// ---------------------------------------------------------------------------
// 2. The redactor missed secret shapes.

test('redact: AWS secret access keys with three or more slashes (about 1 in 40 real keys, and every emulator key)', () => {
  const keys = [
    ...Object.values(TEST_IDENTITIES).map((i) => i.secretAccessKey), // EMULATOR/fake/secret/<name>/000…
    'wJalrXUtnFEMI/K7MDENG/bPxRfiCY/XAMPLEKEY',
    'a1B/c2D/e3F/g4H/' + 'x9Y8z7W6v5U4t3S2r1Q0p9o8', // 16 + 24 = 40, 4 slashes
  ];
  for (const k of keys) {
    assert.equal(k.length, 40, k);
    for (const line of [`secret ${k} end`, `aws_secret_access_key=${k}`, `{"SecretAccessKey":"${k}"}`]) {
      const out = redact(line);
      assert.ok(!out.includes(k.slice(0, 20)), `not redacted: ${out}`);
    }
  }
});

test('redact: a SigV4 signature (64 hex) is a secret too', () => {
  const sig = '3c567cb74f09e429570dae6682df7b08d094e3025394a08df8e92ab225fc2006';
  const out = redact(`AWS4-HMAC-SHA256 Credential=AKIAIOSFODNN7EXAMPLE/20260805/us-east-1/sts/aws4_request, SignedHeaders=content-length;host, Signature=${sig}`);
  assert.ok(!out.includes(sig.slice(0, 16)), out);
});

test('redact: the JWT rule is linear, so a hostile string cannot hang a log line, the CLI table or the claims scrub', { timeout: 120_000 }, async (t) => {
  // `\beyJ…{5,}\.` restarted a full scan at every "-eyJ": 32 KB took 0.3 s, 1 MB (a response body) minutes.
  // 4 MB of it would take hours were the rule quadratic again (linear: well under a second). Redacted in
  // a worker thread, so that the test's timeout can fail it: no timer fires while the main thread is busy.
  const hostile = 'eyJ-'.repeat(1_000_000);
  const out = await callOffThread<string>(require.resolve('../../server/src/shared/redact'), 'redact', [hostile], t.signal);
  assert.equal(out, hostile, 'not a JWT: left alone');
  // Still finds JWTs, also one after a non-JWT "eyJ" run and after a dash.
  const jwt = 'eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiJ1c2VyQGV4YW1wbGUuY29tIn0.c2lnbmF0dXJlLXBhcnQtaGVyZQ';
  for (const line of [`token ${jwt} end`, `eyJab.${jwt}`, `x-${jwt}`, `Authorization=${jwt}.trailing`]) {
    assert.ok(!redact(line).includes('c2lnbmF0dXJl'), `${line} → ${redact(line)}`);
  }
});

// ---------------------------------------------------------------------------
// 3. A Retry-After of absurd size: "try again in Infinity hours".

test('an absurd Retry-After gives a finite wait in words, never "Infinity" or "NaN"', async () => {
  const huge = '9'.repeat(400); // Number(huge) is Infinity
  const ms = parseRetryAfter({ 'retry-after': huge });
  assert.ok(ms !== undefined && Number.isFinite(ms), `parseRetryAfter gave ${ms}`);
  assert.ok(Number.isFinite(parseRetryAfter({ 'x-ratelimit-reset': huge }) ?? 0));

  const s = await startServer((_q, res) => json(res, 429, { errors: ['Too many requests'] }, { 'Retry-After': huge }));
  const o: LoginOutcome = await testLogin({
    flow: 'terraform',
    orgUuid: ORG,
    apiUrl: s.url,
    allowedHosts: [s.host],
    credentials: async () => ({ accessKeyId: 'AKIAIOSFODNN7EXAMPLE', secretAccessKey: 'wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY' }),
    timeoutMs: 5000,
    sleep: async () => {},
  });
  assert.ok(!o.ok && o.kind === 'rate-limited', JSON.stringify(o));
  assert.equal(s.seen.length, 1, 'a server asking for longer than we wait is not retried');
  const d = describeLoginOutcome(o);
  for (const text of [o.nextStep ?? '', d.detail, d.nextStep ?? '']) assert.doesNotMatch(text, /Infinity|NaN|e\+\d/, text);

  const client = createMappingsClient({ baseUrl: s.url, auth: { kind: 'keys', apiKey: 'e0e0000000000000000000000000a001', appKey: 'e0e000000000000000000000000000000000a001' }, allowedHosts: [s.host], paths: 'cloud_auth', timeoutMs: 5000, sleep: async () => {} });
  const err = await mappingError(client.list('identity'));
  assert.equal(err.failure, 'rate-limited');
  assert.doesNotMatch(`${err.message} ${err.nextStep}`, /Infinity|NaN|e\+\d/);
});

// ---------------------------------------------------------------------------
// 4. A mapping id of "." or ".." was resolved as a dot segment: DELETE
//    …/persona_mapping/.. went to /api/v2/cloud_auth/aws/ with the keys.

test('a mapping id of "." or ".." is refused before any request (it would be resolved as a dot segment of the path)', async () => {
  const s = await startServer((_q, res) => {
    res.writeHead(204);
    res.end();
  });
  const client = createMappingsClient({ baseUrl: s.url, auth: { kind: 'keys', apiKey: 'e0e0000000000000000000000000a001', appKey: 'e0e000000000000000000000000000000000a001' }, allowedHosts: [s.host], paths: 'cloud_auth', timeoutMs: 5000 });
  for (const id of ['..', '.', ' .. ']) {
    const del = await mappingError(client.delete('identity', id));
    assert.equal(del.failure, 'usage', `delete ${JSON.stringify(id)}: ${del.message}`);
    const get = await mappingError(client.get('intake', id));
    assert.equal(get.failure, 'usage');
  }
  assert.deepEqual(s.seen.map((r) => `${r.method} ${r.url}`), [], 'nothing was sent');
});

// ---------------------------------------------------------------------------
// 5. A non-UUID org UUID was cut to 60 characters BEFORE redaction, so a
//    pasted token showed its first 60 characters.

test('an org UUID that is really a pasted token is not echoed, not even its first characters', async () => {
  const token = 'IQoJb3JpZ2luX2VjE' + randomBytes(300).toString('base64');
  const o = await testLogin({ flow: 'terraform', orgUuid: token, allowedHosts: [], credentials: async () => assert.fail('no credentials before the inputs are valid') });
  assert.ok(!o.ok && o.kind === 'usage');
  assert.ok(!o.reason.includes(token.slice(0, 20)), o.reason);
});

// ---------------------------------------------------------------------------
// 6. Plain http:// was accepted for all of 127.0.0.0/8, but VS Code's proxy
//    patch (@vscode/proxy-agent) goes DIRECT only for `localhost`,
//    `127.0.0.1`, `::1` and `::ffff:127.0.0.1`. With `http.proxy` or
//    HTTP(S)_PROXY set, a request to http://127.8.9.10:9000 went to the proxy
//    in clear text, Authorization (the proof) or DD-API-KEY /
//    DD-APPLICATION-KEY included. package.json promises "plain http:// only
//    for 127.0.0.1, ::1 or localhost".

test('plain http only to the loopback names VS Code never proxies (127.0.0.1, ::1, localhost)', async () => {
  const { resolveApiBaseUrl, mayReceiveProof } = await import('../../server/src/cloud/hostPolicy');
  const allowed = ['127.8.9.10:9000'];
  const d = resolveApiBaseUrl({ apiUrl: 'http://127.8.9.10:9000', allowedHosts: allowed });
  assert.equal(d.ok, false);
  assert.match(!d.ok ? d.reason : '', /127\.0\.0\.1 or localhost/, 'the refusal says what to use instead');
  assert.equal(mayReceiveProof('http://127.8.9.10:9000/api/v2/intake-key', allowed), false);
  for (const [url, entry] of [['http://127.0.0.1:9000', '127.0.0.1:9000'], ['http://localhost:9000', 'localhost:9000'], ['http://[::1]:9000', '[::1]:9000']]) {
    assert.ok(resolveApiBaseUrl({ apiUrl: url, allowedHosts: [entry] }).ok, url);
    assert.ok(mayReceiveProof(`${url}/api/v2/intake-key`, [entry]), url);
  }
  // Nothing reaches a server on such an address either: the send gate refuses first.
  const s = await startServer((_q, res) => json(res, 200, { data: [] }));
  const client = createMappingsClient({ baseUrl: s.url.replace('127.0.0.1', '127.8.9.10'), auth: { kind: 'keys', apiKey: 'e0e0000000000000000000000000a001', appKey: 'e0e000000000000000000000000000000000a001' }, allowedHosts: [s.host.replace('127.0.0.1', '127.8.9.10')], paths: 'cloud_auth', timeoutMs: 5000 });
  const err = await mappingError(client.list('identity'));
  assert.equal(err.code, 'host-refused');
});

// ---------------------------------------------------------------------------
// 7. URLs as set were shown whole: AWS_ENDPOINT_URL_STS with `user:password@`
//    or a query reached the message of an STS failure.

test('an STS failure names the endpoint without its userinfo or query', () => {
  const saved = process.env.AWS_ENDPOINT_URL_STS;
  try {
    process.env.AWS_ENDPOINT_URL_STS = 'https://proxy-user:proxy-password-secret@sts.corp.example:8443/?X-Token=query-secret';
    const err = describeStsError(Object.assign(new Error('connect ECONNREFUSED'), { code: 'ECONNREFUSED' }), 'us-east-1');
    assert.match(err.message, /sts\.corp\.example:8443/);
    for (const leak of ['proxy-password-secret', 'proxy-user', 'query-secret']) assert.ok(!err.message.includes(leak), err.message);
    const given = describeStsError(Object.assign(new Error('timed out'), { name: 'TimeoutError' }), 'us-east-1', 'http://u:endpoint-secret@127.0.0.1:1/#frag-secret');
    assert.ok(!/endpoint-secret|frag-secret/.test(given.message), given.message);
  } finally {
    if (saved === undefined) delete process.env.AWS_ENDPOINT_URL_STS;
    else process.env.AWS_ENDPOINT_URL_STS = saved;
  }
});

// ---------------------------------------------------------------------------
// 8. A Terraform-flow token was kept under the site the caller asked for,
//    whatever base URL the proof went to: the login now hands it over with the
//    base URL it came from and that URL's site, so it is used for that API only.

test('the login hands its token over with the base URL the proof went to, and its site', async () => {
  const id = TEST_IDENTITIES.mappedRole;
  const token = 'eyJhbGciOiJIUzI1NiJ9.eyJleHAiOjQxMDI0NDQ4MDB9.c2lnbmF0dXJl';
  const s = await startServer((_q, res) => json(res, 200, { data: { attributes: { access_token: token, expires: 4102444800 } } }));
  const got: { accessToken?: string; baseUrl?: string; site?: string }[] = [];
  const o = await testLogin({
    flow: 'terraform',
    orgUuid: ORG,
    site: 'datadoghq.eu',
    apiUrl: `${s.url}/`,
    allowedHosts: [s.host],
    credentials: async () => ({ accessKeyId: id.accessKeyId, secretAccessKey: id.secretAccessKey, sessionToken: id.sessionToken }),
    timeoutMs: 5000,
    sleep: async () => {},
    onToken: (secret) => got.push(secret),
  });
  assert.ok(o.ok, JSON.stringify(o));
  assert.equal(got.length, 1);
  assert.equal(got[0].accessToken, token);
  assert.equal(got[0].baseUrl, s.url, 'the canonical base URL the proof went to');
  assert.equal(got[0].site, 'datadoghq.eu');
  assert.equal(got[0].baseUrl, o.baseUrl);
});
