// The one redaction every log and CLI line goes through.

import { test } from 'node:test';
import * as assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { displayUrl, redact, redactKnown } from '../../server/src/shared/redact';

const SECRETS = {
  accessKeyId: 'AKIAIOSFODNN7EXAMPLE',
  secretKey: 'wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY',
  // Session tokens are long base64: a few hundred random characters.
  sessionToken: 'FwoGZXIvYXdzE' + randomBytes(300).toString('base64'),
  apiKey: '0123456789abcdef0123456789abcdef',
  appKey: '0123456789abcdef0123456789abcdef01234567',
  jwt: 'eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiJ1c2VyQGV4YW1wbGUuY29tIn0.c2lnbmF0dXJlLXBhcnQtaGVyZQ',
};

test('every kind of secret is redacted, keeping at most its last 4 characters', () => {
  for (const [name, secret] of Object.entries(SECRETS)) {
    const out = redact(`value of ${name}: ${secret} (end)`);
    assert.ok(!out.includes(secret), `${name} leaked: ${out}`);
    assert.ok(!out.includes(secret.slice(0, -4)), `${name} prefix leaked: ${out}`);
    assert.match(out, /\(end\)$/);
  }
});

test('authorization headers lose their credential', () => {
  assert.equal(redact('Authorization: Delegated YWJjZGVm|Z2hpams=|POST|aHR0cHM6'), 'Authorization: Delegated [redacted]');
  assert.equal(redact('Authorization: Bearer abcdef123456.xyz'), 'Authorization: Bearer [redacted]');
});

test('ordinary text, UUIDs, file paths and rule codes are left alone', () => {
  const keep = [
    'linting file:///home/someone/Projects/Infrastructure/Terraform/modules/datadog/agent/config/datadog.yaml failed',
    '/work/main/node_modules/vscode-languageserver/lib/common/server.js:123:45 in onHover',
    'org 11111111-2222-3333-4444-555555555555, code agent/org-uuid-invalid',
    'the server stopped unexpectedly; restarting it once',
  ];
  for (const line of keep) assert.equal(redact(line), line);
});

test('redactKnown removes the exact values it is given, whatever their shape', () => {
  assert.equal(redactKnown('token=short-but-secret here', ['short-but-secret']), 'token=[redacted] here');
  assert.equal(redactKnown('nothing to hide', [undefined, '']), 'nothing to hide');
});

test('displayUrl: a URL without its userinfo, query and fragment (each may carry a secret), as typed otherwise', () => {
  const cases: [string, string][] = [
    ['https://me:hunter2@dd-proxy.example:8443/api?token=query-secret#frag-secret', 'https://dd-proxy.example:8443/api'],
    ['https://me@sts.example', 'https://sts.example'],
    ['http://127.0.0.1:8126', 'http://127.0.0.1:8126'],
    ['https://api.datadoghq.com/', 'https://api.datadoghq.com/'],
    ['https://api.datadoghq.com/?', 'https://api.datadoghq.com/'],
    ['  https://sts.us-east-1.amazonaws.com  ', 'https://sts.us-east-1.amazonaws.com'],
    // Not a URL: the same parts go by pattern.
    ['https://me:pa/ss@host.example/x?k=v', 'https://host.example/x'],
    ['http://[::1?token=query-secret', 'http://[::1'],
    ['sts.example?token=query-secret', 'sts.example'],
    ['user:pw-secret@sts.example:443', 'sts.example:443'],
    ['https://h.example/users/a@b.example', 'https://h.example/users/a@b.example'],
    ['', ''],
  ];
  for (const [input, expected] of cases) assert.equal(displayUrl(input), expected, input);
  // A secret left in the path is redacted like anywhere else.
  assert.ok(!displayUrl('https://h.example/0123456789abcdef0123456789abcdef').includes('0123456789abcdef0'));
});

test('displayUrl never throws, whatever it is given', () => {
  for (const v of [undefined, null, 42, {}, '\u0000', 'http://[::1', '%%%', '://@', 'javascript:alert(1)', 'https://a@b@c@d']) {
    assert.doesNotThrow(() => displayUrl(v as unknown as string), String(v));
    assert.equal(typeof displayUrl(v as unknown as string), 'string');
  }
  assert.equal(displayUrl('https://a@b@c@d.example'), 'https://d.example');
});
