// Hover help on every delegated_auth key, on legacy keys, and on `site`.

import type { Document } from 'yaml';
import type { Hover, Position } from '../common/types';
import type { TextIndex } from '../common/textIndex';
import { DATADOG_SITES, findSite } from '../common/sites';
import { docsUrl } from '../catalog';
import { describeArn } from '../arn';
import { apiKeySlot, describeKey, LEGACY_KEYS } from './keys';
import { locate, type Located } from './locate';
import { SUPPORTED_PARENTS } from './model';

export function agentHover(docs: readonly Document[], index: TextIndex, pos: Position): Hover | null {
  const offset = index.offsetAt(pos);
  for (const doc of docs) {
    const range = doc.range;
    if (range && (offset < range[0] || offset > range[2])) continue;
    const at = locate(doc, offset);
    if (!at) continue;
    const contents = describe(at);
    if (contents) return { contents, range: index.range(at.span.start, at.span.end) };
  }
  return null;
}

function sectionOf(path: string[]): { parent: string | null; supported: boolean; rest: string[] } | undefined {
  const i = path.indexOf('delegated_auth');
  if (i < 0) return undefined;
  const parent = i === 0 ? null : path.slice(0, i).join('.');
  return { parent, supported: i <= 1 && SUPPORTED_PARENTS.includes(parent), rest: path.slice(i + 1) };
}

function describe(at: Located): string | undefined {
  if (at.path.length === 1 && at.path[0] === 'site') return siteHover(at);
  if (at.path[at.path.length - 1] === 'arn_pattern' && at.part === 'value' && typeof at.value === 'string') return describeArn(at.value);
  const section = sectionOf(at.path);
  if (!section) return undefined;
  const sectionName = section.parent ? `${section.parent}.delegated_auth` : 'delegated_auth';
  if (section.rest.length === 0 && at.part === 'key') return sectionHover(sectionName, section.parent, section.supported);
  if (!section.supported) return `**\`${sectionName}\`** is not read by the Agent: only the global section and \`logs_config\`, \`remote_configuration\`, \`evp_proxy_config\` and \`ol_proxy_config\` accept \`delegated_auth\`.\n\n[Rule \`agent/unsupported-section\`](${docsUrl('agent/unsupported-section')})`;
  const keyPath = section.rest.join('.');
  const legacy = section.rest.length === 1 ? LEGACY_KEYS.find((k) => k.name === keyPath) : undefined;
  if (legacy) {
    return `**\`${legacy.name}\`** (obsolete)\n\nA key of pre-release builds that the Agent no longer reads: ${legacy.explanation}. Use ${legacy.replacement.startsWith('(') ? 'nothing' : `\`${legacy.replacement}\``} instead.\n\n[Rule \`agent/legacy-key\`](${docsUrl('agent/legacy-key')})`;
  }
  const key = describeKey(keyPath);
  if (!key) return undefined;
  const lines = [
    `**\`${sectionName}.${key.path}\`** · ${key.type} · default: ${key.default}`,
    '',
    key.description,
    '',
    key.readIn === 'global section only'
      ? `Read from the global \`delegated_auth\` section only${section.parent ? ': **it has no effect here**' : ''}.`
      : `Read in every section; here it turns on the exchange for \`${apiKeySlot(section.parent)}\`.`,
  ];
  if (key.env) lines.push('', `Environment: \`${section.parent && key.path === 'org_uuid' ? `DD_${section.parent.toUpperCase()}_DELEGATED_AUTH_ORG_UUID` : key.env}\``);
  lines.push('', `[Datadog WIF: datadog.yaml keys](${docsUrl('datadog.yaml keys')})`);
  return lines.join('\n');
}

function sectionHover(name: string, parent: string | null, supported: boolean): string {
  if (!supported) {
    return `**\`${name}\`**\n\nThis section does not read \`delegated_auth\`; it has no effect here.\n\n[Rule \`agent/unsupported-section\`](${docsUrl('agent/unsupported-section')})`;
  }
  return [
    `**\`${name}\`** · delegated authentication (Workload Identity Federation)`,
    '',
    `With \`org_uuid\` set, the Agent proves its AWS identity (a signed STS \`GetCallerIdentity\` request) to Datadog and receives a managed, rotated API key for \`${apiKeySlot(parent)}\`. An intake mapping must match the Agent's assumed-role ARN. On any failure the Agent keeps using \`${apiKeySlot(parent)}\`.`,
    '',
    parent ? 'In a per-product section only `org_uuid` has an effect; `provider`, `aws` and `refresh_interval_mins` are read from the global section.' : 'Keys: `org_uuid`, `provider`, `aws.region`, `refresh_interval_mins`.',
    '',
    'Needs Agent 7.78.0 or later; not offered on the US1-FED / US2-FED sites.',
    '',
    `[Datadog WIF: datadog.yaml keys](${docsUrl('datadog.yaml keys')})`,
  ].join('\n');
}

function siteHover(at: Located): string {
  const value = at.part === 'value' && typeof at.value === 'string' ? at.value.trim() : undefined;
  const head = '**`site`** · the Datadog site this Agent reports to (default `datadoghq.com`)';
  if (value === undefined) {
    const rows = DATADOG_SITES.map((s) => `| \`${s.site}\` | ${s.label} | \`${s.apiHost}\` | ${s.agentFlow} |`);
    return [head, '', '| site | | API host | Agent flow |', '|---|---|---|---|', ...rows].join('\n');
  }
  const s = findSite(value);
  if (!s) return `${head}\n\n\`${value}\` is not a known Datadog site: a login test will not send a proof there unless its host is allowed in user settings.\n\n[Rule \`agent/unknown-site\`](${docsUrl('agent/unknown-site')})`;
  const flow = s.agentFlow === 'yes' ? 'offered' : s.agentFlow === 'no' ? '**not offered** (Terraform flow only)' : 'not documented';
  return [head, '', `\`${s.site}\` (${s.label}) → API host \`${s.apiHost}\``, '', `Agent flow of delegated authentication: ${flow}.`].join('\n');
}
