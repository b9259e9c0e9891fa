// agent/no-fallback-api-key: on any failure of the exchange the Agent keeps
// using the API key beside the section; without one, that product sends nothing.

import type { AgentRuleContext } from '../context';
import { apiKeySlot } from '../keys';
import { lastEntry, scalarString, type YValue } from '../yamlTree';

export function fallbackApiKey(ctx: AgentRuleContext): void {
  for (const s of ctx.model.sections) {
    if (!s.supported || !hasOrgUuid(s.value)) continue;
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

/**
 * Whether a section sets `org_uuid` to something (what turns the exchange on).
 * An empty `org_uuid:` leaves the feature off: agent/org-uuid-missing says so.
 */
export function hasOrgUuid(section: YValue): boolean {
  if (section.kind !== 'map') return false;
  const v = lastEntry(section, 'org_uuid')?.value;
  return !!v && (v.kind !== 'scalar' || scalarString(v).trim() !== '');
}
