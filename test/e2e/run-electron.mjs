#!/usr/bin/env node
// Runs the same real-VS-Code suite as test/e2e/run-vscode.mjs (the compiled
// test/e2e/suite, whose index exports run(): test-electron's extensionTestsPath)
// in VS Code desktop, through @vscode/test-electron, which downloads VS Code.
// CI cannot download it and uses run-vscode.mjs (code-server, offline) instead;
// this is for a machine with internet (on Linux without a display: xvfb-run).
//
//   npm run test:electron        (builds, compiles, then runs the three runs below)
//   node test/e2e/run-electron.mjs
//
// Like run-vscode.mjs it starts the local emulator, gives the extension host its
// AWS identities and the user settings that point login tests at it, and works
// on a copy of the workspace fixture; then it runs the suite three times as
// `npm test` does: a trusted workspace, an untrusted one (E2E_UNTRUSTED=1,
// Restricted Mode), the agent-globs workspace (E2E_AGENT_GLOBS=1). The tests
// that need run-vscode.mjs's workbench bridge (typing into a quick input,
// measuring a hover) skip themselves here.
//
// Environment (all optional):
//   E2E_VSCODE_VERSION         VS Code to download (default `stable`; e.g. 1.82.0, the oldest engines.vscode admits)
//   E2E_VSCODE_CACHE           download folder (default .vscode-test in the repository)
//   E2E_DOWNLOAD_TIMEOUT_MS    idle timeout of each download request (default 15000)
//   E2E_UNTRUSTED=1 / E2E_AGENT_GLOBS=1   run only that run (as run-vscode.mjs)
//   E2E_KEEP_TMP=1             keep the run folder of a passing run (a failing one is always kept)
//   npm_config_https_proxy     the proxy test-electron downloads through
//
// Exit codes: 0 every run passed, 1 a run failed, 2 a run broke (build
// missing, emulator), 3 VS Code could not be downloaded (nothing ran).
import { spawn, spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { createRequire } from 'node:module';
import { fileURLToPath } from 'node:url';

const REPO = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
export const TESTS = path.join(REPO, 'out/test/e2e/suite/index.js');
const RUNS = [
  { name: 'trusted workspace', env: {} },
  { name: 'untrusted workspace (Restricted Mode)', env: { E2E_UNTRUSTED: '1' } },
  { name: 'agent-globs workspace', env: { E2E_AGENT_GLOBS: '1' } },
];
const say = (msg) => console.log(`[electron] ${msg}`);
const testElectron = () => createRequire(import.meta.url)('@vscode/test-electron');

/** The message a failed download ends with: what failed, why it matters, what to do instead. */
export function downloadFailureMessage(version, error) {
  const why = error instanceof Error ? error.message : String(error);
  return [
    `could not download VS Code (${version}) for test:electron: ${why}`,
    '@vscode/test-electron downloads VS Code desktop from update.code.visualstudio.com: run `npm run test:electron` on a machine that can reach it',
    '(or through a proxy: npm_config_https_proxy). Offline, `npm test` runs the same suite in code-server (test/e2e/run-vscode.mjs).',
  ].join('\n');
}

/** Downloads VS Code (or finds it in the cache); a failure is one clear message, exit code 3. */
async function downloadVSCode() {
  const version = process.env.E2E_VSCODE_VERSION || 'stable';
  try {
    return await testElectron().downloadAndUnzipVSCode({
      version,
      cachePath: path.resolve(process.env.E2E_VSCODE_CACHE || path.join(REPO, '.vscode-test')),
      timeout: Number(process.env.E2E_DOWNLOAD_TIMEOUT_MS || 15_000),
      extensionDevelopmentPath: REPO,
    });
  } catch (e) {
    console.error(`[electron] ${downloadFailureMessage(version, e).split('\n').join('\n[electron] ')}`);
    process.exit(3);
  }
}

/** One run of the suite in this process's environment (E2E_UNTRUSTED / E2E_AGENT_GLOBS set by the parent). */
async function oneRun(vscodeExecutablePath) {
  // run-vscode.mjs reads its run (fixture, trust) from the environment when imported.
  const { RunError, startEmulator, stopEmulator, makeRunFolder, awsEnvironment } = await import('./run-vscode.mjs');
  for (const [f, hint] of [[path.join(REPO, 'dist/extension.js'), 'npm run build'], [path.join(REPO, 'dist/emulator.js'), 'npm run build'], [TESTS, 'npx tsc -p tsconfig.json']]) {
    if (!fs.existsSync(f)) throw new RunError(`${path.relative(REPO, f)} missing: run  ${hint}`);
  }
  const untrusted = process.env.E2E_UNTRUSTED === '1';
  const emulatorRoot = fs.mkdtempSync(path.join(os.tmpdir(), 'dd-wif-electron-emulator-'));
  const emulator = await startEmulator(emulatorRoot);
  try {
    const dirs = makeRunFolder(emulator);
    say(`run folder ${dirs.root}; emulator API ${emulator.apiUrl}`);
    // No AWS_* or VSCODE_* of the caller reaches the extension host: its identities are the emulator's.
    for (const k of Object.keys(process.env)) if (/^(VSCODE_|ELECTRON_RUN_AS_NODE|AWS_)/.test(k)) delete process.env[k];
    const extensionTestsEnv = { ...awsEnvironment(emulator, dirs.root), E2E_UNTRUSTED: untrusted ? '1' : '', E2E_AGENT_GLOBS: process.env.E2E_AGENT_GLOBS === '1' ? '1' : '' };
    const launchArgs = [dirs.workspace, `--user-data-dir=${dirs.userData}`, `--extensions-dir=${dirs.extensions}`, '--disable-extensions', '--disable-telemetry'];
    if (!untrusted) {
      await testElectron().runTests({ vscodeExecutablePath, extensionDevelopmentPath: REPO, extensionTestsPath: TESTS, launchArgs, extensionTestsEnv });
    } else {
      // runTests always adds --disable-workspace-trust; the untrusted run needs trust on (the
      // run folder's settings turn it on without a prompt), so it starts VS Code with the same
      // arguments but that one.
      const args = [...launchArgs, '--no-sandbox', '--disable-gpu-sandbox', '--disable-updates', '--skip-welcome', '--skip-release-notes', `--extensionTestsPath=${TESTS}`, `--extensionDevelopmentPath=${REPO}`];
      const child = spawn(vscodeExecutablePath, args, { env: { ...process.env, ...extensionTestsEnv }, stdio: 'inherit' });
      const code = await new Promise((resolve) => child.on('exit', (c, sig) => resolve(c ?? (sig ? 1 : 0))));
      if (code !== 0) throw new Error(`Test run failed with code ${code} (run folder kept: ${dirs.root})`);
    }
    if (process.env.E2E_KEEP_TMP !== '1') fs.rmSync(dirs.root, { recursive: true, force: true });
    return 0;
  } finally {
    await stopEmulator(emulator);
    fs.rmSync(emulatorRoot, { recursive: true, force: true });
  }
}

async function main() {
  if (process.argv.includes('--one')) {
    try {
      return await oneRun(process.argv[process.argv.indexOf('--one') + 1]);
    } catch (e) {
      console.error(`[electron] ${e.message}`);
      return e.constructor?.name === 'RunError' ? 2 : 1;
    }
  }
  const executable = await downloadVSCode();
  say(`VS Code: ${executable}`);
  const chosen = process.env.E2E_UNTRUSTED === '1' ? [RUNS[1]] : process.env.E2E_AGENT_GLOBS === '1' ? [RUNS[2]] : RUNS;
  let worst = 0;
  for (const run of chosen) {
    say(`=== ${run.name} ===`);
    const r = spawnSync(process.execPath, [fileURLToPath(import.meta.url), '--one', executable], { stdio: 'inherit', env: { ...process.env, E2E_UNTRUSTED: '', E2E_AGENT_GLOBS: '', ...run.env } });
    say(`${run.name}: ${r.status === 0 ? 'passed' : `FAILED (exit ${r.status})`}`);
    worst = Math.max(worst, r.status ?? 2);
  }
  return worst;
}

if (process.argv[1] && fs.realpathSync(path.resolve(process.argv[1])) === fs.realpathSync(fileURLToPath(import.meta.url))) {
  main().then((code) => process.exit(code), (e) => { console.error(`[electron] ${e.stack}`); process.exit(2); });
}
