// The incremental Agent lint (server/src/service/agent/blocks.ts): after an
// edit, only the blocks the edit touched are parsed again.
//
// 1. A property: fuzzed edit sequences over the shared corpus' Agent files
//    (skipped with a message when ../shared is absent), generated files and
//    built-in texts. Edits type, delete and replace characters (anchors,
//    aliases, `---`, brackets, quotes, tabs, CRs, a BOM among them), insert
//    and delete lines, paste snippets, delete across blocks, edit the very
//    start and end, and undo. After EVERY edit the service's findings must
//    deep-equal those of a fresh `new LanguageService().lint()` (which reads
//    the text whole), and so must hover, completion and login targets now and
//    then. The reference is a service that reads every text whole
//    (incrementalYaml off); a fresh default service, which reads a first text
//    block by block when it can, must agree too. A failing case is saved (initial text and the edits) and can be
//    replayed:
//      DD_WIF_FUZZ_SEED=7 node --test out/test/unit/agent-incremental.test.js
//      DD_WIF_YAMLINC_EDITS=20000 …              more edits
//      DD_WIF_YAMLINC_REPLAY=/tmp/…json …        replay a saved failure
// 2. The work of a one-character edit, counted (never timed): the characters
//    parsed do not grow with the document (10k and 90k lines), while cases
//    that must read the text whole (an anchor, `---`) are counted as whole
//    parses; with the incremental path off, every edit parses the whole text.
// 3. The time of a one-character edit next to a full lint, printed only.

import { test } from 'node:test';
import * as assert from 'node:assert/strict';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { LanguageService, type SourceDocument } from '../../server/src/service';
import { yamlParseWork } from '../../server/src/service/agent/lint';
import { blockWork } from '../../server/src/service/agent/blocks';
import { DELEGATED_AUTH_SNIPPETS, NO_CORPUS_MESSAGE, ORG_UUID, Rng, agentCorpusFiles, generateAgentConfig } from '../helpers/corpus';

const SEED = Number(process.env.DD_WIF_FUZZ_SEED ?? 1);
const TOTAL_EDITS = Number(process.env.DD_WIF_YAMLINC_EDITS ?? 3000);
const FUZZ_TIMEOUT_MS = 900_000;

const CHARS = [...'abcdefghijklmnopqrstuvwxyz_0123456789', ' ', ' ', ' ', ':', ':', '\n', '\n', '#', '&', '*', '-', '[', ']', '{', '}', '"', "'", '\t', '|', '>', '%', '!', '?', ',', '\r', '\r\n', '\uFEFF', '\x01', '<', '.', '\u00e9'];

const PLAIN = [...'abcdefghijklmnopqrstuvwxyz_0123456789-. '];

const LINES = [
  '---',
  '...',
  '%YAML 1.2',
  '- item',
  'key: value',
  'dup: 1',
  '  nested: 1',
  '    deeper: 2',
  'anchor: &a',
  '  org_uuid: x',
  'alias: *a',
  '<<: *a',
  '\tkey: tab',
  'x: [1, 2',
  'y: "open',
  "y2: 'open",
  'z: |',
  'z2: >-',
  '  text',
  '# datadog-wif-ignore',
  '# datadog-wif-ignore agent/unknown-key',
  '  org_uuid: 1 # datadog-wif-ignore',
  'delegated_auth:',
  `  org_uuid: ${ORG_UUID}`,
  '  org_uuid: bad',
  '  regoin: us-east-1',
  '  aws_region: eu-west-1',
  '  provider: gcp',
  'site: datadoghq.eu',
  'site: datadoghq.co',
  'api_key: ""',
  'api_key: 0123456789abcdef0123456789abcdef',
  'logs_config:',
  '  delegated_auth:',
  '    org_uuid: x',
  'apm_config:',
  '  arn_pattern: arn:aws:sts::123456789012:assumed-role/a/*',
  '  arn_pattern: arn:aws:sts::123456789012:assumed-role/*',
  'additional_endpoints:',
  '  "https://app.datadoghq.com":',
  '    - DELA(nope, gcp)',
  'type: x',
  'foo',
  '',
  '   ',
  '  # indented comment',
  'key:value',
  '? complex',
  'k: !!str 1',
  'k: {a: 1}',
];

/** One edit: replace `del` characters at `at` with `ins`. */
interface Edit {
  at: number;
  del: number;
  ins: string;
}

function apply(text: string, e: Edit): string {
  return text.slice(0, e.at) + e.ins + text.slice(e.at + e.del);
}

