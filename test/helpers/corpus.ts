// Shared by the corpus, robustness and fuzz tests and the benchmark: where the
// shared corpus lives, a small seeded PRNG, realistic `delegated_auth`
// snippets, a generator of large Agent files, and a checker for the shape of
// findings (known code, range inside the text, message).

import * as fs from 'fs';
import * as path from 'path';
import * as assert from 'node:assert/strict';
import { isKnownCode } from '../../server/src/service/catalog';
import type { Finding, Position, Range } from '../../server/src/service';
import { TextIndex } from '../../server/src/service/common/textIndex';
import { SHARED_DIR } from './markers';

/** ../shared/corpus/agent, or undefined when the shared directory is absent (a fresh clone). */
export const AGENT_CORPUS_DIR: string | undefined = (() => {
  const dir = path.join(SHARED_DIR, 'corpus', 'agent');
  return fs.existsSync(path.join(dir, 'datadog.yaml.example')) ? dir : undefined;
})();

export const NO_CORPUS_MESSAGE = `the shared corpus is absent (${path.join(SHARED_DIR, 'corpus', 'agent')}); clone it beside this checkout to run this test`;

export interface CorpusFile {
  /** Relative to the corpus directory: `datadog.yaml.example`, `real/…`. */
  name: string;
  text: string;
}

/** Every Agent corpus file (datadog.yaml.example and real/*, not SOURCES.tsv); [] without the corpus. */
export function agentCorpusFiles(): CorpusFile[] {
  const dir = AGENT_CORPUS_DIR;
  if (!dir) return [];
  const names = ['datadog.yaml.example'];
  const real = path.join(dir, 'real');
  if (fs.existsSync(real)) {
    for (const f of fs.readdirSync(real).sort()) if (f !== 'SOURCES.tsv' && fs.statSync(path.join(real, f)).isFile()) names.push(`real/${f}`);
  }
  return names.map((name) => ({ name, text: fs.readFileSync(path.join(dir, name), 'utf8') }));
}

// ---------------------------------------------------------------------------
// A seeded PRNG (mulberry32): the same seed gives the same cases everywhere.

export class Rng {
  private state: number;

  constructor(readonly seed: number) {
    this.state = seed >>> 0;
  }

  /** A float in [0, 1). */
  next(): number {
    let t = (this.state = (this.state + 0x6d2b79f5) >>> 0);
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  }

  /** An integer in [0, n). */
  int(n: number): number {
    return Math.floor(this.next() * n);
  }

  /** An integer in [lo, hi]. */
  between(lo: number, hi: number): number {
    return lo + this.int(hi - lo + 1);
  }

  chance(p: number): boolean {
    return this.next() < p;
  }

  pick<T>(items: readonly T[]): T {
    return items[this.int(items.length)];
  }
}

// ---------------------------------------------------------------------------
// delegated_auth snippets, written at column 0 (indent them to nest them).

export const ORG_UUID = '3c7b2a10-4d5e-4f60-8a9b-0c1d2e3f4a5b';
export const API_KEY = '0123456789abcdef0123456789abcdef';

/** Correct sections: no diagnostics when an API key is beside them. */
export const GOOD_GLOBAL_SECTION = ['delegated_auth:', `  org_uuid: ${ORG_UUID}`, '  provider: aws', '  aws:', '    region: us-east-1', '  refresh_interval_mins: 60'];
export const GOOD_PRODUCT_SECTION = ['delegated_auth:', `  org_uuid: ${ORG_UUID}`];

/** Snippets the fuzzer inserts anywhere, at any indentation: right, wrong, odd. */
export const DELEGATED_AUTH_SNIPPETS: readonly string[] = [
  GOOD_GLOBAL_SECTION.join('\n'),
  GOOD_PRODUCT_SECTION.join('\n'),
  `delegated_auth:\n  org_uuid: not-a-uuid\n  provider: gcp\n  aws:\n    region: us-esat-1\n  refresh_interval_mins: ten`,
  `delegated_auth:\n  enabled: true\n  aws_region: eu-west-1\n  refresh_interval: 3600`,
  `delegated_auth:\n  org_uuid: ${API_KEY}`,
  `delegated_auth:\n  org_uuid: \${DD_ORG_UUID}\n  region: us-east-1`,
  `delegated_auth: {org_uuid: ${ORG_UUID}, aws: {region: eu-central-1}}`,
  `delegated_auth:\n  - org_uuid: ${ORG_UUID}`,
  `delegated_auth: yes`,
  `delegated_auth:`,
  `delegated_auth: &da\n  org_uuid: ${ORG_UUID}\nlogs_config:\n  delegated_auth: *da`,
  `base: &base\n  org_uuid: ${ORG_UUID}\ndelegated_auth:\n  <<: *base\n  provider: aws`,
  `apm_config:\n  delegated_auth:\n    org_uuid: ${ORG_UUID}`,
  `logs_config:\n  api_key: ${API_KEY}\n  delegated_auth:\n    org_uuid: ${ORG_UUID}\n    provider: aws\n    aws:\n      region: us-east-1`,
  `site: ddog-gov.com`,
  `site: datadoghq.eu`,
  `site: \${DD_SITE}`,
  `additional_endpoints:\n  "https://app.datadoghq.com":\n    - DELA(${ORG_UUID}, aws, region=us-east-1)\n    - DELA(nope, gcp, zone=1)`,
  `logs_config:\n  additional_endpoints:\n    - api_key: DELA(${ORG_UUID}, aws)`,
  `delegated_auth:\n  org_uuid: ${ORG_UUID}\n  org_uuid: ${ORG_UUID}\n  aws: [us-east-1]`,
  `  # datadog-wif-ignore\ndelegated_auth:\n  org_uuid: x`,
  `delegated_auth:\n  org_uuid: "${ORG_UUID}"\n  aws:\n    region: 'us-gov-west-1'\n    regoin: x`,
  `delegated_auth:\n  org_uuid: |\n    ${ORG_UUID}\n  refresh_interval_mins: -5`,
];

