// A clean install: `npm ci` runs no install script nobody reviewed (npm 11's
// `allowScripts` policy in package.json), and `engines.node` admits no Node that a
// locked dependency refuses.

import { test } from 'node:test';
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { createRequire } from 'node:module';

const root = path.resolve(__dirname, '..', '..', '..');
const manifest = JSON.parse(fs.readFileSync(path.join(root, 'package.json'), 'utf8'));
const lock = JSON.parse(fs.readFileSync(path.join(root, 'package-lock.json'), 'utf8')) as { packages: Record<string, { hasInstallScript?: boolean; engines?: { node?: string } | string[] }> };
// npm's own range semantics (semver is in the tree through npm's tooling; no types shipped for it here).
const semver = createRequire(path.join(root, 'package.json'))('semver') as { minVersion(range: string): { version: string } | null; satisfies(v: string, range: string): boolean };

/** "node_modules/a/node_modules/@s/b" -> "@s/b" */
const nameOf = (key: string) => key.slice(key.lastIndexOf('node_modules/') + 'node_modules/'.length);

test('every locked package with an install script has an allowScripts decision (npm ci warns about none)', () => {
  const allow: Record<string, boolean> = manifest.allowScripts ?? {};
  const decided = new Set(Object.keys(allow).map((k) => k.replace(/(.)@.*$/, '$1')));
  const withScripts = Object.entries(lock.packages).filter(([k, p]) => k && p.hasInstallScript).map(([k]) => nameOf(k));
  assert.ok(withScripts.includes('esbuild'), 'the lockfile records install scripts (hasInstallScript)');
  assert.deepEqual(withScripts.filter((n) => !decided.has(n)), []);
  // The build runs esbuild's native binary: its postinstall checks that binary, so it stays allowed.
  assert.equal(allow.esbuild, true);
  // We load the Terraform grammar as wasm (esbuild.mjs copies it): its native binding is never built.
  assert.equal(allow['@tree-sitter-grammars/tree-sitter-hcl'], false);
  assert.ok(fs.existsSync(path.join(root, 'node_modules/@tree-sitter-grammars/tree-sitter-hcl/tree-sitter-terraform.wasm')), 'the grammar wasm comes in the published package');
});

test('engines.node admits no Node that a locked dependency refuses', () => {
  const lowest = semver.minVersion(manifest.engines.node)?.version;
  assert.ok(lowest, `engines.node ${manifest.engines.node} is a range`);
  const refused = Object.entries(lock.packages)
    .filter(([k, p]) => k && p.engines && !Array.isArray(p.engines) && p.engines.node && !semver.satisfies(lowest, p.engines.node))
    .map(([k, p]) => `${nameOf(k)} wants ${(p.engines as { node: string }).node}`);
  assert.deepEqual(refused, [], `Node ${lowest} (the lowest engines.node admits) is refused`);
  // The AWS SDK is among the locked packages checked (its engines: >=20 today).
  assert.ok(lock.packages['node_modules/@aws-sdk/client-sts']?.engines);
});
