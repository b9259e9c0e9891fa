// The language service must never throw or hang, whatever the text: binary
// junk, huge files, deep nesting, odd line ends, alias bombs, delegated_auth of
// every YAML shape. Each test asserts what comes back, not only that it came.

import { describe, test, type TestContext } from 'node:test';
import * as assert from 'node:assert/strict';
import { LanguageService, type Finding, type Position } from '../../server/src/service';
import { TextIndex } from '../../server/src/service/common/textIndex';
import { MAX_INPUT_BYTES } from '../../server/src/service/common/inputGuard';
import { API_KEY, ORG_UUID, Rng, assertWellFormed, codesAndLines, generateAgentConfig } from '../helpers/corpus';
import { measureAgentLint, type AgentWork } from '../helpers/workMeter';
import { callOffThread } from '../helpers/offThread';

function lint(text: string): Finding[] {
  const findings = new LanguageService().lint({ path: '/w/datadog.yaml', text, kind: 'agent' });
  assertWellFormed(findings, text);
  return findings;
}

/**
 * The agent lint's work (counted, not timed: see workMeter.ts) is bounded by
 * the text's length whatever its shape, as in agent-fuzz.test.ts: two reads a
 * character, and a constant for the smallest texts. Parsing is the yaml
 * library's and is not counted.
 */
function assertBoundedWork(work: AgentWork, text: string): void {
  assert.ok(work.total <= 2 * text.length + 1_000, `work ${work.total} (tree ${work.treeReads}, model ${work.modelReads}, findings ${work.findings}) for a text of ${text.length} characters`);
}

/** Lints through the service (well-formed findings), and asserts the lint's work on the same text is bounded. */
function countedLint(text: string): { findings: Finding[] } {
  assertBoundedWork(measureAgentLint(text), text);
  return { findings: lint(text) };
}

/**
 * countedLint for a text built to explode (alias bombs): the work is counted
 * in a worker thread first, so that were the expansion unbounded again, the
 * test's `{ timeout }` would fail it (no timer fires while the test's own
 * thread is busy); then the service lints it here.
 */
async function countedLintOffThread(text: string, t: TestContext): Promise<{ findings: Finding[] }> {
  const work = await callOffThread<AgentWork>(require.resolve('../helpers/workMeter'), 'measureAgentLint', [text], t.signal);
  assertBoundedWork(work, text);
  return { findings: lint(text) };
}

/** A hang guard only, for the tests that count their work off the main thread: generous, never a measure of speed. */
const HANG_GUARD = { timeout: 120_000 };

/** `[code, line, startCharacter, endLine, endCharacter]`: positions, exactly. */
function places(findings: readonly Finding[]): [string, number, number, number, number][] {
  return findings.map((f) => [f.code, f.range.start.line, f.range.start.character, f.range.end.line, f.range.end.character]);
}

function sortedCodesAndLines(findings: readonly Finding[]): [string, number][] {
  return codesAndLines(findings).sort((a, b) => a[1] - b[1] || a[0].localeCompare(b[0]));
}

function codes(findings: readonly Finding[]): string[] {
  return findings.map((f) => f.code);
}

/** Hover and completion at every position of the text (and a few past its end) must not throw and must answer sanely. */
function probeEveryPosition(text: string): { hovers: number; completions: number } {
  const service = new LanguageService();
  const doc = { path: '/w/datadog.yaml', text, kind: 'agent' as const };
  const index = new TextIndex(text);
  let hovers = 0;
  let completions = 0;
  const positions: Position[] = [];
  for (let line = 0; line < index.lineCount; line++) {
    const length = index.lineEnd(line) - index.lineStart(line);
    for (let character = 0; character <= length; character++) positions.push({ line, character });
    positions.push({ line, character: length + 3 });
  }
  positions.push({ line: index.lineCount, character: 0 }, { line: index.lineCount + 5, character: 7 });
  for (const pos of positions) {
    const h = service.hover(doc, pos);
    if (h) {
      hovers++;
      assert.ok(h.contents.trim().length > 0, `empty hover at ${JSON.stringify(pos)}`);
      assertWellFormed([{ code: 'agent/yaml-syntax', severity: 'info', message: 'hover', range: h.range }], text, `hover at ${JSON.stringify(pos)}`);
    }
    for (const item of service.complete(doc, pos)) {
      completions++;
      assert.ok(item.label.length > 0);
      if (item.range) assert.ok(item.range.start.line === pos.line && item.range.start.character <= item.range.end.character, `completion range at ${JSON.stringify(pos)}`);
    }
  }
  return { hovers, completions };
}

