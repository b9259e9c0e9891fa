// agent/no-fallback-api-key: on any failure of the exchange the Agent keeps
// using the API key beside the section; without one, that product sends nothing.
// A per-product section whose own slot is empty falls back on the top-level
// `api_key` (as the Agent's logs and remote-configuration pipelines do), so it
// is reported only when that one is empty too.

import type { AgentRuleContext } from '../context';
import { apiKeySlot } from '../keys';
import { lastEntry, scalarString, type YValue } from '../yamlTree';

export function fallbackApiKey(ctx: AgentRuleContext): void {
  const globalKey = ctx.model.root ? lastEntry(ctx.model.root, 'api_key')?.value : undefined;
  for (const s of ctx.model.sections) {
    if (!s.supported || !hasOrgUuid(s.value)) continue;
    if (!isEmptyKey(s.apiKey)) continue;
    if (s.parent !== null && !isEmptyKey(globalKey)) continue;
    const slot = apiKeySlot(s.parent);
    ctx.report(
      'agent/no-fallback-api-key',
      s.keySpan,
      s.parent
        ? `\`${slot}\` and \`api_key\` are empty: if the delegated exchange fails, \`${s.parent}\` has no API key to fall back on and sends nothing. Keep an API key in \`${slot}\` or \`api_key\` (or their environment variables) as a fallback.`
        : `\`api_key\` is empty: if the delegated exchange fails, the Agent has no API key to fall back on and sends nothing. Keep an API key in \`api_key\` (or \`DD_API_KEY\`) as a fallback.`,
      { about: '' },
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
  // A regular expression stops at the first character: a long value costs no more than a short one.
  return !!v && (v.kind !== 'scalar' || /\S/.test(scalarString(v)));
}

function isEmptyKey(key: YValue | undefined): boolean {
  return !key || (key.kind === 'scalar' && !/\S/.test(scalarString(key)));
}