function lineStartNear(text: string, at: number): number {
  return text.lastIndexOf('\n', at - 1) + 1;
}

/** Typing inside an indented line (a value, a nested key): what most edits of a real file are. */
function typingEdit(text: string, rng: Rng, cursor: number): Edit {
  let ls = lineStartNear(text, cursor);
  if (text.charCodeAt(ls) !== 32 || cursor === ls) {
    // Move to the end of an indented line somewhere.
    const from = rng.int(text.length + 1);
    const m = /\n +\S[^\r\n]*/g;
    m.lastIndex = from;
    const found = m.exec(text) ?? (((m.lastIndex = 0), m.exec(text)));
    if (!found) return { at: cursor, del: 0, ins: rng.pick(PLAIN) };
    ls = found.index + 1;
    cursor = found.index + found[0].length;
  }
  const c = text.charCodeAt(cursor - 1);
  if (rng.chance(0.3) && cursor - 1 > ls && c !== 10 && c !== 13 && c !== 32) return { at: cursor - 1, del: 1, ins: '' };
  return { at: cursor, del: 0, ins: rng.pick(PLAIN) };
}

/** A random edit, most often near the cursor (as typing is), sometimes anywhere. */
function randomEdit(text: string, rng: Rng, cursor: number): Edit {
  const len = text.length;
  const near = Math.max(0, Math.min(len, cursor + rng.between(-3, 3)));
  const anywhere = rng.int(len + 1);
  const at = rng.chance(0.6) ? near : anywhere;
  const r = rng.int(100);
  // Plain typing most of the time, any character now and then.
  if (r < 30) return { at, del: 0, ins: rng.chance(0.7) ? rng.pick(PLAIN) : rng.pick(CHARS) };
  if (r < 42) return { at, del: Math.min(1, len - at), ins: '' };
  if (r < 50) return { at, del: Math.min(1, len - at), ins: rng.pick(CHARS) };
  if (r < 64) {
    const ls = lineStartNear(text, at);
    return { at: ls, del: 0, ins: rng.pick(LINES) + '\n' };
  }
  if (r < 70) {
    // Delete whole lines.
    const ls = lineStartNear(text, at);
    let end = ls;
    for (let n = rng.between(1, 3); n > 0 && end < len; n--) {
      const nl = text.indexOf('\n', end);
      end = nl < 0 ? len : nl + 1;
    }
    return { at: ls, del: end - ls, ins: '' };
  }
  if (r < 76) {
    // Paste: a snippet, or a piece of the text itself.
    const snippet = rng.chance(0.5) ? rng.pick(DELEGATED_AUTH_SNIPPETS) + '\n' : text.slice(anywhere, anywhere + rng.between(1, 300));
    return { at: rng.chance(0.7) ? lineStartNear(text, at) : at, del: 0, ins: snippet };
  }
  if (r < 82) return { at, del: Math.min(rng.between(2, 400), len - at), ins: '' };
  if (r < 86) return { at: 0, del: rng.chance(0.5) ? Math.min(1, len) : 0, ins: rng.chance(0.5) ? rng.pick(CHARS) : '' };
  if (r < 90) return { at: len, del: 0, ins: rng.pick(CHARS) };
  if (r < 93) return { at: Math.max(0, len - 1), del: Math.min(1, len), ins: '' };
  // Replace a word: what typing over a value does.
  return { at, del: Math.min(rng.between(1, 12), len - at), ins: rng.pick(['us-east-1', 'aws', 'x', '60', ORG_UUID, 'datadoghq.com', '']) };
}

interface Seed {
  name: string;
  text: string;
  steps: number;
}

function seeds(rng: Rng): Seed[] {
  const corpus = agentCorpusFiles();
  const out: Seed[] = [
    { name: 'builtin/sections', steps: 0, text: ['# top', 'api_key: ""', 'site: datadoghq.eu', 'delegated_auth:', '  org_uuid: bad', '  aws:', '    region: us-esat-1', 'logs_config:', '  delegated_auth:', `    org_uuid: ${ORG_UUID}`, '    provider: aws', 'foo: 1', 'foo: 2', ''].join('\n') },
    { name: 'builtin/crlf', steps: 0, text: ['delegated_auth:', '  org_uuid: x', '  enabled: true', 'apm_config:', '  delegated_auth:', '    org_uuid: y', ''].join('\r\n') },
    { name: 'builtin/empty', steps: 0, text: '' },
    ...[1, 2, 3].map((s) => ({ name: `generated/${s}`, steps: 0, text: generateAgentConfig(300 + 200 * s, SEED * 31 + s) })),
    ...corpus.map((f) => ({ name: `corpus/${f.name}`, steps: 0, text: f.text })),
  ];
  // The large template costs most per fresh lint: it gets its share, not more.
  const weight = (s: Seed) => (s.text.length > 50_000 ? 1 : 2);
  const total = out.reduce((n, s) => n + weight(s), 0);
  for (const s of out) s.steps = Math.max(20, Math.round((TOTAL_EDITS * weight(s)) / total));
  void rng;
  return out;
}

