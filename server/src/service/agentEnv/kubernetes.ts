// Reads Agents configured in Kubernetes manifests: every container of a pod
// template (Pod, DaemonSet, Deployment, StatefulSet, ReplicaSet, Job,
// CronJob, ReplicationController, PodTemplate; any apiVersion, old
// `extensions/v1beta1` too; the items of a `kind: List`), with its `env`
// (a `value` is a literal; `valueFrom` is unknown), its `envFrom` (sources of
// variables we cannot see), its image and the ServiceAccount the pod runs
// as; and the ServiceAccounts the file declares, with their IRSA role
// annotation. Shapes follow the Kubernetes API reference (core/v1 Container,
// EnvVar, EnvVarSource, EnvFromSource; PodSpec.serviceAccountName).
//
// Anything else in the document is ignored, and any shape (a list where a
// map belongs, a number, an alias) is taken for what it is or skipped:
// nothing here throws on input.

import { lastEntry, scalarString, type Span, type YMap, type YScalar, type YValue } from '../agent/yamlTree';
import { emptyAgentEnvFile, type AgentEnvFile, type AgentWorkload, type EnvSetting, type KeyRef, type SettingValue } from './settings';

/** Where each kind keeps its pod spec, below the document's root. */
const POD_SPEC_PATHS: Record<string, readonly string[]> = {
  Pod: ['spec'],
  PodTemplate: ['template', 'spec'],
  DaemonSet: ['spec', 'template', 'spec'],
  Deployment: ['spec', 'template', 'spec'],
  StatefulSet: ['spec', 'template', 'spec'],
  ReplicaSet: ['spec', 'template', 'spec'],
  ReplicationController: ['spec', 'template', 'spec'],
  Job: ['spec', 'template', 'spec'],
  CronJob: ['spec', 'jobTemplate', 'spec', 'template', 'spec'],
};

/** `List` inside `List` is not a thing Kubernetes makes; a little nesting is tolerated, no more. */
const MAX_LIST_DEPTH = 4;

/** The IRSA annotation on a ServiceAccount (EKS docs, "IAM roles for service accounts"). */
export const IRSA_ANNOTATION = 'eks.amazonaws.com/role-arn';

export function readKubernetes(root: YValue, text: string): AgentEnvFile {
  void text;
  const out = emptyAgentEnvFile();
  readObject(root, out, 0);
  return out;
}

