// `dd-wif lint` as users and CI run it: the built binary `node dist/cli.js`
// in a child process (real exit codes, real stdout/stderr, the redaction of
// the real streams). Needs `npm run build`; skipped with a message otherwise.

import { after, before, describe, test } from 'node:test';
import * as assert from 'node:assert/strict';
import { spawn, spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as net from 'node:net';
import * as path from 'node:path';
import { main } from '../../server/src/cli/main';
import { RULES } from '../../server/src/service';
import { tempTrees } from '../helpers/cli';

const root = path.resolve(__dirname, '..', '..', '..');
const cliJs = path.join(root, 'dist', 'cli.js');
const skip = fs.existsSync(cliJs) ? false : 'dist/cli.js is missing: run `npm run build` first (CLI binary tests skipped)';
const fixture = (...parts: string[]) => path.join('test', 'fixtures', 'cli', ...parts);

interface Run {
  code: number | null;
  stdout: string;
  stderr: string;
}

/** Runs the binary from the repository root, so fixture paths are relative ones. */
function bin(...argv: string[]): Run {
  const r = spawnSync(process.execPath, [cliJs, ...argv], { cwd: root, encoding: 'utf8', timeout: 30_000, maxBuffer: 64 * 1024 * 1024 });
  if (r.error) throw r.error;
  return { code: r.status, stdout: r.stdout, stderr: r.stderr };
}

/** The same command in-process, from the same folder. */
async function inProcess(...argv: string[]): Promise<Run> {
  const out: string[] = [];
  const err: string[] = [];
  const cwd = process.cwd();
  process.chdir(root);
  try {
    const code = await main(argv, { out: (t) => out.push(t + '\n'), err: (t) => err.push(t + '\n') });
    return { code, stdout: out.join(''), stderr: err.join('') };
  } finally {
    process.chdir(cwd);
  }
}

const tree = tempTrees('dd-wif-bin');

describe('dd-wif binary (node dist/cli.js)', { skip }, () => {
  test('starts with a node shebang, and prints the package version', async () => {
    assert.match(fs.readFileSync(cliJs, 'utf8').split('\n')[0], /^#!\/usr\/bin\/env node/);
    const r = bin('--version');
    assert.equal(r.code, 0);
    assert.equal(r.stdout.trim(), JSON.parse(fs.readFileSync(path.join(root, 'package.json'), 'utf8')).version);
  });

  test('text: exact lines, 1-based, on stdout; the summary on stderr; exit 1 on an error', async () => {
    const file = fixture('bad', 'datadog.yaml');
    const r = bin('lint', file);
    assert.equal(r.code, 1);
    const lines = r.stdout.split('\n').filter(Boolean);
    assert.equal(lines.length, 2);
    assert.ok(lines[0].startsWith(`${file}:5:13 error agent/org-uuid-invalid \`org_uuid\` must be a UUID`), lines[0]);
    assert.ok(lines[1].startsWith(`${file}:6:3 warning agent/unknown-key `), lines[1]);
    assert.equal(r.stderr, '1 file checked: 1 error, 1 warning, 0 infos\n');
  });

  test('the binary prints exactly what main() does, in every format', async () => {
    for (const format of ['text', 'json', 'sarif']) {
      const args = ['lint', '--format', format, fixture('bad'), fixture('warn-only', 'datadog.yaml'), fixture('info-only')];
      const a = bin(...args);
      const b = await inProcess(...args);
      const stale = `${format}: dist/cli.js and main() disagree (a stale bundle? run \`npm run build\`)`;
      assert.equal(a.code, b.code, stale);
      assert.equal(a.stdout, b.stdout, stale);
      assert.equal(a.stderr, b.stderr, stale);
    }
  });

  test('json: one array on stdout, nothing else there', async () => {
    const r = bin('lint', '--format', 'json', fixture('bad'));
    assert.equal(r.code, 1);
    const found = JSON.parse(r.stdout);
    assert.deepEqual(found[0].range, { start: { line: 4, character: 12 }, end: { line: 4, character: 22 } });
    assert.equal(found[0].file, path.join(fixture('bad'), 'datadog.yaml'));
  });

  test('sarif: 2.1.0, one rule per catalog code, `note` for info', async () => {
    const r = bin('lint', '--format', 'sarif', fixture('info-only'));
    assert.equal(r.code, 0);
    const log = JSON.parse(r.stdout);
    assert.equal(log.version, '2.1.0');
    assert.equal(log.runs[0].tool.driver.rules.length, RULES.length);
    assert.deepEqual(
      log.runs[0].results.map((x: { ruleId: string; level: string }) => [x.ruleId, x.level]),
      [['agent/no-fallback-api-key', 'note']],
    );
  });

  test('exit codes 0, 1 and 2 reach the shell', async () => {
    assert.equal(bin('lint', fixture('clean')).code, 0);
    assert.equal(bin('lint', fixture('warn-only')).code, 0);
    assert.equal(bin('lint', '--fail-on', 'warning', fixture('warn-only')).code, 1);
    assert.equal(bin('lint', '--fail-on', 'info', fixture('info-only')).code, 1);
    assert.equal(bin('lint', '--severity', 'agent/org-uuid-invalid=off', fixture('bad')).code, 0);
    for (const args of [['--nope', fixture('bad')], ['--format', 'xml', fixture('bad')], ['--fail-on', 'never', fixture('bad')], ['--severity', 'agent/x=off', fixture('bad')], ['--severity', 'agent/org-uuid-invalid=loud', fixture('bad')], [fixture('missing')], []]) {
      const r = bin('lint', ...args);
      assert.equal(r.code, 2, args.join(' '));
      assert.equal(r.stdout, '', args.join(' '));
      assert.match(r.stderr, /^dd-wif: /, args.join(' '));
    }
    assert.equal(bin('frobnicate').code, 2);
  });

  describe('an unreadable file', () => {
    let dir: string;
    let server: net.Server;
    before(async () => {
      dir = tree({});
      server = net.createServer();
      await new Promise<void>((resolve, reject) => {
        server.once('error', reject);
        server.listen(path.join(dir, 'datadog.yaml'), () => resolve());
      });
    });
    after(() => server.close());

    test('exits 2 and names the file', async () => {
      const r = bin('lint', path.join(dir, 'datadog.yaml'));
      assert.equal(r.code, 2);
      assert.match(r.stderr, /datadog\.yaml: not a regular file \(a socket\)/);
    });
  });

  test('a folder walk: recursive, skipping node_modules/.git/.terraform, sorted', async () => {
    const bad = fs.readFileSync(path.join(root, fixture('bad', 'datadog.yaml')), 'utf8');
    const dir = tree({ 'b/datadog.yaml': bad, 'a/c/datadog.yml': bad, 'node_modules/x/datadog.yaml': bad, '.git/datadog.yaml': bad, '.terraform/datadog.yaml': bad, 'a/agent.yaml': bad });
    const r = bin('lint', '--format', 'json', dir);
    const files = [...new Set(JSON.parse(r.stdout).map((f: { file: string }) => path.relative(dir, f.file).split(path.sep).join('/')))];
    assert.deepEqual(files, ['a/c/datadog.yml', 'b/datadog.yaml']);
    const globbed = bin('lint', '--format', 'json', '--agent-glob', 'agent.yaml', dir);
    assert.deepEqual([...new Set(JSON.parse(globbed.stdout).map((f: { file: string }) => path.relative(dir, f.file).split(path.sep).join('/')))], ['a/agent.yaml', 'a/c/datadog.yml', 'b/datadog.yaml']);
  });

  test('a large result is written whole before the process exits (no truncated JSON)', async () => {
    const bad = fs.readFileSync(path.join(root, fixture('bad', 'datadog.yaml')), 'utf8');
    const files: Record<string, string> = {};
    for (let i = 0; i < 400; i++) files[`f${String(i).padStart(3, '0')}/datadog.yaml`] = bad;
    const dir = tree(files);
    const r = bin('lint', '--format', 'json', dir);
    assert.equal(r.code, 1);
    assert.equal(JSON.parse(r.stdout).length, 800);
    assert.ok(r.stdout.length > 64 * 1024, 'bigger than a pipe buffer');
  });

  test('a reader that stops early (`| head -1`) ends it quietly, with the lint result as exit code', async () => {
    const bad = fs.readFileSync(path.join(root, fixture('bad', 'datadog.yaml')), 'utf8');
    const files: Record<string, string> = {};
    for (let i = 0; i < 500; i++) files[`f${String(i).padStart(4, '0')}/datadog.yaml`] = bad;
    const dir = tree(files);
    const child = spawn(process.execPath, [cliJs, 'lint', '--format', 'json', dir], { cwd: root, stdio: ['ignore', 'pipe', 'pipe'] });
    let stderr = '';
    child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
    // Read one chunk, then close our end of the pipe: the rest (hundreds of KB) hits EPIPE.
    child.stdout.once('data', () => child.stdout.destroy());
    const code = await new Promise<number | null>((resolve) => child.on('exit', (c) => resolve(c)));
    assert.doesNotMatch(stderr, /EPIPE|Error|at /, stderr);
    assert.equal(code, 1);
  });

  test('no secret on stdout or stderr, in any format, even where a message quotes the value', async () => {
    const API_KEY = '5f3c9a1e7b2d4c6e8a0f1b3d5e7c9a2b';
    const APP_KEY = '9e8d7c6b5a4f3e2d1c0b9a8f7e6d5c4b3a291807';
    // A key pasted as org_uuid (never quoted), and in places whose messages do quote the value.
    const dir = tree({
      'datadog.yaml': [
        'api_key: 0123456789abcdef0123456789abcdef',
        'additional_endpoints:',
        '  "https://app.datadoghq.com":',
        `    - "DELA(${API_KEY}, aws)"`,
        'delegated_auth:',
        `  org_uuid: ${API_KEY},`,
        'logs_config:',
        '  api_key: 0123456789abcdef0123456789abcdef',
        '  delegated_auth:',
        `    org_uuid: ${APP_KEY}`,
        '',
      ].join('\n'),
    });
    for (const format of ['text', 'json', 'sarif']) {
      const r = bin('lint', '--format', format, path.join(dir, 'datadog.yaml'));
      assert.equal(r.code, 1, format);
      for (const secret of [API_KEY, APP_KEY]) {
        assert.ok(!r.stdout.includes(secret), `${format}: stdout has ${secret}:\n${r.stdout}`);
        assert.ok(!r.stderr.includes(secret), `${format}: stderr has ${secret}`);
      }
    }
    const codes = JSON.parse(bin('lint', '--format', 'json', path.join(dir, 'datadog.yaml')).stdout).map((f: { code: string }) => f.code);
    assert.deepEqual(codes, ['agent/dela-directive-invalid', 'agent/org-uuid-invalid', 'agent/secret-in-org-uuid']);
  });

  test('control characters from a file name and its values reach the terminal escaped; json keeps them exactly', () => {
    const value = '\u001b[2J\u001b]8;;h\u0007x\b\u009b1m\u202e';
    const dir = tree({ 'x\u001b[31m\ry/datadog.yaml': `site: 'evil${value}'\n` });
    const r = bin('lint', dir);
    // ESC, BEL, BS and C1 are errors of their own (the Agent's YAML reader refuses them).
    assert.equal(r.code, 1, r.stderr);
    assert.doesNotMatch(r.stdout + r.stderr, /[\u0000-\u0008\u000b-\u001f\u007f-\u009f\u202a-\u202e\u2066-\u2069]/, JSON.stringify(r));
    assert.ok(r.stdout.startsWith(`${path.join(dir, 'x\\x1b[31m\\x0dy', 'datadog.yaml')}:1:7 warning agent/unknown-site \`evil\\x1b[2J\\x1b]8;;h\\x07x\\x08\\x9b1m\\u202e\``), r.stdout);
    const j = JSON.parse(bin('lint', '--format', 'json', dir).stdout);
    assert.equal(j[0].file, path.join(dir, 'x\u001b[31m\ry', 'datadog.yaml'));
    assert.ok(j[0].message.includes(value));
  });

  describe('what is not a regular file is refused, never read (a child killed after 20 s fails the test instead of hanging)', () => {
    const runBounded = (...argv: string[]) => spawnSync(process.execPath, [cliJs, ...argv], { cwd: root, encoding: 'utf8', timeout: 20_000 });

    test('a FIFO', { skip: process.platform === 'win32' ? 'no mkfifo on Windows' : false }, () => {
      const fifo = path.join(tree({}), 'datadog.yaml');
      assert.equal(spawnSync('mkfifo', [fifo]).status, 0, 'mkfifo');
      const r = runBounded('lint', fifo);
      assert.equal(r.signal, null, 'dd-wif lint blocked on a FIFO');
      assert.equal(r.status, 2);
      assert.match(r.stderr, /datadog\.yaml: not a regular file \(a FIFO\)/);
    });

    test('/dev/zero', { skip: fs.existsSync('/dev/zero') ? false : 'no /dev/zero' }, () => {
      const r = runBounded('lint', '/dev/zero');
      assert.equal(r.signal, null, 'dd-wif lint kept reading /dev/zero');
      assert.equal(r.status, 2);
      assert.match(r.stderr, /^dd-wif: \/dev\/zero: not a regular file \(a character device\); dd-wif reads regular files only/);
    });
  });
});
