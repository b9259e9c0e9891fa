// Fuzzing: corpus files (or, without ../shared, built-in seed documents)
// mutated with a seeded PRNG (byte flips, line deletion and duplication,
// indentation shifts, delegated_auth snippets, truncation, line ends, anchors).
// For every case: lint, hover and completion never throw, lint returns in
// bounded time (a hang guard, not a performance test), and every finding has a
// known code, a range inside the text and a message; quick fixes stay inside
// the text and their result lints too. Binary and oversize variants of the
// seeds are refused with one finding, before any parse. Then hostile shapes
// (many keys, many sections, alias bombs, deep nesting, unclosed flows, long
// lines) at two sizes: the lint's work, counted, grows no faster than the text.
//
//   DD_WIF_FUZZ_CASES=20000 node --test out/test/unit/agent-fuzz.test.js
//   DD_WIF_FUZZ_SEED=7 …      another sequence of cases

import { test } from 'node:test';
import * as assert from 'node:assert/strict';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { LanguageService, type Position } from '../../server/src/service';
import { TextIndex } from '../../server/src/service/common/textIndex';
import { AGENT_CORPUS_DIR, API_KEY, DELEGATED_AUTH_SNIPPETS, ORG_UUID, Rng, agentCorpusFiles, assertWellFormed, randomCharFrom, refusedInputs, textMutations, type CorpusFile, type Mutation } from '../helpers/corpus';
import { MAX_INPUT_BYTES } from '../../server/src/service/common/inputGuard';
import { applyEdits } from '../helpers/markers';
import { measureAgentLint } from '../helpers/workMeter';
import { MAX_FINDINGS_PER_FILE } from '../../server/src/service/common/filter';

const TOTAL_CASES = Number(process.env.DD_WIF_FUZZ_CASES ?? 3000);
const SEED = Number(process.env.DD_WIF_FUZZ_SEED ?? 1);
/** Hang guard per seed's cases (a node:test timeout, which fails the test): generous, never a measure of speed. */
const SEED_TIMEOUT_MS = 120_000;

/** Seed documents used when the shared corpus is absent (and always, beside it). */
const BUILTIN_SEEDS: CorpusFile[] = [
  {
    name: 'builtin/full',
    text: [
      '## Datadog Agent',
      `api_key: ${API_KEY}`,
      'site: datadoghq.eu',
      'delegated_auth:',
      `  org_uuid: ${ORG_UUID}`,
      '  provider: aws',
      '  aws:',
      '    region: eu-west-1',
      '  refresh_interval_mins: 60',
      'logs_enabled: true',
      'logs_config:',
      `  api_key: ${API_KEY}`,
      '  delegated_auth:',
      `    org_uuid: ${ORG_UUID}`,
      '  additional_endpoints:',
      '    - host: intake.logs.datadoghq.eu',
      `      api_key: DELA(${ORG_UUID}, aws, region=eu-west-1)`,
      'apm_config:',
      '  enabled: true',
      '  additional_endpoints:',
      '    "https://trace.agent.datadoghq.com":',
      `      - DELA(${ORG_UUID}, aws)`,
      'remote_configuration:',
      '  enabled: true',
      '  delegated_auth: {org_uuid: ' + ORG_UUID + '}',
      'tags:',
      '  - env:prod',
      '  - team:platform',
      '',
    ].join('\n'),
  },
  {
    name: 'builtin/mistakes',
    text: [
      'api_key:',
      'site: ${DD_SITE}',
      'delegated_auth:',
      '  enabled: true',
      '  org_uuid: 0123456789abcdef0123456789abcdef',
      '  provider: gcp',
      '  aws_region: us-east-1',
      '  aws: [eu-west-1]',
      '  refresh_interval: 3600',
      'process_config:',
      '  delegated_auth:',
      '    org_uuid: x',
      'evp_proxy_config:',
      '  delegated_auth:',
      '    provider: aws',
      '    aws:',
      '      region: mars-1',
      '',
    ].join('\r\n'),
  },
  {
    name: 'builtin/anchors',
    text: [
      'defaults: &defaults',
      `  org_uuid: ${ORG_UUID}`,
      'delegated_auth:',
      '  <<: *defaults',
      '  aws: &aws {region: us-west-2}',
      'logs_config: &logs',
      '  delegated_auth: *defaults',
      'ol_proxy_config:',
      '  <<: *logs',
      '---',
      'site: ddog-gov.com',
      'delegated_auth: {org_uuid: "' + ORG_UUID + '"}',
      '',
    ].join('\n'),
  },
  { name: 'builtin/empty', text: '' },
  { name: 'builtin/comments', text: '# delegated_auth:\n#   org_uuid: x\n' },
];

