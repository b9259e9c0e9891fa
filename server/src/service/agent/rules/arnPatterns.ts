// The arn/* rules on every `arn_pattern` string in the file, and
// arn/overlapping-patterns among the patterns of one kind of mapping.

import { findOverlaps, lintArnPattern, overlapWitness, type Overlap } from '../../arn';
import type { AgentRuleContext } from '../context';
import { replaceScalar } from '../edits';
import { shorten } from '../describe';
import type { ArnPatternValue } from '../arnPatterns';
import type { Span } from '../yamlTree';

export function arnPatterns(ctx: AgentRuleContext): void {
  const patterns = ctx.model.arnPatterns;
  if (!patterns.length) return;
  for (const p of patterns) {
    for (const f of lintArnPattern(p.value)) {
      const fixes = f.fix && !p.viaAlias ? [{ title: f.fix.title, edits: [replaceScalar(ctx.index, { kind: 'scalar', start: p.start, end: p.end, value: p.value, source: p.value, style: p.style, viaAlias: false }, f.fix.replacement)], isPreferred: true }] : [];
      ctx.report(f.code, inside(p, f.start, f.end), f.message, { severity: f.severity, fixes });
    }
  }
  const groups = new Map<string, ArnPatternValue[]>();
  for (const p of patterns) {
    const list = groups.get(p.group);
    if (list) list.push(p);
    else groups.set(p.group, [p]);
  }
  for (const [group, list] of groups) {
    for (const o of earliestOverlaps(list.map((p) => p.value))) {
      const first = list[o.first];
      const line = ctx.index.positionAt(first.start).line + 1;
      ctx.report(
        'arn/overlapping-patterns',
        list[o.second],
        `This pattern can match the same caller as the one on line ${line} (both match \`${o.witness}\`) in \`${shorten(group, 80)}\`: the API refuses a pattern that conflicts with an existing mapping. Keep one.`,
        { data: { otherLine: line } },
      );
    }
  }
}

/**
 * Each pattern that overlaps an earlier one, once, against the earliest of
 * them. Pairs of patterns would be quadratic: a file that repeats one pattern
 * ten thousand times has fifty million pairs but ten thousand repeats.
 */
function earliestOverlaps(values: readonly string[]): Overlap[] {
  const firstAt = new Map<string, number>();
  values.forEach((v, i) => {
    if (!firstAt.has(v)) firstAt.set(v, i);
  });
  const distinct = [...firstAt.keys()];
  // For each distinct pattern, the earliest other pattern it overlaps (distinct patterns overlap in few pairs).
  const earliest = new Map<string, { at: number; witness: string }>();
  const consider = (v: string, at: number, witness: string) => {
    const e = earliest.get(v);
    if (!e || at < e.at) earliest.set(v, { at, witness });
  };
  for (const o of findOverlaps(distinct)) {
    const [a, b] = [distinct[o.first], distinct[o.second]];
    consider(a, firstAt.get(b)!, o.witness);
    consider(b, firstAt.get(a)!, o.witness);
  }
  const out: Overlap[] = [];
  values.forEach((v, i) => {
    const other = earliest.get(v);
    let best = other && other.at < i ? other : undefined;
    const first = firstAt.get(v)!;
    if (first < i && (!best || first < best.at)) {
      const witness = overlapWitness(v, v);
      if (witness !== undefined) best = { at: first, witness };
    }
    if (best) out.push({ first: best.at, second: i, witness: best.witness });
  });
  return out;
}

/** Maps offsets within the pattern to the text; where the source is not the value verbatim, the whole value. */
function inside(p: ArnPatternValue, start: number, end: number): Span {
  if (!p.verbatim) return p;
  const quote = p.style === 'single' || p.style === 'double' ? 1 : 0;
  return { start: p.start + quote + start, end: p.start + quote + end };
}
