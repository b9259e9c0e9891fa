// The Datadog Operator's `DatadogAgent` (datadoghq.com/v2alpha1, followed at
// DataDog/datadog-operator v1.29.0 / main of Aug 2026,
// api/datadoghq/v2alpha1/datadogagent_types.go) read as the environment the
// Operator gives each component's main container:
//
// - DD_API_KEY from `spec.global.credentials.apiSecret` (takes precedence)
//   or `.apiKey`; DD_SITE from `spec.global.site`; then `spec.global.env`
//   ("set for all Agents": internal/controller/datadogagent/global/global.go);
// - then `spec.override.<component>.env` and the main container's
//   `spec.override.<component>.containers.<name>.env` (`all` first): "Priority
//   is Container > Component".
//
// Components: `nodeAgent` (container `agent`), `clusterAgent`
// (`cluster-agent`), `clusterChecksRunner` (`agent`). Images from
// `override.<component>.image` (`name` may be a whole image string with its
// tag; else `tag`, and `jmxEnabled` for `-jmx`). The role from
// `override.<component>.serviceAccountAnnotations` (IRSA), the ServiceAccount
// being `serviceAccountName` or `<metadata.name>-agent` (`-cluster-agent`,
// `-cluster-checks-runner`: pkg/constants).

import { lastEntry, type Span, type YMap, type YValue } from '../agent/yamlTree';
import { emptyAgentEnvFile, type AgentEnvFile, type AgentWorkload, type EnvSetting, type ImageRef, type RoleRef, type ValueSyntax } from './settings';
import { IRSA_ANNOTATION } from './kubernetes';
import { envVariable } from './names';
import { parseImage } from './version';
import { entryOf, isTemplate, mapAt, readEnvList, scalarText, settingValue, trimmed } from './yamlEnv';

interface Component {
  key: string;
  what: string;
  container: string;
  /** The image the Operator runs when `image.name` is not given. */
  defaultImage: string;
  serviceAccountSuffix: string;
}

const COMPONENTS: readonly Component[] = [
  { key: 'nodeAgent', what: 'node Agent', container: 'agent', defaultImage: 'agent', serviceAccountSuffix: '-agent' },
  { key: 'clusterAgent', what: 'Cluster Agent', container: 'cluster-agent', defaultImage: 'cluster-agent', serviceAccountSuffix: '-cluster-agent' },
  { key: 'clusterChecksRunner', what: 'Cluster Checks Runner', container: 'agent', defaultImage: 'agent', serviceAccountSuffix: '-cluster-checks-runner' },
];

