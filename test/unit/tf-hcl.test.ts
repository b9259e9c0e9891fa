// The HCL layer: loading web-tree-sitter and the Terraform grammar from out/,
// UTF-16 offsets, incremental re-parsing (a property: after random edits, by
// old/new text or by LSP changes, the tree equals a fresh parse), tree
// ownership, syntax problems and comments. Ends with timings of a 10,000-line
// file (reported, bounded only by a hang guard).
//
//   DD_WIF_TF_EDITS=20000 node --test out/test/unit/tf-hcl.test.js   more random edits
//   DD_WIF_FUZZ_SEED=7 …                                              another sequence

import { test } from 'node:test';
import * as assert from 'node:assert/strict';
import * as fs from 'fs';
import * as path from 'path';
import { loadHclLanguage, locateWasm, wasmCandidates, TERRAFORM_WASM, TREE_SITTER_WASM } from '../../server/src/shared/treeSitter';
import { HclParseCancelled, editBetween, editsFromChanges, hclComments, parseHcl, pointAt, syntaxProblems, type HclTree, type TextChange } from '../../server/src/service/terraform/hcl';
import { applyRepairs, findRepairs } from '../../server/src/service/terraform/repair';
import { TextIndex } from '../../server/src/service/common/textIndex';
import { Rng } from '../helpers/corpus';
import { marked } from '../helpers/markers';
import { countingRuntime, dumpTree, generateTerraform, runtime, withTree } from '../helpers/terraform';

const EDITS = Number(process.env.DD_WIF_TF_EDITS ?? 1000);
const SEED = Number(process.env.DD_WIF_FUZZ_SEED ?? 1);

// ---------------------------------------------------------------------------
// Loading

test('the loader finds both wasm files from out/ and loads once', async (t) => {
  const first = await loadHclLanguage();
  const second = await loadHclLanguage();
  assert.equal(first, second, 'memoised: the same runtime');
  assert.ok(fs.existsSync(first.runtimeWasm) && path.basename(first.runtimeWasm) === 'tree-sitter.wasm');
  assert.ok(fs.existsSync(first.grammarWasm) && path.basename(first.grammarWasm) === 'tree-sitter-terraform.wasm');
  assert.ok(first.loadMs > 0);
  t.diagnostic(`loader init (Parser.init + Language.load): ${first.loadMs.toFixed(1)} ms; ${first.runtimeWasm}; ${first.grammarWasm}`);
});

test('the candidates start with given dirs, then beside the module, then node_modules upwards', () => {
  const c = wasmCandidates(TERRAFORM_WASM, ['/opt/x']);
  assert.equal(c[0], path.resolve('/opt/x', 'tree-sitter-terraform.wasm'));
  assert.equal(c[1], path.join(path.dirname(require.resolve('../../server/src/shared/treeSitter')), 'tree-sitter-terraform.wasm'));
  assert.ok(c.some((p) => p.endsWith(path.join('node_modules', '@tree-sitter-grammars', 'tree-sitter-hcl', 'tree-sitter-terraform.wasm'))));
  assert.ok(wasmCandidates(TREE_SITTER_WASM).some((p) => p.endsWith(path.join('node_modules', 'web-tree-sitter', 'tree-sitter.wasm'))));
});

test('a missing wasm file is an error naming every path tried', () => {
  const missing = { file: 'no-such-grammar.wasm', pkg: 'no-such-package' };
  assert.throws(
    () => locateWasm(missing, ['/nonexistent-dir']),
    (err: Error) => {
      assert.match(err.message, /no-such-grammar\.wasm was not found/);
      for (const p of wasmCandidates(missing, ['/nonexistent-dir'])) assert.ok(err.message.includes(p), `names ${p}`);
      return true;
    },
  );
});

// ---------------------------------------------------------------------------
// Offsets

