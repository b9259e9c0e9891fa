// The client's rule links: a link to a rule page of the installed extension
// becomes the command that previews it; any other link stays as it is.

import { test } from 'node:test';
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { OPEN_RULE_DOC, isRuleDocUri, ruleDocCommandUri, ruleDocsFolder, withRuleDocCommands } from '../../client/src/ruleDocLinks';
import { RULES, docsUrl, setDocsLocation } from '../../server/src/service';

const root = path.resolve(__dirname, '..', '..', '..');
const folder = ruleDocsFolder(pathToFileURL(root).href);

function commandArgs(command: string): unknown {
  const [scheme, rest] = command.split(/:(.*)/s);
  assert.equal(scheme, 'command');
  const [name, query] = rest.split('?');
  assert.equal(name, OPEN_RULE_DOC);
  return JSON.parse(decodeURIComponent(query));
}

test('every rule link the server sends becomes the preview command of an existing page', () => {
  setDocsLocation(pathToFileURL(path.join(root, 'README.md')).href);
  try {
    for (const r of RULES) {
      const command = ruleDocCommandUri(docsUrl(r.code), folder);
      assert.ok(command, r.code);
      const [target] = commandArgs(command) as string[];
      assert.equal(target, docsUrl(r.code));
      assert.ok(fs.existsSync(fileURLToPath(target)), `${target} exists`);
    }
    // A README section (a hover's key docs) stays a file link: it opens the README.
    assert.equal(ruleDocCommandUri(docsUrl('datadog.yaml keys'), folder), undefined);
  } finally {
    setDocsLocation('README.md');
  }
});

test('only a page directly in docs/rules/ of the extension is a rule page', () => {
  assert.ok(isRuleDocUri(`${folder}arn-root.md`, folder));
  for (const other of [
    `${folder}../../README.md`,
    `${folder}sub/arn-root.md`,
    `${folder}arn-root.md?x=1`,
    `${folder}arn-root.txt`,
    `${folder}..%2F..%2Fpackage.json`,
    'file:///etc/passwd',
    `https://example.com/docs/rules/arn-root.md`,
    `${pathToFileURL(path.join(root, 'other')).href}/docs/rules/arn-root.md`,
  ]) {
    assert.ok(!isRuleDocUri(other, folder), other);
    assert.equal(ruleDocCommandUri(other, folder), undefined, other);
  }
});

test('a hover\'s Markdown: links to rule pages become the command, other links and text stay', () => {
  const page = `${folder}agent-legacy-key.md`;
  const md = `**\`enabled\`** (obsolete)\n\n[Rule \`agent/legacy-key\`](${page})\n\n[Datadog WIF: datadog.yaml keys](${pathToFileURL(path.join(root, 'README.md')).href}#datadogyaml-keys)`;
  const out = withRuleDocCommands(md, folder);
  const links = [...out.matchAll(/\]\(([^)]+)\)/g)].map((m) => m[1]);
  assert.deepEqual(commandArgs(links[0]), [page]);
  assert.equal(links[1], `${pathToFileURL(path.join(root, 'README.md')).href}#datadogyaml-keys`);
  assert.ok(out.startsWith('**`enabled`** (obsolete)\n\n[Rule `agent/legacy-key`]('));
});
