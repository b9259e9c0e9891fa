// The arn/* rules on every `arn_pattern` string in the file, and
// arn/overlapping-patterns among the patterns of one kind of mapping.

import { findOverlaps, lintArnPattern, overlapWitness } from '../../arn';
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
  // One finding per pattern that overlaps an earlier one (N copies: N - 1 findings, not N²/2), naming the
  // first it overlaps; the related information lists a few of the others.
  const lineOf = (p: ArnPatternValue) => ctx.index.positionAt(p.start).line + 1;
  for (const [group, list] of groups) {
    for (const o of findOverlaps(list.map((p) => p.value))) {
      const line = lineOf(list[o.first]);
      const more = o.count - 1;
      ctx.report(
        'arn/overlapping-patterns',
        list[o.index],
        `This pattern can match the same caller as the one on line ${line} (both match \`${o.witness}\`) in \`${shorten(group, 80)}\`${more ? `, and ${more} more pattern${more === 1 ? '' : 's'} there overlap${more === 1 ? 's' : ''} it` : ''}: the API refuses a pattern that conflicts with an existing mapping. Keep one.`,
        {
          data: { otherLine: line, overlapCount: o.count },
          related: o.others.map((j) => ({ span: list[j], message: `An overlapping pattern: both match \`${overlapWitness(list[o.index].value, list[j].value)}\`.` })),
        },
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
