#!/usr/bin/env node
// Runs the extension's end-to-end suite inside real VS Code, offline.
//
// @vscode/test-electron would download VS Code desktop, which this CI cannot
// do (`npm run test:electron`, test/e2e/run-electron.mjs, does it on a machine
// with internet). Instead we use the VS Code *server* bundled in the `code-server` npm
// package (installed by .ci/setup-tools.sh): it serves the real workbench to a
// browser and runs extensions in a real Node extension host, exactly where our
// language client and server run for a VS Code Remote user. Headless Debian
// Chromium, driven by playwright-core, plays the browser.
//
// Prerequisites:
//   bash .ci/setup-tools.sh                  (once per machine)
//   npm run build && npx tsc -p tsconfig.json (dist/extension.js + out/test/e2e/suite)
// Usage:
//   node test/e2e/run-vscode.mjs                 (or test/e2e/run.sh: builds first)
//   node test/e2e/run-vscode.mjs --check-tools   (exit 0 if installed, else 3)
//
// Environment (all optional):
//   DD_WIF_TOOLS          tools folder (default ~/.cache/datadog-wif-tools)
//   E2E_EXTENSION_PATH    extensionDevelopmentPath (default: the repository)
//   E2E_TESTS_PATH        extensionTestsPath (default <extension>/out/test/e2e/suite/index.js)
//   E2E_WORKSPACE         fixture folder, copied before use (default test/e2e/workspace)
//   E2E_EXTENSION_ENV     JSON object of env vars for the extension host, e.g. '{"E2E_GREP":"smoke"}'
//   E2E_USER_SETTINGS     JSON object merged into the user settings below
//   E2E_TIMEOUT_MS        overall timeout (default 300000)
//   E2E_SCREENSHOT        final workbench screenshot (default <run folder>/workbench.png)
//   E2E_SCREENSHOTS_DIR   where named screenshots requested by the suite go
//                         ("1" means docs/images of the repository); unset: ignored
//   E2E_KEEP_TMP=1        keep the whole run folder (it is always kept on failure)
//   E2E_VERBOSE=1         print every workbench console / automation log line
//   E2E_UNTRUSTED=1       the untrusted-workspace run: workspace trust on (no
//                         --disable-workspace-trust, `security.workspace.trust.enabled`
//                         true, no startup prompt or banner), so the folder opens in
//                         Restricted Mode; the suite then runs only its
//                         untrusted*.test.js files (index.ts; the normal run skips them)
//   E2E_AGENT_GLOBS=1     the agent-globs run: the fixture is test/e2e/workspace-agent-globs
//                         (no datadog.yaml, *.tf or lock file: its Agent file is ours only
//                         through datadogWif.agentConfigFiles in its .vscode/settings.json),
//                         and the suite runs only its agentGlobs*.test.js files
//
// The emulator: before VS Code starts, the runner starts the local emulator of
// AWS STS and Datadog (`node dist/emulator.js`, built by `npm run build`) and
// points the extension at it: the extension host gets the mapped test role's
// (fake) AWS keys, AWS_ENDPOINT_URL_STS, AWS_EC2_METADATA_DISABLED=true, a
// shared credentials file of the run folder with the other test identities as
// profiles (`unmapped`, `mapped`, `iam-user`) and a config file with an SSO
// profile that has no session (`sso-expired`), plus E2E_EMULATOR_API_URL and
// E2E_EMULATOR_ORG_UUID; the user settings get `datadogWif.apiUrl` (the
// emulator) and `datadogWif.allowedApiHosts` (its host:port). No AWS_* variable
// of the caller's environment reaches the extension host. The emulator is
// stopped at the end (emulator.log in the run folder has its stderr).
//
// The workbench bridge: what the extension host cannot see or do (the text of
// the quick input's validation message, typing into it, clicking a
// notification's button) the suite asks of this runner, which drives the page
// with playwright as a user would. The suite prints
//   [suite] UI <id> {"op": "quickInput" | "fill" | "press" | "click" | "texts", ...}
// and polls for <E2E_UI_DIR>/<id>.json, the answer ({ ok, ... } or { ok: false,
// error }); E2E_UI_DIR (a folder of the run folder) is in the extension host's
// environment. See workbenchUi() in suite/index.ts.
//
// Output: the suite's "[suite]" lines, then one machine-readable line
//   E2E-RESULT passed=N failed=M
// Exit codes: 0 all tests passed, 1 tests failed, 2 the run itself broke
// (build missing, server or browser failure, timeout), 3 tools not installed
// (no E2E-RESULT line then: the tests were skipped, not failed).
import { spawn } from 'node:child_process';
import fs from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { createRequire } from 'node:module';
import { fileURLToPath } from 'node:url';