function failurePath(name: string): string {
  return path.join(os.tmpdir(), `dd-wif-yamlinc-failure-${SEED}-${name.replace(/[^A-Za-z0-9]+/g, '_')}.json`);
}

/**
 * Runs edits on one path of one service and compares with fresh lints after
 * each; `next` gives each edit (told whether the last lint took the block
 * path), or a list replays saved ones. Returns how many lints took the block path.
 */
function run(name: string, initial: string, next: Edit[] | ((text: string, lastFast: boolean) => Edit | undefined), severity: SourceDocument['severity'], check: (i: number) => boolean): { fast: number; edits: number } {
  const service = new LanguageService();
  const doc = (text: string): SourceDocument => ({ path: '/fuzz/datadog.yaml', kind: 'agent', text, severity });
  let text = initial;
  service.lint(doc(text));
  let fast = 0;
  let lastFast = false;
  const done: Edit[] = [];
  for (let i = 0; ; i++) {
    const e = Array.isArray(next) ? next[i] : next(text, lastFast);
    if (!e) break;
    done.push(e);
    const previous = text;
    text = apply(text, e);
    const before = yamlParseWork.parses - blockWork.blocks;
    const got = service.lint(doc(text));
    // (An edit that changes nothing is answered from the cache either way: it says nothing of the path.)
    lastFast = text !== previous && yamlParseWork.parses - blockWork.blocks === before;
    if (lastFast) fast++;
    // The reference reads the text whole; a fresh service (which reads it block by block when it can) must agree too.
    const fresh = new LanguageService({}, { incrementalYaml: false });
    const want = fresh.lint(doc(text));
    const fail = (what: string, a: unknown, b: unknown) => {
      const file = failurePath(name);
      fs.writeFileSync(file, JSON.stringify({ name, seed: SEED, severity, initial, edits: done }));
      assert.deepStrictEqual(a, b, `${what} differ after edit ${i + 1} of ${name} (seed ${SEED}); replay: DD_WIF_YAMLINC_REPLAY=${file}`);
    };
    if (!isDeepStrictEqual(got, want)) fail('findings', got, want);
    if (i % 5 === 0) {
      const first = new LanguageService().lint(doc(text));
      if (!isDeepStrictEqual(first, want)) fail('findings of a fresh service', first, want);
    }
    if (check(i)) {
      const pos = { line: e.at % 7, character: e.at % 5 };
      const near = fresh.lint(doc(text)).length ? pos : { line: 0, character: 0 };
      if (!isDeepStrictEqual(service.loginTargets(doc(text)), fresh.loginTargets(doc(text)))) fail('login targets', service.loginTargets(doc(text)), fresh.loginTargets(doc(text)));
      if (!isDeepStrictEqual(service.hover(doc(text), near), fresh.hover(doc(text), near))) fail('hovers', service.hover(doc(text), near), fresh.hover(doc(text), near));
      if (!isDeepStrictEqual(service.complete(doc(text), near), fresh.complete(doc(text), near))) fail('completions', service.complete(doc(text), near), fresh.complete(doc(text), near));
    }
  }
  return { fast, edits: done.length };
}

function isDeepStrictEqual(a: unknown, b: unknown): boolean {
  try {
    assert.deepStrictEqual(a, b);
    return true;
  } catch {
    return false;
  }
}

const REPLAY = process.env.DD_WIF_YAMLINC_REPLAY;

test('replay of a saved failure of the incremental lint', { skip: REPLAY ? false : 'set DD_WIF_YAMLINC_REPLAY to a saved failure to replay it' }, () => {
  const saved = JSON.parse(fs.readFileSync(REPLAY!, 'utf8')) as { name: string; initial: string; edits: Edit[]; severity?: SourceDocument['severity'] };
  run(saved.name, saved.initial, saved.edits, saved.severity, () => true);
});

