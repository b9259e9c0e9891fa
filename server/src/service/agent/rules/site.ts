// agent/unknown-site and agent/gov-site-unsupported.

import { SITE_NAMES } from '../../common/sites';
import { judgeSite, siteSuggestion } from '../judgments';
import type { AgentRuleContext } from '../context';
import { replaceScalar } from '../edits';
import { scalarString } from '../yamlTree';
import { hasOrgUuid } from './fallback';
import { shorten } from '../describe';

export function site(ctx: AgentRuleContext): void {
  const entry = ctx.model.site;
  if (!entry || entry.value.kind !== 'scalar' || entry.value.value === null) return;
  const value = scalarString(entry.value).trim();
  if (value === '') return;
  const verdict = judgeSite(value);
  if (verdict.kind === 'ok') return;
  if (verdict.kind === 'gov') {
    govSite(ctx, value);
    return;
  }
  const suggestion = siteSuggestion(verdict);
  const fixes = suggestion && !entry.value.viaAlias && !entry.merged ? [{ title: `Replace with \`${suggestion}\``, edits: [replaceScalar(ctx.index, entry.value, suggestion)], isPreferred: true }] : [];
  let message: string;
  if (verdict.kind === 'host') message = `\`site\` takes the site name, not a host or URL: \`${verdict.site}\`.`;
  else if (verdict.kind === 'shell-reference') message = `The Agent does not expand \`${shorten(value)}\` in datadog.yaml; write the site (e.g. \`datadoghq.com\`) or set \`DD_SITE\` in the environment.`;
  else message = `\`${shorten(value)}\` is not a known Datadog site${suggestion ? `; did you mean \`${suggestion}\`?` : ` (${SITE_NAMES.map((s) => `\`${s}\``).join(', ')}).`} A login test will not send a proof there unless the host is allowed in user settings.`;
  ctx.report('agent/unknown-site', entry.value, message, { fixes });
}

function govSite(ctx: AgentRuleContext, value: string): void {
  // Each section once, however often it is written: the message names a few.
  const enabled = [...new Set(ctx.model.sections.filter((s) => s.supported && hasOrgUuid(s.value)).map((s) => s.path))];
  if (enabled.length === 0 || !ctx.model.site) return;
  const named = enabled.slice(0, 5).map((p) => `\`${p}\``).join(', ') + (enabled.length > 5 ? ` and ${enabled.length - 5} more` : '');
  ctx.report(
    'agent/gov-site-unsupported',
    ctx.model.site.value,
    `The Agent flow of delegated authentication is not offered on \`${value}\` (${named} set \`org_uuid\`). Use an API key on this site; the Terraform flow still works.`,
  );
}
