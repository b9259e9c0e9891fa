// The GitHub Action (action.yml) and the pre-commit hook
// (.pre-commit-hooks.yaml), run here as far as a machine without GitHub or
// pre-commit can: the action's shell steps with bash, in order, as a runner
// runs a composite action (inputs substituted into `${{ … }}` expressions,
// GITHUB_ACTION_PATH, GITHUB_WORKSPACE, RUNNER_TEMP and GITHUB_OUTPUT set;
// composite actions get no INPUT_* variables); the hook's `files` regex
// against the examples and its `entry` on them. Needs `npm run build`
// (dist/cli.js, which both run); skipped with a message otherwise.

import { after, describe, test } from 'node:test';
import * as assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { parse } from 'yaml';
import { RULES } from '../../server/src/service';

const root = path.resolve(__dirname, '..', '..', '..');
const cliJs = path.join(root, 'dist', 'cli.js');
const skip = !fs.existsSync(cliJs)
  ? 'dist/cli.js is missing: run `npm run build` first (CI integration tests skipped)'
  : process.platform === 'win32'
    ? 'runs the steps with bash'
    : false;

const temps: string[] = [];
const tempDir = (prefix: string) => {
  const d = fs.mkdtempSync(path.join(os.tmpdir(), prefix));
  temps.push(d);
  return d;
};
after(() => temps.forEach((d) => fs.rmSync(d, { recursive: true, force: true })));

interface Step {
  name?: string;
  id?: string;
  if?: string;
  shell?: string;
  run?: string;
  uses?: string;
  env?: Record<string, string>;
  with?: Record<string, string>;
}

interface Action {
  inputs: Record<string, { default?: string }>;
  outputs: Record<string, { value: string }>;
  runs: { using: string; steps: Step[] };
}

const action = parse(fs.readFileSync(path.join(root, 'action.yml'), 'utf8')) as Action;

/** The context a runner evaluates expressions in: what this test knows of it. */
interface Context {
  inputs: Record<string, string>;
  github: Record<string, string>;
  runner: Record<string, string>;
  steps: Record<string, { outputs: Record<string, string> }>;
}

/** One operand of an expression: a context value (`inputs.fail-on`) or a quoted literal. */
function operand(text: string, ctx: Context): string {
  const t = text.trim();
  const literal = /^'((?:[^']|'')*)'$/.exec(t);
  if (literal) return literal[1].replace(/''/g, "'");
  const m = /^(inputs|github|runner)\.([\w-]+)$/.exec(t) ?? /^steps\.([\w-]+)\.outputs\.([\w-]+)$/.exec(t);
  if (!m) throw new Error(`expression not understood by this test: ${t}`);
  if (t.startsWith('steps.')) return ctx.steps[m[1]]?.outputs[m[2]] ?? '';
  const scope = ctx[m[1] as 'inputs' | 'github' | 'runner'];
  if (!(m[2] in scope)) throw new Error(`unknown ${m[1]}.${m[2]}`);
  return scope[m[2]];
}

/** The subset of the expression language action.yml uses: a value, or `a == b`. */
function evaluate(expr: string, ctx: Context): string {
  const eq = expr.split('==');
  if (eq.length === 2) return String(operand(eq[0], ctx) === operand(eq[1], ctx));
  return operand(expr, ctx);
}

/** `${{ … }}` in a string replaced by its value, as the runner does before a step runs. */
const substitute = (text: string, ctx: Context) => text.replace(/\$\{\{(.*?)\}\}/g, (_, e: string) => evaluate(e, ctx));

interface ActionRun {
  code: number;
  log: string;
  /** The `uses:` steps the runner would have run, with their inputs substituted. */
  used: { uses: string; with: Record<string, string> }[];
  outputs: Record<string, string>;
  runnerTemp: string;
}

/** The action's outputs (set whether it failed or not: a failing lint still names its SARIF file). */
const outputsOf = (ctx: Context) => Object.fromEntries(Object.entries(action.outputs).map(([k, v]) => [k, substitute(v.value, ctx)]));