describe('robustness: texts that are hardly YAML', () => {
  test('an empty file: nothing to say; completion offers the top-level keys', () => {
    assert.deepEqual(lint(''), []);
    const service = new LanguageService();
    assert.equal(service.hover({ path: 'datadog.yaml', text: '' }, { line: 0, character: 0 }), null);
    assert.deepEqual(
      service.complete({ path: 'datadog.yaml', text: '' }, { line: 0, character: 0 }).map((i) => i.label),
      ['delegated_auth', 'site'],
    );
  });

  test('only comments, only white space, only a BOM: nothing to say', () => {
    assert.deepEqual(lint('# datadog.yaml\n## delegated_auth:\n#   org_uuid: not-a-uuid\n'), []);
    assert.deepEqual(lint('   \n\n\t\n  '), []);
    assert.deepEqual(lint('\uFEFF'), []);
    assert.deepEqual(lint('---\n...\n---\n'), []);
  });

  test('only NULs, or a file saved as UTF-16: refused as binary, one finding at its start', () => {
    const utf16 = Buffer.from('delegated_auth:\n  org_uuid: bad\n', 'utf16le').toString('utf8');
    for (const text of ['\0\0\0\0', utf16]) {
      assert.deepEqual(places(lint(text)), [['agent/yaml-syntax', 0, 0, 0, 0]]);
      assert.match(lint(text)[0].message, /^Not checked: this file looks binary, not YAML text .*UTF-16/);
    }
  });

  test('binary junk (random bytes incl. NUL, as latin1 and as UTF-8): only syntax errors, at most 50 a document', () => {
    for (let seed = 1; seed <= 40; seed++) {
      const rng = new Rng(seed);
      const bytes = Buffer.alloc(rng.between(1, 20_000));
      for (let i = 0; i < bytes.length; i++) bytes[i] = rng.chance(0.05) ? 0 : rng.int(256);
      for (const text of [bytes.toString('latin1'), bytes.toString('utf8')]) {
        const { findings } = countedLint(text);
        assert.deepEqual([...new Set(codes(findings))].filter((c) => c !== 'agent/yaml-syntax'), [], `seed ${seed}`);
      }
    }
  });

  test('a NUL inside a value: the value is judged, positions count it as one character; the NUL itself is an error (the Agent refuses it)', () => {
    const text = `api_key: ${API_KEY}\ndelegated_auth:\n  org_uuid: ab\0cd\n`;
    assert.deepEqual(places(lint(text)), [
      ['agent/org-uuid-invalid', 2, 12, 2, 17],
      ['agent/yaml-syntax', 2, 14, 2, 15],
    ]);
  });

  test('astral characters (surrogate pairs) before a finding: UTF-16 columns', () => {
    const text = `api_key: ${API_KEY}\ndelegated_auth: {org_uuid: "😀😀", provider: gcp}\n`;
    // "😀😀" is 4 UTF-16 code units: `provider: gcp` starts after them.
    const col = 'delegated_auth: {org_uuid: "😀😀", provider: '.length;
    assert.deepEqual(places(lint(text)), [
      ['agent/org-uuid-invalid', 1, 27, 1, 33],
      ['agent/provider-invalid', 1, col, 1, col + 3],
    ]);
  });
});

