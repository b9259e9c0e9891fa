// Loads web-tree-sitter and the Terraform grammar (Node only: reads the wasm
// files from disk). The pure language service never imports this; it gets the
// loaded runtime handed to it (see service/terraform/hcl.ts).
//
// Where the wasm files are looked for, in order:
//   1. the directories in `options.dirs` (tests, a host that knows better);
//   2. next to the running bundle (dist/, where esbuild.mjs copies
//      tree-sitter.wasm and tree-sitter-terraform.wasm);
//   3. node_modules of this checkout, found by walking up from this module
//      (compiled tests run from out/server/src/shared/).
// The first directory that has a file wins; a missing file is an error naming
// every path tried.

import * as fs from 'node:fs';
import * as path from 'node:path';
import { Language, Parser } from 'web-tree-sitter';
import type { HclRuntime } from '../service/terraform/hcl';

export type { HclRuntime } from '../service/terraform/hcl';

/** The runtime's wasm (web-tree-sitter's own) and the grammar, with the node_modules package each comes from. */
export const TREE_SITTER_WASM = { file: 'tree-sitter.wasm', pkg: 'web-tree-sitter' } as const;
export const TERRAFORM_WASM = { file: 'tree-sitter-terraform.wasm', pkg: '@tree-sitter-grammars/tree-sitter-hcl' } as const;

export interface LoadOptions {
  /** Directories to look in before the defaults. */
  dirs?: readonly string[];
}

/** What was loaded, from where, and how long it took. */
export interface LoadedHclRuntime extends HclRuntime {
  /** Absolute paths of the two wasm files used. */
  runtimeWasm: string;
  grammarWasm: string;
  /** Wall time of Parser.init + Language.load, in milliseconds. */
  loadMs: number;
}

let loading: Promise<LoadedHclRuntime> | undefined;

/**
 * Initialises web-tree-sitter and loads the Terraform grammar, once per
 * process: later calls return the same runtime (the options of the first call
 * win). A failed load is not memoised, so a later call retries.
 */
export function loadHclLanguage(options: LoadOptions = {}): Promise<LoadedHclRuntime> {
  loading ??= load(options).catch((err: unknown) => {
    loading = undefined;
    throw err;
  });
  return loading;
}

async function load(options: LoadOptions): Promise<LoadedHclRuntime> {
  const started = performance.now();
  const runtimeWasm = locateWasm(TREE_SITTER_WASM, options.dirs);
  const grammarWasm = locateWasm(TERRAFORM_WASM, options.dirs);
  // locateFile is asked for 'tree-sitter.wasm' only; answer with the file found.
  await Parser.init({ locateFile: (name: string, dir: string) => (name === TREE_SITTER_WASM.file ? runtimeWasm : path.join(dir, name)) });
  const language = await Language.load(fs.readFileSync(grammarWasm));
  return { Parser, language, runtimeWasm, grammarWasm, loadMs: performance.now() - started };
}

/** Every path where `wasm` is looked for, in order. */
export function wasmCandidates(wasm: { file: string; pkg: string }, dirs: readonly string[] = []): string[] {
  const out = dirs.map((d) => path.resolve(d, wasm.file));
  out.push(path.join(__dirname, wasm.file));
  // Walk up from here: out/server/src/shared → the checkout root, dist → the root.
  let dir = __dirname;
  for (let i = 0; i < 8; i++) {
    out.push(path.join(dir, 'node_modules', ...wasm.pkg.split('/'), wasm.file));
    const parent = path.dirname(dir);
    if (parent === dir) break;
    dir = parent;
  }
  return [...new Set(out)];
}

export function locateWasm(wasm: { file: string; pkg: string }, dirs?: readonly string[]): string {
  const tried = wasmCandidates(wasm, dirs);
  for (const p of tried) if (fs.existsSync(p)) return p;
  throw new Error(`Terraform support is unavailable: ${wasm.file} was not found. Looked in:\n  ${tried.join('\n  ')}`);
}
