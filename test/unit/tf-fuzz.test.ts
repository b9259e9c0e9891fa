// Fuzzing the Terraform side: corpus .tf and lock files (and, always, built-in
// seeds, which are all there is when ../shared is absent) mutated with a
// seeded PRNG: character edits, line deletion/duplication/swaps, truncation,
// line ends, injected provider blocks with cloud-auth attributes (right,
// wrong, expressions, heredocs), mapping resources, required_providers
// constraints, suppression comments, and unbalanced braces, quotes,
// interpolations, heredocs and block comments. Some cases are judged with a
// folder (a mutated second .tf file and a mutated lock file).
// For every case: lint never throws, its work of reading trees is linear
// (node calls counted, never timed, within a bound per character; the tests'
// own timeouts are the hang guard), every finding has a known code, a message
// and a range inside the text; quick fixes stay inside the text and their
// result lints too.
// A second test edits one document step by step, as an editor does (each lint
// re-parses incrementally from the previous tree), and checks the findings
// equal those of a fresh parse whenever the previous tree was free of syntax
// errors (from a broken tree tree-sitter may recover differently: counted,
// bounded, and pinned by a todo test with two minimised cases).
//
// A third test lints hostile shapes (a block left open, repeated; blocks,
// objects, lists, parentheses, signs and interpolations nested deep; long
// unclosed strings and heredocs; quoted names, exponents, arn_pattern keys by
// the hundred) and random texts made of their pieces, and checks the work is
// linear: calls into tree-sitter's nodes are counted (never timed) at n and
// 4n, and per character for 4 and 32 copies of a random text.
//
// A last test gives binary and oversize variants of the seeds, which are
// refused with one finding before any parse.
//
// One LanguageService for the file; every document is forgotten after its
// case, so no tree-sitter tree (wasm memory) is leaked.
//
//   DD_WIF_FUZZ_CASES=20000 node --test out/test/unit/tf-fuzz.test.js
//   DD_WIF_TF_FUZZ_CASES=…      the same, for this file only
//   DD_WIF_FUZZ_SEED=7 …        another sequence of cases

import { before, test } from 'node:test';
import * as assert from 'node:assert/strict';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { LanguageService, type Finding, type SourceDocument } from '../../server/src/service';
import { loadHclLanguage } from '../../server/src/shared/treeSitter';
import { parseHcl, syntaxProblems, type HclRuntime, type HclTree } from '../../server/src/service/terraform/hcl';
import { extractTerraformModel } from '../../server/src/service/terraform/model';
import { Rng, assertWellFormed, randomCharFrom, refusedInputs, textMutations, type Mutation } from '../helpers/corpus';
import { applyEdits } from '../helpers/markers';
import { ORG_UUID, countNodeCalls, countingRuntime, generateTerraform, readTfCorpus, tfCorpusNames } from '../helpers/terraform';
import { MAX_INPUT_BYTES } from '../../server/src/service/common/inputGuard';

const TOTAL_CASES = Number(process.env.DD_WIF_TF_FUZZ_CASES ?? process.env.DD_WIF_FUZZ_CASES ?? 3000);
const SEED = Number(process.env.DD_WIF_FUZZ_SEED ?? 1);
/** Steps of the incremental-editing test. */
const EDIT_STEPS = Math.max(200, Math.round(TOTAL_CASES / 6));
/** Random hostile texts of the third test. */
const HOSTILE_CASES = Math.max(8, Math.round(TOTAL_CASES / 250));
/** The bound on node calls per character of a random hostile text (linear recovery makes a few). */
const CALLS_PER_CHAR = 40;
/** Hang guard of each fuzz test (a node:test timeout, which fails the test): generous, never a measure of speed. */
const FUZZ_TIMEOUT_MS = 600_000;

interface Seed {
  name: string;
  text: string;
  lock: boolean;
}

