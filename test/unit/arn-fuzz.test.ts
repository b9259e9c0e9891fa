// Fuzzing the ARN engine: the corpus ARNs (../shared/corpus/arn/real-arns.tsv,
// or built-in seeds when ../shared is absent, and the built-in seeds always)
// mutated with a seeded PRNG — characters inserted, deleted and replaced from
// an ARN-ish alphabet (`:/*${}`, digits, letters, white space, unicode, lone
// surrogates), fields and segments duplicated, removed and swapped, very long
// strings, deep `${${${…`, unterminated `${` — plus ARNs generated from random
// parts and random strings. For every case:
//   - parseArn, lintArnPattern, describeArn, matches, overlaps never throw
//     (and never hang: each source's cases have a node:test timeout, which
//     fails the test, never a measure of speed);
//   - parsed parts lie inside the string and spell it;
//   - every finding has a known code, a severity, a message, offsets inside
//     the string (0 <= start < end <= length; for the empty string [0, 1)),
//     and a fix whose replacement is a string;
//   - the fix of iam-role-arn, region-not-empty, partial-wildcard,
//     missing-session or whitespace gives a pattern that no longer gets that
//     code (a fix must not produce the same mistake);
//   - overlaps is symmetric, its witness is matched by both patterns, an exact
//     pattern matches itself, and findOverlaps over batches of cases (with
//     near-duplicates mixed in) equals the pairwise overlaps.
//
//   node --test out/test/unit/arn-fuzz.test.js                  (5,000 cases)
//   DD_WIF_FUZZ_CASES=100000 node --test out/test/unit/arn-fuzz.test.js
//   DD_WIF_ARN_FUZZ_CASES=…     the same, for this file only
//   DD_WIF_FUZZ_SEED=7 …        another sequence of cases

import { test } from 'node:test';
import * as assert from 'node:assert/strict';
import * as fs from 'fs';
import * as path from 'path';
import { isKnownCode } from '../../server/src/service';
import { checkFindOverlaps } from '../helpers/overlaps';
import { describeArn, findOverlaps, lintArnPattern, matches, overlapWitness, overlaps, parseArn, type ArnFinding, type ArnKind } from '../../server/src/service/arn';
import { Rng } from '../helpers/corpus';
import { SHARED_DIR } from '../helpers/markers';

const TOTAL_CASES = Number(process.env.DD_WIF_ARN_FUZZ_CASES ?? process.env.DD_WIF_FUZZ_CASES ?? 5000);
const SEED = Number(process.env.DD_WIF_FUZZ_SEED ?? 1);
/** Hang guard of each source's cases (a node:test timeout): generous. A typical case takes ~10 µs, a 100,000-character one a few ms. */
const SOURCE_TIMEOUT_MS = 120_000;
/** Cases per findOverlaps batch, compared with the pairwise loop. */
const BATCH = 120;

const TSV = path.join(SHARED_DIR, 'corpus', 'arn', 'real-arns.tsv');
const corpus: string[] = fs.existsSync(TSV)
  ? fs
      .readFileSync(TSV, 'utf8')
      .split('\n')
      .slice(1)
      .filter((l) => l.trim())
      .map((l) => l.split('\t')[0])
  : [];

