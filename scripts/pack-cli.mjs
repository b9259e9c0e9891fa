#!/usr/bin/env node
// `npm run pack:cli`: the `dd-wif` CLI as a package of its own, for CI jobs
// that want the linter without the VS Code extension. Writes
// dd-wif-<version>.tgz in the repository root from a staging folder
// (build/cli-package/), holding:
//   dist/cli.js         the production bundle from esbuild.mjs (everything it
//                       imports, the AWS SDK included, is inlined: no dependencies);
//   dist/*.cjs, *.wasm  the HCL runtime esbuild.mjs copies next to the bundles,
//                       found there at run time (server/src/shared/treeSitter.ts);
//   README.md           scripts/cli-package/README.md plus the README's Rules
//                       section (SARIF informationUri: the README beside
//                       package.json, server/src/shared/readmeLocation.ts);
//   docs/rules/*.md     the rule pages each SARIF rule's helpUri names (beside
//                       that README, as in the .vsix);
//   package.json, LICENSE.
// `npm pack` of a folder without dependencies or scripts needs no network.

import { spawnSync } from 'node:child_process';
import { copyFileSync, mkdirSync, readFileSync, readdirSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const option = (name) => process.argv.find((a) => a.startsWith(`--${name}=`))?.slice(name.length + 3);
// `--staging=DIR` and `--dest=DIR` (test/unit/cli-package.test.ts packs into a temporary folder).
const staging = resolve(option('staging') ?? join(root, 'build', 'cli-package'));
const bundles = `${staging}-bundles`;
const dest = resolve(option('dest') ?? root);
/** What npm may hold at most (the limit), checked here so a bloated package never leaves the build. */
const MAX_TARBALL_BYTES = 3 * 1024 * 1024;

const project = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8'));

function run(cmd, args, cwd) {
  // npm is npm.cmd on Windows, which spawn finds only through a shell.
  const r = spawnSync(cmd, args, { cwd, stdio: ['ignore', 'pipe', 'inherit'], encoding: 'utf8', shell: process.platform === 'win32' });
  if (r.status !== 0) throw new Error(`${cmd} ${args.join(' ')} failed (${r.status ?? r.signal})`);
  return r.stdout;
}

/** The project README's `## Rules` section (to the next `## ` heading); in-page links to sections left behind become plain text. */
export function rulesSection(readme) {
  const lines = readme.split('\n');
  const start = lines.findIndex((l) => l === '## Rules');
  if (start < 0) throw new Error('README.md has no "## Rules" section');
  const end = lines.findIndex((l, i) => i > start && l.startsWith('## '));
  return lines.slice(start, end < 0 ? undefined : end).join('\n').trimEnd() + '\n';
}

/** GitHub's anchor of a heading (as server/src/service/catalog.ts docsAnchor). */
export const anchorOf = (heading) => heading.toLowerCase().replace(/[^a-z0-9 _-]/g, '').replace(/ /g, '-');

/** `[text](#anchor)` whose anchor is no heading of `markdown` → `text`. */
export function unlinkMissingAnchors(markdown) {
  const anchors = new Set(markdown.split('\n').filter((l) => /^#+ /.test(l)).map((l) => anchorOf(l.replace(/^#+ /, ''))));
  return markdown.replace(/\[([^\]]+)\]\(#([^)]+)\)/g, (all, text, anchor) => (anchors.has(anchor) ? all : text));
}

function main() {
  rmSync(staging, { recursive: true, force: true });
  rmSync(bundles, { recursive: true, force: true });
  // The same build as the .vsix's (esbuild.mjs --production: minified, no source maps), into a folder of its own.
  run(process.execPath, ['esbuild.mjs', '--production', `--outdir=${bundles}`], root);
  const dist = join(staging, 'dist');
  mkdirSync(dist, { recursive: true });
  // cli.js, and the HCL runtime esbuild.mjs copies beside every bundle (whatever that list holds).
  for (const file of readdirSync(bundles)) {
    if (file === 'cli.js' || /\.(wasm|cjs)$/.test(file)) copyFileSync(join(bundles, file), join(dist, file));
  }
  rmSync(bundles, { recursive: true, force: true });

  const intro = readFileSync(join(root, 'scripts', 'cli-package', 'README.md'), 'utf8').replaceAll('{{version}}', project.version);
  writeFileSync(join(staging, 'README.md'), unlinkMissingAnchors(`${intro.trimEnd()}\n\n${rulesSection(readFileSync(join(root, 'README.md'), 'utf8'))}`));
  copyFileSync(join(root, 'LICENSE'), join(staging, 'LICENSE'));
  const pages = join(staging, 'docs', 'rules');
  mkdirSync(pages, { recursive: true });
  for (const page of readdirSync(join(root, 'docs', 'rules'))) if (page.endsWith('.md')) copyFileSync(join(root, 'docs', 'rules', page), join(pages, page));

  const manifest = {
    name: 'dd-wif',
    version: project.version,
    description: 'Lint Datadog Workload Identity Federation setups (datadog.yaml, Terraform, the Agent configured by environment) and test logins, from a terminal or CI.',
    license: project.license,
    keywords: ['datadog', 'terraform', 'aws', 'workload identity federation', 'lint', 'sarif'],
    bin: { 'dd-wif': 'dist/cli.js' },
    files: ['dist/', 'docs/', 'README.md', 'LICENSE'],
    // The bundle targets node18 (esbuild.mjs); the project's own floor is what users need.
    engines: { node: project.engines.node },
  };
  writeFileSync(join(staging, 'package.json'), JSON.stringify(manifest, null, 2) + '\n');

  mkdirSync(dest, { recursive: true });
  const out = run('npm', ['pack', '--json', '--pack-destination', dest], staging);
  const [{ filename }] = JSON.parse(out);
  const size = statSync(join(dest, filename)).size;
  if (size > MAX_TARBALL_BYTES) throw new Error(`${filename} is ${size} bytes, over the ${MAX_TARBALL_BYTES}-byte limit`);
  console.log(`${join(dest, filename)} (${(size / 1024).toFixed(0)} KB)`);
}

if (process.argv[1] === fileURLToPath(import.meta.url)) main();
