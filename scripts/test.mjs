#!/usr/bin/env node
// Runs every test of the project, in order, and ends with one line
// `N passed, N failed` that counts them all:
//   1. type-check and build (tsc into out/, esbuild into dist/)
//   2. unit tests of the language service and the CLI   (node --test out/test/unit/)
//   3. LSP tests: our JSON-RPC client and Neovim         (node --test out/test/lsp/)
//   4. the real-VS-Code suite in code-server             (test/e2e/run-vscode.mjs),
//      then its untrusted-workspace files in Restricted Mode (E2E_UNTRUSTED=1),
//      then its agent-globs files in a workspace whose only Agent file is matched
//      by datadogWif.agentConfigFiles (E2E_AGENT_GLOBS=1)
// Set DD_WIF_SKIP_E2E=1 to leave out step 4 (e.g. in a quick local loop).

import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { join, dirname } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const totals = { passed: 0, failed: 0, skipped: 0 };
const problems = [];

function run(title, cmd, args, opts = {}) {
  console.log(`\n=== ${title} ===`);
  const r = spawnSync(cmd, args, { cwd: root, stdio: opts.capture ? ['ignore', 'pipe', 'inherit'] : 'inherit', encoding: 'utf8', env: { ...process.env, ...opts.env } });
  if (opts.capture && r.stdout) process.stdout.write(r.stdout);
  return r;
}

function nodeTests(title, dir) {
  const tmp = mkdtempSync(join(tmpdir(), 'dd-wif-tap-'));
  const tap = join(tmp, 'result.tap');
  const r = run(title, process.execPath, ['--test', '--test-reporter=spec', '--test-reporter-destination=stdout', '--test-reporter=tap', `--test-reporter-destination=${tap}`, dir]);
  const out = existsSync(tap) ? readFileSync(tap, 'utf8') : '';
  rmSync(tmp, { recursive: true, force: true });
  const count = (name) => Number(out.match(new RegExp(`^# ${name} (\\d+)$`, 'm'))?.[1] ?? 0);
  const passed = count('pass');
  const failed = count('fail') + count('cancelled');
  totals.passed += passed;
  totals.failed += failed;
  totals.skipped += count('skipped');
  if (r.status !== 0 && failed === 0) {
    totals.failed += 1;
    problems.push(`${title}: exited ${r.status} without a counted failure`);
  }
  if (failed) problems.push(`${title}: ${failed} failed`);
}

// 1. Type-check, compile the tests, bundle.
let r = run('type-check and compile (tsc)', 'npx', ['tsc', '-p', 'tsconfig.json']);
if (r.status !== 0) {
  totals.failed += 1;
  problems.push('tsc failed');
}
r = run('bundle (esbuild)', process.execPath, ['esbuild.mjs']);
if (r.status !== 0) {
  totals.failed += 1;
  problems.push('esbuild failed');
}
r = run('manifest in step with the rule catalog', process.execPath, ['out/scripts/sync-manifest.js']);
if (r.status !== 0) {
  totals.failed += 1;
  problems.push('package.json settings out of date (npm run sync-manifest)');
}
r = run('rule pages in step with the rule catalog', process.execPath, ['out/scripts/rule-docs.js']);
if (r.status !== 0) {
  totals.failed += 1;
  problems.push('docs/rules/ out of date (npm run rule-docs)');
}

// 2-3. Node test runner suites.
nodeTests('unit tests', 'out/test/unit/');
if (existsSync(join(root, 'out/test/lsp'))) nodeTests('LSP tests (JSON-RPC client, Neovim)', 'out/test/lsp/');

// 4. Real VS Code: the suite in a trusted workspace, then its untrusted*.test.js
// files in an UNTRUSTED one (E2E_UNTRUSTED=1: Restricted Mode), then its
// agentGlobs*.test.js files in the agent-globs workspace (E2E_AGENT_GLOBS=1).
/** Adds one real-VS-Code run's `E2E-RESULT passed=N failed=M` to the totals. */
function countE2e(title, r) {
  const m = /E2E-RESULT passed=(\d+) failed=(\d+)/.exec(r.stdout ?? '');
  if (!m) {
    totals.failed += 1;
    problems.push(`${title} gave no result (exit ${r.status})`);
    return;
  }
  totals.passed += Number(m[1]);
  totals.failed += Number(m[2]);
  if (Number(m[2])) problems.push(`${title}: ${m[2]} failed`);
  if (r.status !== 0 && Number(m[2]) === 0) {
    totals.failed += 1;
    problems.push(`${title} exited ${r.status}`);
  }
}

