// The host policy: which hosts may receive a proof or a key (PROTOCOL.md §5).
import { test } from 'node:test';
import * as assert from 'node:assert/strict';
import { apiBaseUrlForSite, resolveApiBaseUrl, mayReceiveProof, parseAllowedHost, isLoopbackHost } from '../../server/src/cloud/hostPolicy';
import { DATADOG_SITES } from '../../server/src/service/common/sites';

const none: readonly string[] = [];

function ok(d: ReturnType<typeof resolveApiBaseUrl>): { baseUrl: string; site?: string; knownHost: boolean } {
  assert.ok(d.ok, `expected ok, got: ${!d.ok ? d.reason : ''}`);
  return d;
}
function refused(d: ReturnType<typeof resolveApiBaseUrl>): { reason: string; kind: string } {
  assert.ok(!d.ok, `expected a refusal, got ${d.ok ? d.baseUrl : ''}`);
  return d;
}

test('every known site maps to https://api.<site>, no trailing slash', () => {
  for (const s of DATADOG_SITES) {
    const d = ok(apiBaseUrlForSite(s.site));
    assert.equal(d.baseUrl, `https://${s.apiHost}`);
    assert.equal(d.site, s.site);
    assert.equal(d.knownHost, true);
    assert.ok(mayReceiveProof(`${d.baseUrl}/api/v2/delegated-token`, none));
  }
});

test('site: case and a trailing dot are tolerated; an unknown site is refused naming the known ones', () => {
  assert.equal(ok(apiBaseUrlForSite('DatadogHQ.EU')).baseUrl, 'https://api.datadoghq.eu');
  assert.equal(ok(apiBaseUrlForSite('us3.datadoghq.com.')).baseUrl, 'https://api.us3.datadoghq.com');
  const r = refused(apiBaseUrlForSite('datadoghq.evil'));
  assert.equal(r.kind, 'usage');
  assert.match(r.reason, /not a known Datadog site/);
  for (const s of DATADOG_SITES) assert.ok(r.reason.includes(s.site), `names ${s.site}`);
  assert.match(r.reason, /allowedApiHosts/);
  // A pasted host of a known site gets a "did you mean".
  assert.match(refused(apiBaseUrlForSite('app.datadoghq.eu')).reason, /did you mean "datadoghq\.eu"/);
});

test('resolve: no apiUrl → the site, default datadoghq.com', () => {
  assert.equal(ok(resolveApiBaseUrl({ allowedHosts: none })).baseUrl, 'https://api.datadoghq.com');
  assert.equal(ok(resolveApiBaseUrl({ site: 'us5.datadoghq.com', allowedHosts: none })).baseUrl, 'https://api.us5.datadoghq.com');
  assert.equal(ok(resolveApiBaseUrl({ site: 'us5.datadoghq.com', apiUrl: '  ', allowedHosts: none })).baseUrl, 'https://api.us5.datadoghq.com');
});

test('resolve: apiUrl wins over site', () => {
  const d = ok(resolveApiBaseUrl({ site: 'datadoghq.com', apiUrl: 'https://api.datadoghq.eu', allowedHosts: none }));
  assert.equal(d.baseUrl, 'https://api.datadoghq.eu');
  assert.equal(d.site, 'datadoghq.eu');
});

test('resolve: intake and app hosts map to the API host of their site', () => {
  const cases: [string, string][] = [
    ['https://agent.us3.datadoghq.com', 'https://api.us3.datadoghq.com'],
    ['https://trace.agent.datadoghq.eu', 'https://api.datadoghq.eu'],
    ['https://app.datadoghq.com/', 'https://api.datadoghq.com'],
    ['https://us5.datadoghq.com', 'https://api.us5.datadoghq.com'],
    ['https://app.ddog-gov.com', 'https://api.ddog-gov.com'],
    ['https://app.us2.ddog-gov.com', 'https://api.us2.ddog-gov.com'],
    ['https://api.ap1.datadoghq.com', 'https://api.ap1.datadoghq.com'],
    ['http://app.datadoghq.com', 'https://api.datadoghq.com'], // upgraded: never plain http to Datadog
  ];
  for (const [input, expected] of cases) {
    const d = ok(resolveApiBaseUrl({ apiUrl: input, allowedHosts: none }));
    assert.equal(d.baseUrl, expected, input);
    assert.equal(d.knownHost, true);
  }
});