test('indices are UTF-16 offsets into the JS string, also after non-ASCII text', async () => {
  const text = '# é 😀 ünïcödé\nprovider "datadog" { # 日本語\n  api_url = "https://é.example/😀"\n}\n';
  await withTree(text, (tree) => {
    const root = tree.root;
    const strings = root.descendantsOfType('string_lit').map((n) => text.slice(n!.startIndex, n!.endIndex));
    assert.deepEqual(strings, ['"datadog"', '"https://é.example/😀"']);
    const comments = root.descendantsOfType('comment').map((n) => n!);
    assert.deepEqual(comments.map((n) => text.slice(n.startIndex, n.endIndex)), ['# é 😀 ünïcödé', '# 日本語']);
    // Columns count UTF-16 units too; rows count '\n'.
    assert.deepEqual(comments[1].startPosition, { row: 1, column: text.split('\n')[1].indexOf('#') });
    assert.equal(comments[0].endPosition.column, '# é 😀 ünïcödé'.length);
  });
});

test('pointAt counts rows by \\n only and columns in UTF-16 units', () => {
  const text = 'a😀\r\nb\rc\nd';
  assert.deepEqual(pointAt(text, 0), { row: 0, column: 0 });
  assert.deepEqual(pointAt(text, 3), { row: 0, column: 3 }); // after the emoji (2 units)
  assert.deepEqual(pointAt(text, 5), { row: 1, column: 0 });
  assert.deepEqual(pointAt(text, 8), { row: 1, column: 3 }); // a lone \r is not a row break
  assert.deepEqual(pointAt(text, text.length), { row: 2, column: 1 });
});

test('editBetween: the common prefix and suffix, never splitting a surrogate pair', () => {
  const e = editBetween('abc😀def', 'abc😁def');
  // 😀 = d83d de00, 😁 = d83d de01: the edit covers the whole pair.
  assert.deepEqual([e.startIndex, e.oldEndIndex, e.newEndIndex], [3, 5, 5]);
  const ins = editBetween('ab\ncd', 'ab\nX\ncd');
  assert.deepEqual([ins.startIndex, ins.oldEndIndex, ins.newEndIndex], [3, 3, 5]);
  assert.deepEqual([ins.startPosition, ins.oldEndPosition, ins.newEndPosition], [{ row: 1, column: 0 }, { row: 1, column: 0 }, { row: 2, column: 0 }]);
  const same = editBetween('same', 'same');
  assert.deepEqual([same.startIndex, same.oldEndIndex, same.newEndIndex], [4, 4, 4]);
});

test('editsFromChanges applies LSP changes in order (LSP lines: \\r\\n, \\r and \\n) and refuses changes that do not give the new text', () => {
  const before = 'a\r\nb\rc\nd';
  const changes: TextChange[] = [
    { range: { start: { line: 2, character: 0 }, end: { line: 2, character: 1 } }, text: 'C' },
    { range: { start: { line: 0, character: 1 }, end: { line: 1, character: 0 } }, text: '' },
  ];
  const after = 'ab\rC\nd';
  const edits = editsFromChanges(before, changes, after)!;
  assert.equal(edits.length, 2);
  assert.deepEqual([edits[0].startIndex, edits[0].oldEndIndex, edits[0].newEndIndex], [5, 6, 6]);
  assert.deepEqual([edits[1].startIndex, edits[1].oldEndIndex, edits[1].newEndIndex], [1, 3, 1]);
  assert.equal(editsFromChanges(before, changes, 'something else'), undefined);
  // A change without a range replaces everything.
  assert.equal(editsFromChanges(before, [{ text: 'new' }], 'new')!.length, 1);
});

// ---------------------------------------------------------------------------
// Incremental re-parsing

const PIECES = ['"', '{', '}', '${', '}"', '\n', '\r\n', 'x', ' = ', '=', '# c\n', '// c\n', '/*', '*/', '<<EOT\n', '\nEOT\n', '<<-X\n  a\n  X\n', 'é', '😀', '\ud83d', '', '[', ']', '(', ')', ',', 'provider "datadog" {\n  alias = "a"\n}\n', 'var.x', '%{ if a }', '%{ endif }', '\\"', '\t', '5e6', 'E+2', '1e', '"*" = ', '\n  "k" = 1\n'];

