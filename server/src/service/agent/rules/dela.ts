// agent/dela-directive-invalid: `DELA(<org_uuid>, aws[, region=<r>])` in
// additional_endpoints instead of an API key (dual shipping).

import { isKnownRegion, isWellFormedRegion } from '../../common/awsRegions';
import { isUuid } from '../../common/identifiers';
import type { AgentRuleContext } from '../context';
import type { Span, YScalar } from '../yamlTree';
import { shorten } from '../describe';

interface Problem {
  /** Offsets within the directive string; undefined: the whole string. */
  at?: [number, number];
  message: string;
}

export function delaDirectives(ctx: AgentRuleContext): void {
  // One directive reached through many aliases is one value: parse it (and place its problems) once.
  const judged = new Map<YScalar, { span: Span; message: string }[]>();
  for (const d of ctx.model.directives) {
    let problems = judged.get(d.scalar);
    if (!problems) {
      const value = String(d.scalar.value);
      judged.set(d.scalar, (problems = parseDirective(value).map((p) => ({ span: subSpan(d.scalar, value, p.at), message: p.message }))));
    }
    for (const p of problems) {
      ctx.report('agent/dela-directive-invalid', p.span, `${p.message} (in \`${d.path}\`; expected \`DELA(<org_uuid>, aws[, region=<region>])\`)`, { about: p.message });
    }
    if (d.entryHasHost === false) {
      ctx.report('agent/dela-directive-invalid', d.scalar, `An \`additional_endpoints\` entry with a \`DELA(…)\` key needs a \`host\` (in \`${d.path}\`).`, { about: 'host' });
    }
  }
}

/** Maps offsets in the string value to the text, where the source is the value verbatim. */
function subSpan(scalar: YScalar, value: string, at?: [number, number]): Span {
  if (!at) return scalar;
  const quote = scalar.style === 'single' || scalar.style === 'double' ? 1 : 0;
  if (scalar.style === 'block' || scalar.source !== value || scalar.end - scalar.start !== value.length + 2 * quote) return scalar;
  const base = scalar.start + quote;
  return { start: base + at[0], end: base + Math.max(at[1], at[0] + 1) };
}

export function parseDirective(value: string): Problem[] {
  const open = value.indexOf('(');
  const close = value.lastIndexOf(')');
  if (close < open || value.slice(close + 1).trim() !== '') return [{ message: '`DELA(` has no closing `)`' }];
  const problems: Problem[] = [];
  const args: { text: string; start: number; end: number }[] = [];
  let pos = open + 1;
  for (const raw of value.slice(open + 1, close).split(',')) {
    const lead = raw.length - raw.trimStart().length;
    const text = raw.trim();
    args.push({ text, start: pos + lead, end: pos + lead + text.length });
    pos += raw.length + 1;
  }
  const [org, provider, ...params] = args;
  if (!org || org.text === '') problems.push({ message: '`DELA(…)` needs the org UUID as its first argument' });
  else if (!isUuid(org.text)) problems.push({ at: [org.start, org.end], message: `\`${shorten(org.text)}\` is not an org UUID` });
  if (!provider || provider.text === '') problems.push({ at: [close, close + 1], message: '`DELA(…)` needs the provider `aws` as its second argument' });
  else if (provider.text !== 'aws') problems.push({ at: [provider.start, provider.end], message: `provider must be \`aws\`, not \`${shorten(provider.text)}\`` });
  for (const p of params) {
    const m = /^([A-Za-z_]+)\s*=\s*(.*)$/.exec(p.text);
    if (!m) problems.push({ at: [p.start, p.end], message: `\`${shorten(p.text)}\` is not a \`key=value\` parameter` });
    else if (m[1] !== 'region') problems.push({ at: [p.start, p.end], message: `unknown parameter \`${m[1]}\` (only \`region\`)` });
    else if (!isWellFormedRegion(m[2]) || !isKnownRegion(m[2])) problems.push({ at: [p.start, p.end], message: `\`${shorten(m[2])}\` is not a known AWS region` });
  }
  return problems;
}
