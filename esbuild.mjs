// Bundles the three entry points that ship: the extension (client), the
// language server and the `dd-wif` CLI; and the local emulator that tests and
// the demo use (not shipped). `--production` minifies and drops source maps;
// `--watch` rebuilds on change; `--outdir=DIR` builds into DIR instead of dist/.
import * as esbuild from 'esbuild';
import { copyFileSync, mkdirSync, readFileSync } from 'node:fs';

const { version } = JSON.parse(readFileSync(new URL('./package.json', import.meta.url), 'utf8'));

const production = process.argv.includes('--production');
const watch = process.argv.includes('--watch');

/** Reports build results in the problem-matcher friendly form VS Code tasks expect. */
const reportProblems = {
  name: 'report-problems',
  setup(build) {
    build.onStart(() => console.log('[watch] build started'));
    build.onEnd((result) => {
      for (const { text, location } of result.errors) {
        console.error(`✘ [ERROR] ${text}`);
        if (location) console.error(`    ${location.file}:${location.line}:${location.column}:`);
      }
      console.log('[watch] build finished');
    });
  },
};

const common = {
  bundle: true,
  platform: 'node',
  target: 'node18',
  format: 'cjs',
  minify: production,
  sourcemap: !production,
  sourcesContent: false,
  logLevel: 'warning',
  plugins: watch ? [reportProblems] : [],
  define: { DD_WIF_VERSION: JSON.stringify(version) },
};

const builds = [
  // The extension is two bundles: a small activation gate (package.json "main"), which stays all that is
  // loaded in a workspace with nothing of ours, and the extension proper that it requires once needed.
  { ...common, entryPoints: ['client/src/extension.ts'], outfile: 'dist/extension.js', external: ['vscode', './extensionMain.js'] },
  { ...common, entryPoints: ['client/src/extensionMain.ts'], outfile: 'dist/extensionMain.js', external: ['vscode'] },
  { ...common, entryPoints: ['server/src/lsp/main.ts'], outfile: 'dist/server.js' },
  { ...common, entryPoints: ['server/src/cli/main.ts'], outfile: 'dist/cli.js', banner: { js: '#!/usr/bin/env node' } },
  // The local emulator of AWS STS and Datadog: a test and demo tool, not part of the .vsix.
  { ...common, entryPoints: ['emulator/src/main.ts'], outfile: 'dist/emulator.js' },
];

// The HCL parser is WebAssembly: its runtime and the Terraform grammar travel
// next to the bundles, and so does web-tree-sitter's own code, which the
// bundles do not inline: a runtime that fails is replaced by a fresh
// evaluation of that file (server/src/shared/treeSitter.ts).
const HCL_RUNTIME = ['node_modules/web-tree-sitter/tree-sitter.cjs', 'node_modules/web-tree-sitter/tree-sitter.wasm', 'node_modules/@tree-sitter-grammars/tree-sitter-hcl/tree-sitter-terraform.wasm'];

// `--outdir=DIR` writes the same files to DIR instead of dist/ (`npm run bench` measures production
// bundles this way without replacing the dev build in dist/).
const outdir = process.argv.find((a) => a.startsWith('--outdir='))?.slice('--outdir='.length) || 'dist';
const toOutdir = (p) => (p && p.startsWith('dist/') ? `${outdir}/${p.slice('dist/'.length)}` : p === 'dist' ? outdir : p);
for (const b of builds) Object.assign(b, b.outfile ? { outfile: toOutdir(b.outfile) } : {}, b.outdir ? { outdir: toOutdir(b.outdir) } : {});

mkdirSync(outdir, { recursive: true });
for (const file of HCL_RUNTIME) copyFileSync(file, `${outdir}/${file.split('/').pop()}`);

if (watch) {
  const contexts = await Promise.all(builds.map((b) => esbuild.context(b)));
  await Promise.all(contexts.map((c) => c.watch()));
} else {
  await Promise.all(builds.map((b) => esbuild.build(b)));
}
