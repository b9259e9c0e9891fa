// The extension's three bundles (esbuild.mjs) as they ship: built here with
// `--production --metafile` into a folder of the test's own, their inputs
// say what each holds. The activation gate and the language client hold
// neither the AWS SDK nor the cloud core, which only the cloud commands'
// bundle holds; the gate stays small; and with a stand-in vscode module
// (test/helpers/vscodeStub.ts), opening a datadog.yaml loads the language
// client and nothing else, and running a command loads the cloud commands.
// How long `require` of the bundles takes is printed, never asserted.

import { after, before, test } from 'node:test';
import * as assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { fakeDocument, installFakeVscode } from '../helpers/vscodeStub';

const root = path.resolve(__dirname, '..', '..', '..');
const manifest = JSON.parse(fs.readFileSync(path.join(root, 'package.json'), 'utf8')) as { contributes: { commands: { command: string }[] } };
const CLIENT_BUNDLES = ['extension.js', 'lintClient.js', 'cloudCommands.js'];
/** What only commands need: the AWS SDK, the cloud core, the mapping features, the login commands. */
const COMMAND_ONLY = /(^|\/)node_modules\/(@aws-sdk|@smithy)\/|(^|\/)server\/src\/cloud\/|(^|\/)client\/src\/(commands|awsProfile|presentOutcome|inputs)\b|(^|\/)client\/src\/mappings\/(?!credentialEntries\.ts$)/;
/** The issue's budget for what activation loads. */
const GATE_BUDGET_BYTES = 200 * 1024;

let outdir: string;

interface Meta {
  inputs: Record<string, unknown>;
  outputs: Record<string, { bytes: number; inputs: Record<string, { bytesInOutput: number }> }>;
}

function meta(bundle: string): { bytes: number; inputs: Record<string, number> } {
  const m = JSON.parse(fs.readFileSync(path.join(outdir, bundle.replace(/\.js$/, '.meta.json')), 'utf8')) as Meta;
  const [out] = Object.entries(m.outputs).filter(([file]) => file.endsWith('.js'));
  return { bytes: out[1].bytes, inputs: Object.fromEntries(Object.entries(out[1].inputs).map(([file, v]) => [file, v.bytesInOutput])) };
}

const kb = (bytes: number) => `${(bytes / 1024).toFixed(1)} KB`;

before(() => {
  outdir = fs.mkdtempSync(path.join(os.tmpdir(), 'dd-wif-bundles-'));
  const built = spawnSync(process.execPath, ['esbuild.mjs', '--production', '--metafile', `--outdir=${outdir}`], { cwd: root, encoding: 'utf8' });
  assert.equal(built.status, 0, `esbuild.mjs failed:\n${built.stdout}\n${built.stderr}`);
});

after(() => fs.rmSync(outdir, { recursive: true, force: true }));