const REPO = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
const TOOLS = path.resolve(process.env.DD_WIF_TOOLS || path.join(os.homedir(), '.cache/datadog-wif-tools'));
const TOOL = {
  node22: path.join(TOOLS, 'node22/node_modules/node/bin/node'),
  vscode: path.join(TOOLS, 'code-server/node_modules/code-server/lib/vscode'),
  playwright: path.join(TOOLS, 'playwright/node_modules/playwright-core'),
  chromium: process.env.E2E_CHROMIUM || '/usr/bin/chromium',
};

const EXTENSION = path.resolve(process.env.E2E_EXTENSION_PATH || REPO);
const TESTS = path.resolve(process.env.E2E_TESTS_PATH || path.join(EXTENSION, 'out/test/e2e/suite/index.js'));
const UNTRUSTED = process.env.E2E_UNTRUSTED === '1';
const AGENT_GLOBS = process.env.E2E_AGENT_GLOBS === '1';
const WORKSPACE_FIXTURE = path.resolve(process.env.E2E_WORKSPACE || path.join(REPO, AGENT_GLOBS ? 'test/e2e/workspace-agent-globs' : 'test/e2e/workspace'));
const TIMEOUT_MS = Number(process.env.E2E_TIMEOUT_MS || 300_000);
const VERBOSE = process.env.E2E_VERBOSE === '1';
const SHOTS_DIR = !process.env.E2E_SCREENSHOTS_DIR ? undefined
  : ['1', 'true'].includes(process.env.E2E_SCREENSHOTS_DIR) ? path.join(REPO, 'docs/images')
  : path.resolve(process.env.E2E_SCREENSHOTS_DIR);

const EMULATOR_JS = path.join(REPO, 'dist/emulator.js');
const IDENTITIES_JS = path.join(REPO, 'out/emulator/src/identities.js');

const t0 = Date.now();
const say = (msg) => console.log(`[e2e] ${msg}`);
const secs = () => `${((Date.now() - t0) / 1000).toFixed(1)}s`;

export class RunError extends Error {} // the run broke (exit 2), as opposed to failing tests

// --- preflight ---------------------------------------------------------------

function checkTools() {
  const missing = Object.entries({
    'Node 22': TOOL.node22,
    'VS Code server (code-server)': path.join(TOOL.vscode, 'out/server-main.js'),
    "VS Code server's node_modules": path.join(TOOL.vscode, 'node_modules'),
    'playwright-core': path.join(TOOL.playwright, 'package.json'),
    chromium: TOOL.chromium,
  }).filter(([, p]) => !fs.existsSync(p));
  if (missing.length) {
    console.error(`[e2e] test tools missing in ${TOOLS}:`);
    for (const [what, p] of missing) console.error(`[e2e]   ${what}: ${p}`);
    console.error('[e2e] install them with:  bash .ci/setup-tools.sh   (set DD_WIF_TOOLS to use another folder)');
    process.exit(3);
  }
}

function preflight() {
  checkTools();
  const pkg = JSON.parse(fs.readFileSync(path.join(EXTENSION, 'package.json'), 'utf8'));
  const main = pkg.main && path.resolve(EXTENSION, pkg.main);
  const built = (p) => p && (fs.existsSync(p) || fs.existsSync(`${p}.js`));
  if (!built(main)) throw new RunError(`extension entry ${pkg.main} not built in ${EXTENSION}: run  npm run build`);
  if (!fs.existsSync(TESTS)) throw new RunError(`test suite ${TESTS} not compiled: run  npx tsc -p tsconfig.json`);
  if (!fs.existsSync(EMULATOR_JS)) throw new RunError(`emulator ${path.relative(REPO, EMULATOR_JS)} not built: run  npm run build`);
  if (!fs.existsSync(IDENTITIES_JS)) throw new RunError(`${path.relative(REPO, IDENTITIES_JS)} not compiled: run  npx tsc -p tsconfig.json`);
  if (UNTRUSTED && AGENT_GLOBS) throw new RunError('E2E_UNTRUSTED=1 and E2E_AGENT_GLOBS=1 are two different runs: set one');
  const extEnv = process.env.E2E_EXTENSION_ENV;
  if (extEnv) JSON.parse(extEnv); // fail early on a typo rather than inside the workbench
}