export function readDatadogAgent(root: YValue, text: string): AgentEnvFile {
  const file = emptyAgentEnvFile();
  if (root.kind !== 'map' || scalarText(entryOf(root, 'kind')?.value) !== 'DatadogAgent') return file;
  const apiVersion = scalarText(entryOf(root, 'apiVersion')?.value) ?? '';
  // v1alpha1 has another shape (spec.agent.config.env, …) and is no longer served by current Operators.
  if (apiVersion && !/^datadoghq\.com\/v2/.test(apiVersion)) return file;
  const syntax: ValueSyntax = /^\s*[{[]/.test(text) ? 'json' : 'yaml';
  const spec = mapAt(root, 'spec');
  const global = mapAt(spec, 'global');
  const metaName = scalarText(entryOf(mapAt(root, 'metadata'), 'name')?.value);
  const namespace = scalarText(entryOf(mapAt(root, 'metadata'), 'namespace')?.value);

  const common: EnvSetting[] = [];
  const apiKey = apiKeySetting(mapAt(global, 'credentials'), syntax, text);
  if (apiKey) common.push(apiKey);
  const site = entryOf(global, 'site');
  if (site && scalarText(site.value)) common.push({ name: 'DD_SITE', label: 'spec.global.site', nameSpan: span(site.keySpan), value: settingValue(site.value, syntax, text) });
  common.push(...readEnvList(entryOf(global, 'env')?.value, { syntax, text }));

  const kindKey = entryOf(root, 'kind')!;
  const overrides = mapAt(spec, 'override');
  for (const c of COMPONENTS) {
    const o = mapAt(overrides, c.key);
    // The global settings reach every component; a component other than the node Agent is read only
    // when the file overrides it, so a mistake in `spec.global` is reported once, on the node Agent.
    if (c.key !== 'nodeAgent' && !o) continue;
    const containers = mapAt(o, 'containers');
    const own = [
      ...readEnvList(entryOf(o, 'env')?.value, { syntax, text }),
      ...readEnvList(entryOf(mapAt(containers, 'all'), 'env')?.value, { syntax, text }),
      ...readEnvList(entryOf(mapAt(containers, c.container), 'env')?.value, { syntax, text }),
    ];
    // The global settings reach every component, but what is wrong with them is said once, on the
    // node Agent: another component carries them only when its own overrides turn delegated auth on
    // (then they are its context: the site, the fallback key).
    const settings = c.key === 'nodeAgent' || own.some((s) => envVariable(s.name)?.section) ? [...common, ...own] : own;
    const envFrom = entryOf(o, 'envFrom');
    const anchor = entryOf(overrides, c.key)?.keySpan ?? kindKey.value;
    const image = imageRef(mapAt(o, 'image'), c.defaultImage, scalarText(entryOf(global, 'registry')?.value));
    const workload: AgentWorkload = {
      form: 'operator',
      label: `the ${c.what} of DatadogAgent${metaName ? ` \`${metaName}\`` : ''}`,
      anchor: span(anchor),
      settings,
      opaqueSources: envFrom && envFrom.value.kind === 'seq' && envFrom.value.items.length ? [{ span: span(envFrom.keySpan), what: '`envFrom`' }] : [],
      images: image ? [image] : [],
    };
    const saName = scalarText(entryOf(o, 'serviceAccountName')?.value) || (metaName ? `${metaName}${c.serviceAccountSuffix}` : undefined);
    const role = roleOf(o, saName && !isTemplate(saName) ? saName : undefined, namespace, syntax, text, file);
    if (role) workload.role = role;
    file.workloads.push(workload);
  }
  return file;
}

/** DD_API_KEY from the credentials: `apiSecret` (a Secret, takes precedence) or `apiKey`. */
function apiKeySetting(credentials: YMap | undefined, syntax: ValueSyntax, text: string): EnvSetting | undefined {
  const secret = entryOf(credentials, 'apiSecret');
  if (secret && secret.value.kind === 'map') {
    const name = scalarText(entryOf(secret.value, 'secretName')?.value);
    const key = scalarText(entryOf(secret.value, 'keyName')?.value);
    const source = name ? `from Secret \`${name}\`${key ? ` key \`${key}\`` : ''}` : 'from a Secret';
    return { name: 'DD_API_KEY', label: 'spec.global.credentials.apiSecret', nameSpan: span(secret.keySpan), value: { kind: 'unknown', span: trimmed(text, secret.value), source } };
  }
  const apiKey = entryOf(credentials, 'apiKey');
  if (apiKey && (scalarText(apiKey.value)?.trim() || apiKey.value.kind !== 'scalar')) {
    return { name: 'DD_API_KEY', label: 'spec.global.credentials.apiKey', nameSpan: span(apiKey.keySpan), value: settingValue(apiKey.value, syntax, text) };
  }
  return undefined;
}

/**
 * `image.name` is `<NAME>`, `<NAME>:<TAG>` or `<REGISTRY>/<NAME>:<TAG>`; with
 * a tag in it, `tag` and `jmxEnabled` are ignored; a bare name is under
 * `spec.global.registry`. Without a tag anywhere the Operator's own default
 * applies: not judged. The Agent under the default registry is left without
 * a repository (the form's default Agent image).
 */
function imageRef(image: YMap | undefined, defaultName: string, registry: string | undefined): ImageRef | undefined {
  if (!image) return undefined;
  const nameEntry = entryOf(image, 'name');
  const written = nameEntry && scalarText(nameEntry.value)?.trim();
  const parsed = written ? parseImage(written) : undefined;
  const fullString = !!parsed && (parsed.tag !== undefined || parsed.digest !== undefined);
  const tagEntry = entryOf(image, 'tag');
  const tag = fullString ? parsed!.tag : tagEntry && scalarText(tagEntry.value)?.trim();
  if (!tag || parsed?.digest !== undefined) return undefined;
  const name = parsed?.repository || defaultName;
  const reg = registry?.trim().replace(/\/+$/, '');
  let repository: string | undefined;
  if (name.includes('/')) repository = name;
  else if (reg) repository = `${reg}/${name}`;
  else if (name !== 'agent') repository = name;
  const ref: ImageRef = { tag, span: fullString ? span(nameEntry!.value) : span(tagEntry!.value) };
  if (repository) ref.repository = repository;
  const jmx = lastEntry(image, 'jmxEnabled')?.value;
  if (!fullString && jmx && isTrueValue(jmx)) ref.suffix = 'jmx';
  if (isTemplate(tag) || (written && isTemplate(written)) || (reg && isTemplate(reg))) ref.unknown = true;
  return ref;
}

function roleOf(override: YMap | undefined, serviceAccount: string | undefined, namespace: string | undefined, syntax: ValueSyntax, text: string, file: AgentEnvFile): RoleRef | undefined {
  const annotation = entryOf(mapAt(override, 'serviceAccountAnnotations'), IRSA_ANNOTATION);
  if (!annotation) return undefined;
  const value = settingValue(annotation.value, syntax, text);
  const sa = serviceAccount ? { name: serviceAccount, ...(namespace ? { namespace } : {}) } : undefined;
  if (sa) file.serviceAccounts.push({ ...sa, roleArn: value, span: span(annotation.keySpan) });
  const role: RoleRef = { via: 'irsa', span: span(annotation.value) };
  if (value.kind === 'literal' && value.text.trim()) role.arn = value.text.trim();
  if (sa) role.serviceAccount = sa;
  return role;
}

function isTrueValue(v: YValue): boolean {
  return v.kind === 'scalar' && (v.value === true || v.value === 'true');
}

function span(s: Span): Span {
  return { start: s.start, end: s.end };
}
