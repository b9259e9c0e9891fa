// What `npm run package` puts in the .vsix: one production build (vsce runs
// `vscode:prepublish`; `package` does not build again), no stale source maps,
// and exactly the dist/ files the extension loads (no dd-wif CLI, no emulator)
// plus everything it references. The extension folder is staged in a temporary
// folder (manifest, .vscodeignore, README, LICENSE, schemas, icons, images), built
// there with a dev build first and then the production one, and listed by
// `vsce ls` (offline: it reads the folder and .vscodeignore only).

import { before, after, test } from 'node:test';
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { spawnSync } from 'node:child_process';
import { requiredVsixFiles, unwantedVsixFiles } from '../helpers/vsix';

const root = path.resolve(__dirname, '..', '..', '..');
const manifest = JSON.parse(fs.readFileSync(path.join(root, 'package.json'), 'utf8'));
let stage: string;
let mapsAfterDevBuild: string[];
let listed: string[];

const build = (...args: string[]) => {
  const r = spawnSync(process.execPath, ['esbuild.mjs', ...args, `--outdir=${path.join(stage, 'dist')}`], { cwd: root, encoding: 'utf8' });
  assert.equal(r.status, 0, `esbuild.mjs ${args.join(' ')} failed:\n${r.stdout}\n${r.stderr}`);
};

before(() => {
  stage = fs.mkdtempSync(path.join(os.tmpdir(), 'dd-wif-vsix-'));
  for (const f of ['package.json', '.vscodeignore', 'README.md', 'LICENSE', 'schemas', 'resources', 'docs']) {
    if (fs.existsSync(path.join(root, f))) fs.cpSync(path.join(root, f), path.join(stage, f), { recursive: true });
  }
  build();
  mapsAfterDevBuild = fs.readdirSync(path.join(stage, 'dist')).filter((f) => f.endsWith('.map'));
  build('--production');
  const ls = spawnSync(process.execPath, [path.join(root, 'node_modules/@vscode/vsce/vsce'), 'ls', '--no-dependencies'], { cwd: stage, encoding: 'utf8' });
  assert.equal(ls.status, 0, `vsce ls failed:\n${ls.stderr}`);
  listed = ls.stdout.split('\n').filter(Boolean);
});
after(() => fs.rmSync(stage, { recursive: true, force: true }));

test('npm run package builds once, in production mode', () => {
  // vsce package runs vscode:prepublish itself: count the production builds the two scripts start.
  const expand = (script: string, seen: string[] = []): string => {
    assert.ok(!seen.includes(script), `npm script loop at ${script}`);
    return (manifest.scripts[script] as string).replace(/npm run (?:--silent )?([\w:-]+)/g, (_m, s: string) => expand(s, [...seen, script]));
  };
  const commands = `${expand('package')} && ${expand('vscode:prepublish')}`;
  assert.match(manifest.scripts.package, /\bvsce package\b/);
  assert.equal(commands.match(/esbuild\.mjs --production/g)?.length ?? 0, 1, commands);
  assert.doesNotMatch(commands, /esbuild\.mjs(?! --production)/, 'no other build');
});

test('a production build removes the source maps a dev build left', () => {
  assert.ok(mapsAfterDevBuild.includes('extension.js.map'), 'the dev build writes maps');
  assert.deepEqual(fs.readdirSync(path.join(stage, 'dist')).filter((f) => f.endsWith('.map')), []);
});

test('the .vsix holds what the extension loads and shows, and no other bundle, map or source', () => {
  const required = requiredVsixFiles(stage);
  // The derivation finds the chain gate -> client bundles -> server -> HCL runtime (a guard on the helper itself).
  for (const f of ['dist/extension.js', 'dist/lintClient.js', 'dist/cloudCommands.js', 'dist/server.js', 'dist/tree-sitter.cjs', 'dist/tree-sitter.wasm', 'dist/tree-sitter-terraform.wasm', 'schemas/datadog-agent-delegated-auth.schema.json', 'resources/datadog-wif.svg']) {
    assert.ok(required.includes(f), `derived as required: ${f}`);
  }
  assert.deepEqual(required.filter((f) => !listed.includes(f)), [], 'required but not packaged');
  assert.deepEqual(unwantedVsixFiles(listed, required), [], 'packaged but not the extension\'s');
  assert.ok(!listed.includes('dist/cli.js') && !listed.includes('dist/emulator.js'));
});