// ---------------------------------------------------------------------------
// A large, realistic Agent file for the benchmark.

/**
 * About `lines` lines of Agent configuration: commented-out documentation (as
 * in datadog.yaml.example), nested product sections, lists, and several
 * `delegated_auth` sections (global, logs_config, remote_configuration, one
 * misplaced under apm_config, one with mistakes under evp_proxy_config).
 */
export function generateAgentConfig(lines: number, seed = 1): string {
  const rng = new Rng(seed);
  const out: string[] = [
    '## Generated Datadog Agent configuration',
    `api_key: ${API_KEY}`,
    'site: datadoghq.eu',
    ...GOOD_GLOBAL_SECTION,
    'logs_enabled: true',
    'logs_config:',
    `  api_key: ${API_KEY}`,
    ...GOOD_PRODUCT_SECTION.map((l) => `  ${l}`),
    '  container_collect_all: true',
    '  processing_rules:',
    ...Array.from({ length: 40 }, (_, i) => [`    - type: exclude_at_match`, `      name: rule_${i}`, `      pattern: "^DEBUG .*${i}"`]).flat(),
    'remote_configuration:',
    '  enabled: true',
    ...GOOD_PRODUCT_SECTION.map((l) => `  ${l}`),
    'apm_config:',
    '  enabled: true',
    '  delegated_auth:',
    `    org_uuid: ${ORG_UUID}`,
    'evp_proxy_config:',
    '  delegated_auth:',
    '    org_uuid: not-a-uuid',
    '    provider: aws',
    'ol_proxy_config:',
    `  api_key: ${API_KEY}`,
    ...GOOD_PRODUCT_SECTION.map((l) => `  ${l}`),
  ];
  let section = 0;
  while (out.length < lines) {
    const kind = rng.int(4);
    if (kind === 0) {
      // Documentation block, commented out.
      out.push('', `## @param custom_param_${section} - string - optional - default: none`, `## @env DD_CUSTOM_PARAM_${section} - string - optional`, '## A parameter documented at length, as datadog.yaml.example does it.', '#', `# custom_param_${section}: value`, '');
    } else if (kind === 1) {
      // A nested product section.
      out.push(`product_${section}_config:`, '  enabled: true', `  endpoint: "https://intake-${section}.example.com:443"`, '  batch:', `    max_size: ${rng.between(1, 10000)}`, '    timeout: 5s', '  tags:');
      for (let i = 0, n = rng.between(2, 8); i < n; i++) out.push(`    - team:t${rng.int(100)}`);
    } else if (kind === 2) {
      // A list of integration-like entries.
      out.push(`listeners_${section}:`);
      for (let i = 0, n = rng.between(1, 5); i < n; i++) out.push(`  - name: listener_${i}`, `    polling: ${rng.chance(0.5)}`, `    interval: ${rng.between(1, 60)}`);
    } else {
      out.push(`flag_${section}: ${rng.pick(['true', 'false', '42', '"quoted"', "'single'", 'plain text value', '~'])}  # trailing comment`);
    }
    section++;
  }
  return out.join('\n') + '\n';
}

// ---------------------------------------------------------------------------
// Checks on findings.

function inside(index: TextIndex, p: Position): boolean {
  if (!Number.isInteger(p.line) || !Number.isInteger(p.character) || p.line < 0 || p.character < 0) return false;
  if (p.line >= index.lineCount) return false;
  return p.character <= index.lineEnd(p.line) - index.lineStart(p.line);
}

function ordered(r: Range): boolean {
  return r.start.line < r.end.line || (r.start.line === r.end.line && r.start.character <= r.end.character);
}