test('after every fuzzed edit, the incremental findings equal a fresh full lint', { timeout: FUZZ_TIMEOUT_MS }, (t) => {
  const rng = new Rng(SEED);
  const all = seeds(rng);
  if (!all.some((s) => s.name.startsWith('corpus/'))) t.diagnostic(`corpus files skipped: ${NO_CORPUS_MESSAGE}`);
  let edits = 0;
  let fast = 0;
  for (const [i, s] of all.entries()) {
    let cursor = rng.int(s.text.length + 1);
    const history: string[] = [];
    /** The last text the block path linted: a user who broke the file fixes it, and so does the fuzzer, now and then. */
    let lastGood = s.text;
    let k = 0;
    const next = (text: string, lastFast: boolean): Edit | undefined => {
      if (k++ >= s.steps) return undefined;
      if (lastFast) lastGood = text;
      let target: string | undefined;
      if (!lastFast && rng.chance(0.3)) target = lastGood;
      else if (history.length > 3 && rng.chance(0.1)) target = rng.chance(0.1) ? s.text : history[history.length - rng.between(1, history.length)];
      history.push(text);
      if (history.length > 16) history.shift();
      let e: Edit;
      if (target !== undefined) {
        // Undo back to an earlier text: the edit that turns this text into it.
        let p = 0;
        while (p < text.length && p < target.length && text[p] === target[p]) p++;
        let q = 0;
        while (q < text.length - p && q < target.length - p && text[text.length - 1 - q] === target[target.length - 1 - q]) q++;
        e = { at: p, del: text.length - p - q, ins: target.slice(p, target.length - q) };
      } else {
        if (rng.chance(0.1)) cursor = rng.int(text.length + 1);
        e = rng.chance(0.4) ? typingEdit(text, rng, cursor) : randomEdit(text, rng, cursor);
      }
      cursor = e.at + e.ins.length;
      return e;
    };
    const severity = i % 2 ? { 'agent/unknown-key': 'off' as const, 'agent/duplicate-key': 'info' as const, 'agent/yaml-syntax': 'warning' as const } : undefined;
    const r = run(s.name, s.text, next, severity, (n) => n % 9 === 0);
    edits += r.edits;
    fast += r.fast;
  }
  t.diagnostic(`${edits} edits over ${all.length} texts (seed ${SEED}); ${fast} linted block by block, the rest whole (something crossed the blocks)`);
  assert.ok(edits >= Math.min(TOTAL_EDITS, 1000), `only ${edits} edits ran`);
  // The property says nothing about the fast path unless the fuzzer reaches it often.
  assert.ok(fast >= edits * 0.3, `only ${fast} of ${edits} edits took the incremental path`);
});

// ---------------------------------------------------------------------------
// Work, counted.

interface Work {
  parses: number;
  chars: number;
  wholeParses: number;
}

/** Lints `text` once (the open), once more after an edit far away (the first edit reads the blocks), then measures `edit`. */
function workOfEdit(text: string, edit: Edit, incremental = true): Work {
  const service = new LanguageService({}, { incrementalYaml: incremental });
  const doc = { path: '/work/datadog.yaml', kind: 'agent' as const };
  service.lint({ ...doc, text });
  const warm = apply(text, { at: text.length, del: 0, ins: '# warm\n' });
  service.lint({ ...doc, text: warm });
  const parses = yamlParseWork.parses;
  const chars = yamlParseWork.chars;
  const blocks = blockWork.blocks;
  const changed = apply(warm, edit);
  const findings = service.lint({ ...doc, text: changed });
  const work = { parses: yamlParseWork.parses - parses, chars: yamlParseWork.chars - chars, wholeParses: yamlParseWork.parses - parses - (blockWork.blocks - blocks) };
  assert.deepStrictEqual(findings, new LanguageService({}, { incrementalYaml: false }).lint({ ...doc, text: changed }));
  return work;
}

/** The digit of `refresh_interval_mins: 60` in the global section, changed. */
function digitEdit(text: string): Edit {
  const at = text.indexOf('refresh_interval_mins: 60') + 'refresh_interval_mins: '.length;
  assert.ok(at > 30);
  return { at, del: 1, ins: '7' };
}

