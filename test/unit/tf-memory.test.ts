// What the language service holds of tree-sitter between lints. A tree takes
// ~80 bytes of wasm memory a character of its file, and a runtime's memory
// never shrinks: the service keeps one tree (the file last parsed for its own
// sake, re-parsed incrementally at its next edit) and, for every other file,
// its model and syntax problems only. Counted (trees made and not deleted),
// never timed or measured in bytes.

import { before, test } from 'node:test';
import * as assert from 'node:assert/strict';
import { LanguageService, type SourceDocument } from '../../server/src/service';
import { createHclRuntime, loadHclLanguage } from '../../server/src/shared/treeSitter';
import { countingRuntime, generateTerraform, trackTrees } from '../helpers/terraform';

/** A folder of generated .tf files, as the bench opens them. */
const folderOf = (n: number, lines: number): SourceDocument[] => Array.from({ length: n }, (_, i) => ({ path: `/w/tf/main-${i}.tf`, text: generateTerraform(lines, i + 1) }));

/** The n-th one-character edit of a generated file: the letter after its first `role-`. */
function edited(text: string, n: number): string {
  const at = text.indexOf('role-') + 'role-'.length;
  return text.slice(0, at) + String.fromCharCode(97 + (n % 26)) + text.slice(at + 1);
}

/** Every other document of the folder, as the server hands them. */
const mates = (docs: readonly SourceDocument[], doc: SourceDocument) => docs.filter((d) => d !== doc);

let reference: LanguageService;
before(async () => {
  // Findings to compare with: a service of its own, on the shared runtime.
  reference = new LanguageService();
  reference.setHclRuntime(await loadHclLanguage());
});

test('8 open files of one folder, edited in turn 120 times with the folder re-linted after each edit (as the server does): at most one tree stays, and the findings are a fresh service\'s', async () => {
  const { runtime, live } = trackTrees(await createHclRuntime());
  const service = new LanguageService();
  service.setHclRuntime(runtime);
  const docs = folderOf(8, 150);
  // Findings that come from the model and from the syntax problems, which outlive the trees.
  docs[0].text += '\nprovider "datadog" {\n  cloud_provider_type = "gcp"\n}\n';
  docs[1].text += '\nbroken = {\n';
  for (const d of docs) service.lint(d, mates(docs, d));
  assert.ok(live() <= 1, `${live()} trees live after opening 8 files`);
  for (let n = 0; n < 120; n++) {
    const doc = docs[n % docs.length];
    doc.text = edited(doc.text, n);
    const findings = service.lint(doc, mates(docs, doc));
    for (const other of mates(docs, doc)) service.lint(other, mates(docs, other));
    assert.ok(live() <= 1, `edit ${n}: ${live()} trees live`);
    if (n % 20 === 0) {
      assert.deepEqual(findings, reference.lint({ ...doc, path: '/ref/tf/main.tf' }, mates(docs, doc).map((d) => ({ ...d, path: d.path.replace('/w/', '/ref/') }))));
      reference.forget('/ref/tf/main.tf');
    }
  }
  assert.ok(service.lint(docs[0], mates(docs, docs[0])).some((f) => f.code === 'tf/cloud-provider-type-invalid'));
  assert.ok(service.lint(docs[1], mates(docs, docs[1])).some((f) => f.code === 'tf/hcl-syntax'));
  for (const d of docs) service.forget(d.path);
  assert.equal(live(), 0, 'forget frees the tree kept');
});

test('the file being edited keeps its tree: its next edit is parsed incrementally, whatever the folder re-lints in between', async () => {
  const tracked = trackTrees(await createHclRuntime());
  const { runtime, incremental } = countingRuntime(tracked.runtime);
  const service = new LanguageService();
  service.setHclRuntime(runtime);
  const docs = folderOf(3, 60);
  for (const d of docs) service.lint(d, mates(docs, d));
  const [a, b] = docs;
  b.text = edited(b.text, 1);
  service.lint(b, mates(docs, b));
  a.text = edited(a.text, 1);
  service.lint(a, mates(docs, a));
  assert.deepEqual(incremental, [], 'another file was edited since: this one was parsed afresh');
  for (const other of mates(docs, a)) service.lint(other, mates(docs, other));
  a.text = edited(a.text, 2);
  service.lint(a, mates(docs, a));
  assert.deepEqual(incremental, [a.text]);
  assert.equal(tracked.live(), 1);
  for (const d of docs) service.forget(d.path);
});

test('an edit that makes the text unparsable (binary) frees the tree of the text before', async () => {
  const { runtime, live } = trackTrees(await createHclRuntime());
  const service = new LanguageService();
  service.setHclRuntime(runtime);
  const doc = { path: '/w/main.tf', text: generateTerraform(40, 1) };
  service.lint(doc);
  assert.equal(live(), 1);
  const binary = { path: doc.path, text: '\u0000'.repeat(200) };
  assert.equal(service.lint(binary)[0].code, 'tf/hcl-syntax', 'refused, as a syntax finding');
  assert.equal(live(), 0, 'no tree left unreachable');
  service.forget(doc.path);
});