const BUILTIN_SEEDS: Seed[] = [
  {
    name: 'builtin/cloud-auth',
    lock: false,
    text: [
      'terraform {',
      '  required_providers {',
      '    datadog = {',
      '      source  = "DataDog/datadog"',
      '      version = "~> 3.7"',
      '    }',
      '  }',
      '}',
      '',
      '# Cloud auth',
      'provider "datadog" {',
      '  cloud_provider_type   = "aws"',
      '  cloud_provider_region = "us-east-1"',
      `  org_uuid              = "${ORG_UUID}"`,
      '  aws_access_key_id     = var.aws_access_key_id // from CI',
      '  aws_secret_access_key = var.aws_secret_access_key',
      '}',
      '',
      'provider "datadog" {',
      '  alias   = "keys"',
      '  api_key = "${var.datadog_api_key}"',
      '  app_key = var.datadog_app_key',
      '  api_url = "https://api.datadoghq.eu/"',
      '}',
      '',
      'resource "datadog_aws_wif_intake_mapping" "agent" {',
      '  arn_pattern = "arn:aws:sts::${data.aws_caller_identity.current.account_id}:assumed-role/DatadogAgentRole/*"',
      '}',
      '',
      'resource "datadog_aws_wif_identity_mapping" "ci" {',
      '  account_identifier = "ci@example.com"',
      '  arn_pattern        = "arn:aws:sts::123456789012:assumed-role/ci/*"',
      '}',
      '',
      'resource "datadog_monitor" "m" {',
      '  name    = "CPU – élevé 🚀"',
      '  message = <<-EOT',
      '    {{#is_alert}}High CPU on ${var.env}{{/is_alert}}',
      '    %{ if var.page }@pagerduty%{ endif }',
      '  EOT',
      '  query   = "avg(last_5m):avg:system.cpu.user{*} > 90"',
      '}',
      '',
    ].join('\n'),
  },
  {
    name: 'builtin/mistakes',
    lock: false,
    text: [
      'provider "datadog" {',
      '\tcloud_provider_type = "gcp"',
      '\tcloud_provider_region = "us-esat-1"',
      '\torg_uuid = "0123456789abcdef0123456789abcdef"',
      '\tapi_key = "x"',
      '\taws_access_key_id = "AKIAIOSFODNN7EXAMPLE"',
      '\tapi_url = "https://api.example.com"',
      '}',
      'provider "datadog" { cloud_provider_type = "aws" }',
      'resource "datadog_aws_wif_persona_mapping" "p" {',
      '  account_identifier = "bad id!"',
      '  arn_pattern = "arn:aws:iam::123456789012:role/path/deploy"',
      '}',
      'resource "datadog_aws_wif_identity_mapping" "q" {',
      '  account_identifier = "x@y.z"',
      '  arn_pattern = "arn:aws:sts::123456789012:assumed-role/path/deploy/ci"',
      '}',
      '',
    ].join('\r\n'),
  },
  {
    name: 'builtin/lock',
    lock: true,
    text: [
      '# This file is maintained automatically by "terraform init".',
      '',
      'provider "registry.terraform.io/datadog/datadog" {',
      '  version     = "3.20.0"',
      '  constraints = "~> 3.20.0"',
      '  hashes = [',
      '    "h1:HlIJtH721CvQhEPq+nNr1N3xp1svKE3VoGx4JrrHVH4=",',
      '    "zh:0aef3cde50069a8c7be987240d375a8ae11470965f7a0c5cfb1beb523e4a941c",',
      '  ]',
      '}',
      '',
    ].join('\n'),
  },
  { name: 'builtin/generated', lock: false, text: generateTerraform(300, 3) },
  { name: 'builtin/empty', lock: false, text: '' },
  { name: 'builtin/comments', lock: false, text: '/* provider "datadog" {\n  cloud_provider_type = "gcp"\n*/\n# provider "datadog" {}\n// }\n' },
];

const SEEDS: Seed[] = [...BUILTIN_SEEDS, ...tfCorpusNames().map((name) => ({ name: `corpus/${name}`, text: readTfCorpus(name), lock: name.endsWith('.lock.hcl') }))];

// ---------------------------------------------------------------------------
// Mutations.

const SPECIALS = ['{', '}', '[', ']', '(', ')', '"', "'", '=', '$', '${', '%{', '}', '<<', '<<-', 'EOT', '#', '//', '/*', '*/', '\\', ',', '.', ':', '?', '*', '\n', '\r', '\t', ' ', '\0', '\uFEFF', '\uD800', '\uDC00', '😀', 'é', '\u2028'];

const randomChar = randomCharFrom(SPECIALS);

/** Values an attribute may be given: right, wrong, expressions, templates, heredocs, broken. */
const VALUES: Record<string, string[]> = {
  cloud_provider_type: ['"aws"', '"gcp"', '""', '"AWS"', 'var.cloud', '<<EOT\naws\nEOT', '"${var.c}"', '"aws', 'aws'],
  org_uuid: [`"${ORG_UUID}"`, '"not-a-uuid"', '"0123456789abcdef0123456789abcdef"', 'var.org', '"${var.org}"', '<<-EOT\n  x\n  EOT', ''],
  cloud_provider_region: ['"us-east-1"', '"us-esat-1"', '"useast1"', '"cn-north-1"', '""', 'var.region'],
  aws_access_key_id: ['"AKIAIOSFODNN7EXAMPLE"', 'var.id', '<<EOT\nAKIA\nEOT', 'file("k")', '"${var.k}"'],
  aws_secret_access_key: ['"wJalrXUtnFEMI/K7MDENG"', 'var.secret', 'local.s'],
  aws_session_token: ['"tok"', 'var.t'],
  api_key: ['"k"', 'var.k'],
  app_key: ['"k"', 'var.a'],
  api_url: ['"https://api.datadoghq.eu/"', '"https://api.example.com"', '"not a url"', 'var.u', '"https://api.${var.site}/"'],
  validate: ['false', '"false"', 'true', 'var.v'],
  alias: ['"eu"', '"wif"', 'var.a'],
};