describe('robustness: size and depth', () => {
  test('a file just under the 2 MiB limit: lint finishes and still finds the sections at both ends', () => {
    // ~1 MB of dense structure (sections, lists, product maps), then a large
    // certificate-like block scalar and comment blocks, then a broken section.
    const head = generateAgentConfig(50_000, 7);
    const comment = '## @param some_option - string - optional - default: none, documented at length as in the example\n#\n# some_option: value\n\n';
    const block = 'ca_bundle: |\n' + '  MIIBIjANBgkqhkiG9w0BAQEFAAOCAQ8AMIIBCgKCAQEAwJ0123456789abcdefghijklmnopqrstuvwxyz+/ABCDEFG\n'.repeat(5_000);
    const tail = 'process_config:\n  delegated_auth:\n    org_uuid: not-a-uuid\n';
    let text = head + block;
    while (text.length + comment.length + tail.length <= MAX_INPUT_BYTES) text += comment;
    text += tail;
    assert.ok(text.length > MAX_INPUT_BYTES - comment.length && text.length <= MAX_INPUT_BYTES, `${text.length} characters (ASCII)`);
    const { findings } = countedLint(text);
    const lastLine = new TextIndex(text).lineCount - 3;
    // The generated head has these (see generateAgentConfig), and the tail one more.
    assert.deepEqual(codesAndLines(findings), [
      ['agent/unsupported-section', 143],
      ['agent/org-uuid-invalid', 147],
      ['agent/product-key-ignored', 148],
      ['agent/unsupported-section', lastLine + 1],
    ]);
    // Hover at the very end (a second parse): positions still line up.
    const hover = new LanguageService().hover({ path: 'datadog.yaml', text }, { line: lastLine, character: 4 });
    assert.match(hover?.contents ?? '', /process_config\.delegated_auth/);
  });

  test('one character over the limit, or 50 MB: one finding saying so, and no hover, completion or lens from it', () => {
    const section = 'delegated_auth:\n  org_uuid: not-a-uuid\n';
    const justOver = section + '#'.repeat(MAX_INPUT_BYTES - section.length) + '\n';
    // 50 MB of sections: what ran the yaml library out of memory (4.3 GB). Refused from its length alone.
    const fifty = 50 * 1024 * 1024;
    const huge = section.repeat(Math.floor(fifty / section.length)).padEnd(fifty, '#');
    for (const [text, shown] of [[justOver, '2.1 MiB'], [huge, '50 MiB']] as const) {
      const service = new LanguageService();
      const doc = { path: '/w/datadog.yaml', text, kind: 'agent' as const };
      const findings = service.lint(doc);
      assert.deepEqual(places(findings), [['agent/yaml-syntax', 0, 0, 0, 0]]);
      assert.equal(findings[0].message, `Not checked: this file is ${shown}, and files over 2 MiB are not parsed (a real Agent configuration is far smaller).`);
      assert.equal(service.hover(doc, { line: 0, character: 3 }), null);
      assert.deepEqual(service.complete(doc, { line: 1, character: 2 }), []);
      assert.deepEqual(service.loginTargets(doc), []);
    }
    // The limit counts UTF-8 bytes, not characters: 1.5 M of 'é' is 3 MiB.
    assert.match(lint('#' + 'é'.repeat(1_500_000))[0].message, /this file is 2\.9 MiB/);
  });

  test('140,000 findings in one file (one key written again and again): no crash, the first 1,000 and one that counts the rest', () => {
    // Collecting them all once overflowed the stack (a spread of 140,000 arguments), and before that held them all.
    const text = `api_key: x\ndelegated_auth: {${Array(140_000).fill('org_uuid: a').join(', ')}}\n`;
    const { findings } = countedLint(text);
    assert.equal(findings.length, 1_001);
    assert.deepEqual(findings.slice(0, 3).map((f) => [f.code, f.range.start.character]), [
      ['agent/duplicate-key', 30],
      ['agent/duplicate-key', 43],
      ['agent/duplicate-key', 56],
    ]);
    const last = findings[1_000];
    assert.equal(last.code, 'lint/too-many-findings');
    // 139,999 duplicates and the invalid org_uuid (the last one written is the one read).
    assert.deepEqual(last.data, { leftOut: 139_000, leftOutByCode: { 'agent/duplicate-key': 138_999, 'agent/org-uuid-invalid': 1 } });
  });

  const LEVELS = 5_000;
  // Block nesting costs indentation, which grows with the depth: as deep as
  // fits under the 2 MiB input limit. Whether the yaml parser's own stack
  // gives out that deep depends on the stack it is given (it did at about 900
  // levels in a test run of its own, not within the whole suite).
  const BLOCK_LEVELS = 1_400;
  const SEQUENCE_LEVELS = 1_000;

  test(`${BLOCK_LEVELS} levels of nested block maps after a section: no throw, the section judged, any syntax error where it is deepest`, () => {
    let deep = '';
    for (let i = 0; i < BLOCK_LEVELS; i++) deep += `${' '.repeat(i + 2)}k${i}:\n`;
    const text = `api_key: x\ndelegated_auth:\n  org_uuid: bad\ndeep:\n${deep}site: datadoghq.eu\n`;
    assert.ok(text.length < MAX_INPUT_BYTES);
    const { findings } = countedLint(text);
    const syntax = findings.filter((f) => f.code === 'agent/yaml-syntax');
    // If the parser's own stack gives out, the syntax findings point into the deep part.
    assert.ok(syntax.every((f) => f.range.start.line > 3), JSON.stringify(codesAndLines(syntax)));
    assert.deepEqual(codes(findings).filter((c) => c !== 'agent/yaml-syntax'), ['agent/org-uuid-invalid']);
    assert.doesNotThrow(() => new LanguageService().hover({ path: 'datadog.yaml', text }, { line: 2, character: 4 }));
  });

  test(`${BLOCK_LEVELS} levels of nested block maps at the end of a file: the section before them is still judged`, () => {
    let deep = '';
    for (let i = 0; i < BLOCK_LEVELS; i++) deep += `${' '.repeat(i + 2)}k${i}:\n`;
    const text = `api_key: x\ndelegated_auth:\n  org_uuid: bad\ndeep:\n${deep}`;
    const { findings } = countedLint(text);
    assert.deepEqual(codes(findings).filter((c) => c !== 'agent/yaml-syntax'), ['agent/org-uuid-invalid']);
  });

  test(`${LEVELS} nested flow sequences [[[…]]] as the section, and as another key`, () => {
    const nested = '['.repeat(LEVELS) + ']'.repeat(LEVELS);
    const asSection = countedLint(`api_key: x\ndelegated_auth: ${nested}\nlogs_config:\n  api_key: y\n  delegated_auth:\n    org_uuid: bad\n`).findings;
    assert.deepEqual(
      codes(asSection).filter((c) => c !== 'agent/yaml-syntax'),
      ['agent/wrong-type', 'agent/org-uuid-invalid'],
    );
    const elsewhere = countedLint(`api_key: x\ndelegated_auth:\n  org_uuid: bad\ntags: ${nested}\n`).findings;
    assert.deepEqual(codes(elsewhere).filter((c) => c !== 'agent/yaml-syntax'), ['agent/org-uuid-invalid']);
    const bare = countedLint(nested).findings;
    assert.deepEqual([...new Set(codes(bare))], ['agent/yaml-syntax']);
  });

  test(`${LEVELS} nested flow maps and ${SEQUENCE_LEVELS} nested block sequences`, () => {
    const flowMaps = countedLint(`api_key: x\ndelegated_auth:\n  org_uuid: bad\nx: ${'{a: '.repeat(LEVELS)}1${'}'.repeat(LEVELS)}\n`).findings;
    assert.deepEqual(codes(flowMaps).filter((c) => c !== 'agent/yaml-syntax'), ['agent/org-uuid-invalid']);
    const seqs = Array.from({ length: SEQUENCE_LEVELS }, (_, i) => `${' '.repeat(2 * i + 2)}-`).join('\n');
    const blockSeqs = countedLint(`api_key: x\ndelegated_auth:\n  org_uuid: bad\nx:\n${seqs} end\n`).findings;
    assert.deepEqual(codes(blockSeqs).filter((c) => c !== 'agent/yaml-syntax'), ['agent/org-uuid-invalid']);
  });

  test('a delegated_auth section 50 levels below apm_config is still an unsupported section', () => {
    const levels = Array.from({ length: 50 }, (_, i) => `${' '.repeat(2 * i + 2)}k${i}:`).join('\n');
    const text = `apm_config:\n${levels}\n${' '.repeat(102)}delegated_auth:\n${' '.repeat(104)}org_uuid: ${ORG_UUID}\n`;
    assert.deepEqual(places(lint(text)), [['agent/unsupported-section', 51, 102, 51, 116]]);
  });
});

