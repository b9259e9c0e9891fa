// The measures of issue #11 and its table (measure, now, target, met?), and
// the Markdown block for README's Performance section. Counts come from the
// environment (see bench.ts) so that a run fits in a few minutes on a 2-core
// machine. It prints; it asserts nothing.

import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { format } from 'node:util';
import { LanguageService } from '../../server/src/service';
import { MAX_INPUT_BYTES } from '../../server/src/service/common/inputGuard';
import { generateAgentConfig } from '../helpers/corpus';
import { generateTerraform } from '../helpers/terraform';
import { ACTIVATION_FILES, buildProductionBundles, median, requireTime } from './client';
import { ROOT, agentDoc, benchFolder, coldStart, editLatency, memoryAfterEdits, terraformDoc, type BenchDoc, type ServerName } from './lsp';

const env = (name: string, fallback: number) => {
  const v = Number(process.env[name]);
  return Number.isFinite(v) && v >= 0 && process.env[name] !== '' ? v : fallback;
};
const EDITS = env('DD_WIF_BENCH_EDITS', 50);
const EDIT_WARMUP = env('DD_WIF_BENCH_EDIT_WARMUP', 5);
const EDIT_GAP_MS = env('DD_WIF_BENCH_EDIT_GAP_MS', 120);
const BIG_LINES = env('DD_WIF_BENCH_BIG_LINES', 44_000);
const INC_LINES = env('DD_WIF_BENCH_INC_LINES', 100_000);
const INC_EDITS = env('DD_WIF_BENCH_INC_EDITS', 15);
const FULL_RUNS = env('DD_WIF_BENCH_FULL_RUNS', 3);
const RSS_EDITS = env('DD_WIF_BENCH_RSS_EDITS', 500);
const TF_LINES = env('DD_WIF_BENCH_TF_LINES', 1_000);
const REQUIRE_RUNS = env('DD_WIF_BENCH_REQUIRE_RUNS', 7);
const COLD_RUNS = env('DD_WIF_BENCH_COLD_RUNS', 3);
const WITH_YLS = process.env.DD_WIF_BENCH_YLS !== '0';

const README = path.join(ROOT, 'README.md');
export const README_BEGIN = '<!-- bench:begin (npm run bench -- --readme rewrites this block) -->';
export const README_END = '<!-- bench:end -->';

/** Everything the bench prints, kept for the Markdown block. */
const printed: string[] = [];
export function captureOutput(): void {
  const log = console.log.bind(console);
  console.log = (...args: unknown[]) => {
    printed.push(format(...args));
    log(...args);
  };
}

const ms = (x: number) => (x >= 100 ? x.toFixed(0) : x.toFixed(1)) + ' ms';
const mb = (x: number) => x.toFixed(0) + ' MB';
const kb = (bytes: number) => (bytes / 1024).toFixed(0) + ' KB';

let machineAtStart = '';

/** The machine, as the run began (node, cores, CPU model, memory, load: the machine is often shared). */
export function machine(): string {
  if (machineAtStart) return machineAtStart;
  let cpu = os.cpus()[0]?.model ?? 'unknown CPU';
  try {
    cpu = /^model name\s*:\s*(.+)$/m.exec(fs.readFileSync('/proc/cpuinfo', 'utf8'))?.[1] ?? cpu;
  } catch {
    // not Linux: os.cpus() said it
  }
  const load = os.loadavg().map((l) => l.toFixed(2)).join(' ');
  machineAtStart = `node ${process.version}, ${os.cpus().length} cores, ${cpu.replace(/\s+/g, ' ').trim()}, ${Math.round(os.totalmem() / 2 ** 30)} GB RAM, load average ${load} at the start`;
  return machineAtStart;
}

interface Row {
  measure: string;
  now: string;
  target: string;
  met: boolean | undefined;
}

/**
 * A generated Agent file of `lines` lines that is checked: a file over
 * MAX_INPUT_BYTES (2 MiB) gets one "not checked" finding instead, so past it
 * the documentation comments are shortened to `#` (lines and structure kept).
 */
function checkableAgentFile(lines: number): string {
  const text = generateAgentConfig(lines);
  if (Buffer.byteLength(text) <= MAX_INPUT_BYTES) return text;
  const shorter = text
    .split('\n')
    .map((l) => (l.startsWith('## ') ? '#' : l))
    .join('\n');
  if (Buffer.byteLength(shorter) > MAX_INPUT_BYTES) console.log(`  (the ${lines}-line file is over ${MAX_INPUT_BYTES} bytes even so: it is not checked, and this measure says nothing)`);
  return shorter;
}

