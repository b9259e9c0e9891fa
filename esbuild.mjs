// Bundles the entry points that ship: the extension (client, three bundles),
// the language server and the `dd-wif` CLI; and the local emulator that tests
// and the demo use (not shipped). `--production` minifies and drops source
// maps (and removes a dev build's stale ones); `--watch` rebuilds on change;
// `--outdir=DIR` writes to DIR instead of dist/; `--metafile` writes each bundle's esbuild metafile next to it
// (`<bundle>.meta.json`: which inputs it holds; test/unit/client-bundles.test.ts).
import * as esbuild from 'esbuild';
import { copyFileSync, mkdirSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';

const { version } = JSON.parse(readFileSync(new URL('./package.json', import.meta.url), 'utf8'));

const production = process.argv.includes('--production');
const watch = process.argv.includes('--watch');
const metafile = process.argv.includes('--metafile');
const outdir = process.argv.find((a) => a.startsWith('--outdir='))?.slice('--outdir='.length) || 'dist';

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
  metafile,
};

const builds = [
  // The extension is three bundles (client/src/extension.ts says when each loads): the activation gate
  // (package.json "main"), which stays all that is loaded in a workspace with nothing of ours; the language
  // client, loaded once a document of ours is open; and the commands that talk to AWS and Datadog, with the
  // cloud core and the AWS SDK, loaded when one of them runs or their view is shown.
  { ...common, entryPoints: ['client/src/extension.ts'], outfile: `${outdir}/extension.js`, external: ['vscode', './lintClient.js', './cloudCommands.js'] },
  { ...common, entryPoints: ['client/src/lintClient.ts'], outfile: `${outdir}/lintClient.js`, external: ['vscode'] },
  { ...common, entryPoints: ['client/src/cloudCommands.ts'], outfile: `${outdir}/cloudCommands.js`, external: ['vscode'] },
  { ...common, entryPoints: ['server/src/lsp/main.ts'], outfile: `${outdir}/server.js` },
  { ...common, entryPoints: ['server/src/cli/main.ts'], outfile: `${outdir}/cli.js`, banner: { js: '#!/usr/bin/env node' } },
  // The local emulator of AWS STS and Datadog: a test and demo tool, not part of the .vsix.
  { ...common, entryPoints: ['emulator/src/main.ts'], outfile: `${outdir}/emulator.js` },
];

// The HCL parser is WebAssembly: its runtime and the Terraform grammar travel
// next to the bundles, and so does web-tree-sitter's own code, which the
// bundles do not inline: a runtime that fails is replaced by a fresh
// evaluation of that file (server/src/shared/treeSitter.ts).
const HCL_RUNTIME = ['node_modules/web-tree-sitter/tree-sitter.cjs', 'node_modules/web-tree-sitter/tree-sitter.wasm', 'node_modules/@tree-sitter-grammars/tree-sitter-hcl/tree-sitter-terraform.wasm'];
mkdirSync(outdir, { recursive: true });
// A production build writes no source maps, so any map in the folder is a dev
// build's, for code it no longer matches: remove them.
if (production) for (const f of readdirSync(outdir)) if (f.endsWith('.map')) rmSync(`${outdir}/${f}`);
for (const file of HCL_RUNTIME) copyFileSync(file, `${outdir}/${file.split('/').pop()}`);

if (watch) {
  const contexts = await Promise.all(builds.map((b) => esbuild.context(b)));
  await Promise.all(contexts.map((c) => c.watch()));
} else {
  const results = await Promise.all(builds.map((b) => esbuild.build(b)));
  if (metafile) results.forEach((r, i) => writeFileSync(`${builds[i].outfile.replace(/\.js$/, '')}.meta.json`, JSON.stringify(r.metafile)));
}