// --- run folder --------------------------------------------------------------

export function makeRunFolder(emulator) {
  const root = fs.mkdtempSync(path.join(os.tmpdir(), 'dd-wif-e2e-'));
  const dirs = {
    root,
    workspace: path.join(root, 'workspace'),
    userData: path.join(root, 'user-data'),
    serverData: path.join(root, 'server-data'),
    extensions: path.join(root, 'extensions'),
    agent: path.join(root, 'agent'),
    tmp: path.join(root, 'tmp'),
    xdg: path.join(root, 'xdg'),
    chromeProfile: path.join(root, 'chrome-profile'),
    ui: path.join(root, 'ui'), // the workbench bridge's answers
  };
  for (const d of Object.values(dirs)) fs.mkdirSync(d, { recursive: true });
  for (const x of ['config', 'data', 'cache', 'state']) fs.mkdirSync(path.join(dirs.xdg, x));
  // Tests may edit files: always work on a fresh copy of the fixture.
  fs.cpSync(WORKSPACE_FIXTURE, dirs.workspace, { recursive: true });

  const settings = {
    'workbench.startupEditor': 'none',
    'workbench.tips.enabled': false,
    'workbench.secondarySideBar.defaultVisibility': 'hidden', // the (empty) chat side bar
    'workbench.enableExperiments': false,
    'telemetry.telemetryLevel': 'off',
    'chat.disableAIFeatures': true, // no Copilot/chat views, requests or sign-in prompts
    'git.enabled': false,
    'git.autoRepositoryDetection': false,
    'extensions.autoUpdate': false,
    'extensions.autoCheckUpdates': false,
    'extensions.ignoreRecommendations': true,
    'security.workspace.trust.enabled': UNTRUSTED,
    // The untrusted run: Restricted Mode without a modal asking to trust the folder.
    ...(UNTRUSTED ? { 'security.workspace.trust.startupPrompt': 'never', 'security.workspace.trust.banner': 'never', 'security.workspace.trust.untrustedFiles': 'open' } : {}),
    'update.mode': 'none',
    // Login tests go to the emulator: user-level settings, as a user would set them.
    'datadogWif.apiUrl': emulator.apiUrl,
    'datadogWif.allowedApiHosts': [new URL(emulator.apiUrl).host],
    ...(process.env.E2E_USER_SETTINGS ? JSON.parse(process.env.E2E_USER_SETTINGS) : {}),
  };
  fs.mkdirSync(path.join(dirs.userData, 'User'), { recursive: true });
  fs.writeFileSync(path.join(dirs.userData, 'User/settings.json'), JSON.stringify(settings, null, 2));
  return dirs;
}

function freePort() {
  return new Promise((resolve, reject) => {
    const srv = net.createServer();
    srv.on('error', reject);
    srv.listen(0, '127.0.0.1', () => {
      const { port } = srv.address();
      srv.close(() => resolve(port));
    });
  });
}

// --- emulator ----------------------------------------------------------------

/** Starts `node dist/emulator.js`; resolves with its child and the JSON line it prints. */
export function startEmulator(root) {
  const log = fs.openSync(path.join(root, 'emulator.log'), 'w');
  const child = spawn(process.execPath, [EMULATOR_JS], { cwd: REPO, stdio: ['ignore', 'pipe', log] });
  fs.closeSync(log);
  child.exited = new Promise((resolve) => child.once('exit', (code, signal) => resolve({ code, signal })));
  return new Promise((resolve, reject) => {
    let buffered = '';
    const timer = setTimeout(() => fail(new RunError('the emulator printed nothing within 15 s (see emulator.log)')), 15_000);
    const fail = (e) => {
      clearTimeout(timer);
      child.kill('SIGKILL');
      reject(e);
    };
    child.once('error', (e) => fail(new RunError(`the emulator did not start: ${e.message}`)));
    child.exited.then(({ code, signal }) => fail(new RunError(`the emulator exited (${code ?? signal}) before it was ready (see emulator.log)`)));
    child.stdout.on('data', (chunk) => {
      buffered += chunk;
      const nl = buffered.indexOf('\n');
      if (nl < 0) return;
      clearTimeout(timer);
      try {
        const info = JSON.parse(buffered.slice(0, nl));
        if (!info.apiUrl || !info.stsUrl || !info.orgUuid) throw new Error(`unexpected first line: ${buffered.slice(0, nl)}`);
        child.stdout.resume(); // never let a full pipe block it
        resolve({ child, ...info });
      } catch (e) {
        fail(new RunError(`the emulator's first line is not its JSON: ${e.message}`));
      }
    });
  });
}