test('the activation gate and the language client hold no AWS SDK, cloud core or command code; the cloud commands bundle does', () => {
  for (const bundle of ['extension.js', 'lintClient.js']) {
    const heavy = Object.keys(meta(bundle).inputs).filter((file) => COMMAND_ONLY.test(file));
    assert.deepEqual(heavy, [], `${bundle} bundles what only commands need`);
  }
  const cloud = Object.keys(meta('cloudCommands.js').inputs);
  for (const needed of [/node_modules\/@aws-sdk\/client-sts\//, /server\/src\/cloud\/login\.ts$/, /client\/src\/mappings\/tree\.ts$/, /client\/src\/commands\/testLogin\.ts$/]) {
    assert.ok(cloud.some((file) => needed.test(file)), `cloudCommands.js holds ${needed}`);
  }
  // The client holds no rules: neither the gate nor the language client carries the rule catalog or a rule.
  for (const bundle of ['extension.js', 'lintClient.js']) {
    const rules = Object.keys(meta(bundle).inputs).filter((file) => /(^|\/)server\/src\/service\/(catalog\.ts$|agent\/|terraform\/|arn\/)/.test(file));
    assert.deepEqual(rules, [], `${bundle} bundles the rules`);
  }
  // The language client is loaded with a datadog.yaml; the cloud commands never are then.
  assert.ok(!Object.keys(meta('cloudCommands.js').inputs).some((file) => /vscode-languageclient\//.test(file)), 'cloudCommands.js bundles the language client');
  assert.ok(Object.keys(meta('lintClient.js').inputs).some((file) => /vscode-languageclient\//.test(file)));
});

test('the production activation gate is under 200 KB (sizes printed)', () => {
  const sizes = Object.fromEntries(CLIENT_BUNDLES.map((b) => [b, meta(b).bytes]));
  console.log(`production client bundles: ${CLIENT_BUNDLES.map((b) => `${b} ${kb(sizes[b])}`).join(', ')}`);
  const lint = meta('lintClient.js').inputs;
  const library = Object.entries(lint).filter(([file]) => file.includes('node_modules/')).reduce((n, [, bytes]) => n + bytes, 0);
  console.log(`lintClient.js: ${kb(library)} of it is vscode-languageclient and its dependencies, ${kb(sizes['lintClient.js'] - library)} our code`);
  assert.ok(sizes['extension.js'] < GATE_BUDGET_BYTES, `dist/extension.js is ${kb(sizes['extension.js'])}`);
});

test('require of the activation-path bundles with vscode stubbed (time printed, not asserted)', () => {
  // A fresh process: nothing cached, as in a starting extension host.
  const script = `
    const { installFakeVscode } = require(${JSON.stringify(path.join(root, 'out/test/helpers/vscodeStub.js'))});
    installFakeVscode();
    const times = {};
    for (const b of ['extension.js', 'lintClient.js', 'cloudCommands.js']) {
      const t = performance.now();
      require(${JSON.stringify(outdir)} + '/' + b);
      times[b] = performance.now() - t;
    }
    console.log(JSON.stringify(times));`;
  const run = spawnSync(process.execPath, ['-e', script], { encoding: 'utf8' });
  assert.equal(run.status, 0, run.stderr);
  const times = JSON.parse(run.stdout.trim().split('\n').pop()!) as Record<string, number>;
  console.log(`require (vscode stubbed, production): ${Object.entries(times).map(([b, ms]) => `${b} ${ms.toFixed(1)} ms`).join(', ')}; activation path for a datadog.yaml (gate + language client) ${(times['extension.js'] + times['lintClient.js']).toFixed(1)} ms`);
  assert.deepEqual(Object.keys(times), CLIENT_BUNDLES);
});

test('with a stand-in vscode: activation loads only the gate; a datadog.yaml loads the language client only; a command loads the cloud commands and runs', async () => {
  const fake = installFakeVscode();
  const loaded = () =>
    Object.keys(require.cache)
      .filter((f) => f.startsWith(outdir + path.sep))
      .map((f) => path.basename(f))
      .sort();
  try {
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    const gate = require(path.join(outdir, 'extension.js')) as { activate(context: unknown): { loaded: boolean } };
    const context = fake.context(manifest);
    const api = gate.activate(context);
    assert.deepEqual(loaded(), ['extension.js']);
    assert.equal(api.loaded, false);
    // Every command is there from the start (stubs until their bundle loads).
    assert.deepEqual([...fake.commands.keys()].sort(), manifest.contributes.commands.map((c) => c.command).sort());

    fake.openDocument(fakeDocument('/w/notes/other.yaml', 'yaml'));
    assert.deepEqual(loaded(), ['extension.js'], 'a YAML file that is not ours loads nothing');

    fake.openDocument(fakeDocument('/w/datadog.yaml', 'yaml'));
    assert.deepEqual(loaded(), ['extension.js', 'lintClient.js'], 'a datadog.yaml loads the language client, not the cloud commands');

    // The real Select AWS Profile runs (non-interactive form): it answers the profile and remembers it.
    const chosen = await fake.commands.get('datadogWif.selectAwsProfile')!({ profile: 'dev' });
    assert.equal(chosen, 'dev');
    assert.equal(context.workspaceState.get('datadogWif.awsProfile'), 'dev');
    assert.deepEqual(loaded(), ['cloudCommands.js', 'extension.js', 'lintClient.js']);
    assert.equal(api.loaded, true);
  } finally {
    fake.restore();
  }
});