// ---------------------------------------------------------------------------
// Mutations.

const SPECIALS = [':', '-', '?', '[', ']', '{', '}', ',', '&', '*', '!', '|', '>', "'", '"', '%', '@', '`', '#', '\n', '\r', '\t', ' ', '\0', '<<', '---', '...', '\uFEFF', '\uD800', '\uDC00', '😀', '\u2028', '\x85'];

const randomChar = randomCharFrom(SPECIALS);


function splitLines(text: string): string[] {
  return text.split('\n');
}

function randomIndent(rng: Rng): string {
  return rng.chance(0.1) ? '\t' : ' '.repeat(rng.pick([0, 0, 1, 2, 2, 4, 6]));
}

const MUTATIONS: Record<string, Mutation> = {
  ...textMutations(randomChar),
  shiftIndent(text, rng) {
    const lines = splitLines(text);
    const at = rng.int(lines.length);
    const count = rng.between(1, 6);
    const delta = rng.pick([-4, -2, -1, 1, 2, 4]);
    for (let i = at; i < Math.min(lines.length, at + count); i++) {
      lines[i] = delta > 0 ? ' '.repeat(delta) + lines[i] : lines[i].replace(new RegExp(`^ {0,${-delta}}`), '');
    }
    return lines.join('\n');
  },
  tabIndent(text, rng) {
    const lines = splitLines(text);
    const at = rng.int(lines.length);
    lines[at] = lines[at].replace(/^( +)/, (m) => (rng.chance(0.5) ? '\t' : m.slice(1) + '\t'));
    return lines.join('\n');
  },
  insertSnippet(text, rng) {
    const lines = splitLines(text);
    const indent = randomIndent(rng);
    const snippet = rng
      .pick(DELEGATED_AUTH_SNIPPETS)
      .split('\n')
      .map((l) => indent + l);
    lines.splice(rng.int(lines.length + 1), 0, ...snippet);
    return lines.join('\n');
  },
  appendSnippet(text, rng) {
    return text + (text.endsWith('\n') || !text ? '' : '\n') + rng.pick(DELEGATED_AUTH_SNIPPETS) + '\n';
  },
  truncate(text, rng) {
    return text.slice(0, rng.int(text.length + 1));
  },
  lineEnds(text, rng) {
    return text.replace(/\r?\n/g, rng.pick(['\r\n', '\r', '\n', '\n\n']));
  },
  bom(text) {
    return '\uFEFF' + text;
  },
  anchors(text, rng) {
    const lines = splitLines(text);
    const at = rng.int(lines.length);
    const name = rng.pick(['a', 'da', 'x']);
    const edit = rng.int(4);
    if (edit === 0) lines[at] = lines[at].replace(/:(\s|$)/, `: &${name}$1`);
    else if (edit === 1) lines[at] = lines[at].replace(/:\s.*$/, `: *${name}`);
    else if (edit === 2) lines.splice(at, 0, `${lines[at].match(/^\s*/)?.[0] ?? ''}<<: *${name}`);
    else lines.splice(at, 0, `${name}_anchor: &${name}`, `  org_uuid: ${ORG_UUID}`, `  self: *${name}`);
    return lines.join('\n');
  },
  documents(text, rng) {
    const lines = splitLines(text);
    lines.splice(rng.int(lines.length + 1), 0, rng.pick(['---', '...', '--- |', '%YAML 1.2', '--- {a: 1}']));
    return lines.join('\n');
  },
};

const MUTATION_NAMES = Object.keys(MUTATIONS);

// ---------------------------------------------------------------------------

function hash(s: string): number {
  let h = 2166136261;
  for (let i = 0; i < s.length; i++) h = Math.imul(h ^ s.charCodeAt(i), 16777619);
  return h >>> 0;
}