export async function stopEmulator(emulator) {
  const child = emulator?.child;
  if (!child || child.exitCode !== null || child.signalCode !== null) return;
  child.kill('SIGTERM');
  const gone = await Promise.race([child.exited.then(() => true), new Promise((r) => setTimeout(() => r(false), 3000))]);
  if (!gone) {
    child.kill('SIGKILL');
    await child.exited;
  }
}

/**
 * The AWS side of the extension host's environment: the mapped role's keys,
 * the emulator's STS, and shared files (in the run folder) with the other
 * identities as profiles. Secrets here are the emulator's fake ones.
 */
export function awsEnvironment(emulator, root) {
  const { TEST_IDENTITIES } = createRequire(import.meta.url)(IDENTITIES_JS);
  const awsDir = path.join(root, 'aws');
  fs.mkdirSync(awsDir, { recursive: true });
  const profile = (name, id) => [`[${name}]`, `aws_access_key_id = ${id.accessKeyId}`, `aws_secret_access_key = ${id.secretAccessKey}`, ...(id.sessionToken ? [`aws_session_token = ${id.sessionToken}`] : []), ''].join('\n');
  const credentials = path.join(awsDir, 'credentials');
  fs.writeFileSync(credentials, [profile('unmapped', TEST_IDENTITIES.unmappedRole), profile('mapped', TEST_IDENTITIES.mappedRole), profile('iam-user', TEST_IDENTITIES.iamUser)].join('\n'));
  const config = path.join(awsDir, 'config');
  // An SSO profile without a cached session: the SDK fails offline, as after the session expired.
  fs.writeFileSync(config, ['[profile sso-expired]', 'sso_start_url = https://emulator-e2e.awsapps.com/start', 'sso_region = us-east-1', 'sso_account_id = 123456789012', 'sso_role_name = ReadOnly', 'region = us-east-1', ''].join('\n'));
  const id = TEST_IDENTITIES.mappedRole;
  return {
    AWS_ACCESS_KEY_ID: id.accessKeyId,
    AWS_SECRET_ACCESS_KEY: id.secretAccessKey,
    AWS_SESSION_TOKEN: id.sessionToken,
    AWS_ENDPOINT_URL_STS: emulator.stsUrl,
    AWS_EC2_METADATA_DISABLED: 'true',
    AWS_SHARED_CREDENTIALS_FILE: credentials,
    AWS_CONFIG_FILE: config,
    E2E_EMULATOR_API_URL: emulator.apiUrl,
    E2E_EMULATOR_ORG_UUID: emulator.orgUuid,
  };
}

// --- VS Code server ----------------------------------------------------------

function startServer(dirs, port, extraEnv = {}) {
  // Isolate everything the server, its extension hosts and our language server
  // could write, and drop VSCODE_* variables in case this runs inside a VS Code
  // terminal (they would point the server at the outer instance).
  // No AWS_* of the caller's environment either: the tests' AWS identity is the emulator's (extraEnv).
  const env = Object.fromEntries(Object.entries(process.env).filter(([k]) => !/^(VSCODE_|ELECTRON_RUN_AS_NODE|AWS_)/.test(k)));
  Object.assign(env, extraEnv, {
    TMPDIR: dirs.tmp,
    XDG_CONFIG_HOME: path.join(dirs.xdg, 'config'),
    XDG_DATA_HOME: path.join(dirs.xdg, 'data'),
    XDG_CACHE_HOME: path.join(dirs.xdg, 'cache'),
    XDG_STATE_HOME: path.join(dirs.xdg, 'state'),
    VSCODE_AGENT_FOLDER: dirs.agent,
    // code-server's build points the gallery at open-vsx.org; an empty gallery
    // turns the marketplace off instead of failing lookups against the network.
    EXTENSIONS_GALLERY: '{}',
  });
  const log = fs.openSync(path.join(dirs.root, 'server.log'), 'w');
  // We start lib/vscode/out/server-main.js directly, not code-server's CLI:
  // code-server rejects --enable-smoke-test-driver, and without that flag a
  // built (non-dev) VS Code ignores the URL `payload` that carries
  // extensionDevelopmentPath / extensionTestsPath, so no tests would run.
  const args = [
    path.join(TOOL.vscode, 'out/server-main.js'),
    '--host', '127.0.0.1', '--port', String(port),
    '--without-connection-token', // loopback only, and the URL stays simple
    '--accept-server-license-terms',
    '--enable-smoke-test-driver',
    '--disable-telemetry',
    // The web workbench gets `enableWorkspaceTrust: !--disable-workspace-trust`:
    // only the untrusted run leaves trust on (with the settings of makeRunFolder).
    ...(UNTRUSTED ? [] : ['--disable-workspace-trust']),
    '--user-data-dir', dirs.userData,
    '--server-data-dir', dirs.serverData,
    '--extensions-dir', dirs.extensions,
  ];
  // detached: the server leads its own process group, so one kill(-pid)
  // reaches the extension hosts, file watchers and our language server too.
  const child = spawn(TOOL.node22, args, { cwd: TOOL.vscode, env, detached: true, stdio: ['ignore', log, log] });
  fs.closeSync(log);
  child.exited = new Promise((resolve) => child.once('exit', (code, signal) => resolve({ code, signal })));
  return child;
}

