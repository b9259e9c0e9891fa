// The extension's manifest and docs keep the promises the catalog makes.

import { test } from 'node:test';
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { RULES, SEVERITY_FAMILIES, docsUrl, isSeverityFamily, setDocsLocation } from '../../server/src/service';
import { toServiceSettings } from '../../server/src/lsp/settings';
import { readmeRuleSection, rulePagesInSync } from '../../scripts/rule-docs';
import { manifestIsInSync } from '../../scripts/sync-manifest';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { packageReadmeUri } from '../../server/src/shared/readmeLocation';

const root = path.resolve(__dirname, '..', '..', '..');
const manifest = JSON.parse(fs.readFileSync(path.join(root, 'package.json'), 'utf8'));
const readme = fs.readFileSync(path.join(root, 'README.md'), 'utf8');

test('package.json settings list every rule code (npm run sync-manifest)', () => {
  assert.ok(manifestIsInSync());
  const codes = Object.keys(manifest.contributes.configuration.properties['datadogWif.severity'].properties);
  assert.deepEqual(codes, RULES.map((r) => r.code));
});

test('every rule family may be set at once (agent/*, arn/*, tf/*, org/*): the server setting, --severity and the manifest share one list', () => {
  const prefixes = new Set(RULES.map((r) => r.code.split('/')[0]).filter((p) => p !== 'lint'));
  assert.deepEqual([...prefixes].sort(), [...SEVERITY_FAMILIES].sort(), 'a rule family the severity settings do not know');
  for (const family of SEVERITY_FAMILIES) assert.ok(isSeverityFamily(`${family}/*`));
  assert.ok(!isSeverityFamily('lint/*') && !isSeverityFamily('org/') && !isSeverityFamily('*'));
  const pattern = Object.keys(manifest.contributes.configuration.properties['datadogWif.severity'].patternProperties)[0];
  for (const family of SEVERITY_FAMILIES) assert.match(`${family}/*`, new RegExp(pattern));
  assert.deepEqual(toServiceSettings({ severity: { 'org/*': 'off', 'nope/*': 'off' } }).severity, { 'org/*': 'off' });
});

test('settings use one prefix and commands one category', () => {
  for (const key of Object.keys(manifest.contributes.configuration.properties)) assert.match(key, /^datadogWif\./);
  for (const c of manifest.contributes.commands) {
    assert.equal(c.category, 'Datadog WIF');
    assert.match(c.command, /^datadogWif\./);
  }
  assert.ok(manifest.contributes.commands.some((c: { command: string }) => c.command === 'datadogWif.restartServer'));
});

test('the extension never activates for every YAML file, and supports untrusted workspaces', () => {
  const events: string[] = manifest.activationEvents;
  assert.ok(!events.includes('*') && !events.includes('onLanguage:yaml'));
  // After startup, for datadogWif.agentConfigFiles: the activation gate (client/src/extension.ts) loads nothing more until a file of ours is open.
  assert.ok(events.includes('onStartupFinished'));
  for (const name of ['datadog.yaml', 'datadog.yml', '*.tf', '.terraform.lock.hcl']) assert.ok(events.includes(`workspaceContains:**/${name}`), name);
  // "limited": linting works anywhere; the commands that send a proof need trust.
  assert.equal(manifest.capabilities.untrustedWorkspaces.supported, 'limited');
  for (const key of ['datadogWif.apiUrl', 'datadogWif.allowedApiHosts']) {
    assert.ok(manifest.capabilities.untrustedWorkspaces.restrictedConfigurations.includes(key), key);
    // Only user settings may say where a proof goes: a workspace file can never widen it.
    assert.equal(manifest.contributes.configuration.properties[key].scope, 'application', key);
  }
  for (const c of manifest.contributes.commands as { command: string; enablement?: string }[]) {
    if (/testLogin|showCallerIdentity|selectAwsProfile|Mapping|ApiKeys|whyCant/i.test(c.command)) assert.match(c.enablement ?? '', /isWorkspaceTrusted/, `${c.command} needs a trusted workspace`);
  }
  assert.equal(manifest.main, './dist/extension.js');
  // The gate requires the language client and the cloud commands from next to itself: all three ship.
  const shipped = fs.readFileSync(path.join(root, '.vscodeignore'), 'utf8').split('\n');
  for (const bundle of ['dist/extension.js', 'dist/lintClient.js', 'dist/cloudCommands.js']) assert.ok(shipped.includes(`!${bundle}`), `.vscodeignore ships ${bundle}`);
  assert.equal(manifest.bin['dd-wif'], './dist/cli.js');
});

