// Hover help in files that configure Agents by environment: on a variable's
// name (what it sets in datadog.yaml, from agent/keys.ts) and on its value
// (a site's region and Agent flow, a value we cannot see and why).

import type { Hover, Position } from '../common/types';
import type { TextIndex } from '../common/textIndex';
import { DATADOG_SITES, findSite } from '../common/sites';
import { docsUrl } from '../catalog';
import { describeKey } from '../agent/keys';
import { envVariable } from './names';
import type { AgentEnvFile, EnvSetting } from './settings';

export function agentEnvHover(file: AgentEnvFile, index: TextIndex, pos: Position): Hover | null {
  const offset = index.offsetAt(pos);
  for (const w of file.workloads) {
    for (const s of w.settings) {
      if (offset >= s.nameSpan.start && offset <= s.nameSpan.end) {
        const contents = nameHover(s);
        if (contents) return { contents, range: index.range(s.nameSpan.start, s.nameSpan.end) };
      }
      const v = s.value.span;
      if (v.end > v.start && offset >= v.start && offset <= v.end && (v.start !== s.nameSpan.start || v.end !== s.nameSpan.end)) {
        const contents = valueHover(s);
        if (contents) return { contents, range: index.range(v.start, v.end) };
      }
    }
  }
  return null;
}

const DOCS = () => `[Datadog WIF: the Agent configured by environment](${docsUrl('The Agent configured by environment')})`;

/** What a variable sets; undefined for one we know nothing about (a misspelt one has its diagnostic). */
export function describeVariable(name: string): string | undefined {
  const v = envVariable(name);
  if (!v) return undefined;
  if (name === 'DD_SITE') return `**\`DD_SITE\`** sets \`site\`: the Datadog site the Agent reports to (default \`datadoghq.com\`). The Agent flow of delegated authentication is not offered on \`ddog-gov.com\` and \`us2.ddog-gov.com\`.`;
  if (!v.section) {
    return `**\`${name}\`** sets \`${v.keyPath}\`: the API key ${v.parent ? `\`${v.parent}\` sends with` : 'the Agent sends with'}. With delegated authentication on, it is the fallback the Agent keeps using if the exchange fails.`;
  }
  const key = describeKey(v.sectionKey!);
  const lines = [`**\`${name}\`** sets \`${v.keyPath}\`${key ? ` · ${key.type} · default: ${key.default}` : ''}`];
  if (key) lines.push('', key.description);
  if (v.parent && key?.readIn === 'global section only') lines.push('', `Read from the global section only (\`DD_DELEGATED_AUTH_…\`): **it has no effect here**.`);
  else if (v.parent) lines.push('', `Turns on the exchange for \`${v.parent}.api_key\` only.`);
  lines.push('', 'Needs Agent 7.78.0 or later.');
  return lines.join('\n');
}

function nameHover(s: EnvSetting): string | undefined {
  const about = describeVariable(s.name);
  if (!about) return undefined;
  const as = s.label !== s.name ? `\n\n\`${s.label}\` becomes \`${s.name}\` in the Agent's environment.` : '';
  return `${about}${as}\n\n${DOCS()}`;
}

function valueHover(s: EnvSetting): string | undefined {
  if (s.value.kind === 'unknown') return `**\`${s.label}\`**: the value comes ${s.value.source}. It is not in this file, so it is not checked (an API key given this way counts as present).`;
  if (s.name !== 'DD_SITE') return undefined;
  const site = findSite(s.value.text);
  if (!site) {
    const rows = DATADOG_SITES.map((d) => `\`${d.site}\``).join(', ');
    return `\`${s.value.text}\` is not a known Datadog site (${rows}).`;
  }
  const flow = site.agentFlow === 'yes' ? 'offered' : site.agentFlow === 'no' ? '**not offered** (Terraform flow only)' : 'not documented';
  return `\`${site.site}\` (${site.label}) → API host \`${site.apiHost}\`\n\nAgent flow of delegated authentication: ${flow}.`;
}