async function waitForServer(server, port, dirs) {
  let exited = false;
  server.exited.then(() => (exited = true));
  const deadline = Date.now() + 60_000;
  while (Date.now() < deadline && !exited) {
    try {
      await fetch(`http://127.0.0.1:${port}/`, { signal: AbortSignal.timeout(2000) });
      return; // any HTTP answer means it is listening
    } catch {
      await new Promise((r) => setTimeout(r, 200));
    }
  }
  const tail = fs.readFileSync(path.join(dirs.root, 'server.log'), 'utf8').split('\n').slice(-30).join('\n');
  throw new RunError(`VS Code server ${exited ? 'exited' : 'did not answer within 60 s'}; server.log:\n${tail}`);
}

async function killGroup(child) {
  if (!child || child.exitCode !== null || child.signalCode !== null) {
    try { process.kill(-child.pid, 'SIGKILL'); } catch { /* group already gone */ }
    return;
  }
  try { process.kill(-child.pid, 'SIGTERM'); } catch { return; }
  const gone = await Promise.race([child.exited.then(() => true), new Promise((r) => setTimeout(() => r(false), 3000))]);
  // Extension hosts and watchers can outlive the server: always sweep the group.
  try { process.kill(-child.pid, 'SIGKILL'); } catch { /* all gone */ }
  if (!gone) await child.exited;
}

// --- workbench in headless Chromium ------------------------------------------

const EXTENSION_ID = (() => {
  try {
    const pkg = JSON.parse(fs.readFileSync(path.join(EXTENSION, 'package.json'), 'utf8'));
    return `${pkg.publisher}.${pkg.name}`;
  } catch {
    return undefined;
  }
})();
const mentionsExtension = (text) =>
  (EXTENSION_ID && text.includes(EXTENSION_ID)) || text.includes(`${EXTENSION}${path.sep}`);

/** Collects the suite's output and requests from the workbench. */
class SuiteWatcher {
  constructor(page) {
    this.page = page;
    this.passed = 0; // from ✓ / ✗ lines, used if the RESULT line never comes
    this.failed = 0;
    this.result = undefined; // { passed, failed } from "[suite] RESULT ..."
    this.channel = undefined; // the suite's lines may arrive on two channels: keep the first one
    this.shots = Promise.resolve();
    this.uiQueue = Promise.resolve(); // the bridge's requests, one at a time, in order
    this.reported = new Set();
  }

  /** Handles one message from the page console or from codeAutomationLog. */
  onMessage(channel, level, text) {
    if (VERBOSE) console.log(`[${channel}:${level}] ${text}`);
    const at = text.indexOf('[suite] ');
    if (at < 0) {
      // Surface errors about our extension even when not verbose (e.g. an
      // activate() that throws). Everything else is workbench noise offline.
      if (!VERBOSE && level === 'error' && mentionsExtension(text)) {
        const clean = text.replace(/^%c\s*\w+\s+color:\s*#\w+;?\s*/, '').slice(0, 2000);
        if (!this.reported.has(clean)) console.log(`[workbench] ${clean}`);
        this.reported.add(clean); // the same error often arrives on both channels
      }
      return;
    }
    if (this.channel && this.channel !== channel) return;
    this.channel = channel;
    for (const raw of text.slice(at).split('\n')) {
      // Forwarded extension-host logs can carry CSS (%c) markers and a trailing
      // "(at file:line)" source hint: drop both.
      const line = raw.replace(/%c/g, '').replace(/\s+\(at [^)]*\)\s*$/, '').replace(/\s+color:\s*[^;]*;?\s*$/, '');
      if (!line.startsWith('[suite] ')) continue;
      if (!line.startsWith('[suite] UI ')) console.log(line); // the bridge's requests: with E2E_VERBOSE=1 only
      this.onSuiteLine(line.slice('[suite] '.length));
    }
  }

