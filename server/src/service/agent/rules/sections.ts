// agent/unsupported-section and agent/wrong-type for the section itself.

import type { AgentRuleContext } from '../context';
import { describeYamlType } from '../describe';

export function sectionPlacement(ctx: AgentRuleContext): void {
  for (const s of ctx.model.sections) {
    if (s.supported) continue;
    ctx.report(
      'agent/unsupported-section',
      s.keySpan,
      `\`${s.parent}\` does not read \`delegated_auth\`: only the global section and \`logs_config\`, \`remote_configuration\`, \`evp_proxy_config\` and \`ol_proxy_config\` do. This section has no effect.`,
      { about: '' },
    );
  }
}

export function sectionType(ctx: AgentRuleContext): void {
  for (const s of ctx.model.sections) {
    if (!s.supported) continue;
    const v = s.value;
    if (v.kind === 'map' || (v.kind === 'scalar' && v.value === null)) continue;
    ctx.report('agent/wrong-type', v, `\`${s.path}\` must be a mapping (\`org_uuid: …\` on the lines below it), not ${describeYamlType(v)}.`, { about: 'section' });
  }
}
