// Whether a YAML or JSON file may configure an Agent through its environment,
// decided from its content in one pass of cheap searches (no parse): a
// workspace holds thousands of YAML and JSON files and almost none are ours.
// A file that passes is parsed and read; each reader then decides per
// document (an unrelated manifest in a passing file stays quiet).

export type AgentEnvHint = 'kubernetes' | 'operator' | 'helm' | 'compose' | 'ecs';

/** At most this much of the text is searched for the shape (a values file's `datadog:` is near the top, as are `apiVersion`/`kind`). */
const HEAD = 256 * 1024;

/**
 * The forms the text may hold, or an empty list when it is none of ours.
 * Nothing mentions the Agent without `DD_`, `datadog` (values, images,
 * `DatadogAgent`) or `delegated`, so a text with none of them is rejected
 * after one search.
 */
export function sniffAgentEnv(text: string): AgentEnvHint[] {
  if (!/DD_|datadog|delegated/i.test(text)) return [];
  const head = text.length > HEAD ? text.slice(0, HEAD) : text;
  const hints: AgentEnvHint[] = [];
  const trimmed = head.trimStart();
  if ((trimmed.startsWith('{') || trimmed.startsWith('[')) && head.includes('"containerDefinitions"')) hints.push('ecs');
  if (/^kind:\s*["']?DatadogAgent\b/m.test(head)) hints.push('operator');
  // YAML keys at a line's start, or JSON's quoted ones anywhere (`kubectl get -o json`, one-line manifests).
  if ((/^\s*apiVersion:/m.test(head) || /"apiVersion"\s*:/.test(head)) && (/^\s*kind:/m.test(head) || /"kind"\s*:/.test(head))) hints.push('kubernetes');
  if (/^services:/m.test(head)) hints.push('compose');
  if (/^(datadog|agents|clusterAgent):/m.test(head)) hints.push('helm');
  if (hints.length === 0 && head.includes('containerDefinitions')) hints.push('ecs');
  return hints;
}
