// Terminal control characters from files and servers (issue #10): every
// human-readable line dd-wif prints shows ESC, BEL, CR, BS, C1 controls, OSC 8
// links and bidirectional overrides as visible escapes, so a hostile
// repository cannot clear or spoof a CI log and a hostile server cannot
// rewrite what a person reads; a value that must stay on one line (a file
// name, a finding, an ARN) shows a line feed as `\x0a` too. JSON and SARIF
// output are the values exactly, as before (JSON.stringify escapes them).
// In-process through main() with a buffer io; `mappings` is in
// cli-mappings.test.ts, the binary in cli-binary.test.ts.

import { after, afterEach, before, describe, test } from 'node:test';
import * as assert from 'node:assert/strict';
import * as path from 'node:path';
import { runCli, tempTrees, type Run } from '../helpers/cli';
import { formatJson, formatSarif, sortFindings, type FileFinding } from '../../server/src/cli/formats';
import { LanguageService } from '../../server/src/service';
import { startEmulator, TEST_IDENTITIES, type Emulator } from '../../emulator/src/index';

/** What must never reach a terminal from a file or a server (TAB and LF are ours to keep). */
const CONTROL = /[\u0000-\u0008\u000b-\u001f\u007f-\u009f\u2028\u2029\u202a-\u202e\u2066-\u2069]/;
/** ESC [2J clears the screen; an OSC 8 link; BEL; CR rewrites the line; BS; a C1 CSI; a right-to-left override. */
const HOSTILE = '\u001b[2J\u001b]8;;https://evil.example\u0007click\u001b]8;;\u0007\r0 errors\b\u009b31m\u202e';
const SHOWN = '\\x1b[2J\\x1b]8;;https://evil.example\\x07click\\x1b]8;;\\x07\\x0d0 errors\\x08\\x9b31m\\u202e';

const run = (...argv: string[]) => runCli(argv);

function assertNoControl(r: Run, label: string): void {
  assert.doesNotMatch(r.stdout, CONTROL, `${label}: a control character on stdout: ${JSON.stringify(r.stdout)}`);
  assert.doesNotMatch(r.stderr, CONTROL, `${label}: a control character on stderr: ${JSON.stringify(r.stderr)}`);
}

const tree = tempTrees('dd-wif-escape');

/** Short (a finding quotes the first 40 characters of a value), and without a CR, which YAML reads as a line break. */
const HOSTILE_VALUE = '\u001b[2J\u001b]8;;h\u0007x\b\u009b1m\u202e';
const SHOWN_VALUE = '\\x1b[2J\\x1b]8;;h\\x07x\\x08\\x9b1m\\u202e';
/** A site no one knows, quoted back by agent/unknown-site, in a single-quoted YAML scalar (which takes these characters). */
const HOSTILE_YAML = `site: 'evil${HOSTILE_VALUE}'\n`;

