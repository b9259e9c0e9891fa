// Loads web-tree-sitter and the Terraform grammar (Node only: reads the wasm
// files from disk). The pure language service never imports this; it gets the
// loaded runtime handed to it (see service/terraform/hcl.ts).
//
// Where the files are looked for, in order:
//   1. the directories in `options.dirs` (tests, a host that knows better);
//   2. next to the running bundle (dist/, where esbuild.mjs copies
//      tree-sitter.cjs, tree-sitter.wasm and tree-sitter-terraform.wasm);
//   3. node_modules of this checkout, found by walking up from this module
//      (compiled tests run from out/server/src/shared/).
// The first directory that has a file wins; a missing file is an error naming
// every path tried.
//
// A runtime can fail for good: tree-sitter aborts when it cannot allocate
// (hostile text: 3 MB of random bytes wanted over 2 GB), and an aborted
// emscripten module is dead. web-tree-sitter keeps its module in its own
// module scope (`Module2` in initializeBinding, and `C`), so Parser.init
// again hands back the same dead module. Each runtime here is therefore a new
// evaluation of web-tree-sitter's CommonJS file (a require of its own, the
// cache entry removed), with a WebAssembly memory of its own whose maximum
// bounds what a parse can take. That is why the bundles do not inline
// web-tree-sitter: tree-sitter.cjs ships next to them like the wasm files. A
// runtime that is no longer referenced is garbage, its memory too (V8 frees
// it at its next full collection: within seconds when idle, at once under
// pressure).

import * as fs from 'node:fs';
import { createRequire } from 'node:module';
import * as path from 'node:path';
import type * as WebTreeSitter from 'web-tree-sitter';
import type { HclRuntime } from '../service/terraform/hcl';

export type { HclRuntime } from '../service/terraform/hcl';

/** web-tree-sitter's code, its wasm, and the grammar, with the node_modules package each comes from. */
export const TREE_SITTER_JS = { file: 'tree-sitter.cjs', pkg: 'web-tree-sitter' } as const;
export const TREE_SITTER_WASM = { file: 'tree-sitter.wasm', pkg: 'web-tree-sitter' } as const;
export const TERRAFORM_WASM = { file: 'tree-sitter-terraform.wasm', pkg: '@tree-sitter-grammars/tree-sitter-hcl' } as const;

/**
 * The most memory one runtime may take, unless DD_WIF_HCL_MEMORY_MB says
 * otherwise. A real 2 MiB file (the largest parsed) takes ~170 MB, ~800 MB
 * with an unclosed quote near its top and the re-parses of recovery; hostile
 * text takes what it is given, so it is given this much and no more.
 */
export const DEFAULT_MAX_MEMORY_BYTES = 1024 * 1024 * 1024;

/** The part of WebAssembly used here (the project's TypeScript lib has no WebAssembly types). */
const { Memory } = (globalThis as unknown as { WebAssembly: { Memory: new (d: { initial: number; maximum: number }) => { readonly buffer: ArrayBuffer } } }).WebAssembly;
const WASM_PAGE = 64 * 1024;
/** emscripten's INITIAL_MEMORY for tree-sitter.wasm (the smallest memory it accepts). */
const INITIAL_MEMORY_BYTES = 32 * 1024 * 1024;

export interface LoadOptions {
  /** Directories to look in before the defaults. */
  dirs?: readonly string[];
  /** The most memory the runtime may take (its WebAssembly memory's maximum). Default: maxMemoryFromEnv(). */
  maxMemoryBytes?: number;
}

/** What was loaded, from where, and how long it took. */
export interface LoadedHclRuntime extends HclRuntime {
  /** Absolute paths of the files used. */
  runtimeJs: string;
  runtimeWasm: string;
  grammarWasm: string;
  /** Wall time of loading web-tree-sitter, Parser.init and Language.load, in milliseconds. */
  loadMs: number;
  readonly maxMemoryBytes: number;
  memoryBytes(): number;
}