describe('robustness: white space, BOM and line ends', () => {
  test('tabs as indentation: a syntax error on the tab, and the rest still read', () => {
    const findings = lint(`api_key: x\ndelegated_auth:\n\torg_uuid: bad\n`);
    assert.ok(places(findings).some((p) => p[0] === 'agent/yaml-syntax' && p[1] === 2 && p[2] === 0), JSON.stringify(places(findings)));
    // A tab after the colon is fine YAML: the value is judged where it is.
    assert.deepEqual(places(lint(`api_key: x\ndelegated_auth:\n  org_uuid:\tbad\n`)), [['agent/org-uuid-invalid', 2, 12, 2, 15]]);
    // A tab inside a flow mapping is fine too.
    assert.deepEqual(places(lint(`api_key: x\ndelegated_auth: {\torg_uuid: bad}\n`)), [['agent/org-uuid-invalid', 1, 28, 1, 31]]);
  });

  test('a BOM: positions on the first line count it, later lines are unaffected', () => {
    const text = `\uFEFFdelegated_auth:\n  org_uuid: bad\n`;
    assert.deepEqual(places(lint(text)), [
      ['agent/no-fallback-api-key', 0, 1, 0, 15],
      ['agent/org-uuid-invalid', 1, 12, 1, 15],
    ]);
  });

  const LF = [
    'api_key: x',
    'site: datadoghq.con',
    'delegated_auth:',
    '  org_uuid: bad',
    '  provider: gcp',
    '  aws:',
    '    region: us-esat-1',
    'logs_config:',
    '  delegated_auth:',
    '    aws: {region: eu-west-1}',
    '',
  ];
  const EXPECTED_PLACES: [string, number, number, number, number][] = [
    ['agent/unknown-site', 1, 6, 1, 19],
    ['agent/org-uuid-invalid', 3, 12, 3, 15],
    ['agent/provider-invalid', 4, 12, 4, 15],
    ['agent/region-invalid', 6, 12, 6, 21],
    ['agent/org-uuid-missing', 8, 2, 8, 16],
    ['agent/product-key-ignored', 9, 4, 9, 7],
  ];

  test('LF, CRLF and lone CR line ends give the same positions', () => {
    for (const [name, eol] of [
      ['LF', '\n'],
      ['CRLF', '\r\n'],
      ['CR', '\r'],
      ['mixed', '\r\n'],
    ] as const) {
      let text = LF.join(eol);
      if (name === 'mixed') text = LF.map((l, i) => l + (i % 3 === 0 ? '\r' : i % 3 === 1 ? '\n' : '\r\n')).join('');
      const findings = lint(text);
      assert.deepEqual(
        places(findings).sort((a, b) => a[1] - b[1] || a[0].localeCompare(b[0])),
        EXPECTED_PLACES,
        `${name} line ends`,
      );
    }
  });

  test('CRLF: quick fixes insert CRLF lines, and the fixed text lints clean of that finding', () => {
    const text = LF.join('\r\n');
    const service = new LanguageService();
    const missing = service.lint({ path: 'datadog.yaml', text }).find((f) => f.code === 'agent/org-uuid-missing');
    const fix = missing?.data?.fixes?.[0];
    assert.ok(fix, 'org-uuid-missing offers a fix');
    for (const e of fix.edits) assert.ok(!/(^|[^\r])\n/.test(e.newText), `edit inserts a bare LF: ${JSON.stringify(e.newText)}`);
  });

  test('hover on a key after CR, CRLF and BOM: the range is the key', () => {
    for (const text of ['api_key: x\rdelegated_auth:\r  org_uuid: bad\r', 'api_key: x\r\ndelegated_auth:\r\n  org_uuid: bad\r\n', '\uFEFFdelegated_auth:\n  org_uuid: bad\n']) {
      const h = new LanguageService().hover({ path: 'datadog.yaml', text }, { line: text.startsWith('\uFEFF') ? 1 : 2, character: 4 });
      assert.ok(h, JSON.stringify(text));
      assert.match(h.contents, /org_uuid/);
      assert.deepEqual(h.range, { start: { line: h.range.start.line, character: 2 }, end: { line: h.range.start.line, character: 10 } });
    }
  });
});