  onSuiteLine(line) {
    let m;
    if (/^\s+✓ /.test(line)) this.passed++;
    else if (/^\s+✗ /.test(line)) this.failed++;
    else if ((m = /^RESULT passed=(\d+) failed=(\d+)/.exec(line))) this.result = { passed: +m[1], failed: +m[2] };
    else if ((m = /^SCREENSHOT ([A-Za-z0-9._-]+)$/.exec(line))) this.screenshot(m[1]);
    else if ((m = /^UI ([A-Za-z0-9._-]+) (\{.*\})$/.exec(line))) this.ui(m[1], m[2]);
  }

  /** The workbench bridge (see the header): does what the suite asked, and answers in <ui dir>/<id>.json. */
  ui(id, json) {
    this.uiQueue = this.uiQueue.then(async () => {
      let answer;
      try {
        answer = { ok: true, ...(await workbenchOp(this.page, JSON.parse(json))) };
      } catch (e) {
        answer = { ok: false, error: String(e?.message ?? e).split('\n')[0] };
      }
      if (VERBOSE) say(`UI ${id} ${json} -> ${JSON.stringify(answer)}`);
      const file = path.join(this.uiDir, `${id}.json`);
      fs.writeFileSync(`${file}.tmp`, JSON.stringify(answer));
      fs.renameSync(`${file}.tmp`, file); // the suite never reads half a file
    }).catch((e) => say(`UI ${id} could not answer: ${e.message}`));
  }

  screenshot(name) {
    if (!SHOTS_DIR) return;
    const file = path.join(SHOTS_DIR, `${name}.png`);
    this.shots = this.shots.then(async () => {
      fs.mkdirSync(SHOTS_DIR, { recursive: true });
      await this.page.screenshot({ path: file });
      const rel = path.relative(process.cwd(), file);
      say(`screenshot ${name}: ${rel.startsWith('..') ? file : rel}`);
    }).catch((e) => say(`screenshot ${name} failed: ${e.message}`));
  }
}

const QUICK_INPUT = '.quick-input-widget';
const QUICK_INPUT_BOX = `${QUICK_INPUT} .quick-input-box input`;

/** One request of the workbench bridge, done in the page as a user would. */
async function workbenchOp(page, req) {
  const timeout = Math.min(Number(req.timeoutMs) || 5000, 20_000);
  switch (req.op) {
    case 'quickInput': // what the quick input shows now
      return page.evaluate((sel) => {
        const w = document.querySelector(sel);
        const visible = !!w && w.style.display !== 'none' && w.getBoundingClientRect().height > 0;
        if (!visible) return { visible: false };
        const text = (q) => w.querySelector(q)?.textContent?.trim() ?? '';
        const input = w.querySelector('.quick-input-box input');
        const box = w.querySelector('.quick-input-box .monaco-inputbox');
        const severity = ['error', 'warning', 'info'].find((c) => box?.classList.contains(c)) ?? 'none';
        const rows = [...w.querySelectorAll('.quick-input-list .monaco-list-row')].map((r) => r.getAttribute('aria-label') ?? r.textContent ?? '');
        return { visible, title: text('.quick-input-title'), value: input?.value ?? '', placeholder: input?.getAttribute('placeholder') ?? '', message: text('.quick-input-message'), severity, rows };
      }, QUICK_INPUT);
    case 'fill': // replace the quick input's text (input events, as typing does)
      await page.fill(QUICK_INPUT_BOX, String(req.text ?? ''), { timeout });
      return {};
    case 'press': // a key, in the quick input unless another selector is given
      await page.press(req.selector ?? QUICK_INPUT_BOX, String(req.key), { timeout });
      return {};
    case 'click':
      await page.click(String(req.selector), { timeout });
      return {};
    case 'texts': // the visible text of every element matching a selector
      return { texts: await page.locator(String(req.selector)).allInnerTexts() };
    case 'hover': // the mouse over the first element matching a selector (shows its hover)
      await page.hover(String(req.selector), { timeout });
      return {};
    case 'rects': // where every element matching a selector is drawn (and how wide its content is), and the window's size
      return page.evaluate((sel) => ({
        rects: [...document.querySelectorAll(sel)].map((e) => {
          const r = e.getBoundingClientRect();
          return { left: r.left, top: r.top, right: r.right, bottom: r.bottom, scrollWidth: e.scrollWidth, clientWidth: e.clientWidth, text: e.textContent ?? '' };
        }),
        viewport: { width: window.innerWidth, height: window.innerHeight },
      }), String(req.selector));
    default:
      throw new Error(`unknown UI op ${JSON.stringify(req.op)}: quickInput, fill, press, click, texts, hover, rects`);
  }
}