test('a one-character edit parses the same block whatever the size of the file', () => {
  // 90k lines is the largest generated file under the input guard's 2 MiB.
  const small = generateAgentConfig(10_000);
  const large = generateAgentConfig(90_000);
  const a = workOfEdit(small, digitEdit(small));
  const b = workOfEdit(large, digitEdit(large));
  assert.equal(a.wholeParses, 0);
  assert.equal(b.wholeParses, 0);
  assert.equal(a.parses, 1, 'one block parsed');
  assert.deepStrictEqual(a, b);
  assert.ok(a.chars < 400, `${a.chars} characters parsed for a one-character edit`);
  // An edit in a block far down the file, and at its very end: still one block each.
  const deep = large.indexOf('listeners_', large.length >> 1);
  const c = workOfEdit(large, { at: deep, del: 1, ins: 'L' });
  assert.equal(c.wholeParses, 0);
  // (A block is parsed a second time with comment lines after it, and once more with a key after it when it has syntax errors.)
  assert.ok(c.parses <= 4 && c.chars < 4_000, JSON.stringify(c));
  // (The text's last line is the `# warm` comment workOfEdit adds: its final line break deleted.)
  const end = workOfEdit(large, { at: large.length + '# warm\n'.length - 1, del: 1, ins: '' });
  assert.ok(end.wholeParses === 0 && end.chars < 4_000, JSON.stringify(end));
  // Off, the same edit parses the whole text.
  const off = workOfEdit(large, digitEdit(large), false);
  assert.equal(off.wholeParses, 1);
  assert.ok(off.chars > large.length, JSON.stringify(off));
});

test('a file opened is read block by block, unless a line at column 0 says it cannot be', () => {
  const text = generateAgentConfig(3_000);
  const whole = (t: string) => {
    const parses = yamlParseWork.parses;
    const blocks = blockWork.blocks;
    const findings = new LanguageService().lint({ path: '/open/datadog.yaml', kind: 'agent', text: t });
    const wholeParses = yamlParseWork.parses - parses - (blockWork.blocks - blocks);
    assert.deepStrictEqual(findings, new LanguageService({}, { incrementalYaml: false }).lint({ path: '/open/datadog.yaml', kind: 'agent', text: t }));
    return wholeParses;
  };
  assert.equal(whole(text), 0);
  assert.equal(whole('---\n' + text), 1);
  // An alias is found by the blocks' parse: then the text is parsed whole too.
  assert.equal(whole(text + 'a: &x 1\nb: *x\n'), 1);
});

test('what crosses blocks sends the edit to a whole parse, and the fast path comes back after', () => {
  const text = generateAgentConfig(2_000);
  for (const [what, line] of [
    ['an anchor and an alias', 'base: &b 1\nother: *b\n'],
    ['a document marker', '---\n'],
    ['a directive', '%YAML 1.2\n'],
    ['a quote left open', 'y: "open\n'],
    ['a flow collection left open at column 0', 'x: [1,\n2]\n'],
    ['a top-level list', '- item\n'],
    ['a tab at column 0', '\tkey: 1\n'],
    ['a lone CR', 'k: 1\rj: 2\n'],
  ] as const) {
    const at = text.indexOf('logs_enabled');
    const w = workOfEdit(text, { at, del: 0, ins: line });
    assert.equal(w.wholeParses, 1, `${what}: ${JSON.stringify(w)}`);
  }
  // A BOM at the very start.
  assert.equal(workOfEdit(text, { at: 0, del: 0, ins: '\uFEFF' }).wholeParses, 1);
  // A comment edit far from every block parses nothing at all.
  const comment = text.indexOf('## A parameter documented');
  assert.deepStrictEqual(workOfEdit(text, { at: comment + 3, del: 1, ins: 'a' }), { parses: 0, chars: 0, wholeParses: 0 });
});

test('timing of a one-character edit on a 90k-line file next to a full lint (printed, not asserted)', (t) => {
  const text = generateAgentConfig(90_000);
  const service = new LanguageService();
  const doc = { path: '/time/datadog.yaml', kind: 'agent' as const };
  service.lint({ ...doc, text });
  let current = apply(text, { at: text.length, del: 0, ins: '#\n' });
  service.lint({ ...doc, text: current });
  const at = digitEdit(current).at;
  const times: number[] = [];
  for (let n = 0; n < 21; n++) {
    current = current.slice(0, at) + String((n % 9) + 1) + current.slice(at + 1);
    // Flattened first: the editor's text arrives as one string; joining the pieces here is the test's own cost.
    void current.charCodeAt(current.length >> 1);
    const t0 = process.hrtime.bigint();
    service.lint({ ...doc, text: current });
    times.push(Number(process.hrtime.bigint() - t0) / 1e6);
  }
  const t0 = process.hrtime.bigint();
  new LanguageService().lint({ ...doc, text: current });
  const full = Number(process.hrtime.bigint() - t0) / 1e6;
  times.sort((a, b) => a - b);
  t.diagnostic(`${text.split('\n').length} lines, ${text.length} characters: one-character edit median ${times[10].toFixed(2)} ms (max ${times[20].toFixed(2)} ms); full lint ${full.toFixed(0)} ms`);
});
