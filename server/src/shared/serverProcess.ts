// How the language server's Node process is started: the extension's client
// and the bench (test/bench/lsp.ts) both read this, so what the bench measures
// is what users run. Its own module, so the client bundle carries no more.
//
// V8 grows its heap lazily: left to itself, the server (~20 MB of live objects
// with 20 documents open) sat at ~180 MB RSS after 500 edits, two thirds of it
// garbage. Each lint allocates briefly, so the young generation grew to its
// 16 MB semi-spaces (32 MB, all resident), and what survived a scavenge piled
// up in the old generation, which V8 lets grow to ~4 times the live size
// before a full collection. Measured on the bench's 12 template copies and 8
// 1,000-line .tf files, 500 edits, with the Agent check that re-reads the whole file:
//   default flags                                          ~180 MB
//   --max-semi-space-size=1                                ~145 MB
//   --max-semi-space-size=2 --heap-growing-percent=20      ~92-98 MB
//   --max-semi-space-size=1 --optimize-for-size            ~86 MB, edits about twice as slow
// and with the incremental Agent check of #11 (which allocates far less an
// edit), the glibc setting below included:
//   --max-semi-space-size=2 --heap-growing-percent=20      ~82-84 MB
//   --max-semi-space-size=1 --heap-growing-percent=10      ~79-84 MB
// An edit of the full template then takes the same ~3 ms over LSP with or
// without them (~13 vs ~18 ms before it was incremental).
//
// On Linux, glibc's malloc kept 5-15 MB more that V8's compiler and collector
// threads had freed: each large block freed raises its mmap threshold to that
// block's size (up to 32 MB) and its trim threshold to twice that, and it
// gives back nothing below the trim threshold. MALLOC_TRIM_THRESHOLD_ set
// (to glibc's default, 128 KiB) turns that raising off: ~87 MB instead of
// ~95 MB over three runs each, no slower. Other C libraries ignore it.

/**
 * Node/V8 options of the server process: young-generation semi-spaces of at
 * most 1 MB, and an old generation that grows by 10 % of what survives a full
 * collection (V8's `--heap-growing-percent`; it still grows as far as a large
 * file needs). Node documents the first; it hands the second to V8, which
 * has had it for years. A Node that refused one would not start the server:
 * the unit test server-process starts it with them, the real-VS-Code suite
 * through the extension.
 */
export const SERVER_NODE_FLAGS: readonly string[] = ['--max-semi-space-size=1', '--heap-growing-percent=10'];

/** glibc's trim threshold, fixed (see above); unless the environment sets its own. */
const MALLOC_TRIM_THRESHOLD = String(128 * 1024);

/** The server's environment: `env` (the client's own) with MALLOC_TRIM_THRESHOLD_ unless `env` has one. */
export function serverEnvironment(env: NodeJS.ProcessEnv): NodeJS.ProcessEnv {
  return { ...env, MALLOC_TRIM_THRESHOLD_: env.MALLOC_TRIM_THRESHOLD_ ?? MALLOC_TRIM_THRESHOLD };
}
