// agent/duplicate-key: a key written twice in a delegated_auth section or a
// map above it. The Agent keeps only one of them, silently.

import type { AgentRuleContext } from '../context';
import { shorten } from '../describe';

export function duplicateKeys(ctx: AgentRuleContext): void {
  for (const d of ctx.model.duplicates) {
    const where = d.mapPath ? `\`${d.mapPath}\`` : 'the top level';
    const firstLine = ctx.index.positionAt(d.firstSpan.start).line + 1;
    ctx.report('agent/duplicate-key', d.keySpan, `\`${shorten(d.key)}\` appears twice in ${where} (first on line ${firstLine}); only one of them takes effect. Keep one.`, {
      data: { firstLine },
      about: '',
    });
  }
}