/** Every finding has a known code, a severity, a non-empty message and a valid range inside the text. */
export function assertWellFormed(findings: readonly Finding[], text: string, label = ''): void {
  const index = new TextIndex(text);
  for (const f of findings) {
    const what = `${label} ${f.code} ${JSON.stringify(f.range)}`;
    assert.ok(isKnownCode(f.code), `unknown code ${what}`);
    assert.ok(['error', 'warning', 'info'].includes(f.severity), `bad severity ${f.severity} ${what}`);
    assert.ok(typeof f.message === 'string' && f.message.trim().length > 0, `empty message ${what}`);
    assert.ok(inside(index, f.range.start) && inside(index, f.range.end) && ordered(f.range), `range outside the text ${what}`);
    for (const fix of f.data?.fixes ?? []) {
      assert.ok(fix.title.trim().length > 0, `untitled fix ${what}`);
      for (const e of fix.edits) assert.ok(inside(index, e.range.start) && inside(index, e.range.end) && ordered(e.range), `fix edit outside the text ${what}: ${JSON.stringify(e.range)}`);
    }
  }
}

/** `[code, 1-based line]` of each finding, for compact expectations. */
export function codesAndLines(findings: readonly Finding[]): [string, number][] {
  return findings.map((f) => [f.code, f.range.start.line + 1]);
}

/** A fuzzer's change to a text. */
export type Mutation = (text: string, rng: Rng) => string;

/** A random character: any byte, printable ASCII, or one of the format's own specials (half the time). */
export function randomCharFrom(specials: readonly string[]): (rng: Rng) => string {
  return (rng) => {
    const r = rng.int(4);
    if (r === 0) return String.fromCharCode(rng.int(256));
    if (r === 1) return String.fromCharCode(rng.between(0x20, 0x7e));
    return rng.pick(specials);
  };
}

/** The format-blind mutations every fuzzer shares; `randomChar` brings the format's alphabet. */
export function textMutations(randomChar: (rng: Rng) => string): Record<string, Mutation> {
  const lines = (text: string) => text.split('\n');
  return {
    flipChars(text, rng) {
      if (!text) return randomChar(rng);
      let out = text;
      for (let n = rng.between(1, 8); n > 0; n--) {
        const at = rng.int(out.length);
        out = out.slice(0, at) + randomChar(rng) + out.slice(at + 1);
      }
      return out;
    },
    insertChars(text, rng) {
      const at = rng.int(text.length + 1);
      let ins = '';
      for (let n = rng.between(1, 6); n > 0; n--) ins += randomChar(rng);
      return text.slice(0, at) + ins + text.slice(at);
    },
    deleteSpan(text, rng) {
      const at = rng.int(text.length + 1);
      return text.slice(0, at) + text.slice(at + rng.between(1, 40));
    },
    deleteLines(text, rng) {
      const ls = lines(text);
      ls.splice(rng.int(ls.length), rng.between(1, 3));
      return ls.join('\n');
    },
    duplicateLines(text, rng) {
      const ls = lines(text);
      const at = rng.int(ls.length);
      ls.splice(at, 0, ...ls.slice(at, at + rng.between(1, 4)));
      return ls.join('\n');
    },
    swapLines(text, rng) {
      const ls = lines(text);
      const a = rng.int(ls.length);
      const b = rng.int(ls.length);
      [ls[a], ls[b]] = [ls[b], ls[a]];
      return ls.join('\n');
    },
  };
}

// ---------------------------------------------------------------------------
// Inputs the input guard refuses before any parser sees them
// (server/src/service/common/inputGuard.ts), for the fuzzers of both formats.

export interface RefusedInput {
  what: string;
  reason: 'binary' | 'too-large';
  text: string;
}

/**
 * Variants of `text` (a real file of the format) that must be refused:
 * random bytes read as UTF-8 (as the CLI reads a file), the text saved as
 * UTF-16, NULs; the text repeated past the size limit, and multi-byte
 * characters that fit the limit counted in characters but not in UTF-8 bytes.
 */
export function refusedInputs(text: string, rng: Rng, maxBytes: number): RefusedInput[] {
  const unit = text || '#\n';
  const bytes = Buffer.alloc(rng.between(512, 20_000));
  for (let i = 0; i < bytes.length; i++) bytes[i] = rng.chance(0.05) ? 0 : rng.int(256);
  const utf16 = Buffer.from(unit, 'utf16le').toString('utf8');
  const repeated = unit.repeat(Math.ceil((maxBytes + 1) / unit.length));
  const wide = '# ' + 'é'.repeat(Math.floor(maxBytes / 2) + rng.between(1, 1000));
  return [
    { what: 'random bytes as UTF-8', reason: 'binary', text: bytes.toString('utf8') },
    { what: 'saved as UTF-16', reason: 'binary', text: utf16 },
    { what: 'NULs', reason: 'binary', text: '\0'.repeat(rng.between(4_000, 8_000)) + text },
    { what: 'repeated past the limit', reason: 'too-large', text: repeated },
    { what: `${wide.length} characters, ${2 * wide.length - 2} bytes`, reason: 'too-large', text: wide },
  ];
}