function providerBlock(rng: Rng): string {
  const names = Object.keys(VALUES).filter(() => rng.chance(0.5));
  if (!names.includes('cloud_provider_type') && rng.chance(0.7)) names.unshift('cloud_provider_type');
  const indent = rng.pick(['  ', '    ', '\t', '']);
  const label = rng.pick(['"datadog"', '"datadog"', '"datadog"', 'datadog', '"dd"']);
  if (rng.chance(0.1)) return `provider ${label} { cloud_provider_type = ${rng.pick(VALUES.cloud_provider_type)} }`;
  return [`provider ${label} {`, ...names.map((n) => `${indent}${n} = ${rng.pick(VALUES[n])}${rng.chance(0.2) ? rng.pick([' # c', ' // datadog-wif-ignore', ' /* c */']) : ''}`), '}'].join('\n');
}

const PATTERNS = [
  '"arn:aws:sts::123456789012:assumed-role/ci/*"',
  '"arn:aws:sts::${data.aws_caller_identity.current.account_id}:assumed-role/x/*"',
  '"arn:aws:sts::${var.a}x:assumed-role/run-*"',
  '"arn:aws:iam::123456789012:role/path/deploy"',
  '"arn:aws-cn:sts:us-east-1:1:assumed-role/x"',
  '" arn:aws:sts::123456789012:assumed-role/my role/*"',
  '"arn:aws:sts::123456789012:assumed-role/%{ if var.x }a%{ endif }/*"',
  '"arn:aws:sts::${var.a:assumed-role/x/*"',
  '"\\u0041rn:aws:sts::12345:assumed-role/x/*"',
  'var.pattern',
  '<<EOT\narn:aws:sts::123456789012:assumed-role/x/*\nEOT',
  '"*"',
  '""',
];

function mappingBlock(rng: Rng): string {
  const type = rng.pick(['datadog_aws_wif_intake_mapping', 'datadog_aws_wif_identity_mapping', 'datadog_aws_wif_persona_mapping']);
  const account = type.includes('intake') ? '' : `  account_identifier = ${rng.pick(['"a@b.co"', '"bad id!"', `"${ORG_UUID}"`, 'var.user', '""'])}\n`;
  return `resource "${type}" "m${rng.int(5)}" {\n${account}  arn_pattern = ${rng.pick(PATTERNS)}\n}`;
}

function requiredProviders(rng: Rng): string {
  const version = rng.pick(['"~> 3.7"', '"~> 3.69.0"', '">= 3.70.0"', '"3.18.0"', '"~> 3"', '">= 3.70 < 4"', '""', 'var.v', '"= 3.70.0-beta1"', '"~>"']);
  const source = rng.pick(['"DataDog/datadog"', '"datadog/datadog"', '"REGISTRY.TERRAFORM.IO/DATADOG/DATADOG"', '"hashicorp/aws"', 'var.s']);
  return rng.chance(0.2)
    ? `terraform {\n  required_providers {\n    datadog = ${version}\n  }\n}`
    : `terraform {\n  required_providers {\n    ${rng.pick(['datadog', 'dd', 'aws'])} = {\n      source  = ${source}\n      version = ${version}\n    }\n  }\n}`;
}

function lockBlock(rng: Rng): string {
  const address = rng.pick(['registry.terraform.io/datadog/datadog', 'registry.terraform.io/DataDog/Datadog', 'registry.opentofu.org/datadog/datadog', 'registry.terraform.io/hashicorp/aws']);
  const version = rng.pick(['"3.20.0"', '"3.70.0"', '"4.15.0"', '"3.70.0-beta1"', '"x"', 'var.v', '']);
  return `provider "${address}" {\n  version = ${version}\n  constraints = "~> 3.0"\n  hashes = [\n    "h1:abc=",\n  ]\n}`;
}

const UNBALANCED = ['{', '}', '"', '${', '%{', '<<EOT', '<<-EOT\n  body', 'EOT', '/*', '*/', '[', ']', '(', ')', '"${', '"%{ if', '\\', '= ', 'x = "unterminated', 'a = <<EOT\n${x}\n'];


const lines = (text: string) => text.split('\n');

function insertLines(text: string, rng: Rng, block: string): string {
  const ls = lines(text);
  ls.splice(rng.int(ls.length + 1), 0, ...block.split('\n'));
  return ls.join('\n');
}