/** Seeds used when the shared corpus is absent (and always, beside it): every kind, right and wrong. */
const BUILTIN_SEEDS: readonly string[] = [
  'arn:aws:sts::123456789012:assumed-role/DatadogAgentRole/*',
  'arn:aws:sts::123456789012:assumed-role/DatadogAgentRole/i-0123456789abcdef0',
  'arn:aws:sts::123456789012:assumed-role/AWSReservedSSO_AdministratorAccess_0123456789abcdef/jane@example.com',
  'arn:aws:sts::123456789012:assumed-role/terraform-runner',
  'arn:aws:sts::${data.aws_caller_identity.current.account_id}:assumed-role/DatadogAgentRole/*',
  'arn:aws:sts::${AWS::AccountId}:assumed-role/${RoleName}/${FunctionName}',
  'arn:aws:sts:us-east-1:123456789012:assumed-role/r/s',
  'arn:aws:sts::123456789012:assumed-role/r/run-*',
  'arn:aws:sts::123456789012:assumed-role/r*/s',
  'arn:aws:sts::123456789012:assumed-role/*',
  'arn:aws:sts::*:assumed-role/*',
  'arn:aws:sts::123456789012:assumed-role/path/r/s',
  'arn:aws:sts::123456789012:federated-user/Susan',
  'arn:aws:sts::123456789012:federated-user/Manager*',
  'arn:aws:iam::123456789012:role/service-role/MyRole',
  'arn:aws:iam::123456789012:role/jane*',
  'arn:aws:iam:eu-west-1:123456789012:role/MyRole',
  'arn:aws:iam::${local.account}:role/${var.app}-deploy',
  'arn:aws:iam::123456789012:user/division_abc/subdivision_xyz/JaneDoe',
  'arn:aws:iam::123456789012:user/*',
  'arn:aws:iam::123456789012:user/${aws:username}',
  'arn:aws:iam::123456789012:root',
  'arn:aws:iam::123456789012:policy/Example',
  'arn:aws:s3:::my-bucket/*',
  'arn:aws-us-gov:sts::123456789012:assumed-role/r/s',
  'arn:aws-cn:iam::123456789012:role/MyRole',
  'arn:aws:sts::XXXXX:assumed-role/rundeck/i-12345678',
  'arn:aws:sts::"my account number":assumed-role/SecurityMonkeyInstanceProfile/i-e68888',
  ' arn:aws:sts::123456789012:assumed-role/r/* ',
  'arn:aws:sts::12345678901:assumed-role/r/s',
  'arn:aws:sts::123456789012:assumed-role/r/${',
  'arn:aws:sts::${:assumed-role/r/s',
  'arn:aws:sts::123456789012',
  'arn:',
  'arn',
  '',
  ' ',
  '*',
  '${}',
];

// ---------------------------------------------------------------------------
// Mutations.

const ALPHABET = [
  ':', ':', '/', '/', '*', '*', '$', '{', '}', '${', '${', '}', '-', '_', '.', '@', '+', '=', ',', '%', '"', "'", '<', '>', '\\', '?', '#',
  '0', '1', '2', '9', 'a', 'r', 'n', 's', 'Z', 'X',
  ' ', '\t', '\n', '\r', '\u00a0', '\u2028', '\u3000', '\ufeff', '\u200b',
  'é', 'ß', 'İ', 'ﬁ', '😀', '\ud800', '\udc00', '\0', '\u0301',
];
const TOKENS = [
  'arn:', 'aws', 'aws-cn', 'aws-us-gov', 'sts', 'iam', 's3', '::', ':', 'us-east-1', '123456789012', '12345678901', 'XXXXX',
  'assumed-role/', 'role/', 'user/', 'root', 'federated-user/', 'policy/', 'AWSReservedSSO_', 'service-role/',
  '/*', '*', '/', '${', '}', '${x}', '${a:b}', '${a/b}', '${AWS::AccountId}', '%s', '<account>',
];
const PARTITIONS = ['aws', 'aws', 'aws', 'aws-cn', 'aws-us-gov', 'aws-iso-b', '', '*', '${p}', 'AWS'];
const SERVICES = ['sts', 'sts', 'iam', 'iam', 's3', '', '*', '${svc}', 'STS'];
const REGIONS = ['', '', '', '', 'us-east-1', '*', '${region}', ' '];
const ACCOUNTS = ['123456789012', '123456789012', '000123456789', '12345678901', '1234567890123', 'XXXXX', '*', '${data.aws_caller_identity.current.account_id}', '%s', '', '12345678901*', '<account>'];
const TYPES = ['assumed-role', 'assumed-role', 'assumed-role', 'role', 'role', 'user', 'root', 'federated-user', 'policy', 'group', '', '*', 'assumed-role*'];
const NAMES = ['DatadogAgentRole', 'r', 'AWSReservedSSO_Admin_0123', 'my.role+x=y,z@w_q-1', 'x'.repeat(64), 'x'.repeat(65), '${var.role}', 'run-*', '*', '', 'bad name', 'bad/name', 'é', '${', 'a${b}c'];
const SESSIONS = ['*', '*', 'i-0123456789abcdef0', 'botocore-session-1700000000', 'jane@example.com', 's', 's'.repeat(64), 's'.repeat(65), '${session}', 'run-*', '*x', '', 'bad session'];

function arnishChar(rng: Rng): string {
  const r = rng.int(10);
  if (r === 0) return String.fromCharCode(rng.int(0x10000));
  if (r === 1) return String.fromCharCode(rng.between(0x20, 0x7e));
  return rng.pick(ALPHABET);
}

type Mutation = (text: string, rng: Rng) => string;