function randomEdit(rng: Rng, text: string): { start: number; end: number; insert: string } {
  const start = rng.int(text.length + 1);
  const end = Math.min(text.length, start + (rng.chance(0.7) ? rng.int(4) : rng.int(40)));
  let insert = rng.pick(PIECES);
  if (rng.chance(0.1)) {
    const from = rng.int(text.length);
    insert = text.slice(from, from + rng.int(60)); // a chunk copied from elsewhere
  }
  return { start, end, insert };
}

function sameAsFresh(tree: HclTree, label: string): Promise<void> {
  return withTree(tree.text, (fresh) => {
    assert.equal(dumpTree(tree.root), dumpTree(fresh.root), `${label}: incremental tree differs from a fresh parse of ${JSON.stringify(tree.text.slice(0, 200))}…`);
  });
}

test('incremental re-parse by old/new text equals a fresh parse after random edits', async (t) => {
  const rt = await runtime();
  const rng = new Rng(SEED);
  let tree = parseHcl(rt, generateTerraform(120, SEED));
  let withErrors = 0;
  try {
    for (let i = 0; i < EDITS; i++) {
      const { start, end, insert } = randomEdit(rng, tree.text);
      const next = tree.text.slice(0, start) + insert + tree.text.slice(end);
      const prev = tree;
      const prevBroken = prev.root.hasError;
      tree = parseHcl(rt, next, { tree: prev });
      assert.ok(prev.deleted, 'the previous tree is consumed');
      // A tree with syntax errors is never reused (tree-sitter recovers differently from it).
      assert.equal(tree.incremental, !prevBroken);
      if (tree.root.hasError) withErrors++;
      await sameAsFresh(tree, `edit ${i}`);
      if (tree.text.length > 12_000 || rng.chance(0.05)) {
        tree.delete();
        tree = parseHcl(rt, generateTerraform(rng.between(5, 150), i));
      }
    }
  } finally {
    tree.delete();
  }
  t.diagnostic(`seed ${SEED}; ${EDITS} edits, ${withErrors} of them leaving syntax errors`);
});

test('incremental re-parse by LSP changes (several per step) equals a fresh parse', async () => {
  const rt = await runtime();
  const rng = new Rng(SEED + 1);
  let tree = parseHcl(rt, generateTerraform(80, SEED + 1));
  try {
    for (let i = 0; i < Math.ceil(EDITS / 3); i++) {
      let text = tree.text;
      const changes: TextChange[] = [];
      for (let k = rng.between(1, 4); k > 0; k--) {
        const { start, end, insert } = randomEdit(rng, text);
        const index = new TextIndex(text);
        // A position between \r and \n does not exist in LSP: such an edit is sent from the line's end.
        const range = { start: index.positionAt(start), end: index.positionAt(end) };
        const s = index.offsetAt(range.start);
        const e = Math.max(s, index.offsetAt(range.end));
        changes.push({ range, text: insert });
        text = text.slice(0, s) + insert + text.slice(e);
      }
      const prevBroken = tree.root.hasError;
      tree = parseHcl(rt, text, { tree, changes });
      assert.equal(tree.incremental, !prevBroken, `step ${i}: the changes give the new text, so the old tree is reused unless it had syntax errors`);
      await sameAsFresh(tree, `step ${i}`);
      if (tree.text.length > 12_000 || rng.chance(0.01)) {
        tree.delete();
        tree = parseHcl(rt, generateTerraform(rng.between(5, 150), i));
      }
    }
  } finally {
    tree.delete();
  }
});

test('changes that do not give the new text: a fresh parse, still right', async () => {
  const rt = await runtime();
  const old = parseHcl(rt, 'a = 1\n');
  const wrong: TextChange[] = [{ range: { start: { line: 0, character: 4 }, end: { line: 0, character: 5 } }, text: '3' }];
  const tree = parseHcl(rt, 'a = 2\n', { tree: old, changes: wrong });
  try {
    assert.equal(tree.incremental, false);
    assert.ok(old.deleted);
    await sameAsFresh(tree, 'fallback');
  } finally {
    tree.delete();
  }
});