/** A base text for one case: big files mostly as a window of their lines (the whole file now and then). */
function baseText(seed: CorpusFile, rng: Rng): string {
  const lines = seed.text.split('\n');
  if (lines.length <= 400 || rng.chance(0.02)) return seed.text;
  const length = rng.between(20, 400);
  const start = rng.int(lines.length - length);
  return lines.slice(start, start + length).join('\n');
}

function randomPositions(index: TextIndex, rng: Rng, n: number): Position[] {
  const out: Position[] = [];
  for (let i = 0; i < n; i++) {
    const line = rng.int(index.lineCount + 1);
    const length = line < index.lineCount ? index.lineEnd(line) - index.lineStart(line) : 0;
    out.push({ line, character: rng.int(length + 3) });
  }
  return out;
}

interface CaseRecord {
  seed: string;
  n: number;
  mutations: string[];
  text: string;
}

function failWith(record: CaseRecord, error: unknown): never {
  const file = path.join(os.tmpdir(), `dd-wif-fuzz-${hash(record.seed)}-${record.n}.yaml`);
  try {
    fs.writeFileSync(file, record.text);
  } catch {
    // best effort
  }
  const message = error instanceof Error ? error.stack ?? error.message : String(error);
  assert.fail(`fuzz case ${record.n} of ${record.seed} (DD_WIF_FUZZ_SEED=${SEED}; mutations ${record.mutations.join(', ')}; text saved to ${file}):\n${message}\ntext: ${JSON.stringify(record.text.slice(0, 600))}`);
}

/** Runs one case; returns how long its lint took (ms, printed, never asserted) and its work per character. */
function runCase(seed: CorpusFile, n: number, rng: Rng): { ms: number; workPerChar: number } {
  const mutations: string[] = [];
  let text = baseText(seed, rng);
  for (let k = rng.between(1, 4); k > 0; k--) {
    const name = rng.pick(MUTATION_NAMES);
    mutations.push(name);
    text = MUTATIONS[name](text, rng);
  }
  const record: CaseRecord = { seed: seed.name, n, mutations, text };
  try {
    const service = new LanguageService();
    const doc = { path: `/fuzz/${n}/datadog.yaml`, text, kind: 'agent' as const };
    const t = performance.now();
    const findings = service.lint(doc);
    const ms = performance.now() - t;
    assertWellFormed(findings, text);
    // The lint's work on this text (counted, not timed: see workMeter.ts) is bounded by its length,
    // as for the hostile shapes below: a case that made it superlinear fails here, however fast.
    const work = measureAgentLint(text);
    assert.ok(work.total <= 2 * text.length + 1_000, `work ${work.total} (tree ${work.treeReads}, model ${work.modelReads}, findings ${work.findings}) for a text of ${text.length} characters`);

    const index = new TextIndex(text);
    const positions = randomPositions(index, rng, 4);
    for (const f of findings.slice(0, 4)) positions.push(f.range.start, f.range.end);
    for (const pos of positions) {
      const h = service.hover(doc, pos);
      if (h) {
        assert.ok(h.contents.trim().length > 0, 'empty hover');
        assertWellFormed([{ code: 'agent/yaml-syntax', severity: 'info', message: 'hover', range: h.range }], text, 'hover range');
      }
      for (const item of service.complete(doc, pos)) assert.ok(item.label.length > 0, 'unlabelled completion');
    }

    // Quick fixes, and what they produce, for one finding now and then.
    if (findings.length && rng.chance(0.25)) {
      const f = rng.pick(findings);
      for (const { fix } of service.quickFixes(doc, f.range, [f.code])) {
        const fixed = applyEdits(text, fix.edits);
        assertWellFormed(new LanguageService().lint({ path: 'fixed/datadog.yaml', text: fixed, kind: 'agent' }), fixed, `after fix "${fix.title}"`);
      }
    }
    return { ms, workPerChar: work.total / Math.max(1, text.length) };
  } catch (e) {
    failWith(record, e);
  }
}

const seeds: CorpusFile[] = [...agentCorpusFiles(), ...BUILTIN_SEEDS];

