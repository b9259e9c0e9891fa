// Values of the Datadog Helm chart (DataDog/helm-charts, charts/datadog,
// followed at chart 3.240.0) read as the environment the chart renders for
// each component:
//
// - node Agent (the `agent` container of the DaemonSet): DD_API_KEY (from
//   `datadog.apiKey` or `datadog.apiKeyExistingSecret`), DD_SITE (from
//   `datadog.site`), then `datadog.env`, `datadog.envDict`, then
//   `agents.containers.agent.env` and `.envDict` (templates/_containers-common-env.yaml,
//   _components-common-env.yaml, _container-agent.yaml);
// - Cluster Agent: DD_API_KEY, DD_SITE, then `clusterAgent.env`, `.envDict`
//   (`datadog.env` does not reach it: cluster-agent-deployment.yaml);
// - Cluster Checks Runner, when enabled: the same with `clusterChecksRunner.*`.
//
// `datadog.envFrom` and each component's `envFrom` are opaque sources. The
// values are found in the chart's own values file, in an umbrella chart's
// values nested under `datadog:`, in a Flux HelmRelease's `spec.values`, an
// Argo CD Application's `helm.valuesObject` and helmfile `releases[].values`.
// A values file that is not the Datadog chart's gives nothing.

import { lastEntry, type Span, type YMap, type YValue } from '../agent/yamlTree';
import { emptyAgentEnvFile, type AgentEnvFile, type AgentWorkload, type EnvSetting, type HelmChartFacts, type ImageRef, type RoleRef, type ServiceAccountDecl, type ValueSyntax } from './settings';
import { IRSA_ANNOTATION } from './kubernetes';
import { entryOf, isTemplate, mapAt, readEnvDict, readEnvList, scalarText, settingValue, trimmed } from './yamlEnv';

/** Keys of the chart's `datadog:` map that an unrelated chart's `datadog:` block is unlikely to hold together with env settings. */
const CHART_DATADOG_KEYS = ['apiKey', 'apiKeyExistingSecret', 'appKey', 'appKeyExistingSecret', 'site', 'env', 'envDict', 'envFrom', 'clusterName', 'logs', 'apm', 'kubelet', 'tags', 'logLevel', 'processAgent', 'networkMonitoring', 'dd_url', 'secretBackend'];
const CHART_COMPONENT_KEYS = ['image', 'containers', 'rbac', 'env', 'envDict', 'enabled'];

interface ChartValues {
  values: YMap;
  /** The path to `values` as written, for labels: '', `datadog.`, `spec.values.`. */
  prefix: string;
  /** The wrapper merges further values we do not see here (Flux `valuesFrom`, Argo `valueFiles`/`parameters`, helmfile value files, `set`, `secrets`). */
  moreValues?: string;
}

