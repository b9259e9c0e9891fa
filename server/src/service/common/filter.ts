// The last step before findings become diagnostics: suppression comments and
// per-code severity overrides (settings, CLI flags).

import { Lexer } from 'yaml';
import type { Finding, SeverityLevel } from './types';

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
    for (const target of alone ? [i, i + 1] : [i]) {
      const prior = result.get(target);
      if (prior === 'all' || value === 'all') result.set(target, 'all');
      else result.set(target, new Set([...(prior ?? []), ...value]));
    }
  });
  return result;
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
  return findings.filter((f) => {
    const s = lines.get(f.range.start.line);
    return !(s === 'all' || s?.has(f.code) || s?.has(`${f.code.split('/')[0]}/*`));
  });
}

/** Applies `{ "agent/unknown-site": "error", "arn/*": "off" }`: exact codes win over families. */
export function applySeverityOverrides(findings: Finding[], overrides: SeverityOverrides | undefined): Finding[] {
  if (!overrides || Object.keys(overrides).length === 0) return findings;
  const out: Finding[] = [];
  for (const f of findings) {
    const level = overrides[f.code] ?? overrides[`${f.code.split('/')[0]}/*`];
    if (!isSeverityLevel(level)) out.push(f);
    else if (level !== 'off') out.push(level === f.severity ? f : { ...f, severity: level });
  }
  return out;
}
