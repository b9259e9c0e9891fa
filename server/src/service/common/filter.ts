// The last step before findings become diagnostics: suppression comments and
// per-code severity overrides (settings, CLI flags).

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
  lines.forEach((line, i) => {
    if (!line.includes('datadog-wif-ignore')) return;
    const m = IGNORE.exec(line);
    if (!m || (style === 'yaml' && m[0].trimStart().startsWith('//'))) return;
    // Every word that looks like a code counts, even a misspelt one: a typo
    // must silence nothing rather than everything. Other words are a reason.
    const codes = m[1]
      .split(/[\s,]+/)
      .map((c) => c.trim())
      .filter((c) => /^[A-Za-z]+\/\S+$/.test(c));
    const value: Set<string> | 'all' = codes.length ? new Set(codes) : 'all';
    // A comment alone on its line covers the next line; one after code covers only its own line.
    const alone = line.slice(0, m.index + m[0].length - m[0].trimStart().length).trim() === '';
    for (const target of alone ? [i, i + 1] : [i]) {
      const prior = result.get(target);
      if (prior === 'all' || value === 'all') result.set(target, 'all');
      else result.set(target, new Set([...(prior ?? []), ...value]));
    }
  });
  return result;
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