const splice = (text: string, at: number, remove: number, insert: string) => text.slice(0, at) + insert + text.slice(at + remove);

/** Splits on `sep`, mutates the list, joins. */
function onParts(text: string, sep: string, fn: (parts: string[]) => void): string {
  const parts = text.split(sep);
  fn(parts);
  return parts.join(sep);
}

/** The resource part (after the fifth `:`), mutated as `/`-separated segments. */
function onSegments(text: string, fn: (segs: string[]) => void): string {
  const fields = text.split(':');
  if (fields.length < 6) return onParts(text, '/', fn);
  const resource = fields.slice(5).join(':');
  return [...fields.slice(0, 5), onParts(resource, '/', fn)].join(':');
}

const MUTATIONS: Record<string, Mutation> = {
  insertChar: (t, rng) => splice(t, rng.int(t.length + 1), 0, arnishChar(rng)),
  deleteChar: (t, rng) => (t ? splice(t, rng.int(t.length), 1, '') : t),
  replaceChar: (t, rng) => (t ? splice(t, rng.int(t.length), 1, arnishChar(rng)) : arnishChar(rng)),
  manyChars(t, rng) {
    for (let n = rng.between(2, 8); n > 0; n--) t = MUTATIONS[rng.pick(['insertChar', 'deleteChar', 'replaceChar'])](t, rng);
    return t;
  },
  insertToken: (t, rng) => splice(t, rng.int(t.length + 1), 0, rng.pick(TOKENS)),
  replaceToken(t, rng) {
    const at = rng.int(t.length + 1);
    return splice(t, at, rng.between(1, 12), rng.pick(TOKENS));
  },
  deleteSpan: (t, rng) => splice(t, rng.int(t.length + 1), rng.between(1, 20), ''),
  truncate: (t, rng) => t.slice(0, rng.int(t.length + 1)),
  duplicateField: (t, rng) =>
    onParts(t, ':', (f) => {
      const i = rng.int(f.length);
      f.splice(i, 0, f[i]);
    }),
  removeField: (t, rng) => onParts(t, ':', (f) => void f.splice(rng.int(f.length), 1)),
  swapFields: (t, rng) =>
    onParts(t, ':', (f) => {
      const a = rng.int(f.length);
      const b = rng.int(f.length);
      [f[a], f[b]] = [f[b], f[a]];
    }),
  replaceField: (t, rng) =>
    onParts(t, ':', (f) => {
      const i = rng.int(Math.min(f.length, 6));
      f[i] = rng.pick([['arn', 'ARN', 'arn '], PARTITIONS, SERVICES, REGIONS, ACCOUNTS, [...TYPES.map((x) => `${x}/${rng.pick(NAMES)}/${rng.pick(SESSIONS)}`), 'root']][i]);
    }),
  duplicateSegment: (t, rng) =>
    onSegments(t, (s) => {
      const i = rng.int(s.length);
      s.splice(i, 0, s[i]);
    }),
  removeSegment: (t, rng) => onSegments(t, (s) => void (s.length > 1 && s.splice(rng.int(s.length), 1))),
  replaceSegment: (t, rng) => onSegments(t, (s) => void (s[rng.int(s.length)] = rng.pick([...NAMES, ...SESSIONS, ...TYPES]))),
  lastSegmentStar: (t, rng) => onSegments(t, (s) => void (s[s.length - 1] = rng.pick(['*', '*', `${s[s.length - 1]}*`, `*${s[s.length - 1]}`, '**']))),
  appendSegment: (t, rng) => `${t}/${rng.pick([...SESSIONS, ...NAMES])}`,
  whitespace(t, rng) {
    const ws = rng.pick([' ', '  ', '\t', '\n', '\r\n', '\u00a0', '\u3000', '\ufeff', '\u2028']);
    const where = rng.int(4);
    return where === 0 ? ws + t : where === 1 ? t + ws : where === 2 ? ws + t + ws : splice(t, rng.int(t.length + 1), 0, ws);
  },
  longRepeat(t, rng) {
    const unit = rng.pick(['/', ':', '*', 'a', '/a', 'x/', '${}', '::', '/*', 'é', '😀', t.slice(0, 20) || 'arn:']);
    const n = rng.chance(0.05) ? rng.between(10_000, 50_000) : rng.between(10, 2_000);
    return splice(t, rng.int(t.length + 1), 0, unit.repeat(n));
  },
  longName: (t, rng) => onSegments(t, (s) => void (s[rng.int(s.length)] = 'n'.repeat(rng.pick([63, 64, 65, 200, 5_000])))),
  deepTemplate(t, rng) {
    const depth = rng.chance(0.1) ? rng.between(1_000, 20_000) : rng.between(2, 50);
    const close = rng.pick([0, 0, depth, rng.int(depth + 1), depth + 1]);
    const inner = rng.pick(['', 'x', ':', '/', '*', 'a:b/c*']);
    return splice(t, rng.int(t.length + 1), 0, '${'.repeat(depth) + inner + '}'.repeat(close));
  },
  unterminated: (t, rng) => splice(t, rng.chance(0.5) ? t.length : rng.int(t.length + 1), 0, rng.pick(['${', '${x', '${a:b', '${/', '${*', '$', '{'])),
  strayClose: (t, rng) => splice(t, rng.int(t.length + 1), 0, rng.pick(['}', '}}', '{', '$}'])),
};
const MUTATION_NAMES = Object.keys(MUTATIONS);