test('ownership: keep leaves the old tree valid and unchanged; delete is idempotent; a deleted tree refuses use', async () => {
  const rt = await runtime();
  const old = parseHcl(rt, 'provider "datadog" {\n  org_uuid = "x"\n}\n');
  const before = dumpTree(old.root);
  const next = parseHcl(rt, 'provider "datadog" {\n  org_uuid = "xyz"\n}\n', { tree: old, keep: true });
  assert.equal(old.deleted, false);
  assert.equal(dumpTree(old.root), before, 'the kept tree was not edited');
  await sameAsFresh(next, 'keep');
  const same = parseHcl(rt, next.text, { tree: next });
  assert.ok(next.deleted && same.incremental);
  await sameAsFresh(same, 'unchanged text');
  for (const t of [old, same]) {
    t.delete();
    t.delete();
    assert.ok(t.deleted);
    assert.throws(() => t.root, /after delete/);
  }
});

test('a parse that runs out of time throws HclParseCancelled and leaves the parser usable', async () => {
  const rt = await runtime();
  const text = generateTerraform(5000);
  const old = parseHcl(rt, 'a = 1\n');
  assert.throws(() => parseHcl(rt, text, { tree: old }, { timeoutMs: 0 }), (err: Error) => err instanceof HclParseCancelled && /cancelled/.test(err.message));
  assert.ok(old.deleted, 'the consumed tree is freed all the same');
  const tree = parseHcl(rt, 'b = 2\n', undefined, { timeoutMs: 60_000 });
  try {
    assert.equal(tree.root.hasError, false);
    await sameAsFresh(tree, 'after a cancelled parse');
  } finally {
    tree.delete();
  }
});

test('a thousand parse/delete cycles do not grow wasm memory without bound', async () => {
  const rt = await runtime();
  const text = generateTerraform(300, 5);
  let tree = parseHcl(rt, text);
  // The wasm heap is not among V8's array buffers; it shows in the resident set.
  const heap = () => process.memoryUsage().rss;
  const start = heap();
  for (let i = 0; i < 1000; i++) {
    const pos = (i * 7919) % text.length;
    tree = parseHcl(rt, tree.text.slice(0, pos) + 'x' + tree.text.slice(pos + 1), { tree });
  }
  tree.delete();
  // The wasm heap only grows; leaking a 300-line tree per cycle adds ~600 MB.
  assert.ok(heap() - start < 100 * 1024 * 1024, `the resident set grew by ${((heap() - start) / 1048576).toFixed(1)} MB`);
});

// ---------------------------------------------------------------------------
// Syntax problems

test('an error-free file has no syntax problems', async () => {
  await withTree(generateTerraform(300), (tree) => assert.deepEqual(syntaxProblems(tree), []));
});

test('a missing closing brace is reported where it is missing', async () => {
  const m = marked('provider "datadog" {\n  org_uuid = var.x\n«»');
  await withTree(m.text, (tree) => {
    const p = syntaxProblems(tree);
    assert.deepEqual(p.map((x) => [x.kind, x.message]), [['missing', 'Missing "}"']]);
    assert.equal(p[0].span.start, m.text.length);
  });
});

test('an unterminated string is reported on its own line, before what it swallowed', async () => {
  const text = 'provider "datadog" {\n  api_key = "abc\n  org_uuid = "x"\n}\n';
  await withTree(text, (tree) => {
    const p = syntaxProblems(tree);
    assert.equal(p[0].kind, 'unterminated-string');
    assert.equal(text.slice(p[0].span.start, p[0].span.end), '"abc');
    assert.match(p[0].message, /Unterminated string/);
  });
});

test('a value left out after "=" (while typing): one short problem on that line', async () => {
  const text = 'provider "datadog" {\n  api_key =\n  org_uuid = "x"\n}\n';
  await withTree(text, (tree) => {
    const p = syntaxProblems(tree);
    assert.ok(p.length >= 1);
    assert.equal(p[0].message, 'Expected a value after "="');
    assert.ok(!text.slice(p[0].span.start, p[0].span.end).includes('\n'));
  });
});

