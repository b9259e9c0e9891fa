// agent/no-fallback-api-key: on any failure of the exchange the Agent keeps
// using the API key beside the section; without one, that product sends nothing.

import type { AgentRuleContext } from '../context';
import { apiKeySlot } from '../keys';
import { lastEntry, scalarString } from '../yamlTree';

export function fallbackApiKey(ctx: AgentRuleContext): void {
  for (const s of ctx.model.sections) {
    if (!s.supported || s.value.kind !== 'map' || !lastEntry(s.value, 'org_uuid')) continue;
    const key = s.apiKey;
    const empty = !key || (key.kind === 'scalar' && scalarString(key).trim() === '');
    if (!empty) continue;
    const slot = apiKeySlot(s.parent);
    ctx.report(
      'agent/no-fallback-api-key',
      s.keySpan,
      `\`${slot}\` is empty: if the delegated exchange fails, ${s.parent ? `\`${s.parent}\`` : 'the Agent'} has no API key to fall back on and sends nothing. Keep an API key in \`${slot}\` (or \`DD_${slot.toUpperCase().replace(/\./g, '_')}\`) as a fallback.`,
    );
  }
}
