// The last step before findings become diagnostics: suppression comments,
// per-code severity overrides (settings, CLI flags), and the cap on how many
// findings one file may have.

import { Lexer } from 'yaml';
import type { Finding, Severity, SeverityLevel } from './types';

export type SeverityOverrides = Readonly<Record<string, SeverityLevel>>;

const LEVELS: readonly SeverityLevel[] = ['error', 'warning', 'info', 'off'];

export function isSeverityLevel(value: unknown): value is SeverityLevel {
  return typeof value === 'string' && (LEVELS as readonly string[]).includes(value);
}

/** `# datadog-wif-ignore a/b, c/d` (YAML, HCL) or `// datadog-wif-ignore` (HCL). */
const IGNORE = /(?:^|\s)(?:#|\/\/)\s*datadog-wif-ignore\b([^\n\r]*)/;

export type CommentStyle = 'yaml' | 'hcl';

/** Line → the codes silenced on it ('all' when the comment names none). */
export function suppressedLines(text: string, style: CommentStyle): Map<number, Set<string> | 'all'> {
  const result = new Map<number, Set<string> | 'all'>();
  if (!text.includes('datadog-wif-ignore')) return result;
  const lines = text.split(/\r\n|\r|\n/);
  const yamlComments = style === 'yaml' ? yamlCommentStarts(text) : undefined;
  let lineStart = 0;
  lines.forEach((line, i) => {
    const start = lineStart;
    lineStart += line.length + (text.startsWith('\r\n', start + line.length) ? 2 : 1);
    if (!line.includes('datadog-wif-ignore')) return;
    const m = IGNORE.exec(line);
    if (!m || (style === 'yaml' && m[0].trimStart().startsWith('//'))) return;
    // In YAML, a `#` inside a quoted string or a block scalar is text, not a comment.
    const hash = m.index + m[0].length - m[0].trimStart().length;
    if (yamlComments && !yamlComments.has(start + hash)) return;
    // Every word that looks like a code counts, even a misspelt one: a typo
    // must silence nothing rather than everything. Other words are a reason.
    const codes = m[1]
      .split(/[\s,]+/)
      .map((c) => c.trim())
      .filter((c) => /^[A-Za-z]+\/\S+$/.test(c));
    const value: Set<string> | 'all' = codes.length ? new Set(codes) : 'all';
    // A comment alone on its line covers the next line; one after code covers only its own line.
    const alone = line.slice(0, hash).trim() === '';
    for (const target of alone ? [i, i + 1] : [i]) addSuppression(result, target, value);
  });
  return result;
}

/** Adds the codes silenced on a line to those already silenced there. */
export function addSuppression(lines: Map<number, Set<string> | 'all'>, line: number, value: Set<string> | 'all'): void {
  const prior = lines.get(line);
  if (prior === 'all' || value === 'all') lines.set(line, 'all');
  else lines.set(line, new Set([...(prior ?? []), ...value]));
}

/** Offsets where YAML comments start, as the YAML library's lexer sees them. */
function yamlCommentStarts(text: string): Set<number> {
  const starts = new Set<number>();
  let offset = 0;
  for (const token of new Lexer().lex(text)) {
    // The lexer's control tokens (document start, flow error end, scalar) are not source text.
    if (token === '\x02' || token === '\x18' || token === '\x1f') continue;
    if (token.startsWith('#')) starts.add(offset);
    offset += token.length;
  }
  return starts;
}

export function applySuppressions(findings: Finding[], text: string, style: CommentStyle): Finding[] {
  const lines = suppressedLines(text, style);
  if (lines.size === 0) return findings;
  return findings.filter((f) => !isSuppressed(f, lines));
}

function isSuppressed(f: Finding, lines: Map<number, Set<string> | 'all'>): boolean {
  const s = lines.get(f.range.start.line);
  return s === 'all' || !!s?.has(f.code) || !!s?.has(`${f.code.split('/')[0]}/*`);
}

/** Applies `{ "agent/unknown-site": "error", "arn/*": "off" }`: exact codes win over families. */
export function applySeverityOverrides(findings: Finding[], overrides: SeverityOverrides | undefined): Finding[] {
  if (!overrides || Object.keys(overrides).length === 0) return findings;
  const out: Finding[] = [];
  for (const f of findings) {
    const g = overridden(f, overrides);
    if (g) out.push(g);
  }
  return out;
}

/** The finding at its overridden severity; undefined when its code is `off`. */
function overridden(f: Finding, overrides: SeverityOverrides): Finding | undefined {
  const level = overrides[f.code] ?? overrides[`${f.code.split('/')[0]}/*`];
  if (!isSeverityLevel(level)) return f;
  if (level === 'off') return undefined;
  return level === f.severity ? f : { ...f, severity: level };
}

/** What a user sees of one finding: undefined when it is suppressed or turned off, else at its severity. */
export type FindingFilter = (finding: Finding) => Finding | undefined;

/**
 * Suppression comments and severity overrides, one finding at a time, so a
 * rule's findings can be filtered as they come (and what is turned off never
 * counts against the cap).
 */
export function findingFilter(text: string, style: CommentStyle, overrides: SeverityOverrides | undefined): FindingFilter {
  return filterOf(suppressedLines(text, style), overrides);
}

/** `findingFilter` from suppressions already found (the incremental Agent lint gathers them block by block). */
export function filterOf(lines: Map<number, Set<string> | 'all'>, overrides: SeverityOverrides | undefined): FindingFilter {
  const active = overrides && Object.keys(overrides).length > 0 ? overrides : undefined;
  if (lines.size === 0 && !active) return (f) => f;
  return (f) => (lines.size > 0 && isSuppressed(f, lines) ? undefined : active ? overridden(f, active) : f);
}

// ---------------------------------------------------------------------------
// The cap.

/**
 * At most this many findings a file, then one more saying how many were left
 * out. Far more than any real file has; enough to keep an editor, a CI log
 * and the server's memory small when a file repeats one mistake a million
 * times.
 */
export const MAX_FINDINGS_PER_FILE = 1000;

/** The code of the finding that stands for those left out. */
export const TOO_MANY_FINDINGS = 'lint/too-many-findings';

interface Ranked {
  finding: Finding;
  /** Order of arrival: findings at one position keep the order rules reported them in. */
  seq: number;
}

function before(a: Ranked, b: Ranked): boolean {
  const p = a.finding.range.start;
  const q = b.finding.range.start;
  return p.line < q.line || (p.line === q.line && (p.character < q.character || (p.character === q.character && a.seq < b.seq)));
}

const SEVERITY_RANK: Record<Severity, number> = { info: 0, warning: 1, error: 2 };

/**
 * Receives a file's findings as rules report them and keeps what a user sees
 * of the first `max` by position (a heap of `max`), counting the rest by code:
 * memory stays the same however many findings come. Findings suppressed or
 * turned off are dropped before they count.
 */
export class FindingCollector {
  /** A max-heap by position: its top is the last finding kept, the first to give way. */
  private readonly heap: Ranked[] = [];
  private seq = 0;
  private leftOut = 0;
  private readonly leftOutByCode = new Map<string, number>();
  private worst: Severity = 'info';
  private firstLeftOut: Ranked | undefined;

  constructor(
    private readonly filter: FindingFilter = (f) => f,
    readonly max = MAX_FINDINGS_PER_FILE,
  ) {}

  add(finding: Finding): void {
    const f = this.filter(finding);
    if (!f) return;
    const r: Ranked = { finding: f, seq: this.seq++ };
    if (this.heap.length < this.max) {
      this.heap.push(r);
      this.siftUp(this.heap.length - 1);
      return;
    }
    const top = this.heap[0];
    if (top && before(r, top)) {
      this.heap[0] = r;
      this.siftDown(0);
      this.count(top);
    } else this.count(r);
  }

  /** How many findings the cap has left out so far. */
  get omitted(): number {
    return this.leftOut;
  }

  /** The findings kept, in the order they came, then (when some were left out) the one that says so. */
  findings(): Finding[] {
    const kept = [...this.heap].sort((a, b) => a.seq - b.seq).map((r) => r.finding);
    const summary = this.firstLeftOut && this.filter(this.summary(this.firstLeftOut.finding));
    if (summary) kept.push(summary);
    return kept;
  }

  private count(r: Ranked): void {
    this.leftOut++;
    const f = r.finding;
    this.leftOutByCode.set(f.code, (this.leftOutByCode.get(f.code) ?? 0) + 1);
    if (SEVERITY_RANK[f.severity] > SEVERITY_RANK[this.worst]) this.worst = f.severity;
    if (!this.firstLeftOut || before(r, this.firstLeftOut)) this.firstLeftOut = r;
  }

  /** Where the findings left out begin, as severe as the worst of them (so a CI gate still fails on a left-out error). */
  private summary(first: Finding): Finding {
    const byCode = [...this.leftOutByCode].sort((a, b) => b[1] - a[1] || a[0].localeCompare(b[0]));
    const most = byCode
      .slice(0, 3)
      .map(([code, n]) => `\`${code}\` ${n.toLocaleString('en-US')}`)
      .join(', ');
    return {
      code: TOO_MANY_FINDINGS,
      severity: this.worst,
      message: `${this.leftOut.toLocaleString('en-US')} more finding${this.leftOut === 1 ? '' : 's'} from here on ${this.leftOut === 1 ? 'is' : 'are'} not shown (${most}${byCode.length > 3 ? ', …' : ''}): a file shows its first ${this.max.toLocaleString('en-US')}. Fix those, or turn off a code that floods the file (\`datadogWif.severity\`, \`--severity CODE=off\`), to see the rest.`,
      range: first.range,
      data: { leftOut: this.leftOut, leftOutByCode: Object.fromEntries(byCode) },
    };
  }

  private siftUp(i: number): void {
    const h = this.heap;
    while (i > 0) {
      const parent = (i - 1) >> 1;
      if (!before(h[parent], h[i])) break;
      [h[parent], h[i]] = [h[i], h[parent]];
      i = parent;
    }
  }

  private siftDown(i: number): void {
    const h = this.heap;
    for (;;) {
      const l = 2 * i + 1;
      const r = l + 1;
      let largest = i;
      if (l < h.length && before(h[largest], h[l])) largest = l;
      if (r < h.length && before(h[largest], h[r])) largest = r;
      if (largest === i) return;
      [h[largest], h[i]] = [h[i], h[largest]];
      i = largest;
    }
  }
}

/** Filters a whole list and caps it: for readers that produce their findings at once (Terraform). */
export function capFindings(findings: readonly Finding[], filter?: FindingFilter, max?: number): Finding[] {
  const c = new FindingCollector(filter, max);
  for (const f of findings) c.add(f);
  return c.findings();
}