test('a value left out before the closing brace: the parser\'s "missing {" and the "}" missing at the end become one problem', async () => {
  const text = 'resource "x" "y" {\n  a =\n}\nprovider "datadog" {\n  org_uuid = "x"\n}\n';
  await withTree(text, (tree) => {
    const p = syntaxProblems(tree);
    assert.deepEqual(p.map((x) => [x.message, text.slice(x.span.start, x.span.end)]), [['Expected a value after "="', 'a =']]);
  });
});

test('after an unclosed quote, only the quote is reported (the rest is its cascade)', async () => {
  const text = 'locals {\n  a = "abc\n}\nprovider "datadog" {\n  org_uuid = "x"\n  api_key = "y"\n}\nresource "a" "b" {\n  c = "d"\n}\n';
  await withTree(text, (tree) => {
    const p = syntaxProblems(tree);
    assert.deepEqual(p.map((x) => [x.kind, text.slice(x.span.start, x.span.end)]), [['unterminated-string', '"abc']]);
  });
});

test('an error inside a block: the ERROR node, on one line, with the unexpected text', async () => {
  const text = 'resource "datadog_monitor" "m" {\n  threshold = 1 +* 2\n}\n';
  await withTree(text, (tree) => {
    const p = syntaxProblems(tree);
    assert.ok(p.length >= 1 && p.every((x) => x.kind === 'error'));
    for (const x of p) {
      assert.ok(!text.slice(x.span.start, x.span.end).includes('\n'), 'one line at most');
      assert.ok(x.fullSpan.start <= x.span.start && x.span.end <= x.fullSpan.end);
      assert.match(x.message, /^(Unexpected .+|Syntax error|Expected a value after "=")$/);
    }
  });
});

test('a quoted argument name in a body: one problem, on the name, in HCL\'s words; not the parser\'s cascade on the valid code around it', async () => {
  const cases = [
    marked('resource "datadog_monitor" "m" {\n  silenced {\n    «"*"» = 0\n  }\n}\nprovider "datadog" {\n  org_uuid = "x"\n}\n'),
    marked('provider "datadog" {\n  a = 1\n  «"org_uuid"» = "x"\n  b = 2\n}\n'),
    marked('«"top"» = 1\nlocals {\n\t«"a-b"»\t= "${x}"\n}\n'),
  ];
  for (const m of cases) {
    await withTree(m.text, (tree) => {
      const index = new TextIndex(m.text);
      const p = syntaxProblems(tree);
      assert.deepEqual(p.map((x) => index.range(x.span.start, x.span.end)), m.ranges, m.text);
      assert.ok(p.every((x) => x.kind === 'error' && x.message === 'Invalid argument name: argument names must not be quoted'));
      // The tree is a parse of the text with the name as an identifier of the same length.
      assert.equal(tree.source.length, m.text.length);
      assert.equal(tree.root.hasError, false);
    });
  }
});

test('near miss: quoted keys of objects (on their own lines, in calls and lists, after `for`), and quoted text that is no name, are not argument names', async () => {
  const text = [
    'locals {',
    '  tags = {',
    '    "Name" = "x"',
    '    "kubernetes.io/role" = "1"',
    '  }',
    '  m = merge(var.a, {',
    '    "k" = 1',
    '  })',
    '  l = [{',
    '    "k" = 1',
    '  }]',
    '  f = { for k, v in var.m :',
    '    "${k}" => v',
    '  }',
    '  s = "a" == "b"',
    '  h = <<EOT',
    '"k" = 1',
    'EOT',
    '}',
    '# "x" = 1',
    '',
  ].join('\n');
  await withTree(text, (tree) => {
    assert.deepEqual(syntaxProblems(tree), []);
    assert.equal(tree.source, text, 'nothing rewritten');
  });
});