async function runInBrowser(port, dirs, screenshotPath) {
  const { chromium } = createRequire(path.join(TOOLS, 'playwright/'))('playwright-core');
  const remote = (p) => `vscode-remote://127.0.0.1:${port}${p}`;
  // The web workbench reads test options from the `payload` query parameter.
  const payload = [
    ['extensionDevelopmentPath', remote(EXTENSION)],
    ['extensionTestsPath', remote(TESTS)],
  ];
  if (process.env.E2E_EXTENSION_ENV) payload.push(['extensionEnvironment', process.env.E2E_EXTENSION_ENV]);
  const url = `http://127.0.0.1:${port}/?folder=${encodeURIComponent(dirs.workspace)}` +
    `&payload=${encodeURIComponent(JSON.stringify(payload))}`;

  const context = await chromium.launchPersistentContext(dirs.chromeProfile, {
    executablePath: TOOL.chromium,
    headless: true,
    // Chromium's own caches and crash dumps also stay in the run folder.
    env: {
      ...process.env,
      TMPDIR: dirs.tmp,
      XDG_CONFIG_HOME: path.join(dirs.xdg, 'config'),
      XDG_CACHE_HOME: path.join(dirs.xdg, 'cache'),
    },
    viewport: { width: 1400, height: 900 },
    args: [
      '--no-sandbox', // we run as root in CI containers
      '--disable-gpu', '--disable-dev-shm-usage', '--no-first-run',
      '--disable-background-networking', '--disable-component-update', '--disable-sync',
    ],
  });
  try {
    const page = context.pages()[0] || (await context.newPage());
    const watcher = new SuiteWatcher(page);
    watcher.uiDir = dirs.ui;
    let resolveExit;
    const exited = new Promise((r) => (resolveExit = r));
    // The workbench calls these globals when it runs under automation:
    // codeAutomationLog for its log output, codeAutomationExit(code) when the
    // extension host that ran the tests has exited (0 = run() resolved).
    await page.exposeFunction('codeAutomationLog', (level, args) =>
      watcher.onMessage('automation', String(level), (Array.isArray(args) ? args : [args]).map(String).join(' ')));
    await page.exposeFunction('codeAutomationExit', (code) => resolveExit(Number(code)));
    page.on('console', (m) => watcher.onMessage('console', m.type(), m.text()));
    page.on('pageerror', (e) => VERBOSE && console.log(`[pageerror] ${e.message}`));

    await page.goto(url, { waitUntil: 'domcontentloaded', timeout: Math.max(1000, TIMEOUT_MS - (Date.now() - t0)) });
    say(`workbench opened (${secs()}), waiting for the suite (timeout ${TIMEOUT_MS / 1000}s)`);
    let timer;
    const code = await Promise.race([
      exited,
      new Promise((r) => (timer = setTimeout(() => r('timeout'), TIMEOUT_MS - (Date.now() - t0)))),
    ]);
    clearTimeout(timer);
    await watcher.shots;
    await page.screenshot({ path: screenshotPath }).then(
      () => say(`workbench screenshot: ${screenshotPath}`),
      (e) => say(`final screenshot failed: ${e.message}`));
    return { code, watcher };
  } finally {
    await context.close().catch(() => {});
  }
}

// --- main --------------------------------------------------------------------

