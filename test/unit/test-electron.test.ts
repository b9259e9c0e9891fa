// `npm run test:electron`: the real-VS-Code suite through @vscode/test-electron
// (test/e2e/run-electron.mjs). VS Code cannot be downloaded here, so these check
// the wiring without network: the script runs the same compiled suite as the
// code-server runner, through test-electron's download and runTests, with an
// extensionTestsPath in the shape test-electron expects; and a download that
// fails (test-electron pointed at a closed local proxy) ends with one clear
// message and exit code 3, nothing run; and one run, given a stand-in for the
// VS Code executable that records what it was started with, passes the suite,
// the workspace copy, the user settings and the emulator's identities.

import { test } from 'node:test';
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import * as net from 'node:net';
import { spawn, spawnSync } from 'node:child_process';

const root = path.resolve(__dirname, '..', '..', '..');
const manifest = JSON.parse(fs.readFileSync(path.join(root, 'package.json'), 'utf8'));
const RUNNER = path.join(root, 'test/e2e/run-electron.mjs');

/** Evaluates an ES module expression in a child Node (the tests compile to CommonJS). */
function esm(expr: string): string {
  const r = spawnSync(process.execPath, ['--input-type=module', '-e', `const m = await import(${JSON.stringify(RUNNER)}); console.log(JSON.stringify(${expr}));`], { cwd: root, encoding: 'utf8' });
  assert.equal(r.status, 0, r.stderr);
  return JSON.parse(r.stdout);
}

test('npm run test:electron builds, compiles and runs test/e2e/run-electron.mjs, which uses @vscode/test-electron', () => {
  assert.match(manifest.scripts['test:electron'], /npm run build && tsc -p tsconfig\.json && node test\/e2e\/run-electron\.mjs$/);
  assert.ok(manifest.devDependencies['@vscode/test-electron']);
  const source = fs.readFileSync(RUNNER, 'utf8');
  for (const call of ['downloadAndUnzipVSCode(', 'runTests(']) assert.ok(source.includes(call), call);
});

test('the suite it runs is the code-server runner\'s, and its index exports run() as test-electron expects', () => {
  const tests = esm('m.TESTS') as string;
  assert.equal(tests, path.join(root, 'out/test/e2e/suite/index.js'));
  // run-vscode.mjs's default extensionTestsPath is the same file.
  assert.match(fs.readFileSync(path.join(root, 'test/e2e/run-vscode.mjs'), 'utf8'), /E2E_TESTS_PATH \|\| path\.join\(EXTENSION, 'out\/test\/e2e\/suite\/index\.js'\)/);
  // The index loads outside the extension host (it imports mocha, not vscode) and exports run().
  const r = spawnSync(process.execPath, ['-e', `const m = require(${JSON.stringify(tests)}); console.log(typeof m.run, m.run.length)`], { encoding: 'utf8' });
  assert.equal(r.status, 0, r.stderr);
  assert.equal(r.stdout.trim(), 'function 0');
  // Every test file of the suite sits next to the index it loads them from.
  const compiled = fs.readdirSync(path.dirname(tests)).filter((f) => f.endsWith('.test.js'));
  const sources = fs.readdirSync(path.join(root, 'test/e2e/suite')).filter((f) => f.endsWith('.test.ts')).map((f) => f.replace(/\.ts$/, '.js'));
  assert.deepEqual(sources.filter((f) => !compiled.includes(f)), []);
});