describe('robustness: anchors, aliases and merge keys', () => {
  test('a section written through an alias is judged where its anchor is', () => {
    const text = [`api_key: ${API_KEY}`, 'defaults: &da', '  org_uuid: bad', '  provider: gcp', 'delegated_auth: *da', 'logs_config:', `  api_key: ${API_KEY}`, '  delegated_auth: *da', ''].join('\n');
    // Once, at the anchor, though two sections use it; `provider` takes effect
    // in the global section, so it is not "ignored" there.
    assert.deepEqual(sortedCodesAndLines(lint(text)), [
      ['agent/org-uuid-invalid', 3],
      ['agent/provider-invalid', 4],
    ]);
  });

  test('a merge key brings keys into a section; own keys win over merged ones', () => {
    const text = [`api_key: ${API_KEY}`, 'base: &base', '  org_uuid: bad', '  provider: gcp', '  region: us-east-1', 'delegated_auth:', '  <<: *base', `  org_uuid: ${ORG_UUID}`, ''].join('\n');
    assert.deepEqual(codesAndLines(lint(text)), [
      ['agent/provider-invalid', 4],
      ['agent/unknown-key', 5],
    ]);
  });

  test('merge keys from several sources: the first source wins, each key is judged once', () => {
    const text = [`api_key: ${API_KEY}`, 'a: &a {provider: gcp, colour: red}', 'b: &b {provider: azure, colour: blue}', 'delegated_auth:', '  <<: [*a, *b]', `  org_uuid: ${ORG_UUID}`, ''].join('\n');
    assert.deepEqual(places(lint(text)), [
      ['agent/provider-invalid', 1, 17, 1, 20],
      ['agent/unknown-key', 1, 22, 1, 28],
    ]);
  });

  test('an alias cycle (a section that aliases itself, and merges itself) is cut: bounded work', HANG_GUARD, async (t) => {
    const text = `api_key: ${API_KEY}\ndelegated_auth: &d\n  org_uuid: ${ORG_UUID}\n  self: *d\n  <<: *d\n  aws: *d\n`;
    const { findings } = await countedLintOffThread(text, t);
    // The aliases back into the section read as empty: `self` is unknown, `aws` empty, nothing merged.
    assert.deepEqual(codesAndLines(findings), [['agent/unknown-key', 4]]);
  });

  test('an alias to an anchor that was never defined: no throw, the section reads as empty', () => {
    assert.deepEqual(codesAndLines(lint(`api_key: x\ndelegated_auth: *nowhere\n`)), [['agent/org-uuid-missing', 2]]);
    assert.deepEqual(codesAndLines(lint(`api_key: x\ndelegated_auth:\n  <<: *nowhere\n  org_uuid: ${ORG_UUID}\n`)), []);
  });

  /** Nine levels of nine aliases each: 9^9 (387 million) nodes when expanded. */
  function billionLaughs(open: string, close: string, item: (prev: string) => string): string {
    const lines = [`l0: &l0 ${open}${Array(9).fill('"lol"').join(', ')}${close}`];
    for (let i = 1; i <= 8; i++) lines.push(`l${i}: &l${i} ${open}${Array.from({ length: 9 }, (_, j) => item(`*l${i - 1}`).replace('#', String(j))).join(', ')}${close}`);
    return lines.join('\n') + '\n';
  }

  test('a billion-laughs alias bomb of lists, as the section and inside one: bounded work', HANG_GUARD, async (t) => {
    const bomb = billionLaughs('[', ']', (p) => p);
    const { findings } = await countedLintOffThread(`${bomb}api_key: x\ndelegated_auth: *l8\nlogs_config:\n  api_key: x\n  delegated_auth:\n    org_uuid: *l8\n    aws: *l8\n`, t);
    // A list where the section, org_uuid and aws are (all reported at the anchor, line 9): the types
    // stay right even for the aliases expanded after the expansion budget ran out.
    assert.deepEqual(codesAndLines(findings), [
      ['agent/wrong-type', 9],
      ['agent/wrong-type', 9],
      ['agent/wrong-type', 9],
      ['agent/product-key-ignored', 16],
    ]);
  });

  test('a billion-laughs alias bomb of maps merged into a section: bounded work', HANG_GUARD, async (t) => {
    const bomb = billionLaughs('{', '}', (p) => `k#: ${p}`).replace('l0: &l0 {"lol", "lol", "lol", "lol", "lol", "lol", "lol", "lol", "lol"}', 'l0: &l0 {a: 1, b: 2}');
    const { findings } = await countedLintOffThread(`${bomb}api_key: x\ndelegated_auth:\n  <<: *l8\n  org_uuid: ${ORG_UUID}\napm_config:\n  x: *l8\n  delegated_auth:\n    <<: [*l8, *l7, *l6]\n`, t);
    // The merged keys k0…k8 are unknown keys of the section, written on the anchor's line.
    const unknown = findings.filter((f) => f.code === 'agent/unknown-key');
    assert.equal(unknown.length, 9);
    assert.ok(unknown.every((f) => f.range.start.line === 8));
    assert.deepEqual(codesAndLines(findings.filter((f) => f.code !== 'agent/unknown-key')), [['agent/unsupported-section', 16]]);
  });

  test('merge keys of merge keys, eight wide and eight deep: bounded work, each key judged once', HANG_GUARD, async (t) => {
    const lines = ['m0: &m0 {colour: red}'];
    for (let i = 1; i <= 8; i++) lines.push(`m${i}: &m${i} {<<: [${Array(8).fill(`*m${i - 1}`).join(', ')}], size${i}: ${i}}`);
    const { findings } = await countedLintOffThread(`${lines.join('\n')}\napi_key: x\ndelegated_auth:\n  <<: *m8\n  org_uuid: ${ORG_UUID}\n<<: *m8\n`, t);
    // size8 (own key of m8), then size7 … size1 and colour merged from below: nine unknown keys, once each.
    assert.equal(findings.length, 9, JSON.stringify(codesAndLines(findings)));
    assert.deepEqual([...new Set(codes(findings))], ['agent/unknown-key']);
  });

  test('hover and completion at every position of a file full of anchors, aliases and merges', () => {
    const text = `base: &b {org_uuid: ${ORG_UUID}}\ndelegated_auth: &d\n  <<: *b\n  self: *d\n  aws: &aws\n    region: eu-west-1\nlogs_config:\n  delegated_auth: *d\n  <<: {delegated_auth: *b}\n`;
    const { hovers, completions } = probeEveryPosition(text);
    assert.ok(hovers > 0 && completions > 0);
  });
});