test('resolve: upper case and a trailing dot are canonicalised; :443 is the default port', () => {
  assert.equal(ok(resolveApiBaseUrl({ apiUrl: 'HTTPS://API.DATADOGHQ.COM', allowedHosts: none })).baseUrl, 'https://api.datadoghq.com');
  assert.equal(ok(resolveApiBaseUrl({ apiUrl: 'https://api.datadoghq.com./', allowedHosts: none })).baseUrl, 'https://api.datadoghq.com');
  assert.equal(ok(resolveApiBaseUrl({ apiUrl: 'https://api.datadoghq.com:443', allowedHosts: none })).baseUrl, 'https://api.datadoghq.com');
});

test('resolve: a port other than 443 on a Datadog host is refused', () => {
  for (const u of ['https://api.datadoghq.com:8443', 'http://api.datadoghq.com:443', 'https://app.datadoghq.eu:444']) {
    const r = refused(resolveApiBaseUrl({ apiUrl: u, allowedHosts: none }));
    assert.equal(r.kind, 'host-refused', u);
    assert.match(r.reason, /port/);
  }
  // …unless the user allowed exactly that host:port.
  const d = ok(resolveApiBaseUrl({ apiUrl: 'https://api.datadoghq.com:8443', allowedHosts: ['api.datadoghq.com:8443'] }));
  assert.equal(d.baseUrl, 'https://api.datadoghq.com:8443');
  assert.equal(d.knownHost, false);
});

test('resolve: look-alikes and smuggled hosts are refused', () => {
  const cases = [
    'https://api.datadoghq.com.evil.com',
    'https://evil.com/api.datadoghq.com',
    'evil.com/api.datadoghq.com',
    'https://api.datadoghq.com@evil.com',
    'https://user:pass@api.datadoghq.com',
    'https://evil.com\\@api.datadoghq.com',
    'https://api.datadoghq.com\\.evil.com',
    'https://аpi.datadoghq.com', // Cyrillic а
    'https://api.datadoghq.cоm', // Cyrillic о
    'https://ａｐｉ.datadoghq.com', // full-width
    'https://xn--pi-6kc.datadoghq.com.evil.com',
    'https://api%2Edatadoghq.com',
    'https://apidatadoghq.com',
    'https://datadoghq.com.evil.com',
    'https://api.datadoghq.co',
    'https://api.datadoghq.com/api', // a path
    'https://api.datadoghq.com/?x=1', // a query
    'https://api.datadoghq.com/?', // an empty query
    'https://api.datadoghq.com#frag', // a fragment
    'https://api.datadoghq.com #',
    'ftp://api.datadoghq.com',
    'javascript:alert(1)',
    'api.datadoghq.com', // not absolute
    'https://',
  ];
  for (const u of cases) {
    const d = resolveApiBaseUrl({ apiUrl: u, allowedHosts: none });
    assert.ok(!d.ok, `${u} must be refused, got ${d.ok ? d.baseUrl : ''}`);
  }
});

test('resolve: refusals say what and how to allow it', () => {
  const r = refused(resolveApiBaseUrl({ apiUrl: 'https://dd-proxy.corp.example:8443', allowedHosts: none }));
  assert.equal(r.kind, 'host-refused');
  assert.match(r.reason, /not a Datadog API host/);
  assert.match(r.reason, /"dd-proxy\.corp\.example:8443"/);
  assert.match(r.reason, /datadogWif\.allowedApiHosts/);
  assert.match(r.reason, /--allow-host/);
  const creds = refused(resolveApiBaseUrl({ apiUrl: 'https://me:secret-password@api.datadoghq.com', allowedHosts: none }));
  assert.match(creds.reason, /credentials/);
  assert.ok(!creds.reason.includes('secret-password'), 'never echoes URL credentials');
  assert.match(refused(resolveApiBaseUrl({ apiUrl: 'https://аpi.datadoghq.com', allowedHosts: none })).reason, /non-ASCII/);
  assert.match(refused(resolveApiBaseUrl({ apiUrl: 'https://api.datadoghq.com/api/v2', allowedHosts: none })).reason, /path, query or fragment/);
  // A query or fragment may carry a secret: never echoed, whatever the refusal.
  for (const u of ['https://api.datadoghq.com/?api_key=query-secret', 'https://me:pw@api.datadoghq.com/?api_key=query-secret', 'ftp://x.example/?api_key=query-secret', 'https://x.example/#query-secret', 'api.datadoghq.com?api_key=query-secret']) {
    const r = refused(resolveApiBaseUrl({ apiUrl: u, allowedHosts: none }));
    assert.ok(!r.reason.includes('query-secret') && !r.reason.includes(':pw@'), r.reason);
  }
});