test('a VS Code download that fails ends with a clear message and exit code 3', async () => {
  // A local port nobody listens on, as the proxy test-electron downloads through: refused at once, never the network.
  const port = await new Promise<number>((resolve) => {
    const srv = net.createServer().listen(0, '127.0.0.1', () => {
      const p = (srv.address() as net.AddressInfo).port;
      srv.close(() => resolve(p));
    });
  });
  const cache = fs.mkdtempSync(path.join(os.tmpdir(), 'dd-wif-vscode-test-'));
  try {
    const env = { ...process.env, npm_config_https_proxy: `http://127.0.0.1:${port}`, npm_config_proxy: `http://127.0.0.1:${port}`, E2E_VSCODE_CACHE: cache, E2E_VSCODE_VERSION: 'stable', E2E_DOWNLOAD_TIMEOUT_MS: '5000', E2E_UNTRUSTED: '', E2E_AGENT_GLOBS: '' };
    const child = spawn(process.execPath, [RUNNER], { cwd: root, env });
    let out = '';
    child.stdout.on('data', (d) => (out += d));
    child.stderr.on('data', (d) => (out += d));
    const code = await new Promise<number | null>((resolve) => child.on('exit', (c) => resolve(c)));
    assert.equal(code, 3, out);
    assert.match(out, /could not download VS Code \(stable\) for test:electron: .*ECONNREFUSED/);
    assert.match(out, /npm test` runs the same suite in code-server/);
    assert.doesNotMatch(out, /=== trusted workspace ===/, 'no run was started');
  } finally {
    fs.rmSync(cache, { recursive: true, force: true });
  }
});

/** Starts one run (`--one`) with a stand-in VS Code that records its arguments, environment and user settings. */
function recordedRun(env: Record<string, string>): { args: string[]; env: Record<string, string>; settings: Record<string, unknown>; workspace: string[] } {
  const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'dd-wif-fake-code-'));
  try {
    const fake = path.join(tmp, 'code');
    const record = path.join(tmp, 'record.json');
    fs.writeFileSync(fake, `#!${process.execPath}
const fs = require('fs'), path = require('path');
const args = process.argv.slice(2);
const userData = args.find((a) => a.startsWith('--user-data-dir=')).slice('--user-data-dir='.length);
fs.writeFileSync(${JSON.stringify(record)}, JSON.stringify({ args, env: process.env,
  settings: JSON.parse(fs.readFileSync(path.join(userData, 'User/settings.json'), 'utf8')),
  workspace: fs.readdirSync(args[0]).sort() }));
`, { mode: 0o755 });
    const r = spawnSync(process.execPath, [RUNNER, '--one', fake], { cwd: root, encoding: 'utf8', env: { ...process.env, AWS_PROFILE: 'callers-own', E2E_UNTRUSTED: '', E2E_AGENT_GLOBS: '', ...env } });
    assert.equal(r.status, 0, r.stdout + r.stderr);
    return JSON.parse(fs.readFileSync(record, 'utf8'));
  } finally {
    fs.rmSync(tmp, { recursive: true, force: true });
  }
}

test("one run starts VS Code on a copy of the fixture with the suite, the emulator's settings and identities", { skip: !fs.existsSync(path.join(root, 'dist/emulator.js')) && 'dist/emulator.js not built (npm run build)' }, () => {
  const fixture = (name: string) => fs.readdirSync(path.join(root, 'test/e2e', name)).sort();
  const trusted = recordedRun({});
  assert.ok(trusted.args.includes(`--extensionTestsPath=${path.join(root, 'out/test/e2e/suite/index.js')}`), trusted.args.join(' '));
  assert.ok(trusted.args.includes(`--extensionDevelopmentPath=${root}`));
  assert.ok(trusted.args.includes('--disable-workspace-trust'));
  assert.deepEqual(trusted.workspace, fixture('workspace'));
  assert.match(String(trusted.settings['datadogWif.apiUrl']), /^http:\/\/127\.0\.0\.1:\d+$/);
  assert.equal(trusted.settings['datadogWif.apiUrl'], trusted.env.E2E_EMULATOR_API_URL);
  assert.ok(trusted.env.AWS_ACCESS_KEY_ID && trusted.env.AWS_ENDPOINT_URL_STS, 'the emulator\'s identity');
  assert.equal(trusted.env.AWS_PROFILE, undefined, 'no AWS_* of the caller');
  assert.equal(trusted.env.E2E_UNTRUSTED, '');

  // The untrusted run: workspace trust stays on (runTests would turn it off), Restricted Mode without a prompt.
  const untrusted = recordedRun({ E2E_UNTRUSTED: '1' });
  assert.ok(!untrusted.args.includes('--disable-workspace-trust'), untrusted.args.join(' '));
  assert.equal(untrusted.settings['security.workspace.trust.enabled'], true);
  assert.equal(untrusted.env.E2E_UNTRUSTED, '1');

  const globs = recordedRun({ E2E_AGENT_GLOBS: '1' });
  assert.deepEqual(globs.workspace, fixture('workspace-agent-globs'));
  assert.equal(globs.env.E2E_AGENT_GLOBS, '1');
});