/** Runs the composite action's steps in order, stopping at the first that fails, as a runner does. */
function runAction(inputs: Record<string, string>): ActionRun {
  const temp = tempDir('dd-wif-action-');
  const runnerTemp = path.join(temp, 'runner-temp');
  fs.mkdirSync(runnerTemp);
  const ctx: Context = {
    inputs: Object.fromEntries(Object.entries(action.inputs).map(([k, v]) => [k, inputs[k] ?? v.default ?? ''])),
    github: { action_path: root, workspace: root },
    runner: { temp: runnerTemp },
    steps: {},
  };
  for (const k of Object.keys(inputs)) assert.ok(k in action.inputs, `no input ${k}`);
  let log = '';
  const used: ActionRun['used'] = [];
  for (const [i, step] of action.runs.steps.entries()) {
    if (step.if !== undefined && evaluate(step.if.replace(/^\$\{\{|\}\}$/g, ''), ctx) !== 'true') continue;
    if (step.uses) {
      used.push({ uses: step.uses, with: Object.fromEntries(Object.entries(step.with ?? {}).map(([k, v]) => [k, substitute(String(v), ctx)])) });
      continue;
    }
    assert.equal(step.shell, 'bash', `step ${step.name}: shell`);
    const script = path.join(temp, `step-${i}.sh`);
    fs.writeFileSync(script, substitute(step.run ?? '', ctx));
    const output = path.join(temp, `output-${i}`);
    fs.writeFileSync(output, '');
    const env = {
      PATH: process.env.PATH ?? '',
      HOME: temp,
      GITHUB_ACTION_PATH: root,
      GITHUB_WORKSPACE: root,
      RUNNER_TEMP: runnerTemp,
      GITHUB_OUTPUT: output,
      ...Object.fromEntries(Object.entries(step.env ?? {}).map(([k, v]) => [k, substitute(String(v), ctx)])),
    };
    // What a runner runs for `shell: bash`.
    const r = spawnSync('bash', ['--noprofile', '--norc', '-eo', 'pipefail', script], { cwd: root, env, encoding: 'utf8', timeout: 120_000 });
    log += r.stdout + r.stderr;
    if (step.id) {
      const outputs: Record<string, string> = {};
      for (const line of fs.readFileSync(output, 'utf8').split('\n')) {
        const eq = line.indexOf('=');
        if (eq > 0) outputs[line.slice(0, eq)] = line.slice(eq + 1);
      }
      ctx.steps[step.id] = { outputs };
    }
    if (r.status !== 0) return { code: r.status ?? -1, log, used, outputs: outputsOf(ctx), runnerTemp };
  }
  return { code: 0, log, used, outputs: outputsOf(ctx), runnerTemp };
}

const sarifOf = (file: string) => JSON.parse(fs.readFileSync(file, 'utf8')) as { version: string; runs: { results: { ruleId: string; level: string }[]; tool: { driver: { rules: unknown[] } } }[] };