/** What emscripten's tree-sitter.wasm can use at all (`getHeapMax` in tree-sitter.cjs). */
const EMSCRIPTEN_HEAP_MAX = 2 * 1024 * 1024 * 1024;

/** DD_WIF_HCL_MEMORY_MB (whole MiB, at least 64, at most 2048) or the default. */
export function maxMemoryFromEnv(env: NodeJS.ProcessEnv = process.env): number {
  const mb = Number(env.DD_WIF_HCL_MEMORY_MB);
  return Number.isInteger(mb) && mb >= 64 ? Math.min(mb * 1024 * 1024, EMSCRIPTEN_HEAP_MAX) : DEFAULT_MAX_MEMORY_BYTES;
}

let shared: Promise<LoadedHclRuntime> | undefined;
let sharedRuntime: HclRuntime | undefined;

/**
 * The process's runtime, loaded once: later calls return the same one (the
 * options of the first call win) until replaceHclLanguage drops it. A failed
 * load is not memoised, so a later call retries.
 */
export function loadHclLanguage(options: LoadOptions = {}): Promise<LoadedHclRuntime> {
  if (!shared) {
    const loading = createHclRuntime(options).then(
      (runtime) => {
        if (shared === loading) sharedRuntime = runtime;
        return runtime;
      },
      (err: unknown) => {
        if (shared === loading) shared = undefined;
        throw err;
      },
    );
    shared = loading;
  }
  return shared;
}

/**
 * A fresh runtime in place of `lost` (one that failed): what loadHclLanguage
 * answers from now on. Callers that report the same lost runtime share one
 * replacement; when `lost` was already replaced, the current runtime comes back.
 */
export function replaceHclLanguage(lost: HclRuntime, options: LoadOptions = {}): Promise<LoadedHclRuntime> {
  if (sharedRuntime === lost) {
    shared = undefined;
    sharedRuntime = undefined;
  }
  return loadHclLanguage(options);
}

/** A new runtime of its own: a new evaluation of web-tree-sitter, a new memory, the grammar loaded into it. */
export async function createHclRuntime(options: LoadOptions = {}): Promise<LoadedHclRuntime> {
  const started = performance.now();
  const runtimeJs = locateWasm(TREE_SITTER_JS, options.dirs);
  const runtimeWasm = locateWasm(TREE_SITTER_WASM, options.dirs);
  const grammarWasm = locateWasm(TERRAFORM_WASM, options.dirs);
  const maxMemoryBytes = Math.min(EMSCRIPTEN_HEAP_MAX, Math.max(INITIAL_MEMORY_BYTES, options.maxMemoryBytes ?? maxMemoryFromEnv()));
  const memory = new Memory({ initial: INITIAL_MEMORY_BYTES / WASM_PAGE, maximum: Math.floor(maxMemoryBytes / WASM_PAGE) });
  const { Parser, Language } = freshWebTreeSitter(runtimeJs);
  await Parser.init({
    // locateFile is asked for 'tree-sitter.wasm' only; answer with the file found.
    locateFile: (name: string, dir: string) => (name === TREE_SITTER_WASM.file ? runtimeWasm : path.join(dir, name)),
    wasmMemory: memory,
    // emscripten prints "Aborted()" on its way down; the host reports the failure in its own words.
    printErr: () => undefined,
  });
  const language = await Language.load(fs.readFileSync(grammarWasm));
  return { Parser, language, runtimeJs, runtimeWasm, grammarWasm, loadMs: performance.now() - started, maxMemoryBytes, memoryBytes: () => memory.buffer.byteLength };
}

/** Evaluates web-tree-sitter's CommonJS file anew: its module-scope state (the emscripten module) is this copy's own. */
function freshWebTreeSitter(file: string): typeof WebTreeSitter {
  // A require of its own: the module that loads it (and lists it as a child) is garbage with it.
  const load = createRequire(file);
  const key = load.resolve(file);
  delete load.cache[key];
  try {
    return load(key) as typeof WebTreeSitter;
  } finally {
    delete load.cache[key];
  }
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