test(`fuzz: ${TOTAL_CASES} mutated cases from ${AGENT_CORPUS_DIR ? `${seeds.length - BUILTIN_SEEDS.length} corpus files and ` : 'no corpus (absent), only '}${BUILTIN_SEEDS.length} built-in seeds`, async (t) => {
  const perSeed = Math.max(1, Math.floor(TOTAL_CASES / seeds.length));
  let remainder = TOTAL_CASES - perSeed * seeds.length;
  let slowest = { ms: 0, where: '' };
  let busiest = { workPerChar: 0, where: '' };
  for (const seed of seeds) {
    const cases = perSeed + (remainder-- > 0 ? 1 : 0);
    await t.test(`${seed.name}: ${cases} cases`, { timeout: SEED_TIMEOUT_MS }, async (st) => {
      const rng = new Rng(SEED ^ hash(seed.name));
      for (let n = 0; n < cases && !st.signal.aborted; n++) {
        const { ms, workPerChar } = runCase(seed, n, rng);
        if (ms > slowest.ms) slowest = { ms, where: `case ${n} of ${seed.name}` };
        if (workPerChar > busiest.workPerChar) busiest = { workPerChar, where: `case ${n} of ${seed.name}` };
        // Between cases, the event loop runs: without it the timeout's timer could not fire.
        await new Promise<void>((r) => setImmediate(r));
      }
    });
  }
  t.diagnostic(`seed ${SEED}; slowest lint ${slowest.ms.toFixed(1)} ms (${slowest.where}); most work ${busiest.workPerChar.toFixed(2)} reads a character (${busiest.where})`);
});

// Inputs refused before the YAML parser sees them: binary (random bytes read
// as UTF-8, UTF-16, NULs) and over 2 MiB (the text repeated, multi-byte
// characters). Fast: the guard answers from a look at the text.
const REFUSED_CASES = 60;

test(`fuzz: ${REFUSED_CASES} binary and oversize Agent files: one agent/yaml-syntax each, and nothing from hover, completion or lenses (seed ${SEED})`, () => {
  const rng = new Rng(SEED + 2);
  const service = new LanguageService();
  for (let n = 0; n < REFUSED_CASES; n++) {
    const seed = seeds[n % seeds.length];
    const input = rng.pick(refusedInputs(baseText(seed, rng), rng, MAX_INPUT_BYTES));
    const doc = { path: `/fuzz/refused/${n}/datadog.yaml`, text: input.text };
    try {
      const findings = service.lint(doc);
      assert.deepEqual(findings.map((f) => [f.code, f.range.start.line, f.range.start.character, f.range.end.line, f.range.end.character]), [['agent/yaml-syntax', 0, 0, 0, 0]], input.what);
      assert.match(findings[0].message, input.reason === 'binary' ? /^Not checked: this file looks binary/ : /^Not checked: this file is .* files over 2 MiB are not parsed/, input.what);
      for (const pos of [{ line: 0, character: 0 }, { line: 1, character: 2 }]) {
        assert.equal(service.hover(doc, pos), null);
        assert.deepEqual(service.complete(doc, pos), []);
      }
      assert.deepEqual(service.loginTargets(doc), []);
    } catch (e) {
      failWith({ seed: `${seed.name} (${input.what})`, n, mutations: [], text: input.text.slice(0, 100_000) }, e);
    } finally {
      service.forget(doc.path);
    }
  }
});

// ---------------------------------------------------------------------------
// Hostile shapes: each grows with n, and the agent lint's work (counted, not
// timed: see workMeter.ts) must grow no faster than the text. A rule that
// rescans a map per key, or reports every pair, does n² work and fails here.
// Through the service, a file never yields more than the cap plus one.

const range = (n: number) => Array.from({ length: n }, (_, i) => i);
const lines = (...parts: (string | string[])[]) => parts.flat().join('\n') + '\n';

/** Nine levels of nine aliases each, `levels` deep: 9^levels nodes if aliases were copied. */
function aliasBomb(levels: number, open: string, close: string, item: (prev: string, j: number) => string): string[] {
  const out = [`l0: &l0 ${open}${range(9).map((j) => item('"lol"', j)).join(', ')}${close}`];
  for (let i = 1; i < levels; i++) out.push(`l${i}: &l${i} ${open}${range(9).map((j) => item(`*l${i - 1}`, j)).join(', ')}${close}`);
  return out;
}