async function main() {
  preflight();
  const emulatorRoot = fs.mkdtempSync(path.join(os.tmpdir(), 'dd-wif-e2e-emulator-'));
  let emulator;
  try {
    emulator = await startEmulator(emulatorRoot);
  } catch (e) {
    throw new RunError(`${e.message}\n${fs.readFileSync(path.join(emulatorRoot, 'emulator.log'), 'utf8').slice(-2000)}`);
  }
  let dirs, screenshotPath, port, awsEnv;
  try {
    dirs = makeRunFolder(emulator);
    fs.renameSync(path.join(emulatorRoot, 'emulator.log'), path.join(dirs.root, 'emulator.log'));
    fs.rmSync(emulatorRoot, { recursive: true, force: true });
    say(`emulator: API ${emulator.apiUrl}, STS ${emulator.stsUrl}, org ${emulator.orgUuid}`);
    screenshotPath = path.resolve(process.env.E2E_SCREENSHOT || path.join(dirs.root, 'workbench.png'));
    fs.mkdirSync(path.dirname(screenshotPath), { recursive: true });
    port = await freePort();
    awsEnv = awsEnvironment(emulator, dirs.root);
  } catch (e) {
    await stopEmulator(emulator);
    throw e;
  }
  say(`run folder ${dirs.root}, VS Code server on 127.0.0.1:${port}`);
  say(`extension ${EXTENSION}`);
  say(`tests     ${TESTS}`);

  if (UNTRUSTED) say('untrusted workspace: workspace trust on, the folder in Restricted Mode');
  if (AGENT_GLOBS) say('agent-globs workspace: its only Agent file is matched by datadogWif.agentConfigFiles');
  // E2E_UI_DIR: the workbench bridge. E2E_UNTRUSTED / E2E_AGENT_GLOBS: index.ts picks that run's test files.
  const server = startServer(dirs, port, { ...awsEnv, E2E_UI_DIR: dirs.ui, E2E_UNTRUSTED: UNTRUSTED ? '1' : '', E2E_AGENT_GLOBS: AGENT_GLOBS ? '1' : '' });
  const cleanup = () => killGroup(server).finally(() => stopEmulator(emulator));
  for (const sig of ['SIGINT', 'SIGTERM']) process.once(sig, () => cleanup().finally(() => process.exit(130)));

  let outcome;
  try {
    await waitForServer(server, port, dirs);
    say(`server ready (${secs()})`);
    outcome = await runInBrowser(port, dirs, screenshotPath);
  } catch (e) {
    outcome = { error: e };
  } finally {
    await cleanup();
  }

  // Counts: prefer the suite's own RESULT line; if it never came (crash,
  // timeout, a test file failing to load), count what was seen plus one
  // failure for the broken run.
  const w = outcome.watcher;
  let passed = w?.result?.passed ?? w?.passed ?? 0;
  let failed = w?.result?.failed ?? (w?.failed ?? 0) + 1;
  let exitCode;
  if (outcome.error) {
    console.error(`[e2e] ${outcome.error instanceof RunError ? outcome.error.message : outcome.error.stack}`);
    exitCode = 2;
  } else if (outcome.code === 'timeout') {
    console.error(`[e2e] timeout: the suite did not finish within ${TIMEOUT_MS / 1000}s`);
    exitCode = 2;
  } else if (outcome.code !== 0) {
    if (failed === 0) failed = 1; // run() rejected without a failing test (e.g. a crash in the suite entry)
    exitCode = 1;
  } else {
    exitCode = failed > 0 ? 1 : 0;
  }
  say(`extension host exit code ${outcome.code ?? '-'}, total ${secs()}`);

  const keep = exitCode !== 0 || process.env.E2E_KEEP_TMP === '1';
  if (keep) {
    say(`run folder kept: ${dirs.root} (server.log, user-data/logs, workspace copy)`);
  } else {
    // Keep only the small artefacts (screenshot, server log) of a green run.
    for (const d of ['workspace', 'userData', 'serverData', 'extensions', 'agent', 'tmp', 'xdg', 'chromeProfile', 'ui']) {
      fs.rmSync(dirs[d], { recursive: true, force: true });
    }
  }
  console.log(`E2E-RESULT passed=${passed} failed=${failed}`);
  return exitCode;
}

// Run as a script; imported (run-electron.mjs uses the emulator and run-folder helpers), nothing starts.
if (process.argv[1] && fs.realpathSync(path.resolve(process.argv[1])) === fs.realpathSync(fileURLToPath(import.meta.url))) {
  if (process.argv.includes('--check-tools')) {
    checkTools();
    say(`tools ready in ${TOOLS}`);
    process.exit(0);
  }

  main().then(
    (code) => process.exit(code),
    (e) => {
      console.error(`[e2e] ${e instanceof RunError ? e.message : e.stack}`);
      console.log('E2E-RESULT passed=0 failed=1');
      process.exit(2);
    },
  );
}