describe('robustness: delegated_auth of every YAML shape', () => {
  const cases: [string, string, [string, number, number, number, number][]][] = [
    ['a list', `api_key: x\ndelegated_auth:\n  - org_uuid: ${ORG_UUID}\n`, [['agent/wrong-type', 2, 2, 3, 0]]],
    ['a flow list', `api_key: x\ndelegated_auth: [${ORG_UUID}]\n`, [['agent/wrong-type', 1, 16, 1, 54]]],
    ['a string', `api_key: x\ndelegated_auth: ${ORG_UUID}\n`, [['agent/wrong-type', 1, 16, 1, 52]]],
    ['a boolean', `api_key: x\ndelegated_auth: true\n`, [['agent/wrong-type', 1, 16, 1, 20]]],
    ['a number', `api_key: x\ndelegated_auth: 42\n`, [['agent/wrong-type', 1, 16, 1, 18]]],
    ['a block scalar', `api_key: x\ndelegated_auth: |\n  org_uuid: ${ORG_UUID}\n`, [['agent/wrong-type', 1, 16, 3, 0]]],
    ['null (nothing after the colon)', `api_key: x\ndelegated_auth:\n`, [['agent/org-uuid-missing', 1, 0, 1, 14]]],
    ['null (~)', `api_key: x\ndelegated_auth: ~\n`, [['agent/org-uuid-missing', 1, 0, 1, 14]]],
    ['an empty flow map', `api_key: x\ndelegated_auth: {}\n`, [['agent/org-uuid-missing', 1, 0, 1, 14]]],
    ['a correct flow map', `api_key: x\ndelegated_auth: {org_uuid: ${ORG_UUID}, aws: {region: us-east-1}}\n`, []],
    ['a flow map with mistakes', `api_key: x\ndelegated_auth: {org_uuid: nope, provider: gcp}\n`, [
      ['agent/org-uuid-invalid', 1, 27, 1, 31],
      ['agent/provider-invalid', 1, 43, 1, 46],
    ]],
    ['a key that is not a plain string', `api_key: x\n? [delegated_auth]\n: {org_uuid: nope}\n`, []],
    ['a quoted key', `api_key: x\n"delegated_auth": {org_uuid: nope}\n`, [['agent/org-uuid-invalid', 1, 29, 1, 33]]],
  ];
  for (const [name, text, expected] of cases) {
    test(`delegated_auth as ${name}`, () => {
      assert.deepEqual(places(lint(text)), expected);
    });
  }

  test('every shape: hover and completion at every position', () => {
    for (const [, text] of cases) probeEveryPosition(text);
  });
});