interface HostileShape {
  name: string;
  /** The sizes compared: the text at `large` is about large/small times the text at `small`. */
  small: number;
  large: number;
  text(n: number): string;
}

const HOSTILE: HostileShape[] = [
  {
    name: 'unknown keys in delegated_auth',
    small: 500,
    large: 2000,
    text: (n) => lines('api_key: x', 'delegated_auth:', `  org_uuid: ${ORG_UUID}`, range(n).map((i) => `  unknown_key_${i}: v`)),
  },
  {
    name: 'unknown keys in delegated_auth.aws and a flow section',
    small: 500,
    large: 2000,
    text: (n) => lines('api_key: x', 'delegated_auth:', `  org_uuid: ${ORG_UUID}`, '  aws:', range(n).map((i) => `    regoin_${i}: v`), `logs_config: {delegated_auth: {${range(n).map((i) => `k${i}: v`).join(', ')}}}`),
  },
  {
    name: 'delegated_auth written again and again at the top level (duplicates, sections)',
    small: 500,
    large: 2000,
    text: (n) => lines('api_key: x', range(n).map((i) => `delegated_auth:\n  org_uuid: bad${i}\n  colour: red\n  org_uuid: again`)),
  },
  {
    name: 'delegated_auth under many unsupported sections',
    small: 500,
    large: 2000,
    text: (n) => lines(range(n).map((i) => `p${i}:\n  delegated_auth:\n    org_uuid: x${i}`)),
  },
  {
    name: 'per-product and legacy keys, repeated (each offers a move)',
    small: 500,
    large: 2000,
    text: (n) =>
      lines('api_key: x', 'delegated_auth:', `  org_uuid: ${ORG_UUID}`, range(n).map((i) => `  legacy_${i}: x`), 'logs_config:', '  delegated_auth:', `    org_uuid: ${ORG_UUID}`, range(n).map((i) => ['    provider: aws', '    refresh_interval: 60', '    aws_region: us-east-1', '    region: eu-west-1'][i % 4])),
  },
  {
    name: 'one large anchor used as many sections',
    small: 500,
    large: 2000,
    text: (n) => lines('api_key: x', 'da: &da', '  org_uuid: bad', range(n).map((i) => `  k${i}: v`), range(n).map(() => 'delegated_auth: *da'), 'logs_config:', range(n).map(() => '  delegated_auth: *da')),
  },
  {
    name: 'merge keys bringing a large anchor into many maps',
    small: 500,
    large: 2000,
    text: (n) => lines('base: &b', range(n).map((i) => `  k${i}: v`), 'logs_config:', range(n).map((i) => `  m${i}: {<<: *b, delegated_auth: {<<: *b}}`), 'delegated_auth:', '  <<: *b', 'apm_config:', range(n).map((i) => `  m${i}: {<<: *b}`)),
  },
  {
    name: 'alias bombs (aliases of aliases) as sections, values and merges',
    small: 8,
    large: 32,
    text: (n) =>
      lines(
        aliasBomb(n, '[', ']', (p) => p),
        aliasBomb(n, '{', '}', (p, j) => `k${j}: ${p}`).map((l) => l.replace(/^l(\d+): &l\d+/, 'm$1: &m$1').replace(/\*l/g, '*m')),
        'api_key: x',
        `delegated_auth: *l${n - 1}`,
        'logs_config:',
        '  delegated_auth:',
        `    <<: *m${n - 1}`,
        `    org_uuid: *l${n - 1}`,
        `apm_config: {x: *m${n - 1}, delegated_auth: *l${n - 1}}`,
        `additional_endpoints: *m${n - 1}`,
      ),
  },
  {
    name: 'nesting as deep as the parser goes (block maps, flow lists, flow maps)',
    small: 100,
    large: 400,
    text: (n) =>
      lines(
        'api_key: x',
        'apm_config:',
        range(n).map((i) => `${' '.repeat(i + 2)}k${i}:\n${' '.repeat(i + 2)}delegated_auth: {org_uuid: x}\n${' '.repeat(i + 2)}k${i}_:`),
        `${' '.repeat(n + 2)}delegated_auth: {org_uuid: x}`,
        `delegated_auth: ${'['.repeat(n)}${']'.repeat(n)}`,
        `logs_config: ${'{a: '.repeat(n)}1${'}'.repeat(n)}`,
      ),
  },
  {
    name: 'unclosed flow collections',
    small: 500,
    large: 2000,
    text: (n) =>
      lines(
        'api_key: x',
        `delegated_auth: {org_uuid: x, ${range(n).map((i) => `k${i}: v`).join(', ')}`,
        'logs_config:',
        `  delegated_auth: [${range(n).map((i) => `{k${i}: [a`).join(', ')}`,
        `remote_configuration: {delegated_auth: {${range(n).map((i) => `"k${i}`).join(': v, ')}`,
      ),
  },
  {
    name: 'long lines (keys and values of 20 KB and more), also through aliases',
    small: 1,
    large: 4,
    text: (n) => {
      const long = (c: string) => c.repeat(20_000 * n);
      return lines('api_key: x', 'da: &da', `  ${long('k')}: v`, `  org_uuid: ${long('u')}`, `  provider: ${long('p')}`, 'delegated_auth: *da', `site: ${long('s')}`, 'logs_config:', '  delegated_auth: *da', `  ${long('x')}:`, '    delegated_auth: {}', `d: &d DELA(${long('o')}, aws)`, 'additional_endpoints:', '  "https://x":', range(50).map(() => '    - *d'));
    },
  },
  {
    name: 'DELA directives through aliases',
    small: 500,
    large: 2000,
    text: (n) => lines('d: &d DELA(nope, gcp, zone=1)', 'additional_endpoints:', '  "https://x":', range(n).map(() => '    - *d'), 'logs_config:', '  additional_endpoints:', range(n).map(() => '    - {api_key: *d}')),
  },
  {
    name: 'one ARN pattern repeated, and many under one wildcard',
    small: 500,
    large: 2000,
    text: (n) =>
      lines(
        'mappings:',
        range(n).map(() => '  - {type: intake, arn_pattern: "arn:aws:sts::123456789012:assumed-role/r/*"}'),
        range(n).map((i) => `  - {type: intake, arn_pattern: "arn:aws:sts::123456789012:assumed-role/r/s${i}"}`),
      ),
  },
];

test('hostile shapes: the agent lint does work in proportion to the text (counted, not timed)', async (t) => {
  for (const shape of HOSTILE) {
    await t.test(shape.name, () => {
      const [small, large] = [shape.text(shape.small), shape.text(shape.large)];
      const [a, b] = [measureAgentLint(small), measureAgentLint(large)];
      const sizeRatio = large.length / small.length;
      const workRatio = b.total / Math.max(1, a.total);
      t.diagnostic(`${shape.name}: text ×${sizeRatio.toFixed(1)}, work ×${workRatio.toFixed(1)} (${a.total} → ${b.total}: tree ${b.treeReads}, model ${b.modelReads}, findings ${b.findings})`);
      // Linear work grows like the text; n² work would grow by the square of the ratio.
      assert.ok(workRatio <= sizeRatio * 1.5, `work grew ×${workRatio.toFixed(1)} for a text ×${sizeRatio.toFixed(1)}: ${JSON.stringify({ small: { ...a, kept: undefined }, large: { ...b, kept: undefined } })}`);
      // And work is bounded by the text's length, whatever the shape (aliases of aliases included).
      assert.ok(b.total <= 2 * large.length, `work ${b.total} for a text of ${large.length} characters`);
      // No message quotes a long key or value whole.
      assert.ok(b.longestMessage <= 600, `a message of ${b.longestMessage} characters`);
      const findings = new LanguageService().lint({ path: 'hostile/datadog.yaml', text: large, kind: 'agent' });
      assertWellFormed(findings, large);
      assert.ok(findings.length <= MAX_FINDINGS_PER_FILE + 1, `${findings.length} findings`);
      if (b.findings > MAX_FINDINGS_PER_FILE) assert.equal(findings[findings.length - 1].code, 'lint/too-many-findings');
    });
  }
});