/** An ARN from random parts: mostly plausible, often a little wrong. */
function generated(rng: Rng): string {
  const type = rng.pick(TYPES);
  const segs = type === 'root' ? ['root'] : [type];
  if (type !== 'root') {
    if ((type === 'role' || type === 'user') && rng.chance(0.3)) segs.push(rng.pick(['service-role', 'division_abc', 'aws-reserved/sso.amazonaws.com']));
    segs.push(rng.pick(NAMES));
    if (rng.chance(0.7)) segs.push(rng.pick(SESSIONS));
  }
  return `arn:${rng.pick(PARTITIONS)}:${rng.pick(SERVICES)}:${rng.pick(REGIONS)}:${rng.pick(ACCOUNTS)}:${segs.join('/')}`;
}

/** A random string over the ARN-ish alphabet and tokens. */
function randomString(rng: Rng): string {
  let out = rng.chance(0.5) ? 'arn:' : '';
  for (let n = rng.between(0, 40); n > 0; n--) out += rng.chance(0.3) ? rng.pick(TOKENS) : arnishChar(rng);
  return out;
}

// ---------------------------------------------------------------------------
// Checks.

const KINDS: readonly ArnKind[] = ['assumed-role', 'sso-assumed-role', 'iam-role', 'iam-user', 'root', 'federated-user', 'other'];
/** Codes whose fix must not give a pattern with the same mistake. */
const FIX_CODES = new Set(['arn/iam-role-arn', 'arn/region-not-empty', 'arn/partial-wildcard', 'arn/missing-session', 'arn/whitespace']);

function checkFindings(findings: readonly ArnFinding[], text: string, what: string): void {
  assert.ok(Array.isArray(findings), `${what}: not an array`);
  for (const f of findings) {
    const where = `${what}: ${f.code} [${f.start}, ${f.end})`;
    assert.ok(isKnownCode(f.code) && f.code.startsWith('arn/'), `unknown code ${where}`);
    assert.ok(f.severity === 'error' || f.severity === 'warning' || f.severity === 'info', `bad severity ${where}`);
    assert.ok(typeof f.message === 'string' && f.message.trim().length > 0, `empty message ${where}`);
    assert.ok(Number.isInteger(f.start) && Number.isInteger(f.end), `bad offsets ${where}`);
    // (The empty string has no character to underline: [0, 0) or [0, 1) are both fine.)
    if (text.length === 0) assert.ok(f.start === 0 && f.end <= 1, `bad offsets for the empty string ${where}`);
    else assert.ok(f.start >= 0 && f.start < f.end && f.end <= text.length, `offsets outside the string (length ${text.length}) ${where}`);
    if (f.fix !== undefined) {
      assert.equal(typeof f.fix.replacement, 'string', `fix replacement ${where}`);
      assert.ok(typeof f.fix.title === 'string' && f.fix.title.trim().length > 0, `fix title ${where}`);
    }
  }
}

/** What the checked fixes did: `code` → how many were checked, and `code → new code` for mistakes a fix brought in. */
const fixTally = new Map<string, number>();
const tally = (key: string) => fixTally.set(key, (fixTally.get(key) ?? 0) + 1);