test('numbers with an exponent but no fraction parse (the grammar wants a fraction first): rewritten at the same offsets, strings, heredocs, comments and identifiers untouched', async () => {
  const text = [
    'locals {',
    '  a = 5e6',
    '  b = 2E+2',
    '  c = -1e3',
    '  d = [1e-2, 1.5e3, 0x1e5]',
    '  e = "5e6 ${1e3}"',
    '  f = <<EOT',
    '5e6 ${2e1}',
    'EOT',
    '  a5e6 = var.b5e6 # 7e7',
    '  g = x.0e1',
    '}',
    '',
  ].join('\n');
  await withTree(text, (tree) => {
    assert.equal(tree.text, text);
    const want = text
      .replace('5e6\n', '506\n')
      .replace('2E+2', '2002')
      .replace('-1e3', '-103')
      .replace('1e-2', '1002')
      .replace('${1e3}', '${103}')
      .replace('${2e1}', '${201}');
    assert.equal(tree.source, want);
    assert.deepEqual(tree.repairs.map((r) => [r.kind, text.slice(r.span.start, r.span.end)]), [['exponent', 'e'], ['exponent', 'E+'], ['exponent', 'e'], ['exponent', 'e-'], ['exponent', 'e'], ['exponent', 'e']]);
    const p = syntaxProblems(tree);
    // Only the legacy index `x.0e1` (not a number) and the hexadecimal literal stay as the grammar reads them.
    assert.ok(p.every((x) => x.span.start >= text.indexOf('x.0e1')), JSON.stringify(p));
  });
  await withTree('locals {\n  a = 5e6\n  b = 2\n}\n', (tree) => assert.deepEqual(syntaxProblems(tree), []));
});

test('an edit that makes or unmakes a repair re-parses incrementally to the tree of a fresh parse', async () => {
  const rt = await runtime();
  const steps = ['locals {\n  a = 5\n}\n', 'locals {\n  a = 5e\n}\n', 'locals {\n  a = 5e6\n}\n', 'locals {\n  a = 5e6\n  "b" = 1\n}\n', 'locals {\n  a = "5e6\n  "b" = 1\n}\n', 'locals {\n  a = 5E+6\n  b = 1\n}\n'];
  let tree = parseHcl(rt, steps[0]);
  try {
    for (const [i, text] of steps.entries()) {
      const before = tree.text;
      const at = editBetween(before, text);
      const index = new TextIndex(before);
      const changes: TextChange[] = [{ range: { start: index.positionAt(at.startIndex), end: index.positionAt(at.oldEndIndex) }, text: text.slice(at.startIndex, at.newEndIndex) }];
      tree = parseHcl(rt, text, { tree, changes });
      await sameAsFresh(tree, `step ${i}`);
      const fresh = parseHcl(rt, text);
      try {
        assert.deepEqual(syntaxProblems(tree), syntaxProblems(fresh), `step ${i}`);
      } finally {
        fresh.delete();
      }
    }
  } finally {
    tree.delete();
  }
});

test('the repair lexer is linear: a megabyte or more of each hostile shape (quadratic work would not finish)', () => {
  const MB = 1 << 20;
  const fill = (unit: string, size = MB) => unit.repeat(Math.ceil(size / unit.length));
  const marker = 'M'.repeat(2000);
  const shapes: [string, string, number][] = [
    ['quoted names at line starts, in a block', 'locals {\n' + fill('  "k" = 1\n'), Math.ceil(MB / 10)],
    ['quoted strings at line starts that run past their line', 'locals {\n' + fill('  "' + 'x'.repeat(500) + '\n'), 0],
    ['a heredoc whose lines start like its long marker', `x = <<${marker}\n` + fill(marker.slice(1) + '\n'), 0],
    ['braces, brackets and interpolations nested a million deep', fill('{[("${', MB), 0],
    ['exponents', 'locals {\n' + fill('  a = 1e5\n'), Math.ceil(MB / 10)],
    ['comments and slashes', fill('# 1e5 "x" = 1\n/* 2e3 */ // 3e4\n'), 0],
  ];
  for (const [what, text, expected] of shapes) {
    const repairs = findRepairs(text);
    // Every repair lies inside the text, in order, and keeps the length.
    assert.ok(repairs.every((r, i) => r.span.start < r.span.end && r.span.end <= text.length && (i === 0 || repairs[i - 1].span.end <= r.span.start)), what);
    assert.equal(applyRepairs(text, repairs).length, text.length, what);
    assert.equal(repairs.length, expected, what);
  }
});