test('resolve: an allowed host is used as written', () => {
  const d = ok(resolveApiBaseUrl({ apiUrl: 'https://dd-proxy.corp.example:8443/', allowedHosts: ['dd-proxy.corp.example:8443'] }));
  assert.equal(d.baseUrl, 'https://dd-proxy.corp.example:8443');
  assert.equal(d.knownHost, false);
  assert.equal(d.site, undefined);
  // Host without a port: the scheme's default port only.
  assert.ok(resolveApiBaseUrl({ apiUrl: 'https://dd-proxy.corp.example', allowedHosts: ['dd-proxy.corp.example'] }).ok);
  assert.ok(!resolveApiBaseUrl({ apiUrl: 'https://dd-proxy.corp.example:8443', allowedHosts: ['dd-proxy.corp.example'] }).ok);
  // Case and trailing dots in the allow-list entry do not matter; a pasted URL is tolerated.
  assert.ok(resolveApiBaseUrl({ apiUrl: 'https://dd-proxy.corp.example', allowedHosts: ['DD-Proxy.Corp.Example.'] }).ok);
  assert.ok(resolveApiBaseUrl({ apiUrl: 'https://dd-proxy.corp.example:8443', allowedHosts: ['https://dd-proxy.corp.example:8443/'] }).ok);
  // Allowing one host allows no other.
  assert.ok(!resolveApiBaseUrl({ apiUrl: 'https://evil.example', allowedHosts: ['dd-proxy.corp.example'] }).ok);
  assert.ok(!resolveApiBaseUrl({ apiUrl: 'https://proxy.corp.example.evil.com', allowedHosts: ['proxy.corp.example'] }).ok);
});

test('resolve: plain http only to an allowed loopback host', () => {
  assert.equal(ok(resolveApiBaseUrl({ apiUrl: 'http://127.0.0.1:8126', allowedHosts: ['127.0.0.1:8126'] })).baseUrl, 'http://127.0.0.1:8126');
  assert.equal(ok(resolveApiBaseUrl({ apiUrl: 'http://localhost:9000/', allowedHosts: ['localhost:9000'] })).baseUrl, 'http://localhost:9000');
  assert.equal(ok(resolveApiBaseUrl({ apiUrl: 'http://[::1]:9000', allowedHosts: ['[::1]:9000'] })).baseUrl, 'http://[::1]:9000');
  // The rest of 127.0.0.0/8 is not: VS Code would send it through a configured proxy. The refusal says what works instead.
  const range = refused(resolveApiBaseUrl({ apiUrl: 'http://127.8.9.10:9000', allowedHosts: ['127.8.9.10:9000'] }));
  assert.equal(range.kind, 'host-refused');
  assert.match(range.reason, /127\.0\.0\.1 or localhost/);
  assert.match(range.reason, /http:\/\/127\.0\.0\.1:9000/);
  assert.match(refused(resolveApiBaseUrl({ apiUrl: 'http://127.8.9.10:9000', allowedHosts: none })).reason, /use http:\/\/127\.0\.0\.1:9000.*add "127\.0\.0\.1:9000"/);
  assert.ok(!resolveApiBaseUrl({ apiUrl: 'http://[::ffff:127.0.0.1]:9000', allowedHosts: ['[::ffff:7f00:1]:9000'] }).ok);
  // https to such a host, when allowed, is fine: no clear text.
  assert.ok(resolveApiBaseUrl({ apiUrl: 'https://127.8.9.10:9000', allowedHosts: ['127.8.9.10:9000'] }).ok);
  // Loopback but not allowed.
  assert.equal(refused(resolveApiBaseUrl({ apiUrl: 'http://127.0.0.1:8126', allowedHosts: none })).kind, 'host-refused');
  // Allowed but not on this port.
  assert.ok(!resolveApiBaseUrl({ apiUrl: 'http://127.0.0.1:8127', allowedHosts: ['127.0.0.1:8126'] }).ok);
  // Allowed but not loopback: http is refused, https is fine.
  const r = refused(resolveApiBaseUrl({ apiUrl: 'http://dd-proxy.corp.example', allowedHosts: ['dd-proxy.corp.example'] }));
  assert.match(r.reason, /loopback/);
  assert.ok(!resolveApiBaseUrl({ apiUrl: 'http://10.0.0.1:80', allowedHosts: ['10.0.0.1'] }).ok);
  assert.ok(!resolveApiBaseUrl({ apiUrl: 'http://localhost.evil.com:80', allowedHosts: ['localhost.evil.com'] }).ok);
  assert.ok(!resolveApiBaseUrl({ apiUrl: 'http://128.0.0.1:80', allowedHosts: ['128.0.0.1'] }).ok);
});