function readObject(v: YValue, out: AgentEnvFile, depth: number): void {
  if (v.kind !== 'map') return;
  const kind = stringAt(v, 'kind');
  if (kind === undefined) return;
  if (kind === 'List' || kind.endsWith('List')) {
    const items = lastEntry(v, 'items')?.value;
    if (items?.kind === 'seq' && depth < MAX_LIST_DEPTH) for (const item of items.items) readObject(item, out, depth + 1);
    return;
  }
  if (kind === 'ServiceAccount') {
    readServiceAccount(v, out);
    return;
  }
  if (kind === 'Secret' || kind === 'ConfigMap') {
    readKeyValues(v, kind, out);
    return;
  }
  const path = POD_SPEC_PATHS[kind];
  if (!path) return;
  const spec = mapAt(v, path);
  if (!spec) return;
  const metadata = mapAt(v, ['metadata']);
  const name = metadata ? stringAt(metadata, 'name') : undefined;
  const namespace = metadata ? stringAt(metadata, 'namespace') : undefined;
  const owner = `${kind}${name !== undefined ? ` \`${name}\`` : ''}`;
  // `serviceAccount` is the deprecated alias of `serviceAccountName`; the pod runs as `default` without either.
  const saEntry = lastEntry(spec, 'serviceAccountName') ?? lastEntry(spec, 'serviceAccount');
  const saName = saEntry?.value.kind === 'scalar' && saEntry.value.value !== null ? scalarString(saEntry.value) : saEntry ? undefined : 'default';
  for (const listKey of ['initContainers', 'containers']) {
    const list = lastEntry(spec, listKey)?.value;
    if (list?.kind !== 'seq') continue;
    for (const c of list.items) {
      if (c.kind !== 'map') continue;
      const workload = readContainer(c, owner, listKey === 'initContainers', namespace);
      if (saName !== undefined) {
        workload.role = {
          via: 'irsa',
          span: saEntry && saEntry.value.kind === 'scalar' ? saEntry.value : workload.anchor,
          serviceAccount: { name: saName, ...(namespace !== undefined ? { namespace } : {}) },
        };
      }
      out.workloads.push(workload);
    }
  }
}

function readContainer(c: YMap, owner: string, init: boolean, namespace: string | undefined): AgentWorkload {
  const nameEntry = lastEntry(c, 'name');
  const name = nameEntry?.value.kind === 'scalar' ? scalarString(nameEntry.value) : undefined;
  const workload: AgentWorkload = {
    form: 'kubernetes',
    label: `${init ? 'init container' : 'container'}${name !== undefined ? ` \`${name}\`` : ''} of ${owner}`,
    anchor: nameEntry ? nameEntry.value : { start: c.start, end: c.start },
    settings: [],
    opaqueSources: [],
    images: [],
  };
  const image = lastEntry(c, 'image')?.value;
  if (image?.kind === 'scalar' && typeof image.value === 'string' && image.value.trim() !== '') {
    // A template (`{{ .Values.tag }}`, `${TAG}`) is filled in later: not the image that runs.
    workload.images.push({ repository: image.value.trim(), span: image, ...(/\{\{|\$\{|\$\(/.test(image.value) ? { unknown: true } : {}) });
  }
  const env = lastEntry(c, 'env')?.value;
  if (env?.kind === 'seq') {
    for (const item of env.items) {
      const setting = item.kind === 'map' ? readEnvVar(item, namespace) : undefined;
      if (setting) workload.settings.push(setting);
    }
  }
  const envFrom = lastEntry(c, 'envFrom')?.value;
  if (envFrom?.kind === 'seq') {
    for (const item of envFrom.items) workload.opaqueSources.push({ span: item, what: item.kind === 'map' ? describeEnvFrom(item) : 'an `envFrom` entry' });
  }
  return workload;
}

/** One `env` item (`{name, value}` / `{name, valueFrom}`, a corev1.EnvVar): also what the Operator's and the chart's env lists hold. */
export function readEnvVar(item: YMap, namespace: string | undefined): EnvSetting | undefined {
  const nameEntry = lastEntry(item, 'name');
  if (nameEntry?.value.kind !== 'scalar' || nameEntry.value.value === null) return undefined;
  const label = scalarString(nameEntry.value);
  if (label === '' || label.includes('{{')) return undefined;
  const nameSpan = innerSpan(nameEntry.value);
  const from = lastEntry(item, 'valueFrom');
  const literal = lastEntry(item, 'value');
  let value: SettingValue;
  if (from && !(from.value.kind === 'scalar' && from.value.value === null)) {
    const ref = keyRefOf(from.value, namespace);
    value = { kind: 'unknown', span: from.value.end > from.value.start ? from.value : from.keySpan, source: describeValueFrom(from.value), ...(ref ? { ref } : {}) };
  } else if (literal && literal.value.kind === 'scalar') {
    const v = literal.value;
    const text = scalarString(v);
    // Kubernetes expands `$(NAME)` from the container's earlier variables: what the Agent gets is not written here.
    const reference = /\$\([A-Za-z_][A-Za-z0-9_]*\)/.exec(text);
    if (reference) value = { kind: 'unknown', span: v, source: `expanded by Kubernetes from \`${reference[0]}\`` };
    // A chart's template (`templates/daemonset.yaml`) is YAML only once rendered: `{{ … }}` is filled in by Helm.
    else if (text.includes('{{')) value = { kind: 'unknown', span: v, source: 'from a template (`{{ … }}`)' };
    else value = { kind: 'literal', text, span: v.end > v.start ? v : { start: literal.keySpan.end, end: literal.keySpan.end }, syntax: 'yaml', replaceable: !v.viaAlias && !literal.merged && v.style !== 'block' && v.end > v.start };
  } else if (literal) {
    // A map or a list is no string (the API server refuses it): most likely a template (`{{ .Values.x }}`
    // reads as a flow map), whose value is not written here.
    value = { kind: 'unknown', span: literal.value, source: 'not a string here (a template?)' };
  } else {
    // Neither `value` nor `valueFrom`: the variable is set, empty.
    value = { kind: 'literal', text: '', span: nameSpan, syntax: 'yaml', replaceable: false };
  }
  return { name: label.toUpperCase(), label, nameSpan, value };
}

/** "from Secret `datadog-secret` key `api-key`", "from ConfigMap `x` key `y`", "from the pod's `metadata.namespace`". */
export function describeValueFrom(v: YValue): string {
  if (v.kind !== 'map') return 'from `valueFrom`';
  for (const [key, what] of [
    ['secretKeyRef', 'Secret'],
    ['configMapKeyRef', 'ConfigMap'],
  ] as const) {
    const ref = lastEntry(v, key)?.value;
    if (ref?.kind === 'map') {
      const name = stringAt(ref, 'name');
      const k = stringAt(ref, 'key');
      return `from ${what}${name !== undefined ? ` \`${name}\`` : ''}${k !== undefined ? ` key \`${k}\`` : ''}`;
    }
  }
  const field = lastEntry(v, 'fieldRef')?.value;
  if (field?.kind === 'map') {
    const path = stringAt(field, 'fieldPath');
    return path !== undefined ? `from the pod's \`${path}\`` : 'from a pod field';
  }
  const resource = lastEntry(v, 'resourceFieldRef')?.value;
  if (resource?.kind === 'map') {
    const r = stringAt(resource, 'resource');
    return r !== undefined ? `from the container's \`${r}\`` : 'from a container resource';
  }
  return 'from `valueFrom`';
}