/** Checks one string; returns its findings. */
function checkOne(text: string): ArnFinding[] {
  const p = parseArn(text);
  assert.equal(p.source, text);
  assert.ok(KINDS.includes(p.kind), `kind ${p.kind}`);
  if (p.isArn) {
    for (const part of [p.partition, p.service, p.region, p.account, p.resource, ...p.segments, ...p.path, p.roleName, p.session, p.userName]) {
      if (!part) continue;
      assert.ok(part.start >= 0 && part.start <= part.end && part.end <= text.length, `part ${JSON.stringify(part).slice(0, 200)} outside the string`);
      assert.ok(text.slice(part.start, part.end) === part.text, `part ${JSON.stringify(part).slice(0, 200)} does not spell the string`);
    }
  } else assert.equal(p.kind, 'other');

  const hover = describeArn(text);
  assert.ok(typeof hover === 'string' && hover.trim().length > 0, 'empty hover');
  if (!text.endsWith('/*')) assert.ok(matches(text, text), 'an exact pattern does not match itself');

  const findings = lintArnPattern(text);
  checkFindings(findings, text, 'lint');
  for (const f of findings) {
    if (!f.fix || !FIX_CODES.has(f.code)) continue;
    const after = lintArnPattern(f.fix.replacement);
    checkFindings(after, f.fix.replacement, `lint of the ${f.code} fix ${JSON.stringify(f.fix.replacement.slice(0, 300))}`);
    tally(f.code);
    for (const code of new Set(after.filter((g) => g.severity === 'error' && !findings.some((h) => h.code === g.code)).map((g) => g.code))) tally(`${f.code} → ${code}`);
    const again = after.find((g) => g.code === f.code);
    assert.ok(!again, `the ${f.code} fix gives ${JSON.stringify(f.fix.replacement.slice(0, 300))}, which gets ${f.code} again (${again?.severity}: ${again?.message})`);
  }
  return findings;
}

function checkPair(a: string, b: string): void {
  const ab = overlapWitness(a, b);
  const ba = overlapWitness(b, a);
  assert.equal(ab === undefined, ba === undefined, 'overlapWitness is not symmetric');
  assert.equal(overlaps(a, b), ab !== undefined);
  assert.equal(overlaps(b, a), overlaps(a, b), 'overlaps is not symmetric');
  if (ab !== undefined) assert.ok(matches(a, ab) && matches(b, ab), `witness ${JSON.stringify(ab.slice(0, 300))} not matched by both`);
  // A caller ARN (an exact pattern) that a pattern matches is an overlap of the two.
  if (!b.endsWith('/*') && matches(a, b)) assert.ok(overlaps(a, b), 'matches but does not overlap');
  if (!a.endsWith('/*') && matches(b, a)) assert.ok(overlaps(a, b), 'matches but does not overlap');
}

function checkBatch(patterns: readonly string[]): void {
  checkFindOverlaps(patterns, 'findOverlaps');
}

/** Near-duplicates of a case, so batches hold real overlaps. */
function relatives(text: string, rng: Rng): string[] {
  const slash = text.lastIndexOf('/');
  const out: string[] = [];
  if (rng.chance(0.3)) out.push(text);
  if (slash >= 0 && rng.chance(0.4)) out.push(text.slice(0, slash + 1) + '*');
  if (slash >= 0 && rng.chance(0.3)) out.push(text.slice(0, slash + 1) + rng.pick(['s1', 'session', '*', '']));
  if (text.endsWith('/*') && rng.chance(0.4)) out.push(text.slice(0, -1) + rng.pick(['i-1', 'session', 'a/b']));
  return out;
}

// ---------------------------------------------------------------------------

function hash(s: string): number {
  let h = 2166136261;
  for (let i = 0; i < s.length; i++) h = Math.imul(h ^ s.charCodeAt(i), 16777619);
  return h >>> 0;
}

interface Source {
  name: string;
  share: number;
  base: (rng: Rng) => string;
  /** Whether to mutate the base (1-4 mutations; one case in ten is left as it is). */
  mutate: boolean;
}

const sources: Source[] = [
  ...(corpus.length ? [{ name: `${corpus.length} corpus ARNs, mutated`, share: 0.55, base: (rng: Rng) => rng.pick(corpus), mutate: true }] : []),
  { name: `${BUILTIN_SEEDS.length} built-in seeds, mutated`, share: corpus.length ? 0.2 : 0.6, base: (rng) => rng.pick(BUILTIN_SEEDS), mutate: true },
  { name: 'ARNs generated from random parts, some mutated', share: 0.15, base: generated, mutate: true },
  { name: 'random strings', share: corpus.length ? 0.1 : 0.25, base: randomString, mutate: false },
];

