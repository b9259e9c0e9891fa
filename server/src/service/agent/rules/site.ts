// agent/unknown-site and agent/gov-site-unsupported.

import { SITE_NAMES, findSite, isGovSite, siteOfHost } from '../../common/sites';
import { closest } from '../../common/strings';
import { isShellReference } from '../../common/identifiers';
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
  if (findSite(value)) {
    if (isGovSite(value)) govSite(ctx, value);
    return;
  }
  // `app.datadoghq.eu`, `https://api.us3.datadoghq.com`: a host of a known site.
  const host = value.replace(/^[a-z]+:\/\//i, '').replace(/[/:].*$/, '');
  const ofHost = siteOfHost(host);
  const suggestion = ofHost?.site ?? (isShellReference(value) ? undefined : closest(value.toLowerCase(), SITE_NAMES, 4));
  const fixes = suggestion && !entry.value.viaAlias && !entry.merged ? [{ title: `Replace with \`${suggestion}\``, edits: [replaceScalar(ctx.index, entry.value, suggestion)], isPreferred: true }] : [];
  let message: string;
  if (ofHost) message = `\`site\` takes the site name, not a host or URL: \`${ofHost.site}\`.`;
  else if (isShellReference(value)) message = `The Agent does not expand \`${shorten(value)}\` in datadog.yaml; write the site (e.g. \`datadoghq.com\`) or set \`DD_SITE\` in the environment.`;
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