test('syntax problem offsets are right after non-ASCII text', async () => {
  const text = '# ünïcödé 😀😀\nlocals {\n  a = "é"\n  b = [1, 2\n}\n';
  await withTree(text, (tree) => {
    const p = syntaxProblems(tree);
    assert.ok(p.length >= 1);
    const index = new TextIndex(text);
    for (const x of p) {
      assert.ok(x.span.start >= text.indexOf('b = ['), `after the non-ASCII text: ${JSON.stringify(index.range(x.span.start, x.span.end))}`);
      assert.ok(x.span.end <= text.length);
    }
  });
});

test('problems are capped', async () => {
  // Each block misses its `]`: one problem per block.
  const text = Array.from({ length: 300 }, (_, i) => `locals {\n  a${i} = [1, 2\n}\n`).join('');
  await withTree(text, (tree) => {
    assert.equal(syntaxProblems(tree, 10).length, 10);
    assert.equal(syntaxProblems(tree).length, 100);
    assert.equal(syntaxProblems(tree, 1000).length, 300);
  });
});

// ---------------------------------------------------------------------------
// Comments

test('comments of every style, with their spans', async () => {
  const text = '# hash é\nlocals { // slashes\n  /* block\n  over lines */ a = 1 # trailing\n}\n';
  await withTree(text, (tree) => {
    const c = hclComments(tree);
    assert.deepEqual(
      c.map((x) => [x.style, text.slice(x.start, x.end)]),
      [
        ['#', '# hash é'],
        ['//', '// slashes'],
        ['/*', '/* block\n  over lines */'],
        ['#', '# trailing'],
      ],
    );
  });
});

// ---------------------------------------------------------------------------
// Timings (printed, never asserted: `npm run bench` measures speed)

test('a 10,000-line file re-parsed 15 times from its previous tree: the tree of a fresh parse, no syntax problem (timings printed)', async (t) => {
  const { runtime: rt, incremental: fromPrevious } = countingRuntime(await runtime());
  const text = generateTerraform(10_000);
  const lines = text.split('\n').length - 1;
  const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[xs.length >> 1];
  const fresh: number[] = [];
  for (let i = 0; i < 7; i++) {
    const s = performance.now();
    parseHcl(rt, text).delete();
    fresh.push(performance.now() - s);
  }
  let tree = parseHcl(rt, text);
  const incremental: number[] = [];
  const pos = text.indexOf('us-east-1');
  for (let i = 0; i < 15; i++) {
    const next = tree.text.slice(0, pos) + (i % 2 ? 'u' : 'U') + tree.text.slice(pos + 1);
    const s = performance.now();
    tree = parseHcl(rt, next, { tree });
    incremental.push(performance.now() - s);
  }
  const s = performance.now();
  const problems = syntaxProblems(tree);
  const check = performance.now() - s;
  // What the timings are of: each one-character edit was parsed from the previous tree, not afresh.
  assert.equal(fromPrevious.length, 15);
  const again = parseHcl(rt, tree.text);
  try {
    assert.equal(dumpTree(tree.root), dumpTree(again.root), 'the incremental tree differs from a fresh parse');
  } finally {
    again.delete();
    tree.delete();
  }
  assert.deepEqual(problems, []);
  t.diagnostic(`${lines} lines, ${text.length} chars: fresh parse median ${median(fresh).toFixed(1)} ms (min ${Math.min(...fresh).toFixed(1)}), one-character incremental re-parse median ${median(incremental).toFixed(1)} ms (min ${Math.min(...incremental).toFixed(1)}), syntaxProblems ${check.toFixed(2)} ms`);
});