test('every implemented rule code has its README section, the prose of its page', () => {
  const headings = new Set([...readme.matchAll(/^### `([a-z]+\/[a-z0-9-]+)`$/gm)].map((m) => m[1]));
  for (const r of RULES) assert.ok(headings.has(r.code), `README has no section for ${r.code}`);
});

test('every rule code has its page in docs/rules/ (npm run rule-docs), with each section, where its diagnostics link', () => {
  assert.ok(rulePagesInSync(), 'docs/rules/ is out of date: npm run rule-docs');
  setDocsLocation(pathToFileURL(path.join(root, 'README.md')).href);
  try {
    for (const r of RULES) {
      const file = fileURLToPath(docsUrl(r.code));
      assert.equal(path.dirname(file), path.join(root, 'docs', 'rules'), r.code);
      const page = fs.readFileSync(file, 'utf8');
      assert.ok(page.startsWith(`# \`${r.code}\`\n`), `${r.code}: title`);
      assert.ok(page.includes(r.summary), `${r.code}: summary`);
      assert.match(page, /\*\*Severity:\*\* (Error|Warning|Information) by default/, r.code);
      const sections = [...page.matchAll(/^## (.+)$/gm)].map((m) => m[1]);
      assert.deepEqual(sections, ['What fires it', 'Wrong', 'Right', 'Quick fix', 'Turn it off'], r.code);
      // What fires it: the README's own section, not a second text of it.
      for (const line of readmeRuleSection(readme, r.code)!.split('\n').slice(1)) if (!line.includes('](#')) assert.ok(page.includes(line), `${r.code}: README prose ${line}`);
      for (const f of r.fixes) assert.ok(page.includes(`- ${f}`), `${r.code}: fix ${f}`);
      // Every relative link of a page resolves to a file that ships.
      for (const m of page.matchAll(/\]\((?!https?:)([^)#\s]+)/g)) assert.ok(fs.existsSync(path.join(path.dirname(file), m[1])), `${r.code}: link ${m[1]}`);
    }
  } finally {
    setDocsLocation('README.md');
  }
  // Other headings (hovers) still open the README at that section.
  assert.equal(docsUrl('datadog.yaml keys'), 'README.md#datadogyaml-keys');
  assert.ok(fs.readFileSync(path.join(root, '.vscodeignore'), 'utf8').split('\n').includes('!docs/rules/**'), '.vscodeignore ships docs/rules/');
});

test('the README starts with the two commands', () => {
  const firstBlock = /```sh\n([\s\S]*?)```/.exec(readme)?.[1] ?? '';
  assert.match(firstBlock, /npm ci && npm run demo/);
  assert.match(firstBlock, /npm test/);
  assert.ok(readme.indexOf('```sh') < readme.indexOf('## What it does'));
});

test('the activation gate (dist/extension.js) stays light: it requires only vscode and, once needed, the language client or the cloud commands', (t) => {
  const gate = path.join(root, 'dist', 'extension.js');
  if (!fs.existsSync(gate)) return t.skip('dist/extension.js is not built (npm run build)');
  const code = fs.readFileSync(gate, 'utf8');
  const required = new Set([...code.matchAll(/\brequire\(\s*["'`]([^"'`]+)["'`]\s*\)/g)].map((m) => m[1]));
  assert.deepEqual([...required].sort(), ['./cloudCommands.js', './lintClient.js', 'vscode']);
  assert.ok(!/\brequire\(\s*[^"'`\s)]/.test(code), 'no require() of a computed path');
  assert.ok(code.length < 20_000, `dist/extension.js is ${code.length} bytes: something heavy was bundled into the gate`);
});

test('rule docs are the README shipped in the package: found from the bundles\' folder, and nothing shipped links to a repository of ours on the web', () => {
  const readmeUri = pathToFileURL(path.join(root, 'README.md')).href;
  assert.equal(packageReadmeUri(path.join(root, 'dist')), readmeUri);
  assert.equal(packageReadmeUri(path.join(root, 'out', 'server', 'src', 'shared')), readmeUri);
  assert.equal(packageReadmeUri(path.parse(root).root), undefined);
  // The package ships package.json, the schemas and the README: none names a web home we do not have.
  for (const file of ['package.json', ...fs.readdirSync(path.join(root, 'schemas')).map((f) => path.join('schemas', f))]) {
    assert.doesNotMatch(fs.readFileSync(path.join(root, file), 'utf8'), /github\.com\/datadog-wif/, file);
  }
});
