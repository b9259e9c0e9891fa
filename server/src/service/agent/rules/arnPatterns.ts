// The arn/* rules on every `arn_pattern` string in the file, and
// arn/overlapping-patterns among the patterns of one kind of mapping.

import { findOverlaps, lintArnPattern } from '../../arn';
import type { AgentRuleContext } from '../context';
import { replaceScalar } from '../edits';
import type { ArnPatternValue } from '../arnPatterns';
import type { Span } from '../yamlTree';

export function arnPatterns(ctx: AgentRuleContext): void {
  const patterns = ctx.model.arnPatterns;
  if (!patterns.length) return;
  for (const p of patterns) {
    for (const f of lintArnPattern(p.value)) {
      const fixes = f.fix ? [{ title: f.fix.title, edits: [replaceScalar(ctx.index, { kind: 'scalar', start: p.start, end: p.end, value: p.value, source: p.value, style: p.style, viaAlias: false }, f.fix.replacement)], isPreferred: true }] : [];
      ctx.report(f.code, inside(p, f.start, f.end), f.message, { severity: f.severity, fixes });
    }
  }
  const groups = new Map<string, ArnPatternValue[]>();
  for (const p of patterns) groups.set(p.group, [...(groups.get(p.group) ?? []), p]);
  for (const [group, list] of groups) {
    for (const o of findOverlaps(list.map((p) => p.value))) {
      const first = list[o.first];
      const line = ctx.index.positionAt(first.start).line + 1;
      ctx.report(
        'arn/overlapping-patterns',
        list[o.second],
        `This pattern can match the same caller as the one on line ${line} (both match \`${o.witness}\`) in \`${group}\`: the API refuses a pattern that conflicts with an existing mapping. Keep one.`,
        { data: { otherLine: line } },
      );
    }
  }
}

/** Maps offsets within the pattern to the text; where the source is not the value verbatim, the whole value. */
function inside(p: ArnPatternValue, start: number, end: number): Span {
  if (!p.verbatim) return p;
  const quote = p.style === 'single' || p.style === 'double' ? 1 : 0;
  return { start: p.start + quote + start, end: p.start + quote + end };
}