/** One-character edits of the same service instance's document: the server's path after an edit, without any wait. */
function editCompute(lines: number): { edit: number; full: number; findings: number; bytes: number } {
  const text = checkableAgentFile(lines);
  const uri = '/bench/datadog.yaml';
  const full: number[] = [];
  for (let i = 0; i < FULL_RUNS; i++) {
    const service = new LanguageService();
    const t0 = performance.now();
    service.lint({ path: uri, text, kind: 'agent' });
    full.push(performance.now() - t0);
  }
  const service = new LanguageService();
  service.lint({ path: uri, text, kind: 'agent' });
  const doc = agentDoc('/bench/datadog.yaml', text);
  const lineStarts = text.split('\n');
  const offset = lineStarts.slice(0, doc.at.line).reduce((n, l) => n + l.length + 1, 0) + doc.at.character;
  const edit: number[] = [];
  let findings = 0;
  let current = text;
  for (let i = 0; i < 3 + INC_EDITS; i++) {
    current = current.slice(0, offset) + doc.editChar(i) + current.slice(offset + 1);
    const t0 = performance.now();
    findings = service.lint({ path: uri, text: current, kind: 'agent' }).length;
    if (i >= 3) edit.push(performance.now() - t0);
  }
  return { edit: median(edit), full: median(full), findings, bytes: Buffer.byteLength(text) };
}

async function latency(name: ServerName, doc: BenchDoc, gapMs: number): Promise<number> {
  const r = await editLatency(name, doc, EDITS, EDIT_WARMUP, gapMs);
  return median(r.samples);
}