interface Stats {
  cases: number;
  findings: number;
  fixes: number;
  overlapsFound: number;
  longest: number;
  slowest: { ms: number; length: number; where: string };
}

function failWith(where: string, mutations: string[], text: string, error: unknown): never {
  const message = error instanceof Error ? error.message : String(error);
  assert.fail(`${where} (DD_WIF_FUZZ_SEED=${SEED}; mutations ${mutations.join(', ') || 'none'}; length ${text.length}):\n${message}\ntext: ${JSON.stringify(text.length > 600 ? text.slice(0, 600) + '…' : text)}`);
}

async function runSource(source: Source, cases: number, stats: Stats, signal: AbortSignal): Promise<void> {
  const rng = new Rng(SEED ^ hash(source.name));
  let batch: string[] = [];
  let previous = BUILTIN_SEEDS[0];
  for (let n = 0; n < cases && !signal.aborted; n++) {
    // Now and then the event loop runs: the timeout's timer cannot fire while this loop holds the thread.
    if (n % 64 === 0) await new Promise<void>((r) => setImmediate(r));
    let text = source.base(rng);
    const mutations: string[] = [];
    if (source.mutate && (rng.chance(0.9) || n === 0)) {
      for (let k = rng.between(1, 4); k > 0; k--) {
        const name = rng.pick(MUTATION_NAMES);
        mutations.push(name);
        text = MUTATIONS[name](text, rng);
      }
    }
    const where = `case ${n} of ${source.name}`;
    const t = performance.now();
    let findings: ArnFinding[] | undefined;
    try {
      findings = checkOne(text);
      checkPair(text, previous);
      for (const r of relatives(text, rng)) checkPair(text, r);
    } catch (e) {
      failWith(where, mutations, text, e);
    }
    const ms = performance.now() - t;
    if (ms > stats.slowest.ms) stats.slowest = { ms, length: text.length, where };
    stats.cases++;
    stats.longest = Math.max(stats.longest, text.length);
    stats.findings += findings?.length ?? 0;
    stats.fixes += findings?.filter((f) => f.fix).length ?? 0;
    previous = text;

    if (text.length <= 2_000) batch.push(text, ...relatives(text, rng));
    if (batch.length >= BATCH || n === cases - 1) {
      try {
        checkBatch(batch);
      } catch (e) {
        failWith(`findOverlaps batch ending at ${where}`, [], JSON.stringify(batch), e);
      }
      stats.overlapsFound += findOverlaps(batch).length;
      batch = [];
    }
  }
}

test(`ARN fuzz: ${TOTAL_CASES} cases from ${corpus.length ? `${corpus.length} corpus ARNs and ` : `no corpus (absent: ${TSV}), only `}${BUILTIN_SEEDS.length} built-in seeds, generated ARNs and random strings`, async (t) => {
  const stats: Stats = { cases: 0, findings: 0, fixes: 0, overlapsFound: 0, longest: 0, slowest: { ms: 0, length: 0, where: '' } };
  const start = performance.now();
  let assigned = 0;
  for (const [i, source] of sources.entries()) {
    const cases = i === sources.length - 1 ? TOTAL_CASES - assigned : Math.round(TOTAL_CASES * source.share);
    assigned += cases;
    await t.test(`${source.name}: ${cases} cases`, { timeout: SOURCE_TIMEOUT_MS }, (st) => runSource(source, cases, stats, st.signal));
  }
  const total = performance.now() - start;
  const fixes = [...fixTally].filter(([k]) => !k.includes('→')).map(([k, n]) => `${k} ${n}`);
  const brought = [...fixTally].filter(([k]) => k.includes('→')).sort((a, b) => b[1] - a[1]).map(([k, n]) => `${k} ${n}`);
  t.diagnostic(`fixes checked: ${fixes.join(', ')}; new errors a fix brought in (not the same mistake, so allowed): ${brought.join(', ') || 'none'}`);
  assert.equal(stats.cases, TOTAL_CASES);
  t.diagnostic(
    `seed ${SEED}; ${stats.cases} cases in ${(total / 1000).toFixed(2)} s (${((total * 1000) / stats.cases).toFixed(1)} µs/case); ${stats.findings} findings, ${stats.fixes} fixes, ${stats.overlapsFound} overlaps in findOverlaps batches; longest string ${stats.longest}; slowest case ${stats.slowest.ms.toFixed(1)} ms (${stats.slowest.length} chars, ${stats.slowest.where}; printed, never asserted)`,
  );
});