const MUTATIONS: Record<string, Mutation> = {
  ...textMutations(randomChar),
  truncate(text, rng) {
    return text.slice(0, rng.int(text.length + 1));
  },
  lineEnds(text, rng) {
    return text.replace(/\r?\n/g, rng.pick(['\r\n', '\r', '\n', '\n\n']));
  },
  injectProvider(text, rng) {
    return insertLines(text, rng, providerBlock(rng));
  },
  appendProvider(text, rng) {
    return `${text}${text.endsWith('\n') || !text ? '' : '\n'}${providerBlock(rng)}\n`;
  },
  injectMapping(text, rng) {
    return insertLines(text, rng, mappingBlock(rng));
  },
  injectRequiredProviders(text, rng) {
    return insertLines(text, rng, requiredProviders(rng));
  },
  injectLockBlock(text, rng) {
    return insertLines(text, rng, lockBlock(rng));
  },
  unbalance(text, rng) {
    const at = rng.int(text.length + 1);
    return text.slice(0, at) + rng.pick(UNBALANCED) + text.slice(at);
  },
  dropDelimiter(text, rng) {
    const spots = [...text.matchAll(/[{}"[\]]|EOT|\$\{/g)].map((m) => m.index!);
    if (!spots.length) return text;
    const at = rng.pick(spots);
    return text.slice(0, at) + text.slice(at + (text.startsWith('EOT', at) ? 3 : text.startsWith('${', at) ? 2 : 1));
  },
  suppress(text, rng) {
    const ls = lines(text);
    const at = rng.int(ls.length);
    const comment = `${rng.pick(['#', '//'])} datadog-wif-ignore${rng.pick(['', ' tf/org-uuid-missing', ' tf/*, arn/invalid-account', ' nope/x'])}`;
    if (rng.chance(0.5)) ls.splice(at, 0, comment);
    else ls[at] = `${ls[at]} ${comment}`;
    return ls.join('\n');
  },
  bom(text) {
    return '\uFEFF' + text;
  },
};

const MUTATION_NAMES = Object.keys(MUTATIONS);

function mutate(text: string, rng: Rng, applied: string[], count = rng.between(1, 4)): string {
  let out = text;
  for (let k = count; k > 0; k--) {
    const name = rng.pick(MUTATION_NAMES);
    applied.push(name);
    out = MUTATIONS[name](out, rng);
  }
  return out;
}

// ---------------------------------------------------------------------------

let service: LanguageService;
let runtime: HclRuntime;
before(async () => {
  runtime = await loadHclLanguage();
  service = new LanguageService();
  service.setHclRuntime(runtime);
});

function hash(s: string): number {
  let h = 2166136261;
  for (let i = 0; i < s.length; i++) h = Math.imul(h ^ s.charCodeAt(i), 16777619);
  return h >>> 0;
}

interface CaseRecord {
  label: string;
  n: number;
  mutations: string[];
  docs: SourceDocument[];
}

function failWith(record: CaseRecord, error: unknown): never {
  const dir = path.join(os.tmpdir(), `dd-wif-tf-fuzz-${hash(record.label)}-${record.n}`);
  try {
    fs.mkdirSync(dir, { recursive: true });
    for (const d of record.docs) fs.writeFileSync(path.join(dir, path.basename(d.path)), d.text);
  } catch {
    // best effort
  }
  const message = error instanceof Error ? error.stack ?? error.message : String(error);
  assert.fail(`fuzz case ${record.n} of ${record.label} (DD_WIF_FUZZ_SEED=${SEED}; mutations ${record.mutations.join(', ')}; files saved to ${dir}):\n${message}\ntext: ${JSON.stringify(record.docs[0].text.slice(0, 600))}`);
}

/**
 * The file parses without error (suppression comments may hide a syntax
 * error from lint, not from this) and no block of the model has an attribute
 * twice (Terraform refuses that, the grammar does not; the rules read the
 * last one, so removing it brings the first one to light).
 */
function isClean(text: string): boolean {
  const tree = parseHcl(runtime, text);
  try {
    if (syntaxProblems(tree).length) return false;
    const model = extractTerraformModel(tree);
    const blocks = [...model.providers, ...model.mappings, ...model.requiredProviders];
    return blocks.every((b) => new Set(b.attributes.map((a) => a.name)).size === b.attributes.length);
  } finally {
    tree.delete();
  }
}

function parsesCleanly(text: string): boolean {
  const tree = parseHcl(runtime, text);
  try {
    return syntaxProblems(tree).length === 0;
  } finally {
    tree.delete();
  }
}

/** Lints and checks the findings' shape; the time is for the diagnostics (printed, never asserted). */
function checkedLint(doc: SourceDocument, folder: readonly SourceDocument[], by = service): { findings: Finding[]; ms: number } {
  const t = performance.now();
  const findings = by.lint(doc, folder);
  const ms = performance.now() - t;
  assertWellFormed(findings, doc.text);
  return { findings, ms };
}

/** The most node calls a character a fuzz lint made, for the diagnostics. */
let mostCallsPerChar = 0;

/**
 * checkedLint, and its work of reading trees (node calls: counted, not timed)
 * within CALLS_PER_CHAR a character of the document and its folder, as for
 * the random hostile texts below: a case that made the lint superlinear fails
 * here, however fast the machine ran it.
 */
function countedLint(doc: SourceDocument, folder: readonly SourceDocument[], by = service): { findings: Finding[]; ms: number } {
  const { result, calls } = countNodeCalls(runtime, () => checkedLint(doc, folder, by));
  const chars = doc.text.length + folder.reduce((n, d) => n + d.text.length, 0);
  mostCallsPerChar = Math.max(mostCallsPerChar, calls / Math.max(1, chars));
  assert.ok(calls <= CALLS_PER_CHAR * chars + 10_000, `${calls} node calls for ${chars} characters (the document and its folder)`);
  return result;
}

/** Lets the event loop run, so that a test's timeout can fire (its timer cannot while a loop holds the thread). */
const yieldToTimers = () => new Promise<void>((r) => setImmediate(r));

function forgetAll(docs: readonly SourceDocument[]): void {
  for (const d of docs) service.forget(d.path);
}

/** The service's cache (white box): empty once every case has forgotten its documents. */
const cacheSize = () => (service as unknown as { cache: Map<string, unknown> }).cache.size;

test(`fuzz: ${TOTAL_CASES} mutated Terraform files and folders lint without a throw, with linear work and well-formed findings (seed ${SEED})`, { timeout: FUZZ_TIMEOUT_MS }, async (t) => {
  const rng = new Rng(SEED);
  const durations: number[] = [];
  const codes = new Map<string, number>();
  let findingsTotal = 0;
  let fixesApplied = 0;
  let fixesVerified = 0;
  let withFolder = 0;
  const rssBefore = process.memoryUsage().rss;
  const started = performance.now();
  for (let n = 0; n < TOTAL_CASES && !t.signal.aborted; n++) {
    await yieldToTimers();
    const seed = SEEDS[n % SEEDS.length];
    const mutations: string[] = [];
    const dir = `/fuzz/${n}`;
    const main: SourceDocument = { path: `${dir}/${seed.lock ? '.terraform.lock.hcl' : 'main.tf'}`, text: mutate(seed.text, rng, mutations) };
    const folder: SourceDocument[] = [];
    if (rng.chance(0.3)) {
      withFolder++;
      // A second .tf file (a mutated seed or a provider block) and, sometimes, a lock file.
      const other = rng.pick(SEEDS.filter((s) => !s.lock));
      folder.push({ path: `${dir}/other.tf`, text: rng.chance(0.5) ? providerBlock(rng) : mutate(other.text, rng, mutations, rng.between(0, 2)) });
      if (!seed.lock && rng.chance(0.6)) folder.push({ path: `${dir}/.terraform.lock.hcl`, text: mutate(BUILTIN_SEEDS[2].text, rng, mutations, rng.between(0, 2)) });
    }
    const record: CaseRecord = { label: seed.name, n, mutations, docs: [main, ...folder] };
    try {
      const { findings, ms } = countedLint(main, folder);
      durations.push(ms);
      findingsTotal += findings.length;
      for (const f of findings) codes.set(f.code, (codes.get(f.code) ?? 0) + 1);
      // The folder's files judged from their own side too.
      for (const d of folder) countedLint(d, [main, ...folder.filter((x) => x !== d)]);
      // A few quick fixes, applied: the result lints too.
      // On a clean file, a fix removes a finding of its code and breaks nothing.
      const parses = findings.some((f) => f.data?.fixes?.length) && isClean(main.text);
      const fixes = findings.flatMap((f) => (f.data?.fixes ?? []).map((fix) => ({ code: f.code, fix })));
      for (const { code, fix } of fixes.slice(0, 3)) {
        const fixedDoc = { path: main.path.replace(/[^/]+$/, (b) => `fixed${b}`), text: applyEdits(main.text, fix.edits) };
        record.docs.push(fixedDoc);
        try {
          const after = countedLint(fixedDoc, folder).findings;
          const count = (list: Finding[]) => list.filter((f) => f.code === code).length;
          if (parses) {
            assert.ok(!after.some((f) => f.code === 'tf/hcl-syntax'), `the ${code} fix "${fix.title}" breaks the syntax: ${JSON.stringify(fixedDoc.text)}`);
            assert.ok(count(after) < count(findings), `the ${code} fix "${fix.title}" leaves as many ${code}: ${JSON.stringify(fixedDoc.text)}`);
            fixesVerified++;
          }
        } finally {
          service.forget(fixedDoc.path);
        }
        fixesApplied++;
      }
      // quickFixes() for a finding's range returns what the finding carries.
      if (findings.length) {
        const f = rng.pick(findings);
        const offered = service.quickFixes(main, f.range, [f.code], folder);
        assert.ok(offered.every((o) => o.finding.code === f.code));
      }
    } catch (err) {
      failWith(record, err);
    } finally {
      forgetAll([main, ...folder]);
    }
  }
  const elapsed = performance.now() - started;
  assert.equal(cacheSize(), 0, 'every document was forgotten');
  durations.sort((a, b) => a - b);
  const pct = (p: number) => durations[Math.min(durations.length - 1, Math.floor(p * durations.length))].toFixed(2);
  t.diagnostic(`${TOTAL_CASES} cases (${withFolder} with a folder) from ${SEEDS.length} seeds in ${(elapsed / 1000).toFixed(1)} s; lint median ${pct(0.5)} ms, p99 ${pct(0.99)} ms, max ${durations[durations.length - 1].toFixed(1)} ms (node calls counted); at most ${mostCallsPerChar.toFixed(1)} node calls a character`);
  t.diagnostic(`${findingsTotal} findings; ${fixesApplied} quick fixes applied and re-linted (${fixesVerified} on clean files: each removed its finding, broke nothing); rss ${(rssBefore / 2 ** 20).toFixed(0)} → ${(process.memoryUsage().rss / 2 ** 20).toFixed(0)} MiB`);
  t.diagnostic(`codes seen: ${[...codes].sort((a, b) => b[1] - a[1]).map(([c, k]) => `${c} ${k}`).join(', ')}`);
  // The mutations reach the rules, not just the parser.
  for (const code of ['tf/hcl-syntax', 'tf/cloud-provider-type-invalid', 'tf/org-uuid-missing', 'tf/provider-version-too-old', 'arn/overlapping-patterns']) {
    if (TOTAL_CASES >= 1000) assert.ok(codes.has(code), `no case produced ${code}`);
  }
});

test(`fuzz: editing one document ${EDIT_STEPS} times (incremental re-parse) gives the findings of a fresh parse`, { timeout: FUZZ_TIMEOUT_MS }, async (t) => {
  const rng = new Rng(SEED + 1);
  const doc = { path: '/fuzz/edit/main.tf', text: BUILTIN_SEEDS[0].text };
  const fresh = '/fuzz/edit/fresh.tf';
  // Fresh parses by a service of their own: the service keeps the tree of the
  // last file it parsed for itself only, and that must stay the edited one.
  const freshService = new LanguageService();
  freshService.setHclRuntime(runtime);
  const folder: SourceDocument[] = [{ path: '/fuzz/edit/.terraform.lock.hcl', text: BUILTIN_SEEDS[2].text }];
  const keptTree = () => (service as unknown as { cache: Map<string, { terraform?: { tree: HclTree } }> }).cache.get(doc.path)?.terraform?.tree;
  let reused = 0;
  let incrementalMs = 0;
  let freshMs = 0;
  try {
    for (let step = 0; step < EDIT_STEPS && !t.signal.aborted; step++) {
      await yieldToTimers();
      const mutations: string[] = [];
      // Mostly small edits, as typing makes them; now and then a reset to a seed.
      const previous = doc.text;
      doc.text = rng.chance(0.03) ? rng.pick(SEEDS.filter((s) => !s.lock)).text : mutate(doc.text, rng, mutations, 1);
      if (doc.text.length > 20_000) doc.text = doc.text.slice(0, 20_000);
      // (previous.tf: the text the incremental parse started from.)
      const record: CaseRecord = { label: 'edit', n: step, mutations, docs: [doc, ...folder, { path: '/fuzz/edit/previous.tf', text: previous }] };
      try {
        const a = countedLint(doc, folder);
        incrementalMs += a.ms;
        if (keptTree()?.incremental) reused++;
        const b = countedLint({ path: fresh, text: doc.text }, folder, freshService);
        freshMs += b.ms;
        freshService.forget(fresh);
        assert.deepEqual(a.findings, b.findings, 'incremental and fresh parses disagree');
      } catch (err) {
        failWith(record, err);
      }
    }
  } finally {
    forgetAll([doc, ...folder]);
    for (const d of folder) freshService.forget(d.path);
  }
  assert.equal(cacheSize(), 0);
  // A broken tree is never reused (see parseHcl), so only some edits are parsed incrementally.
  if (EDIT_STEPS >= 100) assert.ok(reused > 0, 'no edit was parsed from the previous tree');
  t.diagnostic(`${EDIT_STEPS} edits (${reused} parsed from the previous tree): incremental lint ${(incrementalMs / EDIT_STEPS).toFixed(2)} ms on average, fresh ${(freshMs / EDIT_STEPS).toFixed(2)} ms`);
});

// Minimised from the editing fuzz (seeds 12 and 5): an edit to a document that
// already has syntax errors, re-parsed incrementally, reports other syntax
// errors than a fresh parse of the same text, so an editor can show other
// diagnostics than `dd-wif lint`. In both, the grammar's external scanner
// lexes text that is no heredoc (`}`, `$d`) as a heredoc identifier while
// recovering, and the two parses recover differently from there. A known class
// of tree-sitter behaviour (tree-sitter/tree-sitter#4001, #1645); a fix would
// re-parse from scratch when the previous tree has errors, which parseHcl does.
test('an edit to a tree with syntax errors gives the findings of a fresh parse (the broken tree is not reused)', () => {
  const cases = [
    { previous: 'e""}\n}\n}\n}\n${x}\n}', next: 'e""}\n${x}' },
    {
      previous: 'r""{_$d\n\tapi_url = "not a url"\n  required_providers {\n    datadog = {\n    }\n  required_providers {\n    datadog = {\n}\nprovider "datadog" {\n}\nprovider "registry.terraform.io/hashicorp/aws" {\n  hashes = [\n    "h1:abc=",\n    }\n}',
      next: 'r""{_$d\nprovider "dd" { cloud_provider_type = <<EOT\n\tapi_url = "not a url"\n  required_providers {\n    datadog = {\n    }\n  required_providers {\n    datadog = {\n}\nprovider "datadog" {\n}\nprovider "registry.terraform.io/hashicorp/aws" {\n  hashes = [\n    "h1:abc=",\n    }\n}',
    },
  ];
  for (const { previous, next } of cases) {
    const edited = '/fuzz/todo/main.tf';
    const fresh = '/fuzz/todo/fresh.tf';
    try {
      assert.ok(!parsesCleanly(previous));
      service.lint({ path: edited, text: previous });
      const incremental = service.lint({ path: edited, text: next });
      assert.deepEqual(incremental, service.lint({ path: fresh, text: next }));
    } finally {
      service.forget(edited);
      service.forget(fresh);
    }
  }
});

// Inputs refused before the parser sees them: binary (random bytes read as
// UTF-8, UTF-16, NULs) and over 2 MiB (the text repeated, multi-byte
// characters), alone and as the folder-mate of a real file. Fast: the guard
// answers from a look at the text, and the parser is never given one (a
// counting runtime says so).
const REFUSED_CASES = 60;

test(`fuzz: ${REFUSED_CASES} binary and oversize Terraform files, alone and beside real ones: one finding each, never parsed (seed ${SEED})`, () => {
  const rng = new Rng(SEED + 2);
  const { runtime: counted, parsed } = countingRuntime(runtime);
  const guarded = new LanguageService();
  guarded.setHclRuntime(counted);
  const real = SEEDS.filter((s) => !s.lock);
  for (let n = 0; n < REFUSED_CASES; n++) {
    const seed = SEEDS[n % SEEDS.length];
    const input = rng.pick(refusedInputs(seed.text, rng, MAX_INPUT_BYTES));
    const dir = `/fuzz/refused/${n}`;
    const doc: SourceDocument = { path: `${dir}/${seed.lock ? '.terraform.lock.hcl' : 'refused.tf'}`, text: input.text };
    const other: SourceDocument = { path: `${dir}/main.tf`, text: mutate(rng.pick(real).text, rng, []) };
    const record: CaseRecord = { label: `${seed.name} (${input.what})`, n, mutations: [], docs: [{ ...doc, text: input.text.slice(0, 100_000) }, other] };
    try {
      const findings = guarded.lint(doc, [other]);
      assert.deepEqual(findings.map((f) => [f.code, f.range.start.line, f.range.start.character, f.range.end.line, f.range.end.character]), [['tf/hcl-syntax', 0, 0, 0, 0]]);
      assert.match(findings[0].message, input.reason === 'binary' ? /^Not checked: this file looks binary/ : /^Not checked: this file is .* files over 2 MiB are not parsed/);
      assert.equal(guarded.hover(doc, { line: 0, character: 1 }), null);
      assert.deepEqual(guarded.complete(doc, { line: 0, character: 1 }), []);
      assert.deepEqual(guarded.loginTargets(doc), []);
      // The real file beside it is judged as if it were not there.
      assert.deepEqual(guarded.lint(other, [doc]), guarded.lint(other));
      assert.ok(!parsed.includes(input.text), 'the parser was given the refused text');
    } catch (err) {
      failWith(record, err);
    } finally {
      for (const d of [doc, other]) guarded.forget(d.path);
    }
  }
});

// ---------------------------------------------------------------------------
// Hostile shapes: the work is linear in the input.

const PATTERN = (i: number) => `arn:aws:sts::123456789012:assumed-role/role-${i}/*`;

/** Each shape at size n: a text, and whether it is a lock file. */
const HOSTILE: Record<string, { lock?: boolean; text: (n: number) => string }> = {
  'unclosed provider, repeated': { text: (n) => 'provider "datadog" {\n  org_uuid = "x"\n'.repeat(n) },
  'unclosed mapping resource, repeated': { text: (n) => Array.from({ length: n }, (_, i) => `resource "datadog_aws_wif_intake_mapping" "m${i}" {\n  arn_pattern = "${PATTERN(i)}"\n`).join('') },
  'unclosed lock entry, repeated': { lock: true, text: (n) => 'provider "registry.terraform.io/datadog/datadog" {\n  version = "3.20.0"\n'.repeat(n) },
  'nested blocks': { text: (n) => 'a {\n'.repeat(n) + '}\n'.repeat(n) },
  'nested blocks, unclosed': { text: (n) => 'resource "x" "y" {\n' + 'dynamic "d" {\n'.repeat(n) },
  'nested objects around a pattern': { text: (n) => `locals {\n  x = ${'{ a = '.repeat(n)}{ arn_pattern = "${PATTERN(0)}" }${' }'.repeat(n)}\n}\n` },
  'nested objects, unclosed': { text: (n) => 'locals {\n  x = ' + '{ a = '.repeat(n) },
  'nested lists': { text: (n) => `locals {\n  x = ${'['.repeat(n)}{ arn_pattern = "${PATTERN(0)}" }${']'.repeat(n)}\n}\n` },
  'nested lists, unclosed': { text: (n) => 'locals {\n  x = ' + '['.repeat(n) },
  'nested parentheses and signs': { text: (n) => `provider "datadog" {\n  a = ${'('.repeat(n)}1${')'.repeat(n)}\n  b = ${'-'.repeat(n)}1\n}\n` },
  'nested interpolations': { text: (n) => 'locals {\n  x = ' + '"${'.repeat(n) + '1' + '}"'.repeat(n) + '\n}\n' },
  'nested interpolations, unclosed': { text: (n) => 'locals {\n  x = ' + '"${'.repeat(n) },
  'a long unclosed string': { text: (n) => 'provider "datadog" {\n  org_uuid = "' + 'abcdefghij'.repeat(n) },
  'a long unclosed heredoc': { text: (n) => 'provider "datadog" {\n  org_uuid = <<EOT\n' + 'a line of text ${var.x}\n'.repeat(n) },
  'unclosed heredocs, repeated': { text: (n) => 'provider "datadog" {\n' + '  a = <<EOT\n'.repeat(n) },
  'unclosed quotes, repeated': { text: (n) => 'provider "datadog" {\n' + '  a = "x\n'.repeat(n) },
  'quoted argument names': { text: (n) => 'resource "datadog_monitor" "m" {\n' + '  "*" = 0\n'.repeat(n) + '}\n' },
  'exponents': { text: (n) => 'locals {\n' + '  a = 5e6\n  b = -2E+2\n'.repeat(n) + '}\n' },
  'words without a block': { text: (n) => 'resour\n'.repeat(n) },
  'arn_pattern keys in a list': { text: (n) => `locals {\n  x = [\n${Array.from({ length: n }, (_, i) => `    { arn_pattern = "${PATTERN(i)}" },\n`).join('')}  ]\n}\n` },
};

function lintShape(text: string, lock: boolean | undefined): Finding[] {
  const doc: SourceDocument = { path: `/fuzz/hostile/${lock ? '.terraform.lock.hcl' : 'main.tf'}`, text };
  try {
    const { findings } = checkedLint(doc, []);
    return findings;
  } finally {
    service.forget(doc.path);
  }
}

/** Node calls made linting `text`. */
const workOf = (text: string, lock?: boolean) => countNodeCalls(runtime, () => lintShape(text, lock)).calls;

test('fuzz: hostile shapes and random texts of their pieces: linear work (counted at n and 4n; per character for 4 and 32 copies of a text)', (t) => {
  const ratios: string[] = [];
  for (const [name, shape] of Object.entries(HOSTILE)) {
    workOf(shape.text(4), shape.lock); // warm up
    const n = 150;
    const small = workOf(shape.text(n), shape.lock);
    const large = workOf(shape.text(4 * n), shape.lock);
    ratios.push(`${name} ${(large / small).toFixed(1)}`);
    assert.ok(small > 0, `${name}: node calls are counted (none would make any ratio pass)`);
    // Linear work is about four times as much; quadratic, sixteen.
    assert.ok(large <= 6 * small, `${name}: ${small} node calls at n = ${n}, ${large} at ${4 * n}`);
  }
  // Random texts of hostile pieces: a bounded number of node calls per character.
  const pieces = Object.values(HOSTILE).filter((h) => !h.lock).map((h) => h.text(1));
  const extra = ['}\n', '{\n', ']\n', '"\n', '${', 'EOT\n', '= ', 'provider "datadog" {\n  org_uuid = "x"\n}\n', `resource "datadog_aws_wif_identity_mapping" "r" {\n  arn_pattern = <<EOT\n${PATTERN(1)}\nEOT\n}\n`];
  const rng = new Rng(SEED + 2);
  let worst = 0;
  for (let k = 0; k < HOSTILE_CASES; k++) {
    const one = Array.from({ length: rng.between(15, 40) }, () => rng.pick(rng.chance(0.7) ? pieces : extra)).join('');
    const record: CaseRecord = { label: 'hostile', n: k, mutations: [], docs: [{ path: '/fuzz/hostile/main.tf', text: one }] };
    try {
      // Work per character stays under a bound at 4 and 32 copies. (Comparing the two counts
      // would not do: after a damaged region the rest is parsed again, up to six times, and
      // whether a copy adds such a region shifts the count by a factor; quadratic work at these
      // sizes would be hundreds of calls per character, the old recovery thousands.)
      for (const copies of [4, 32]) {
        const text = one.repeat(copies);
        const calls = workOf(text);
        worst = Math.max(worst, calls / text.length);
        assert.ok(calls <= CALLS_PER_CHAR * text.length + 10_000, `${calls} node calls for ${copies} copies of the text (${text.length} characters)`);
      }
    } catch (err) {
      failWith(record, err);
    }
  }
  assert.equal(cacheSize(), 0);
  t.diagnostic(`work at 4n over work at n: ${ratios.join(', ')}; random texts: at most ${worst.toFixed(1)} node calls per character`);
});