describe('action.yml: a composite action whose shell steps run as a runner runs them', { skip }, () => {
  test('its inputs and outputs are the ones the README documents', () => {
    assert.equal(action.runs.using, 'composite');
    assert.deepEqual(Object.keys(action.inputs).sort(), ['fail-on', 'format', 'paths', 'sarif-file', 'severity', 'upload-sarif']);
    assert.deepEqual(Object.keys(action.outputs).sort(), ['exit-code', 'sarif-file']);
    // Inputs reach shell code through env only: an input pasted into `run:` would be shell code.
    for (const step of action.runs.steps) assert.doesNotMatch(step.run ?? '', /\$\{\{/, `${step.name}: an expression inside run:`);
  });

  test('bad examples: exit 1 under fail-on error, SARIF written with their findings, the log in text', () => {
    const r = runAction({ paths: 'examples/agent/bad examples/terraform/bad' });
    assert.equal(r.code, 1, r.log);
    assert.equal(r.outputs['exit-code'], '1');
    const sarif = sarifOf(r.outputs['sarif-file']);
    assert.equal(sarif.version, '2.1.0');
    assert.equal(sarif.runs[0].tool.driver.rules.length, RULES.length);
    const ids = new Set(sarif.runs[0].results.map((x) => x.ruleId));
    for (const code of ['agent/org-uuid-invalid', 'tf/cloud-provider-type-invalid']) assert.ok(ids.has(code), code);
    assert.match(r.log, /^examples\/agent\/bad\/datadog\.yaml:\d+:\d+ error agent\/org-uuid-invalid /m);
    assert.deepEqual(r.used, [], 'no upload unless asked');
  });

  test('good examples: exit 0; an empty SARIF run at the path asked for; paths on several lines', () => {
    const sarifFile = path.join(tempDir('dd-wif-sarif-'), 'out', 'wif.sarif');
    const r = runAction({ paths: 'examples/agent/good\nexamples/terraform/good\n', 'sarif-file': sarifFile });
    assert.equal(r.code, 0, r.log);
    assert.equal(r.outputs['sarif-file'], sarifFile);
    assert.deepEqual(sarifOf(sarifFile).runs[0].results, []);
    assert.match(r.log, /2 files checked: 0 errors/);
  });

  test('fail-on: warnings pass under error, fail under warning', () => {
    // examples/agent-env/role-not-mapped/bad has warnings and no error (scripts/demo.mjs step 6).
    const paths = 'examples/role-not-mapped/bad';
    assert.equal(runAction({ paths }).code, 0);
    const strict = runAction({ paths, 'fail-on': 'warning' });
    assert.equal(strict.code, 1, strict.log);
    assert.ok(sarifOf(strict.outputs['sarif-file']).runs[0].results.some((x) => x.level === 'warning'));
  });

  test('severity overrides, comma- or line-separated, reach the SARIF and the exit code', () => {
    const paths = 'examples/agent/bad';
    const before = runAction({ paths, format: 'json' });
    const codes = [...new Set(sarifOf(before.outputs['sarif-file']).runs[0].results.map((x) => x.ruleId))];
    assert.ok(codes.length >= 2, codes.join(', '));
    // Every code found turned off: nothing left, exit 0.
    const off = runAction({ paths, severity: codes.map((c, i) => `${i === 0 ? '' : i % 2 ? ',' : '\n'}  ${c}=off `).join('') + '\n' });
    assert.equal(off.code, 0, off.log);
    assert.deepEqual(sarifOf(off.outputs['sarif-file']).runs[0].results, []);
    // A family at once.
    const family = runAction({ paths, severity: 'agent/*=info' });
    assert.equal(family.code, 0, family.log);
    assert.ok(sarifOf(family.outputs['sarif-file']).runs[0].results.every((x) => x.level === 'note'));
  });

  test('format json / sarif: the log carries that format', () => {
    const json = runAction({ paths: 'examples/agent/bad', format: 'json' });
    assert.equal(json.code, 1);
    assert.match(json.log, /"code": "agent\/org-uuid-invalid"/);
    const sarif = runAction({ paths: 'examples/agent/bad', format: 'sarif' });
    assert.equal(sarif.code, 1);
    assert.match(sarif.log, /"version": "2\.1\.0"/);
  });

  test('upload-sarif: the upload step gets the file written, and runs before the step that fails the job', () => {
    const r = runAction({ paths: 'examples/agent/bad', 'upload-sarif': 'true' });
    assert.equal(r.used.length, 1);
    assert.match(r.used[0].uses, /^github\/codeql-action\/upload-sarif@v\d+$/);
    assert.equal(r.used[0].with.sarif_file, r.outputs['sarif-file'] || path.join(root, 'never'));
    assert.ok(fs.existsSync(r.used[0].with.sarif_file));
    assert.equal(r.code, 1);
    const names = action.runs.steps.map((s) => s.uses ?? s.id ?? s.name);
    assert.ok(names.indexOf(r.used[0].uses) < names.length - 1, 'the upload is not the last step');
  });

  test('a usage error (a bad severity, a missing path, a bad fail-on) fails the lint step itself with exit 2 and dd-wif\'s message; no SARIF left', () => {
    for (const inputs of [{ severity: 'agent/nope=off' }, { paths: 'examples/no-such-folder' }, { 'fail-on': 'never' }] as Record<string, string>[]) {
      const r = runAction({ paths: 'examples/agent/good', ...inputs });
      assert.equal(r.code, 2, JSON.stringify(inputs));
      assert.match(r.log, /^dd-wif: /m, JSON.stringify(inputs));
      assert.ok(!fs.existsSync(path.join(r.runnerTemp, 'dd-wif.sarif')), JSON.stringify(inputs));
    }
  });

  test('a path with shell metacharacters is data, not code', () => {
    const marker = path.join(tempDir('dd-wif-inject-'), 'pwned');
    const r = runAction({ paths: `examples/agent/good $(touch ${marker}) ;touch ${marker}`, severity: `'; touch ${marker}; '=off` });
    assert.equal(r.code, 2);
    assert.ok(!fs.existsSync(marker), 'an input ran as a command');
  });
});

interface Hook {
  id: string;
  entry: string;
  language: string;
  files: string;
  pass_filenames?: boolean;
  require_serial?: boolean;
}

describe('.pre-commit-hooks.yaml: dd-wif-lint', { skip }, () => {
  const hooks = parse(fs.readFileSync(path.join(root, '.pre-commit-hooks.yaml'), 'utf8')) as Hook[];
  const hook = hooks.find((h) => h.id === 'dd-wif-lint')!;

  // pre-commit matches `files` with Python's re.search on the path relative to the repository, `/`-separated.
  const matches = (file: string) => new RegExp(hook.files).test(file);

  /** The hook's entry as pre-commit runs it (split like a shell line), with `dd-wif` on PATH, in the repository root. */
  function runHook(files: string[]): { code: number | null; out: string } {
    const bin = tempDir('dd-wif-bin-');
    fs.writeFileSync(path.join(bin, 'dd-wif'), `#!/bin/sh\nexec "${process.execPath}" "${cliJs}" "$@"\n`, { mode: 0o755 });
    const [cmd, ...args] = hook.entry.split(/\s+/);
    const r = spawnSync(cmd, [...args, ...files], { cwd: root, encoding: 'utf8', timeout: 60_000, env: { PATH: `${bin}${path.delimiter}${process.env.PATH ?? ''}`, HOME: bin } });
    return { code: r.status, out: r.stdout + r.stderr };
  }

  const examples: string[] = [];
  const collect = (dir: string) => {
    for (const e of fs.readdirSync(path.join(root, dir), { withFileTypes: true })) {
      const rel = `${dir}/${e.name}`;
      if (e.isDirectory()) collect(rel);
      else examples.push(rel);
    }
  };
  collect('examples');

  test('a node or system hook that passes the file names, all in one process', () => {
    assert.ok(hook, 'no hook dd-wif-lint');
    assert.ok(['node', 'system'].includes(hook.language));
    assert.notEqual(hook.pass_filenames, false);
    assert.equal(hook.require_serial, true, 'the cross-file rules need every file in one run');
  });

  test('files: every example (datadog.yaml, *.tf, .terraform.lock.hcl, agent-env YAML and JSON); not unrelated files', () => {
    assert.ok(examples.length >= 20);
    assert.deepEqual(examples.filter((f) => !matches(f)), []);
    for (const f of ['datadog.yml', 'deploy/DATADOG.YAML', 'infra/.terraform.lock.hcl', 'k8s/values.yml', 'ecs/task.JSON']) assert.ok(matches(f), f);
    for (const f of ['README.md', 'src/main.ts', 'main.tfvars', 'terraform.tfstate', 'Makefile', 'image.png', 'x.hcl', 'datadog.yaml.example', 'main.tf.bak', 'lock.hcl']) assert.ok(!matches(f), f);
  });

  test('entry on the bad examples: exit 1 with their findings; on the good ones: exit 0', () => {
    const bad = runHook(examples.filter((f) => f.includes('/bad/')));
    assert.equal(bad.code, 1, bad.out);
    for (const code of ['agent/org-uuid-invalid', 'tf/cloud-provider-type-invalid', 'agent/version-unsupported']) assert.match(bad.out, new RegExp(` ${code} `), code);
    const good = runHook(examples.filter((f) => f.includes('/good/')));
    assert.equal(good.code, 0, good.out);
  });

  test('entry with files the regex takes but that are not ours (a workflow, a Helm template, package.json): skipped quietly, exit 0', () => {
    const unrelated = ['.pre-commit-hooks.yaml', 'action.yml', 'package.json', 'tsconfig.json', 'schemas/datadog-agent-delegated-auth.schema.json'];
    for (const f of unrelated) assert.ok(matches(f), f);
    // A Helm template (not YAML until rendered) and a YAML whose `site` is another product's, which dd-wif would judge if named plainly.
    const other = tempDir('dd-wif-hook-');
    fs.mkdirSync(path.join(other, 'templates'));
    fs.writeFileSync(path.join(other, 'templates', 'deploy.yaml'), 'spec:\n  {{- if .Values.x }}\n  replicas: [\n');
    fs.writeFileSync(path.join(other, 'config.yml'), 'site: example.com\n');
    const theirs = [path.join(other, 'templates', 'deploy.yaml'), path.join(other, 'config.yml')];
    assert.equal(spawnSync(process.execPath, [cliJs, 'lint', ...theirs], { encoding: 'utf8' }).status, 1, 'named plainly, they are judged');
    const r = runHook([...unrelated, ...theirs, 'examples/agent/good/datadog.yaml']);
    assert.equal(r.code, 0, r.out);
    assert.match(r.out, /^1 file checked: 0 errors, 0 warnings, 0 infos$/m);
  });
});