export function readHelmValues(root: YValue, text: string): AgentEnvFile {
  const file = emptyAgentEnvFile();
  if (root.kind !== 'map') return file;
  const syntax: ValueSyntax = /^\s*[{[]/.test(text) ? 'json' : 'yaml';
  for (const chart of chartValues(root)) readChart(chart, syntax, text, file);
  return file;
}

/** Where a document holds values of the Datadog chart: itself, or inside a wrapper. */
function chartValues(root: YMap): ChartValues[] {
  const kind = scalarText(entryOf(root, 'kind')?.value);
  const found: ChartValues[] = [];
  const consider = (values: YValue | undefined, prefix: string, moreValues?: string) => {
    if (values?.kind !== 'map') return;
    const chart = asChart(values, prefix);
    if (chart) found.push(moreValues ? { ...chart, moreValues } : chart);
  };
  const nonEmpty = (v: YValue | undefined) => !!v && (v.kind === 'map' ? v.entries.length > 0 : v.kind === 'seq' ? v.items.length > 0 : scalarText(v) !== undefined && scalarText(v) !== '');
  if (kind === 'HelmRelease') consider(mapAt(root, 'spec', 'values'), 'spec.values.', nonEmpty(entryOf(mapAt(root, 'spec'), 'valuesFrom')?.value) ? '`spec.valuesFrom`' : undefined);
  else if (kind === 'Application' || kind === 'ApplicationSet') {
    const spec = kind === 'ApplicationSet' ? mapAt(root, 'spec', 'template', 'spec') : mapAt(root, 'spec');
    const at = kind === 'ApplicationSet' ? 'spec.template.spec.' : 'spec.';
    const argoMore = (helm: YMap | undefined) => (['valueFiles', 'values', 'parameters'].some((k) => nonEmpty(entryOf(helm, k)?.value)) ? '`helm.valueFiles`, `values` or `parameters`' : undefined);
    consider(mapAt(spec, 'source', 'helm', 'valuesObject'), `${at}source.helm.valuesObject.`, argoMore(mapAt(spec, 'source', 'helm')));
    const sources = entryOf(spec, 'sources')?.value;
    if (sources?.kind === 'seq') sources.items.forEach((s, i) => consider(mapAt(s, 'helm', 'valuesObject'), `${at}sources[${i}].helm.valuesObject.`, argoMore(mapAt(s, 'helm'))));
  } else if (entryOf(root, 'releases')?.value.kind === 'seq') {
    // helmfile: each release's inline `values:` maps (file names in that list are other files).
    const releases = entryOf(root, 'releases')!.value;
    if (releases.kind === 'seq')
      releases.items.forEach((r, i) => {
        const values = entryOf(r, 'values')?.value;
        if (values?.kind !== 'seq') return;
        const files = values.items.some((v) => v.kind !== 'map') || nonEmpty(entryOf(r, 'set')?.value) || nonEmpty(entryOf(r, 'secrets')?.value);
        values.items.forEach((v, j) => consider(v, `releases[${i}].values[${j}].`, files ? 'the release\'s other `values`, `secrets` or `set`' : undefined));
      });
  } else consider(root, '');
  return found;
}

/** The chart's values in `values` (directly, or nested under an umbrella chart's `datadog:`), if they are the chart's. */
function asChart(values: YMap, prefix: string): ChartValues | undefined {
  const nested = mapAt(values, 'datadog');
  // An umbrella chart depending on the Datadog chart passes it the map under the dependency's name.
  if (nested && (mapAt(nested, 'datadog') || mapAt(nested, 'agents') || mapAt(nested, 'clusterAgent'))) return { values: nested, prefix: `${prefix}datadog.` };
  return looksLikeChart(values) ? { values, prefix } : undefined;
}

function looksLikeChart(values: YMap): boolean {
  const dd = mapAt(values, 'datadog');
  if (dd && CHART_DATADOG_KEYS.some((k) => lastEntry(dd, k))) return true;
  for (const component of ['agents', 'clusterAgent', 'clusterChecksRunner']) {
    const c = mapAt(values, component);
    if (c && CHART_COMPONENT_KEYS.some((k) => lastEntry(c, k))) return true;
  }
  return false;
}

function readChart({ values, prefix, moreValues }: ChartValues, syntax: ValueSyntax, text: string, file: AgentEnvFile): void {
  const dd = mapAt(values, 'datadog');
  const envOptions = { syntax, text, helm: true };
  const common: EnvSetting[] = [];
  const apiKey = apiKeySetting(dd, prefix, syntax, text);
  if (apiKey) common.push(apiKey);
  const site = entryOf(dd, 'site');
  if (site && scalarText(site.value)) common.push({ name: 'DD_SITE', label: `${prefix}datadog.site`, nameSpan: span(site.keySpan), value: settingValue(site.value, syntax, text) });
  const ddEnvFrom = entryOf(dd, 'envFrom');

  const ddKey = entryOf(values, 'datadog');
  const facts: HelmChartFacts = { apiKeyGiven: !!apiKey, anchor: ddKey ? span(ddKey.keySpan) : { start: values.start, end: values.start }, prefix };
  if (moreValues) facts.moreValues = moreValues;
  const fullname = scalarText(entryOf(values, 'fullnameOverride')?.value);
  const knownFullname = fullname && !isTemplate(fullname) ? fullname.slice(0, 63).replace(/-+$/, '') : undefined;
  const registry = scalarText(entryOf(values, 'registry')?.value);

  const component = (key: string, what: string, ownEnv: EnvSetting[], container: YMap | undefined, imageDefault: string | undefined, sa: ServiceAccount | undefined): AgentWorkload => {
    const c = mapAt(values, key);
    const anchorEntry = entryOf(values, key) ?? ddKey;
    const opaque = [ddEnvFrom, entryOf(c, 'envFrom'), entryOf(container, 'envFrom')]
      .filter((e): e is NonNullable<typeof e> => !!e && e.value.kind === 'seq' && e.value.items.length > 0)
      .map((e) => ({ span: span(e.keySpan), what: `\`${e.key}\`` }));
    const image = imageRef(mapAt(c, 'image'), imageDefault, registry);
    const workload: AgentWorkload = {
      form: 'helm',
      label: `the chart's ${what}${prefix ? ` (values under \`${prefix.slice(0, -1)}\`)` : ''}`,
      anchor: anchorEntry ? span(anchorEntry.keySpan) : facts.anchor,
      settings: [...common, ...ownEnv],
      opaqueSources: opaque,
      images: image ? [image] : [],
      helmChart: facts,
    };
    const role = sa && roleOf(sa, file, syntax, text);
    if (role) workload.role = role;
    return workload;
  };

  // The node Agent: `datadog.env` reaches every node Agent container; `agents.containers.agent.env` comes after it.
  const agentContainer = mapAt(values, 'agents', 'containers', 'agent');
  const nodeEnv = [...readEnvList(entryOf(dd, 'env')?.value, envOptions), ...readEnvDict(entryOf(dd, 'envDict')?.value, envOptions), ...readEnvList(entryOf(agentContainer, 'env')?.value, envOptions), ...readEnvDict(entryOf(agentContainer, 'envDict')?.value, envOptions)];
  file.workloads.push(component('agents', 'node Agent', nodeEnv, agentContainer, undefined, serviceAccount(mapAt(values, 'agents', 'rbac'), knownFullname, '')));

  const dca = mapAt(values, 'clusterAgent');
  if (!isFalse(entryOf(dca, 'enabled')?.value)) {
    const env = [...readEnvList(entryOf(dca, 'env')?.value, envOptions), ...readEnvDict(entryOf(dca, 'envDict')?.value, envOptions)];
    // Without a name or repository the Cluster Agent's image is `cluster-agent`, not the Agent's.
    file.workloads.push(component('clusterAgent', 'Cluster Agent', env, undefined, 'cluster-agent', serviceAccount(mapAt(dca, 'rbac'), knownFullname, '-cluster-agent')));
  }
  const ccr = mapAt(values, 'clusterChecksRunner');
  if (isTrue(entryOf(ccr, 'enabled')?.value)) {
    const env = [...readEnvList(entryOf(ccr, 'env')?.value, envOptions), ...readEnvDict(entryOf(ccr, 'envDict')?.value, envOptions)];
    // Its ServiceAccount carries the annotations only when it is its own (`rbac.dedicated`).
    const rbac = mapAt(ccr, 'rbac');
    const sa = isTrue(entryOf(rbac, 'dedicated')?.value) ? serviceAccount(rbac, undefined, '') : undefined;
    file.workloads.push(component('clusterChecksRunner', 'Cluster Checks Runner', env, undefined, undefined, sa));
  }
}

/**
 * DD_API_KEY as the chart sets it: from the Secret `apiKeyExistingSecret`
 * names (it takes precedence), else from `apiKey`. An empty one is not set.
 */
function apiKeySetting(dd: YMap | undefined, prefix: string, syntax: ValueSyntax, text: string): EnvSetting | undefined {
  const existing = entryOf(dd, 'apiKeyExistingSecret');
  const secretName = existing && scalarText(existing.value);
  if (existing && (secretName?.trim() || existing.value.kind !== 'scalar')) {
    const known = secretName && !isTemplate(secretName);
    return {
      name: 'DD_API_KEY',
      label: `${prefix}datadog.apiKeyExistingSecret`,
      nameSpan: span(existing.keySpan),
      value: { kind: 'unknown', span: trimmed(text, existing.value), source: known ? `from Secret \`${secretName}\`` : 'from an existing Secret' },
    };
  }
  const key = entryOf(dd, 'apiKey');
  if (key && (scalarText(key.value)?.trim() || key.value.kind !== 'scalar')) {
    return { name: 'DD_API_KEY', label: `${prefix}datadog.apiKey`, nameSpan: span(key.keySpan), value: settingValue(key.value, syntax, text) };
  }
  return undefined;
}

/**
 * The image the chart renders (templates/_helpers.tpl `image-path`):
 * `repository` replaces registry + `name`; `tag` then `-tagSuffix`; a
 * `digest` wins over the tag (no version to read). Without a tag in the
 * values the chart's own default applies, which depends on the chart
 * version: not judged.
 */
function imageRef(image: YMap | undefined, defaultName: string | undefined, registry: string | undefined): ImageRef | undefined {
  if (!image) return undefined;
  if (scalarText(entryOf(image, 'digest')?.value)?.trim()) return undefined;
  const tag = entryOf(image, 'tag');
  const tagText = tag && scalarText(tag.value);
  if (!tag || !tagText?.trim()) return undefined;
  const repository = scalarText(entryOf(image, 'repository')?.value)?.trim();
  const name = scalarText(entryOf(image, 'name')?.value)?.trim() || defaultName;
  // `name` defaults to `agent` under the chart's `registry`; the Agent under the chart's default registry is left without a repository (the form's default Agent image).
  let repo: string | undefined;
  if (repository) repo = repository;
  else if (registry?.trim()) repo = `${registry.trim().replace(/\/+$/, '')}/${name ?? 'agent'}`;
  else if (name && name !== 'agent') repo = name;
  const suffix = scalarText(entryOf(image, 'tagSuffix')?.value)?.trim();
  const unknown = tag.value.kind !== 'scalar' || isTemplate(tagText) || (!!repo && isTemplate(repo));
  const ref: ImageRef = { tag: tagText.trim(), span: span(tag.value) };
  if (repo) ref.repository = repo;
  if (suffix) ref.suffix = suffix;
  if (unknown) ref.unknown = true;
  return ref;
}

interface ServiceAccount {
  rbac: YMap | undefined;
  /** The name the chart gives the ServiceAccount it creates, when the values fix it (`fullnameOverride`). */
  createdName: string | undefined;
}

function serviceAccount(rbac: YMap | undefined, fullname: string | undefined, suffix: string): ServiceAccount {
  return { rbac, createdName: fullname ? `${fullname}${suffix}` : undefined };
}

/**
 * The role a component runs as: the IRSA annotation the chart puts on the
 * ServiceAccount it creates (`rbac.serviceAccountAnnotations`, rendered
 * through `tpl`), or, when it creates none (`rbac.create: false`), the
 * existing ServiceAccount it names, to be resolved across the workspace.
 */
function roleOf(sa: ServiceAccount, file: AgentEnvFile, syntax: ValueSyntax, text: string): RoleRef | undefined {
  const rbac = sa.rbac;
  if (isFalse(entryOf(rbac, 'create')?.value)) {
    const named = entryOf(rbac, 'serviceAccountName');
    const name = named && scalarText(named.value);
    if (!named || !name || isTemplate(name)) return undefined;
    return { via: 'irsa', span: span(named.value), serviceAccount: { name } };
  }
  const annotation = entryOf(mapAt(rbac, 'serviceAccountAnnotations'), IRSA_ANNOTATION);
  if (!annotation) return undefined;
  const value = settingValue(annotation.value, syntax, text);
  if (sa.createdName) {
    const decl: ServiceAccountDecl = { name: sa.createdName, roleArn: value, span: span(annotation.keySpan) };
    file.serviceAccounts.push(decl);
  }
  const role: RoleRef = { via: 'irsa', span: span(annotation.value) };
  if (value.kind === 'literal' && value.text.trim()) role.arn = value.text.trim();
  if (sa.createdName) role.serviceAccount = { name: sa.createdName };
  return role;
}

function isFalse(v: YValue | undefined): boolean {
  return v?.kind === 'scalar' && (v.value === false || v.value === 'false');
}

function isTrue(v: YValue | undefined): boolean {
  return v?.kind === 'scalar' && (v.value === true || v.value === 'true');
}

function span(s: Span): Span {
  return { start: s.start, end: s.end };
}
