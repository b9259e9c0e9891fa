// What the .vsix must hold, derived from what the extension references: the
// manifest's `main` and the files its contributions name, what each shipped
// bundle requires or resolves next to itself (the client's
// `asAbsolutePath('dist/server.js')`, the server's wasm and tree-sitter.cjs),
// and the README's local images. Used by test/unit/vsix-contents.test.ts and
// by the package step of scripts/test.mjs, so both judge a listing alike.
import fs from 'node:fs';
import path from 'node:path';

/** Files of an extension folder (`root`, with its built dist/) that the extension loads or shows. */
export function requiredVsixFiles(root: string): string[] {
  const manifest = JSON.parse(fs.readFileSync(path.join(root, 'package.json'), 'utf8')) as { main: string; icon?: string; contributes?: unknown };
  const needed = new Set(['package.json', 'README.md', 'LICENSE']);
  const rel = (p: string) => path.posix.normalize(p.replace(/^\.\//, ''));
  const exists = (p: string) => fs.existsSync(path.join(root, p));

  // Bundles: follow relative requires and the dist/ or sibling file names each one spells out.
  const queue = [rel(manifest.main)];
  while (queue.length) {
    const bundle = queue.shift() as string;
    if (needed.has(bundle)) continue;
    needed.add(bundle);
    const dir = path.posix.dirname(bundle);
    const text = fs.readFileSync(path.join(root, bundle), 'utf8');
    for (const m of text.matchAll(/require\(\s*["'](\.\.?\/[^"']+)["']\s*\)/g)) queue.push(path.posix.join(dir, m[1]));
    for (const m of text.matchAll(/["'`](dist\/[\w.-]+\.(?:js|cjs|wasm))["'`]/g)) if (exists(m[1])) queue.push(m[1]);
    for (const m of text.matchAll(/["'`]([\w.-]+\.(?:wasm|cjs))["'`]/g)) {
      const sibling = path.posix.join(dir, m[1]);
      if (exists(sibling)) (sibling.endsWith('.cjs') ? queue.push(sibling) : needed.add(sibling));
    }
  }

  // The manifest: its icon and every contributed path (view icons, schemas, walkthrough media...).
  if (manifest.icon) needed.add(rel(manifest.icon));
  const walk = (v: unknown): void => {
    if (typeof v === 'string') {
      if (/^\.?\/?[\w-]+(\/[\w.-]+)+$/.test(v) && exists(rel(v))) needed.add(rel(v));
    } else if (v && typeof v === 'object') for (const x of Object.values(v)) walk(x);
  };
  walk(manifest.contributes);

  // The README's local images, as the details page shows them.
  const readme = fs.readFileSync(path.join(root, 'README.md'), 'utf8');
  for (const m of readme.matchAll(/!\[[^\]]*\]\(\s*([^)\s]+)|<img[^>]*\ssrc=["']([^"']+)["']/g)) {
    const src = m[1] ?? m[2];
    if (!/^[a-z]+:/i.test(src)) needed.add(rel(src.split('#')[0]));
  }
  return [...needed].sort();
}

/** Listed files that must not ship: other programs' bundles, source maps, build metadata, sources, tests. */
export function unwantedVsixFiles(listed: string[], required: string[]): string[] {
  const need = new Set(required);
  return listed.filter((f) =>
    /\.map$|\.meta\.json$/.test(f) ||
    /^(node_modules|out|test|client|server|emulator|scripts|examples|\.ci)\//.test(f) ||
    // dist/ is the extension's bundles only: cli.js (dd-wif) and emulator.js (tests) are not loaded by it.
    (f.startsWith('dist/') && !need.has(f)));
}
