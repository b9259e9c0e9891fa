// Benchmark: time from a change to diagnostics, next to the raw YAML parse.
//
//   npm run bench            (build, then node out/test/bench/bench.js)
//   node out/test/bench/bench.js [runs]
//
// For each text, every run edits it slightly (as typing does), then times
//   lint:  a fresh LanguageService().lint() of the changed text: what the
//          server does after the debounce (parse, model, rules, suppression,
//          severity overrides), and
//   parse: yaml's parseDocument() of the same text with default options,
// and prints the medians and lint/parse. Target: lint/parse <= 1.5.
// Default options include uniqueKeys: true, a check that is quadratic in the
// size of a mapping, so on a file with a large top level the default parse is
// slow; a second baseline, `parse*`, parses with the options lint itself uses
// (uniqueKeys off, merge keys on), and lint/parse* is the service's own overhead.
// It prints; it asserts nothing.

import * as fs from 'fs';
import * as path from 'path';
import { parseDocument } from 'yaml';
import { LanguageService } from '../../server/src/service';
import { YAML_OPTIONS } from '../../server/src/service/agent/lint';
import { AGENT_CORPUS_DIR, API_KEY, GOOD_GLOBAL_SECTION, GOOD_PRODUCT_SECTION, NO_CORPUS_MESSAGE, generateAgentConfig } from '../helpers/corpus';

const RUNS = Number(process.argv[2] ?? process.env.DD_WIF_BENCH_RUNS ?? 15);
const WARMUP = 5;

function median(xs: number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  const m = s.length >> 1;
  return s.length % 2 ? s[m] : (s[m - 1] + s[m]) / 2;
}

function time(fn: () => unknown): number {
  const t = process.hrtime.bigint();
  fn();
  return Number(process.hrtime.bigint() - t) / 1e6;
}

/** The text after the n-th keystroke: a character changed in place, so lengths and lines stay put. */
function edited(text: string, n: number): string {
  const at = text.indexOf('refresh_interval_mins: 60');
  if (at < 0) return text + `# edit ${n}\n`;
  const digitAt = at + 'refresh_interval_mins: '.length;
  return text.slice(0, digitAt) + String((n % 9) + 1) + text.slice(digitAt + 1);
}

interface Result {
  name: string;
  lines: number;
  bytes: number;
  findings: number;
  lint: number;
  parse: number;
  parseLintOptions: number;
}

function bench(name: string, text: string): Result {
  // Interleave lint and parse so both see the same machine state.
  const lint: number[] = [];
  const parse: number[] = [];
  const parseLintOptions: number[] = [];
  let findings = 0;
  for (let i = 0; i < WARMUP + RUNS; i++) {
    const changed = edited(text, i);
    const p = time(() => parseDocument(changed));
    const po = time(() => parseDocument(changed, YAML_OPTIONS));
    const l = time(() => {
      findings = new LanguageService().lint({ path: '/bench/datadog.yaml', text: changed, kind: 'agent' }).length;
    });
    if (i >= WARMUP) {
      parse.push(p);
      parseLintOptions.push(po);
      lint.push(l);
    }
  }
  return { name, lines: text.split('\n').length, bytes: Buffer.byteLength(text), findings, lint: median(lint), parse: median(parse), parseLintOptions: median(parseLintOptions) };
}

function exampleWithSection(dir: string): string {
  const lines = fs.readFileSync(path.join(dir, 'datadog.yaml.example'), 'utf8').split('\n');
  const apiKey = lines.findIndex((l) => /^api_key:\s*$/.test(l));
  if (apiKey >= 0) lines.splice(apiKey, 1, `api_key: ${API_KEY}`, ...GOOD_GLOBAL_SECTION);
  else lines.unshift(`api_key: ${API_KEY}`, ...GOOD_GLOBAL_SECTION);
  const logs = lines.findIndex((l) => l === '# logs_config:');
  if (logs >= 0) lines.splice(logs, 1, 'logs_config:', ...GOOD_PRODUCT_SECTION.map((l) => `  ${l}`));
  return lines.join('\n');
}

function main(): void {
  const cases: [string, string][] = [];
  if (AGENT_CORPUS_DIR) cases.push(['datadog.yaml.example + delegated_auth', exampleWithSection(AGENT_CORPUS_DIR)]);
  else console.log(`skip (a): ${NO_CORPUS_MESSAGE}`);
  cases.push(['generated 50,000-line Agent file', generateAgentConfig(50_000)]);

  console.log(`node ${process.version}, ${RUNS} runs after ${WARMUP} warm-up runs; medians in ms\n`);
  const rows = cases.map(([name, text]) => bench(name, text));
  const header = ['case', 'lines', 'KiB', 'findings', 'lint', 'parse', 'lint/parse', 'parse*', 'lint/parse*'];
  const table = rows.map((r) => [
    r.name,
    String(r.lines),
    (r.bytes / 1024).toFixed(0),
    String(r.findings),
    r.lint.toFixed(2),
    r.parse.toFixed(2),
    (r.lint / r.parse).toFixed(2),
    r.parseLintOptions.toFixed(2),
    (r.lint / r.parseLintOptions).toFixed(2),
  ]);
  const widths = header.map((h, i) => Math.max(h.length, ...table.map((row) => row[i].length)));
  const fmt = (row: string[]) => row.map((c, i) => (i === 0 ? c.padEnd(widths[i]) : c.padStart(widths[i]))).join('  ');
  console.log(fmt(header));
  for (const row of table) console.log(fmt(row));
  console.log('\nparse: parseDocument(text) with default options; parse*: with the options lint uses (uniqueKeys: false, merge: true)');
  console.log('target: lint/parse <= 1.50');
}

main();
