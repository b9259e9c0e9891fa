// Entry point of the end-to-end suite (VS Code's `extensionTestsPath`).
//
// It runs inside the real extension host, in the shape @vscode/test-electron
// expects: a module exporting `run(): Promise<void>`. So the same compiled
// suite runs under test/e2e/run-vscode.mjs (VS Code server + headless
// Chromium, offline) and under test-electron on a machine with internet.
//
// Everything it prints starts with "[suite]" so that the runner can pick the
// test output out of the workbench's console noise. The last line is
//   [suite] RESULT passed=N failed=M pending=P
// which run-vscode.mjs turns into its machine-readable `E2E-RESULT` line.
import * as fs from 'fs';
import * as path from 'path';
import Mocha from 'mocha';

const PREFIX = '[suite]';

function log(message: string): void {
  // One console.log per line: the extension host forwards each call to the
  // workbench console as one message.
  for (const line of message.split('\n')) console.log(`${PREFIX} ${line}`);
}

/**
 * Minimal mocha reporter: spec-like output, every line prefixed, and a final
 * RESULT line with the per-test counts (hook failures count as failures).
 */
class PrefixedReporter extends Mocha.reporters.Base {
  constructor(runner: Mocha.Runner, options?: Mocha.MochaOptions) {
    super(runner, options);
    const { EVENT_SUITE_BEGIN, EVENT_TEST_PASS, EVENT_TEST_FAIL, EVENT_TEST_PENDING, EVENT_RUN_END } =
      Mocha.Runner.constants;
    const failures: Array<{ title: string; err: Error }> = [];
    let passed = 0;
    let pending = 0;

    runner.on(EVENT_SUITE_BEGIN, (s: Mocha.Suite) => {
      if (s.title) log(s.title);
    });
    runner.on(EVENT_TEST_PASS, (t: Mocha.Test) => {
      passed++;
      log(`  ✓ ${t.title} (${t.duration ?? 0} ms)`);
    });
    runner.on(EVENT_TEST_FAIL, (t: Mocha.Test, err: Error) => {
      failures.push({ title: t.fullTitle(), err });
      log(`  ✗ ${failures.length}) ${t.title}`);
    });
    runner.on(EVENT_TEST_PENDING, (t: Mocha.Test) => {
      pending++;
      log(`  - ${t.title} (pending)`);
    });
    runner.once(EVENT_RUN_END, () => {
      failures.forEach(({ title, err }, i) => {
        log(`${i + 1}) ${title}`);
        const stack = (err && (err.stack || String(err))) || 'unknown error';
        log(stack.split('\n').slice(0, 12).map((l) => `    ${l}`).join('\n'));
      });
      log(`RESULT passed=${passed} failed=${failures.length} pending=${pending}`);
    });
  }
}

export function run(): Promise<void> {
  const mocha = new Mocha({ ui: 'tdd', timeout: 60_000, color: false, reporter: PrefixedReporter });
  // E2E_GREP (passed to the extension host through the runner's
  // E2E_EXTENSION_ENV) runs a subset, e.g. E2E_EXTENSION_ENV='{"E2E_GREP":"smoke"}'.
  if (process.env.E2E_GREP) mocha.grep(process.env.E2E_GREP);

  // The other runs of run-vscode.mjs run only their own files: E2E_UNTRUSTED=1 (an
  // untrusted workspace) the untrusted*.test.js files, E2E_AGENT_GLOBS=1 (a workspace
  // whose only Agent file matches datadogWif.agentConfigFiles) the agentGlobs*.test.js
  // files; the normal run (a trusted workspace) all the others.
  const OTHER_RUNS = { untrusted: process.env.E2E_UNTRUSTED === '1', agentGlobs: process.env.E2E_AGENT_GLOBS === '1' };
  const run = (Object.keys(OTHER_RUNS) as (keyof typeof OTHER_RUNS)[]).find((r) => OTHER_RUNS[r]);
  const files = fs
    .readdirSync(__dirname)
    .filter((f) => f.endsWith('.test.js') && (run ? f.startsWith(run) : !Object.keys(OTHER_RUNS).some((r) => f.startsWith(r))))
    .sort();
  for (const f of files) mocha.addFile(path.join(__dirname, f));
  log(`running ${files.length} test file(s)${run === 'untrusted' ? ' in an UNTRUSTED workspace' : run ? ` (the ${run} run)` : ''}: ${files.join(', ')}`);

  return new Promise((resolve, reject) => {
    try {
      mocha.run((failures) => (failures > 0 ? reject(new Error(`${failures} test(s) failed`)) : resolve()));
    } catch (err) {
      // A test file that throws while loading ends up here, before any test ran.
      log(`RESULT passed=0 failed=1 pending=0`);
      reject(err);
    }
  });
}

/**
 * Asks run-vscode.mjs for a screenshot of the workbench as it is now, saved as
 * `<E2E_SCREENSHOTS_DIR>/<name>.png` (only when the runner was given that
 * variable; otherwise this is just a short pause). The runner sees the request
 * through the console a moment later, hence the wait.
 */
export async function requestScreenshot(name: string, settleMs = 1500): Promise<void> {
  if (!/^[A-Za-z0-9._-]+$/.test(name)) throw new Error(`bad screenshot name: ${name}`);
  log(`SCREENSHOT ${name}`);
  await new Promise((r) => setTimeout(r, settleMs));
}

/** The workbench bridge is there: the suite runs under run-vscode.mjs (not under test-electron). */
export function workbenchUiAvailable(): boolean {
  return !!process.env.E2E_UI_DIR;
}

let uiRequests = 0;

/**
 * Asks run-vscode.mjs to do something in the workbench page as a user would,
 * or to read it (what the extension host cannot see: the quick input's
 * validation message, a notification's buttons), and waits for its answer:
 *   { op: 'quickInput' }               → { visible, title, value, placeholder, message, severity, rows }
 *   { op: 'fill', text }               types `text` into the quick input (replacing its value)
 *   { op: 'press', key, selector? }    a key (e.g. 'Enter') in the quick input, or in `selector`
 *   { op: 'click', selector }          clicks the first element matching a playwright selector
 *   { op: 'texts', selector }          → { texts }: the text of every match
 *   { op: 'hover', selector }          moves the mouse over the first match (its hover opens)
 *   { op: 'rects', selector }          → { rects: [{ left, top, right, bottom, scrollWidth, clientWidth, text }], viewport: { width, height } }
 * Throws with the runner's error when the operation failed (e.g. nothing to click).
 */
export async function workbenchUi<T = Record<string, unknown>>(request: { op: string; [k: string]: unknown }, ms = 25_000): Promise<T> {
  const dir = process.env.E2E_UI_DIR;
  if (!dir) throw new Error('no workbench bridge (E2E_UI_DIR): run the suite with test/e2e/run-vscode.mjs');
  const id = `${process.pid}-${Date.now()}-${++uiRequests}`;
  const file = path.join(dir, `${id}.json`);
  log(`UI ${id} ${JSON.stringify(request)}`);
  const end = Date.now() + ms;
  for (;;) {
    if (fs.existsSync(file)) {
      const answer = JSON.parse(fs.readFileSync(file, 'utf8')) as { ok: boolean; error?: string } & T;
      fs.rmSync(file, { force: true });
      if (!answer.ok) throw new Error(`workbench ${request.op}: ${answer.error}`);
      return answer;
    }
    if (Date.now() > end) throw new Error(`the runner did not answer the workbench request ${JSON.stringify(request)} within ${ms} ms`);
    await new Promise((r) => setTimeout(r, 50));
  }
}