if (process.env.DD_WIF_SKIP_E2E === '1') {
  console.log('\n=== real VS Code suite: skipped (DD_WIF_SKIP_E2E=1) ===');
} else {
  const TRUSTED = 'real VS Code suite (code-server + headless Chromium)';
  const UNTRUSTED = 'real VS Code suite in an untrusted workspace (Restricted Mode)';
  const AGENT_GLOBS = 'real VS Code suite in a workspace whose only Agent file matches datadogWif.agentConfigFiles';
  const only = (name) => ({ E2E_UNTRUSTED: '', E2E_AGENT_GLOBS: '', ...(name ? { [name]: '1' } : {}) });
  r = run(TRUSTED, process.execPath, ['test/e2e/run-vscode.mjs'], { capture: true, env: only() });
  if (r.status === 3 && process.getuid?.() === 0) {
    // First run on a fresh machine, as root (CI): install the tools, then try again.
    const setup = run('installing the real-VS-Code tools (.ci/setup-tools.sh)', 'bash', ['.ci/setup-tools.sh']);
    if (setup.status === 0) r = run(TRUSTED, process.execPath, ['test/e2e/run-vscode.mjs'], { capture: true, env: only() });
  }
  if (r.status === 3) {
    // No run can happen: one problem, not three.
    console.log('The real-VS-Code tools are not installed: run `bash .ci/setup-tools.sh` (as root: it uses apt) and run the tests again.');
    totals.failed += 1;
    problems.push('real VS Code suite not run: tools missing');
  } else {
    countE2e(TRUSTED, r);
    countE2e(UNTRUSTED, run(UNTRUSTED, process.execPath, ['test/e2e/run-vscode.mjs'], { capture: true, env: only('E2E_UNTRUSTED') }));
    countE2e(AGENT_GLOBS, run(AGENT_GLOBS, process.execPath, ['test/e2e/run-vscode.mjs'], { capture: true, env: only('E2E_AGENT_GLOBS') }));
  }
}

// 5. The .vsix builds offline and carries what the extension needs (last: it rebuilds dist/ minified).
{
  const vsix = join(root, 'datadog-wif.vsix');
  rmSync(vsix, { force: true });
  r = run('package (.vsix, offline)', 'npm', ['run', '--silent', 'package']);
  const listed = (spawnSync('npx', ['vsce', 'ls', '--no-dependencies'], { cwd: root, encoding: 'utf8' }).stdout ?? '').split('\n').filter(Boolean);
  // What the extension loads and shows, derived from the manifest, the bundles and the README (test/helpers/vsix.ts).
  const { requiredVsixFiles, unwantedVsixFiles } = createRequire(import.meta.url)(join(root, 'out/test/helpers/vsix.js'));
  const needed = existsSync(join(root, 'dist/extension.js')) ? requiredVsixFiles(root) : ['dist/extension.js'];
  const missing = needed.filter((f) => !listed.includes(f));
  const leaked = unwantedVsixFiles(listed, needed);
  if (r.status === 0 && existsSync(vsix) && missing.length === 0 && leaked.length === 0) {
    totals.passed += 1;
    console.log(`✔ datadog-wif.vsix built with the ${needed.length} files the extension loads and shows, and nothing else of dist/, no map, no source`);
  } else {
    totals.failed += 1;
    problems.push(`package: exit ${r.status}, missing [${missing.join(', ')}], should not ship [${leaked.join(', ')}]`);
  }
}

console.log('');
for (const p of problems) console.log(`problem: ${p}`);
console.log(`${totals.passed} passed, ${totals.failed} failed${totals.skipped ? `, ${totals.skipped} skipped` : ''}`);
process.exit(totals.failed ? 1 : 0);
