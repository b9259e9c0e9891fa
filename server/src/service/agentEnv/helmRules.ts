// agent/helm-api-key-required: the Datadog chart's DaemonSet template is
// wrapped in `{{- if (or (.Values.datadog.apiKeyExistingSecret)
// (.Values.datadog.apiKey)) }}` (charts/datadog/templates/daemonset.yaml,
// chart 3.240.0): a values file that turns delegated auth on and sets
// neither gets no node Agent at all, not an Agent that authenticates
// without a key. Judged once per chart (the facts its workloads share).

import { ruleInfo } from '../catalog';
import type { Finding } from '../common/types';
import type { TextIndex } from '../common/textIndex';
import type { FindingCollector } from '../common/filter';
import { envVariable } from './names';
import type { AgentEnvFile, AgentWorkload, EnvSetting, HelmChartFacts } from './settings';

const CODE = 'agent/helm-api-key-required';

export function judgeHelm(file: AgentEnvFile, index: TextIndex, sink: Pick<FindingCollector, 'add'>): void {
  const charts = new Map<HelmChartFacts, AgentWorkload[]>();
  for (const w of file.workloads) {
    if (!w.helmChart) continue;
    const list = charts.get(w.helmChart);
    if (list) list.push(w);
    else charts.set(w.helmChart, [w]);
  }
  for (const [facts, workloads] of charts) {
    // A key may come from values merged in from elsewhere: only what we can see is judged.
    if (facts.apiKeyGiven || facts.moreValues) continue;
    const turnedOn = firstOrgUuid(workloads);
    if (!turnedOn) continue;
    const p = facts.prefix;
    const finding: Finding = {
      code: CODE,
      severity: ruleInfo(CODE)?.severity ?? 'error',
      message:
        `\`${turnedOn.label}\` turns delegated auth on, but neither \`${p}datadog.apiKey\` nor \`${p}datadog.apiKeyExistingSecret\` is set: ` +
        `the chart renders its node Agent DaemonSet only when one of them is, so no node Agent is deployed at all. ` +
        `Set \`${p}datadog.apiKeyExistingSecret\` to a Secret with an \`api-key\` entry (or \`${p}datadog.apiKey\`): ` +
        `the Agent keeps that key as the fallback if the delegated exchange fails.`,
      range: index.range(facts.anchor.start, facts.anchor.end),
      related: [{ range: index.range(turnedOn.nameSpan.start, turnedOn.nameSpan.end), message: 'delegated auth is turned on here' }],
    };
    sink.add(finding);
  }
}

/**
 * The first setting that turns the exchange on (an `…DELEGATED_AUTH_ORG_UUID`
 * that is set: an unknown value counts, an empty one does not).
 */
function firstOrgUuid(workloads: readonly AgentWorkload[]): EnvSetting | undefined {
  for (const w of workloads)
    for (const s of w.settings) {
      if (envVariable(s.name)?.sectionKey !== 'org_uuid') continue;
      if (s.value.kind === 'unknown' || /\S/.test(s.value.text)) return s;
    }
  return undefined;
}