/** The Secret or ConfigMap key a `valueFrom` names (it lives in the pod's namespace). */
function keyRefOf(v: YValue, namespace: string | undefined): KeyRef | undefined {
  if (v.kind !== 'map') return undefined;
  for (const [key, kind] of [
    ['secretKeyRef', 'Secret'],
    ['configMapKeyRef', 'ConfigMap'],
  ] as const) {
    const ref = lastEntry(v, key)?.value;
    if (ref?.kind !== 'map') continue;
    const name = stringAt(ref, 'name');
    const k = stringAt(ref, 'key');
    return name !== undefined && k !== undefined ? { kind, name, key: k, ...(namespace !== undefined ? { namespace } : {}) } : undefined;
  }
  return undefined;
}

/**
 * What a Secret or ConfigMap states: ConfigMap `data` and Secret `stringData`
 * as written (a fix may edit them); Secret `data` decoded from base64 (not
 * editable in place). A value that does not decode to text is left out.
 */
function readKeyValues(v: YMap, kind: 'Secret' | 'ConfigMap', out: AgentEnvFile): void {
  const metadata = mapAt(v, ['metadata']);
  const name = metadata ? stringAt(metadata, 'name') : undefined;
  if (name === undefined) return;
  const namespace = metadata ? stringAt(metadata, 'namespace') : undefined;
  const sections: [string, boolean][] = kind === 'ConfigMap' ? [['data', false]] : [['data', true], ['stringData', false]];
  for (const [section, base64] of sections) {
    const map = mapAt(v, [section]);
    if (!map) continue;
    for (const e of map.entries) {
      if (e.value.kind !== 'scalar' || e.value.value === null) continue;
      const raw = scalarString(e.value);
      const text = base64 ? decodeBase64(raw) : raw;
      if (text === undefined) continue;
      const replaceable = !base64 && !e.value.viaAlias && !e.merged && e.value.style !== 'block';
      (out.keyValues ??= []).push({
        ref: { kind, name, key: e.key, ...(namespace !== undefined ? { namespace } : {}) },
        value: { kind: 'literal', text, span: e.value, syntax: 'yaml', replaceable },
      });
    }
  }
}

/** Base64 to UTF-8 text; undefined when it is not base64 of valid UTF-8. */
function decodeBase64(raw: string): string | undefined {
  const clean = raw.replace(/\s+/g, '');
  if (!/^[A-Za-z0-9+/]*={0,2}$/.test(clean) || clean.length % 4 !== 0) return undefined;
  try {
    return new TextDecoder('utf-8', { fatal: true }).decode(Uint8Array.from(atob(clean), (c) => c.charCodeAt(0)));
  } catch {
    return undefined;
  }
}

function describeEnvFrom(item: YMap): string {
  const prefix = stringAt(item, 'prefix');
  for (const [key, what] of [
    ['configMapRef', 'ConfigMap'],
    ['secretRef', 'Secret'],
  ] as const) {
    const ref = lastEntry(item, key)?.value;
    if (ref?.kind === 'map') {
      const name = stringAt(ref, 'name');
      return `every key of ${what}${name !== undefined ? ` \`${name}\`` : ''}${prefix ? ` (prefixed \`${prefix}\`)` : ''}`;
    }
  }
  return 'an `envFrom` entry';
}

function readServiceAccount(v: YMap, out: AgentEnvFile): void {
  const metadata = mapAt(v, ['metadata']);
  if (!metadata) return;
  const nameEntry = lastEntry(metadata, 'name');
  if (nameEntry?.value.kind !== 'scalar' || nameEntry.value.value === null) return;
  const namespace = stringAt(metadata, 'namespace');
  const annotation = mapAt(metadata, ['annotations']) ? lastEntry(mapAt(metadata, ['annotations'])!, IRSA_ANNOTATION) : undefined;
  let roleArn: SettingValue | undefined;
  if (annotation?.value.kind === 'scalar' && annotation.value.value !== null) {
    const a = annotation.value;
    const text = scalarString(a);
    roleArn = /\{\{|\$\{/.test(text)
      ? { kind: 'unknown', span: a, source: 'a template' }
      : { kind: 'literal', text, span: a, syntax: 'yaml', replaceable: !a.viaAlias && !annotation.merged && a.style !== 'block' };
  }
  out.serviceAccounts.push({
    name: scalarString(nameEntry.value),
    ...(namespace !== undefined ? { namespace } : {}),
    ...(roleArn ? { roleArn } : {}),
    span: nameEntry.value,
  });
}

// ---------------------------------------------------------------------------

function mapAt(v: YMap, path: readonly string[]): YMap | undefined {
  let cur: YValue = v;
  for (const key of path) {
    if (cur.kind !== 'map') return undefined;
    const next: YValue | undefined = lastEntry(cur, key)?.value;
    if (!next) return undefined;
    cur = next;
  }
  return cur.kind === 'map' ? cur : undefined;
}

/** A scalar's text under `key`, when it is a non-null scalar. */
function stringAt(v: YMap, key: string): string | undefined {
  const e = lastEntry(v, key)?.value;
  return e?.kind === 'scalar' && e.value !== null ? scalarString(e) : undefined;
}

/** A scalar's characters without its quotes (what a rename replaces); a block scalar or an alias as is. */
function innerSpan(s: YScalar): Span {
  if ((s.style === 'single' || s.style === 'double') && s.end - s.start >= 2) return { start: s.start + 1, end: s.end - 1 };
  return { start: s.start, end: s.end };
}