describe('lint text output', () => {
  test('a value from the file: escaped in the finding, one line a finding', async () => {
    const d = tree({ 'datadog.yaml': HOSTILE_YAML });
    const r = await run('lint', d);
    // The Agent's YAML reader refuses ESC, BEL, BS and C1 (four runs here): errors, each on its own line.
    assert.equal(r.code, 1);
    assertNoControl(r, 'lint');
    const lines = r.stdout.split('\n');
    assert.equal(lines.length, 5, r.stdout);
    assert.ok(lines.every((l) => l.startsWith(`${path.join(d, 'datadog.yaml')}:1:`)), r.stdout);
    assert.ok(lines[0].startsWith(`${path.join(d, 'datadog.yaml')}:1:7 warning agent/unknown-site \`evil${SHOWN_VALUE}\` is not a known Datadog site`), lines[0]);
    assert.equal(lines.filter((l) => / error agent\/yaml-syntax The character U\+00(1B|07)|characters from U\+0008/.test(l)).length, 4, r.stdout);
  });

  test('a file name with ESC, CR and a line feed: escaped, the finding still on one line; in the walk note too', async () => {
    const dirName = `x\u001b[2J\r\ny`;
    const d = tree({ [`${dirName}/datadog.yaml`]: HOSTILE_YAML, [`${dirName}/datadog.prod\u0007.yaml`]: HOSTILE_YAML });
    const r = await run('lint', d);
    assertNoControl(r, 'lint');
    const lines = r.stdout.split('\n');
    assert.equal(lines.length, 5, r.stdout);
    assert.ok(lines.every((l) => l.startsWith(`${path.join(d, 'x\\x1b[2J\\x0d\\x0ay', 'datadog.yaml')}:1:`)), r.stdout);
    assert.ok(lines[0].startsWith(`${path.join(d, 'x\\x1b[2J\\x0d\\x0ay', 'datadog.yaml')}:1:7 warning `), lines[0]);
    assert.match(r.stderr, /^dd-wif: not checked: .*x\\x1b\[2J\\x0d\\x0ay.datadog\.prod\\x07\.yaml \(a folder/m);
  });

  test('json and sarif: the values exactly, byte for byte what the formats make of them', async () => {
    const d = tree({ 'datadog.yaml': HOSTILE_YAML });
    const file = path.join(d, 'datadog.yaml');
    const findings: FileFinding[] = sortFindings(new LanguageService().lint({ path: file, text: HOSTILE_YAML, kind: 'agent' }).map((f) => ({ ...f, file })));
    assert.ok(findings.some((f) => f.message.includes(HOSTILE_VALUE)));
    const j = await run('lint', '--format', 'json', file);
    assert.equal(j.stdout, formatJson(findings));
    assert.ok(JSON.parse(j.stdout)[0].message.includes(HOSTILE_VALUE), 'the message as the file has it, not escaped twice');
    const s = await run('lint', '--format', 'sarif', file);
    assert.equal(s.stdout, formatSarif(findings, JSON.parse(s.stdout).runs[0].tool.driver.version));
  });

  test('a key next to an escape is still redacted (redaction before escaping)', async () => {
    const key = '5f3c9a1e7b2d4c6e8a0f1b3d5e7c9a2b';
    const d = tree({ 'datadog.yaml': `site: '\u001b${key}'\n` });
    const r = await run('lint', d);
    assert.match(r.stdout, /agent\/unknown-site/);
    assert.ok(!r.stdout.includes(key.slice(0, 20)), r.stdout);
    assertNoControl(r, 'lint');
  });
});

describe('usage errors that echo an argument', () => {
  for (const [label, argv] of [
    ['an unknown command', [`frob${HOSTILE}`]],
    ['a bad --format', ['lint', '--format', `x${HOSTILE}`, '.']],
    ['a missing file', ['lint', `nope${HOSTILE}`]],
    ['an unknown --severity code', ['lint', '--severity', `x${HOSTILE}=off`, '.']],
    ['a bad whoami --format', ['whoami', '--format', `x${HOSTILE}`]],
    ['a bad login --flow', ['login', '--flow', `x${HOSTILE}`, '--org-uuid', 'x']],
  ] as const) {
    test(`${label}: exit 2, the argument escaped`, async () => {
      const r = await run(...argv);
      assert.equal(r.code, 2);
      assertNoControl(r, label);
      assert.ok(r.stderr.includes(SHOWN), r.stderr);
    });
  }
});

describe('whoami and login: what the servers say', () => {
  let emulator: Emulator;
  const saved = new Map(Object.keys(process.env).filter((k) => k.startsWith('AWS_')).map((k) => [k, process.env[k]]));
  const home = tree({});

  before(async () => {
    emulator = await startEmulator();
  });
  after(async () => {
    await emulator?.close();
  });
  afterEach(() => {
    for (const k of Object.keys(process.env)) if (k.startsWith('AWS_')) delete process.env[k];
    for (const [k, v] of saved) if (v !== undefined) process.env[k] = v;
    emulator.reset();
  });

  function useIdentity(): void {
    const id = TEST_IDENTITIES.mappedRole;
    for (const k of Object.keys(process.env)) if (k.startsWith('AWS_')) delete process.env[k];
    Object.assign(process.env, {
      AWS_CONFIG_FILE: path.join(home, 'no-config'),
      AWS_SHARED_CREDENTIALS_FILE: path.join(home, 'no-credentials'),
      AWS_EC2_METADATA_DISABLED: 'true',
      AWS_ENDPOINT_URL_STS: emulator.stsUrl,
      AWS_ACCESS_KEY_ID: id.accessKeyId,
      AWS_SECRET_ACCESS_KEY: id.secretAccessKey,
      ...(id.sessionToken ? { AWS_SESSION_TOKEN: id.sessionToken } : {}),
    });
  }

  const xml = (s: string) => s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
  /** An STS that answers with an ARN, user id and account carrying control characters (and a line feed). */
  function hostileSts(): { arn: string; userId: string } {
    const arn = `arn:aws:sts::123456789012:assumed-role/ops\u202e\u009b2J/session\u001b]8;;https://evil.example\u0007x`;
    const userId = `AROAEXAMPLE:s\r\nKind:     an IAM user`;
    const body =
      `<GetCallerIdentityResponse xmlns="https://sts.amazonaws.com/doc/2011-06-15/"><GetCallerIdentityResult>` +
      `<Arn>${xml(arn)}</Arn><UserId>${xml(userId)}</UserId><Account>123456789012</Account>` +
      `</GetCallerIdentityResult><ResponseMetadata><RequestId>r</RequestId></ResponseMetadata></GetCallerIdentityResponse>`;
    emulator.fault('sts:/', { kind: 'status', status: 200, body, headers: { 'content-type': 'text/xml' } }, Infinity);
    return { arn, userId };
  }

  test('whoami text: the ARN and user id as STS sent them, escaped, each on its own line; json exact', async () => {
    useIdentity();
    const { arn, userId } = hostileSts();
    const r = await run('whoami');
    assert.equal(r.code, 0, r.stderr);
    assertNoControl(r, 'whoami');
    const lines = r.stdout.split('\n');
    assert.ok(lines.includes('ARN:      arn:aws:sts::123456789012:assumed-role/ops\\u202e\\x9b2J/session\\x1b]8;;https://evil.example\\x07x'), r.stdout);
    // XML reads CR LF as LF.
    assert.ok(lines.includes('User ID:  AROAEXAMPLE:s\\x0aKind:     an IAM user'), r.stdout);
    assert.equal(lines.filter((l) => l.startsWith('Kind:')).length, 1, 'no forged line');

    useIdentity();
    const j = await run('whoami', '--format', 'json');
    assert.equal(j.code, 0, j.stderr);
    const got = JSON.parse(j.stdout);
    assert.equal(got.arn, arn);
    assert.equal(got.userId, userId.replace('\r\n', '\n'));
  });

  test('login text: the server\'s own words and the caller ARN escaped; json exact', async () => {
    useIdentity();
    const words = `denied\u202e by policy\u2066 see https://evil.example`;
    emulator.fault('/api/v2/delegated-token', { kind: 'status', status: 403, body: JSON.stringify({ errors: [words] }) }, 2);
    const argv = ['login', '--flow', 'terraform', '--org-uuid', emulator.orgUuid, '--api-url', emulator.apiUrl, '--allow-host', new URL(emulator.apiUrl).host];
    const r = await run(...argv);
    assert.equal(r.code, 1, r.stderr);
    assertNoControl(r, 'login');
    assert.ok(r.stderr.includes('denied\\u202e by policy\\u2066 see https://evil.example'), r.stderr);

    useIdentity();
    const j = await run(...argv, '--format', 'json');
    assert.equal(j.code, 1);
    assert.ok(JSON.stringify(JSON.parse(j.stdout)).length > 0);
    assert.doesNotMatch(j.stdout, /\\\\u202e/, 'json is not escaped twice');
  });
});
