// The client side of the bench: production bundles built into a temporary
// folder (`node esbuild.mjs --production --outdir=…`, dist/ untouched), the
// size of what VS Code loads when the extension activates, and the time to
// `require` it in a fresh node process with `vscode` stubbed.

import { execFileSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { ROOT } from './lsp';

/**
 * Loaded when a datadog.yaml opens: the activation gate and the language
 * client it requires for a document of ours (cloudCommands.js, the AWS SDK
 * and the cloud core, waits for the first command that needs it).
 */
export const ACTIVATION_FILES = ['extension.js', 'lintClient.js'];
/** Bundles that are not the client's (the language server runs in its own process). */
const NOT_CLIENT = new Set(['server.js', 'cli.js', 'emulator.js', 'tree-sitter.cjs']);

export interface ClientBundle {
  dir: string;
  /** Client .js files, activation files first: name, bytes, whether activation loads it. */
  files: { name: string; bytes: number; atActivation: boolean }[];
}

export function buildProductionBundles(): ClientBundle {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'dd-wif-bench-bundles-'));
  execFileSync(process.execPath, ['esbuild.mjs', '--production', `--outdir=${dir}`], { cwd: ROOT, stdio: 'inherit' });
  const files = fs
    .readdirSync(dir, { recursive: true, encoding: 'utf8' })
    .filter((f) => /\.(c|m)?js$/.test(f) && !NOT_CLIENT.has(f))
    .map((name) => ({ name, bytes: fs.statSync(path.join(dir, name)).size, atActivation: ACTIVATION_FILES.includes(name) }))
    .sort((a, b) => Number(b.atActivation) - Number(a.atActivation) || a.name.localeCompare(b.name));
  return { dir, files };
}

/**
 * Run in a fresh node: stubs `vscode` (any property is a constructible,
 * callable stub, so classes that extend vscode types load), then requires the
 * activation files in order and prints the ms each took.
 */
const REQUIRE_PROBE = `
const Module = require('module');
const stub = new Proxy(function () {}, {
  get: (_, p) => (p === '__esModule' ? false : p === Symbol.toPrimitive ? () => '' : stub),
  apply: () => stub,
  construct: () => stub,
});
const load = Module._load;
Module._load = function (request, ...rest) { return request === 'vscode' ? stub : load.call(this, request, ...rest); };
const out = {};
for (const file of JSON.parse(process.argv[1])) {
  const t0 = performance.now();
  require(file);
  out[require('path').basename(file)] = performance.now() - t0;
}
process.stdout.write(JSON.stringify(out));
`;

/** Per activation file, the median ms of `require` over `runs` fresh processes; and the median of their sum. */
export function requireTime(bundle: ClientBundle, runs: number): { perFile: Record<string, number>; total: number } {
  const files = bundle.files.filter((f) => f.atActivation).map((f) => path.join(bundle.dir, f.name));
  const samples: Record<string, number>[] = [];
  for (let i = 0; i < runs; i++) {
    const out = execFileSync(process.execPath, ['-e', REQUIRE_PROBE, JSON.stringify(files)], { encoding: 'utf8' });
    samples.push(JSON.parse(out) as Record<string, number>);
  }
  const perFile: Record<string, number> = {};
  for (const f of files.map((f) => path.basename(f))) perFile[f] = median(samples.map((s) => s[f]));
  return { perFile, total: median(samples.map((s) => Object.values(s).reduce((a, b) => a + b, 0))) };
}

export function median(xs: number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  const m = s.length >> 1;
  return s.length % 2 ? s[m] : (s[m - 1] + s[m]) / 2;
}