export async function mainIssue11(template: { text: string; name: string }, terraformEditMs: number): Promise<void> {
  const rows: Row[] = [];
  const folder = benchFolder();
  const templateDoc = agentDoc(path.join(folder, 'template', 'datadog.yaml'), template.text);
  const big = checkableAgentFile(BIG_LINES);
  const bigDoc = agentDoc(path.join(folder, 'big', 'datadog.yaml'), big);
  const bigLines = big.split('\n').length;
  const templateLines = template.text.split('\n').length;

  console.log(`\n#11: edit -> diagnostics over LSP (stdio), median of ${EDITS} one-character edits inside delegated_auth after ${EDIT_WARMUP} warm-up ones, ${EDIT_GAP_MS} ms between an answer and the next edit`);
  const oursT = await latency('ours', templateDoc, EDIT_GAP_MS);
  const oursTBack = await latency('ours', templateDoc, 0);
  const ylsT = WITH_YLS ? await latency('yls', templateDoc, EDIT_GAP_MS) : NaN;
  console.log(`  ${template.name} (${templateLines} lines): ours ${ms(oursT)} (back to back, no pause: ${ms(oursTBack)})   yaml-language-server ${ms(ylsT)}   yls/ours ${(ylsT / oursT).toFixed(1)}x`);
  const oursB = await latency('ours', bigDoc, EDIT_GAP_MS);
  const ylsB = WITH_YLS ? await latency('yls', bigDoc, EDIT_GAP_MS) : NaN;
  console.log(`  generated ${bigLines}-line Agent file: ours ${ms(oursB)}   yaml-language-server ${ms(ylsB)}   yls/ours ${(ylsB / oursB).toFixed(1)}x`);
  rows.push({
    measure: `edit -> diagnostics over LSP, ${templateLines}-line template`,
    now: `${ms(oursT)} (yls ${ms(ylsT)} same run, ${(ylsT / oursT).toFixed(1)}x)`,
    target: '<= 30 ms and >= 7x faster than yls',
    met: WITH_YLS ? oursT <= 30 && ylsT / oursT >= 7 : undefined,
  });
  rows.push({ measure: `same, generated ${bigLines}-line file`, now: `${ms(oursB)} (yls ${ms(ylsB)}, ${(ylsB / oursB).toFixed(1)}x)`, target: '<= 30 ms', met: oursB <= 30 });

  console.log(`\n#11: compute of a one-character edit (LanguageService.lint() of the edited text, same instance, no wait), median of ${INC_EDITS}; first lint median of ${FULL_RUNS}`);
  const large = editCompute(INC_LINES);
  const tenth = editCompute(Math.round(INC_LINES / 10));
  console.log(`  ${INC_LINES}-line file (${kb(large.bytes)}): edit ${ms(large.edit)}   first (full) lint ${ms(large.full)}   ${large.findings} findings`);
  console.log(`  ${Math.round(INC_LINES / 10)}-line file (${kb(tenth.bytes)}): edit ${ms(tenth.edit)}   first (full) lint ${ms(tenth.full)}   edit ${INC_LINES}/${Math.round(INC_LINES / 10)} lines: ${(large.edit / tenth.edit).toFixed(1)}x`);
  rows.push({
    measure: `compute for a one-character edit, ${INC_LINES}-line file (no wait)`,
    now: `${ms(large.edit)} (full lint ${ms(large.full)}; ${(large.edit / tenth.edit).toFixed(1)}x the ${Math.round(INC_LINES / 10)}-line file's)`,
    target: '<= 10 ms, independent of document size',
    met: large.edit <= 10,
  });

  console.log(`\n#11: cold start over stdio (spawn -> initialize -> didOpen of the template -> first diagnostics), median of ${COLD_RUNS}`);
  const coldOurs: number[] = [];
  const coldYls: number[] = [];
  for (let i = 0; i < COLD_RUNS; i++) {
    coldOurs.push(await coldStart('ours', templateDoc));
    if (WITH_YLS) coldYls.push(await coldStart('yls', templateDoc));
  }
  console.log(`  ours ${ms(median(coldOurs))}   yaml-language-server ${WITH_YLS ? ms(median(coldYls)) : '-'}`);
  rows.push({ measure: 'open datadog.yaml -> first diagnostics in real VS Code', now: 'measured by the real-VS-Code suite (npm test), not here', target: '<= 500 ms', met: undefined });
  rows.push({ measure: '(part of it) server spawn -> first diagnostics over stdio, template', now: `${ms(median(coldOurs))} (yls ${WITH_YLS ? ms(median(coldYls)) : '-'})`, target: '-', met: undefined });

  console.log(`\n#11: client bundle (production, built into a temporary folder)`);
  const bundle = buildProductionBundles();
  for (const f of bundle.files) console.log(`  ${f.name.padEnd(24)} ${kb(f.bytes).padStart(8)}   ${f.atActivation ? 'loaded at activation' : 'loaded later (on first use)'}`);
  const activation = bundle.files.filter((f) => f.atActivation);
  const activationBytes = activation.reduce((n, f) => n + f.bytes, 0);
  const req = requireTime(bundle, REQUIRE_RUNS);
  console.log(`  at activation: ${kb(activationBytes)} (${activation.map((f) => f.name).join(' + ')})`);
  console.log(`  require with vscode stubbed, median of ${REQUIRE_RUNS} fresh processes: ${ms(req.total)} (${Object.entries(req.perFile).map(([f, t]) => `${f} ${ms(t)}`).join(', ')})`);
  fs.rmSync(bundle.dir, { recursive: true, force: true });
  rows.push({ measure: `production client bundle loaded at activation (${ACTIVATION_FILES.join(' + ')})`, now: kb(activationBytes), target: '<= 200 KB; cloud core + AWS SDK loaded on first use', met: activationBytes <= 200 * 1024 });
  rows.push({ measure: '`require` of the client bundle (vscode stubbed)', now: ms(req.total), target: '<= 50 ms', met: req.total <= 50 });

  console.log(`\n#11: server memory, 12 copies of the template + 8 generated ${TF_LINES}-line .tf open, after ${RSS_EDITS} edits (each awaited)`);
  const yamlDocs = Array.from({ length: 12 }, (_, i) => agentDoc(path.join(folder, `agent-${i}`, 'datadog.yaml'), template.text));
  const tfDocs = Array.from({ length: 8 }, (_, i) => terraformDoc(path.join(folder, 'terraform', `main-${i}.tf`), generateTerraform(TF_LINES, i + 1)));
  const memOurs = await memoryAfterEdits('ours', [...yamlDocs, ...tfDocs], RSS_EDITS);
  console.log(`  ours, 20 documents: RSS ${mb(memOurs.rss)} (peak ${mb(memOurs.peak)})`);
  const memYls = WITH_YLS ? await memoryAfterEdits('yls', yamlDocs, RSS_EDITS) : undefined;
  if (memYls) console.log(`  yaml-language-server, the 12 YAML documents: RSS ${mb(memYls.rss)} (peak ${mb(memYls.peak)})`);
  rows.push({ measure: 'server RSS, 20 open documents, after 500 edits', now: `${mb(memOurs.rss)} (yls on the 12 YAML: ${memYls ? mb(memYls.rss) : '-'})`, target: '<= 80 MB', met: memOurs.rss <= 80 });
  rows.push({ measure: '.tf of 10k lines, edit -> diagnostics compute', now: ms(terraformEditMs), target: 'keep it (21-42 ms)', met: terraformEditMs <= 42 });

  const mark = (m: boolean | undefined) => (m === undefined ? '-' : m ? 'yes' : 'no');
  const table = ['| measure | now | target | met? |', '|---|---|---|---|', ...rows.map((r) => `| ${r.measure} | ${r.now} | ${r.target} | ${mark(r.met)} |`)];
  console.log('\n#11: the table');
  for (const line of table) console.log(line);

  const block = [
    README_BEGIN,
    `Measured by \`npm run bench\` on ${new Date().toISOString().slice(0, 10)}: ${machine()}.`,
    '',
    ...table,
    '',
    '<details><summary>The whole output</summary>',
    '',
    '```text',
    ...printed.filter((l) => !l.startsWith('|') && l !== '\n#11: the table'),
    '```',
    '',
    '</details>',
    README_END,
  ];
  console.log('\nMarkdown for README (Performance); `npm run bench -- --readme` writes it there:\n');
  console.log(block.join('\n'));
  if (process.argv.includes('--readme')) writeReadme(block.join('\n'));
}

function writeReadme(block: string): void {
  const readme = fs.readFileSync(README, 'utf8');
  const begin = readme.indexOf(README_BEGIN);
  const end = readme.indexOf(README_END);
  if (begin < 0 || end < begin) {
    console.log(`README.md has no ${README_BEGIN} ... ${README_END} block: not written`);
    return;
  }
  fs.writeFileSync(README, readme.slice(0, begin) + block + readme.slice(end + README_END.length));
  console.log('README.md: Performance block rewritten');
}