test('allow-list entries: wildcards, paths and credentials are never honoured', () => {
  assert.equal(parseAllowedHost('*.example.com'), undefined);
  assert.equal(parseAllowedHost('example.com/path'), undefined);
  assert.equal(parseAllowedHost('user@example.com'), undefined);
  assert.equal(parseAllowedHost(''), undefined);
  assert.equal(parseAllowedHost('exämple.com'), undefined);
  assert.equal(parseAllowedHost('example.com:99999'), undefined);
  assert.deepEqual(parseAllowedHost('Example.COM:08443'), { hostname: 'example.com', port: '8443' });
  assert.deepEqual(parseAllowedHost('[::1]:80'), { hostname: '[::1]', port: '80' });
  assert.deepEqual(parseAllowedHost('localhost'), { hostname: 'localhost', port: undefined });
  assert.ok(!mayReceiveProof('https://x.example.com/api/v2/intake-key', ['*.example.com']));
  assert.ok(!mayReceiveProof('https://example.com/api/v2/intake-key', ['*']));
});

test('loopback for plain http: exactly 127.0.0.1, ::1 and localhost (the names VS Code never proxies)', () => {
  for (const h of ['127.0.0.1', '[::1]', 'localhost', 'LOCALHOST']) assert.ok(isLoopbackHost(h), h);
  for (const h of ['127.255.255.254', '127.8.9.10', '127.0.0.2', '[::ffff:7f00:1]', '128.0.0.1', '10.0.0.1', '127.0.0.1.evil.com', 'localhost.evil.com', '0.0.0.0', '[::2]', '127.0.0.256']) {
    assert.ok(!isLoopbackHost(h), h);
  }
});

test('mayReceiveProof: the final check on the full request URL', () => {
  assert.ok(mayReceiveProof('https://api.datadoghq.com/api/v2/delegated-token', none));
  assert.ok(mayReceiveProof('https://api.us3.datadoghq.com/api/v2/cloud_auth/aws/persona_mapping?page[size]=100', none));
  assert.ok(mayReceiveProof('https://API.DATADOGHQ.COM/api/v2/intake-key', none));
  assert.ok(mayReceiveProof('https://api.datadoghq.com:443/api/v2/intake-key', none));
  assert.ok(mayReceiveProof('http://127.0.0.1:4000/api/v2/intake-key', ['127.0.0.1:4000']));
  const refused = [
    'http://api.datadoghq.com/api/v2/intake-key', // plain http to Datadog
    'https://app.datadoghq.com/api/v2/intake-key', // not an API host (resolve maps it; the send gate does not)
    'https://agent.us3.datadoghq.com/api/v2/intake-key',
    'https://api.datadoghq.com:8443/api/v2/intake-key',
    'https://api.datadoghq.com./api/v2/intake-key', // trailing dot
    'https://api.datadoghq.com.evil.com/api/v2/intake-key',
    'https://evil.com/api.datadoghq.com/api/v2/intake-key',
    'https://api.datadoghq.com@evil.com/api/v2/intake-key',
    'https://u:p@api.datadoghq.com/api/v2/intake-key',
    'https://api.datadoghq.com/api/v2/intake-key#x',
    'https://аpi.datadoghq.com/api/v2/intake-key',
    'https://ａｐｉ.datadoghq.com/api/v2/intake-key',
    'https://api%2Edatadoghq.com/api/v2/intake-key',
    'https://evil.com\\@api.datadoghq.com/',
    'http://127.0.0.1:4000/api/v2/intake-key', // not allowed
    'http://10.1.2.3:4000/api/v2/intake-key',
    'not a url',
    '',
  ];
  for (const u of refused) assert.ok(!mayReceiveProof(u, none), u);
  assert.ok(!mayReceiveProof('http://10.1.2.3:4000/x', ['10.1.2.3:4000']), 'http to an allowed non-loopback host');
  assert.ok(!mayReceiveProof('http://127.0.0.1:4001/x', ['127.0.0.1:4000']), 'another port');
  assert.ok(mayReceiveProof('https://10.1.2.3:4000/x', ['10.1.2.3:4000']), 'https to an allowed host');
});

test('every base URL the resolver accepts passes the send gate with the same allow-list', () => {
  const inputs: [string | undefined, string | undefined, string[]][] = [
    ['datadoghq.eu', undefined, []],
    [undefined, 'https://trace.agent.us5.datadoghq.com', []],
    [undefined, 'HTTPS://APP.DATADOGHQ.COM./', []],
    [undefined, 'http://localhost:7777', ['localhost:7777']],
    [undefined, 'https://dd-proxy.example:8443', ['dd-proxy.example:8443']],
  ];
  for (const [site, apiUrl, allowedHosts] of inputs) {
    const d = ok(resolveApiBaseUrl({ site, apiUrl, allowedHosts }));
    assert.ok(mayReceiveProof(`${d.baseUrl}/api/v2/intake-key`, allowedHosts), d.baseUrl);
  }
});