describe('robustness: several YAML documents', () => {
  const text = [
    `api_key: ${API_KEY}`,
    'delegated_auth:',
    '  org_uuid: bad',
    '---',
    'site: ddog-gov.com',
    'delegated_auth:',
    `  org_uuid: ${ORG_UUID}`,
    '...',
    '---',
    '- a list document',
    '---',
    'just a scalar',
    '--- {delegated_auth: [x]}',
    '',
  ].join('\n');

  test('each document is judged on its own, on its own lines', () => {
    assert.deepEqual(codesAndLines(lint(text)), [
      ['agent/org-uuid-invalid', 3],
      ['agent/gov-site-unsupported', 5],
      ['agent/no-fallback-api-key', 6],
      ['agent/wrong-type', 13],
    ]);
  });

  test('hover and completion at every position', () => {
    const { hovers } = probeEveryPosition(text);
    assert.ok(hovers > 0);
  });
});

describe('robustness: hover and completion on odd files', () => {
  const rng = new Rng(99);
  const junk = Array.from({ length: 600 }, () => String.fromCharCode(rng.chance(0.1) ? 0 : rng.chance(0.2) ? 10 : rng.int(256))).join('');
  const odd: [string, string][] = [
    ['empty', ''],
    ['binary junk', junk],
    ['junk around a section', `${junk.slice(0, 100)}\ndelegated_auth:\n  org_uuid: x\n${junk.slice(100, 200)}`],
    ['tabs', 'delegated_auth:\n\torg_uuid: x\n\t\taws:\n  \tregion: us-east-1\n'],
    ['half-typed', 'delegated_auth:\n  org_\n  aws:\n    reg\nsite: us\nlogs_config:\n  delegated_auth:\n    '],
    ['unterminated quotes and flows', 'delegated_auth: {org_uuid: "abc\n  aws: [eu-\nsite: \'datadoghq'],
    ['lone CRs', 'api_key: x\rdelegated_auth:\r  org_uuid: bad\r  aws:\r    region: mars-1\r'],
    ['CRLF and BOM', '\uFEFFapi_key: x\r\ndelegated_auth:\r\n  org_uuid: bad\r\n  # datadog-wif-ignore agent/\r\n'],
    ['deep-ish nesting', `apm_config:\n${Array.from({ length: 70 }, (_, i) => `${' '.repeat(2 * i + 2)}k${i}:`).join('\n')}\n${' '.repeat(142)}delegated_auth: {org_uuid: x}\n`],
    ['deep flow', `delegated_auth: ${'['.repeat(300)}${']'.repeat(300)}\nsite: x\n`],
    ['surrogates', 'delegated_auth:\n  org_uuid: "😀"\n  😀: 1\nsite: 😀\n'],
  ];
  for (const [name, text] of odd) {
    test(name, () => {
      lint(text);
      probeEveryPosition(text);
    });
  }
});
