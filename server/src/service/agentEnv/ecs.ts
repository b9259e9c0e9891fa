// ECS task definitions in JSON: what the Agent containers of a task receive
// as environment variables, their images, and the task's role.
//
// Shapes read (the ECS API's RegisterTaskDefinition / DescribeTaskDefinition,
// Developer Guide "Task definition parameters"):
//   - a task definition: `{"family": …, "taskRoleArn": …, "containerDefinitions": [ … ]}`
//     (what `aws ecs register-task-definition --cli-input-json` takes);
//   - `{"taskDefinition": { … }}`, as `aws ecs describe-task-definition` prints it;
//   - a list of task definitions, or a bare list of container definitions
//     (the JSON a Terraform `container_definitions` holds).
// In each container definition: `environment` ([{name, value}]: literals),
// `secrets` ([{name, valueFrom}]: unknown, from Secrets Manager or SSM
// Parameter Store, present all the same), `environmentFiles` ([{value, type}]
// in S3: sources the file does not show), `image`. CloudFormation's
// PascalCase `ContainerDefinitions` is not read.
//
// The same reading serves JSON written inside a Terraform string (a heredoc,
// a quoted string): a JsonPlacement maps the parsed text back onto the .tf
// file and says which parts Terraform interpolates (terraform/ecs.ts).

import { lastEntry, scalarString, type YMap, type YScalar, type YValue } from '../agent/yamlTree';
import { shorten } from '../agent/describe';
import type { Span } from '../agent/yamlTree';
import { emptyAgentEnvFile, type AgentEnvFile, type AgentWorkload, type EnvSetting, type ImageRef, type RoleRef, type SettingValue, type WorkloadForm } from './settings';

/** How text that was parsed as JSON sits in the file: itself (a .json file), or inside a Terraform string. */
export interface JsonPlacement {
  form: WorkloadForm;
  /** The file's characters for [start, end) of the parsed text. */
  span(s: Span): Span;
  /** Whether a quick fix may write a JSON literal over the file's characters for [start, end) of the parsed text. */
  replaceable(s: Span): boolean;
  /** When Terraform computes part of [start, end) of the parsed text (a `${…}`): that part as written. */
  unknownIn(s: Span): string | undefined;
  /** The file's text for [start, end) of the parsed text, as written. */
  written(s: Span): string;
}

/** A .json file: the parsed text is the file. */
function inFile(text: string): JsonPlacement {
  return { form: 'ecs', span: (s) => ({ start: s.start, end: s.end }), replaceable: () => true, unknownIn: () => undefined, written: (s) => text.slice(s.start, s.end) };
}

/** Below this many levels a JSON document is not a task definition worth looking into (a list of task definitions at most). */
const MAX_LIST_NESTING = 2;

/** The reader registered for the 'ecs' hint: one document of a JSON (or YAML) file, converted (readers.ts). */
export function readEcsTaskDefinitions(root: YValue, text: string): AgentEnvFile {
  const file = emptyAgentEnvFile();
  collect(root, inFile(text), file.workloads, 0);
  return file;
}

function collect(v: YValue, placement: JsonPlacement, out: AgentWorkload[], depth: number): void {
  if (v.kind === 'map') {
    const wrapped = lastEntry(v, 'taskDefinition')?.value;
    const taskDefinition = lastEntry(v, 'containerDefinitions') ? v : wrapped?.kind === 'map' ? wrapped : undefined;
    if (taskDefinition) out.push(...readTaskDefinition(taskDefinition, placement));
    return;
  }
  if (v.kind !== 'seq' || depth >= MAX_LIST_NESTING) return;
  // A bare list of container definitions (what a Terraform `container_definitions` holds)…
  if (v.items.some(isContainerDefinition)) {
    out.push(...readContainerDefinitions(v, placement));
    return;
  }
  // …or a list of task definitions.
  for (const item of v.items) collect(item, placement, out, depth + 1);
}

/** A map that looks like a container definition rather than a task definition. */
function isContainerDefinition(v: YValue): boolean {
  return v.kind === 'map' && !lastEntry(v, 'containerDefinitions') && (!!lastEntry(v, 'image') || !!lastEntry(v, 'environment') || !!lastEntry(v, 'secrets'));
}

function readTaskDefinition(td: YMap, placement: JsonPlacement): AgentWorkload[] {
  const defs = lastEntry(td, 'containerDefinitions')?.value;
  if (!defs) return [];
  const family = stringAt(td, 'family');
  const role = taskRole(td, placement);
  return readContainerDefinitions(defs, placement, { owner: family === undefined ? undefined : `task definition \`${shorten(family)}\``, role });
}

function taskRole(td: YMap, placement: JsonPlacement): RoleRef | undefined {
  const v = lastEntry(td, 'taskRoleArn')?.value;
  if (v?.kind !== 'scalar' || v.value === null) return undefined;
  const span = placement.span(v);
  if (placement.unknownIn(v) !== undefined) return undefined;
  return { via: 'ecs-task-role', arn: scalarString(v), span };
}

export interface ContainerContext {
  /** For labels: "task definition `x`", "`aws_ecs_task_definition.agent`". */
  owner?: string;
  /** The task's role: every container of the task runs as it. */
  role?: RoleRef;
}

/** One workload per container definition of a `containerDefinitions` list. */
export function readContainerDefinitions(defs: YValue, placement: JsonPlacement, context: ContainerContext = {}): AgentWorkload[] {
  if (defs.kind !== 'seq') return [];
  const out: AgentWorkload[] = [];
  for (const c of defs.items) {
    if (c.kind !== 'map') continue;
    out.push(readContainer(c, placement, context));
  }
  return out;
}

function readContainer(c: YMap, placement: JsonPlacement, context: ContainerContext): AgentWorkload {
  const nameValue = lastEntry(c, 'name')?.value;
  const name = nameValue?.kind === 'scalar' && nameValue.value !== null ? scalarString(nameValue) : undefined;
  const label = [name === undefined ? 'a container' : `container \`${shorten(name)}\``, context.owner && `of ${context.owner}`].filter(Boolean).join(' ');
  const anchor = nameValue?.kind === 'scalar' && name !== undefined ? placement.span(nameValue) : placement.span({ start: c.start, end: Math.min(c.end, c.start + 1) });
  const w: AgentWorkload = { form: placement.form, label, anchor, settings: [], opaqueSources: [], images: [] };
  if (context.role) w.role = context.role;
  readEnvironment(c, placement, w);
  readSecrets(c, placement, w);
  readEnvironmentFiles(c, placement, w);
  const image = lastEntry(c, 'image')?.value;
  if (image) {
    const ref = imageRef(image, placement);
    if (ref) w.images.push(ref);
  }
  return w;
}

function readEnvironment(c: YMap, placement: JsonPlacement, w: AgentWorkload): void {
  const env = lastEntry(c, 'environment')?.value;
  if (!env || isNull(env)) return;
  if (env.kind !== 'seq') {
    computed(env, placement, '`environment`', w);
    return;
  }
  for (const item of env.items) {
    const entry = nameOf(item, placement);
    if (!entry) {
      computed(item, placement, 'an `environment` entry', w);
      continue;
    }
    const value = lastEntry(entry.map, 'value')?.value;
    // `{"name": "X"}` without a value is not a variable ECS sets.
    if (!value || value.kind !== 'scalar' || value.value === null) continue;
    const unknown = placement.unknownIn(value);
    const span = placement.span(value);
    const v: SettingValue =
      unknown !== undefined
        ? { kind: 'unknown', span, source: `\`${shorten(unknown)}\` from Terraform` }
        : { kind: 'literal', text: scalarString(value), span, syntax: 'json', replaceable: !value.viaAlias && value.style !== 'block' && placement.replaceable(value) };
    w.settings.push(setting(entry, v));
  }
}

function readSecrets(c: YMap, placement: JsonPlacement, w: AgentWorkload): void {
  const secrets = lastEntry(c, 'secrets')?.value;
  if (!secrets || isNull(secrets)) return;
  if (secrets.kind !== 'seq') {
    computed(secrets, placement, '`secrets`', w);
    return;
  }
  for (const item of secrets.items) {
    const entry = nameOf(item, placement);
    if (!entry) {
      computed(item, placement, 'a `secrets` entry', w);
      continue;
    }
    const from = lastEntry(entry.map, 'valueFrom')?.value;
    const at = from ?? entry.map;
    const source = from?.kind === 'scalar' && from.value !== null && placement.unknownIn(from) === undefined ? secretSource(scalarString(from)) : 'from a secret (`valueFrom`)';
    w.settings.push(setting(entry, { kind: 'unknown', span: placement.span(at), source }));
  }
}

/** Where an ECS secret comes from, for hovers: a Secrets Manager secret or an SSM parameter (by ARN, or by name in the task's Region). */
export function secretSource(valueFrom: string): string {
  const shown = `\`${shorten(valueFrom, 96)}\``;
  if (/^arn:[^:]*:secretsmanager:/.test(valueFrom)) return `from Secrets Manager ${shown}`;
  return `from SSM Parameter Store ${shown}`;
}

function readEnvironmentFiles(c: YMap, placement: JsonPlacement, w: AgentWorkload): void {
  const files = lastEntry(c, 'environmentFiles')?.value;
  if (!files || isNull(files)) return;
  if (files.kind !== 'seq') {
    computed(files, placement, '`environmentFiles`', w);
    return;
  }
  for (const f of files.items) {
    const value = f.kind === 'map' ? lastEntry(f, 'value')?.value : undefined;
    const shown = value?.kind === 'scalar' && value.value !== null && placement.unknownIn(value) === undefined ? ` \`${shorten(scalarString(value), 96)}\`` : '';
    w.opaqueSources.push({ span: placement.span(f), what: `the environment file${shown}` });
  }
}

function imageRef(v: YValue, placement: JsonPlacement): ImageRef | undefined {
  if (v.kind !== 'scalar' || v.value === null) return undefined;
  if (placement.unknownIn(v) === undefined) return { repository: scalarString(v), span: placement.span(v) };
  // Terraform fills part of it in: kept as written (`datadog/agent:${var.tag}`), not judged.
  return { repository: placement.written(v), span: placement.span(v), unknown: true };
}

interface NamedEntry {
  map: YMap;
  name: string;
  nameSpan: Span;
}

/** An `{"name": "X", …}` entry with a literal name; undefined for anything else. */
function nameOf(item: YValue, placement: JsonPlacement): NamedEntry | undefined {
  if (item.kind !== 'map') return undefined;
  const n = lastEntry(item, 'name')?.value;
  if (n?.kind !== 'scalar' || n.value === null) return undefined;
  // A name Terraform computes: which variable it sets is unknown (the caller counts the entry as a source the file does not show).
  if (placement.unknownIn(n) !== undefined) return undefined;
  const name = scalarString(n);
  return { map: item, name, nameSpan: placement.span(nameCharacters(n, name)) };
}

/** The characters of a name without its quotes when they spell it exactly (no escapes), else the whole scalar. */
function nameCharacters(n: YScalar, name: string): Span {
  const q = n.style === 'double' || n.style === 'single' ? 1 : 0;
  const inner = { start: n.start + q, end: n.end - q };
  return inner.end - inner.start === name.length && inner.end > inner.start ? inner : { start: n.start, end: n.end };
}

function setting(entry: NamedEntry, value: SettingValue): EnvSetting {
  // The Agent reads upper-case names: `name` is what it would read, `label` what is written (the rules flag a mis-cased one).
  return { name: entry.name.toUpperCase(), label: entry.name, nameSpan: entry.nameSpan, value };
}

/**
 * Where a list or an entry was expected: a `${…}` Terraform fills in may
 * bring any variable (a source the file does not show); anything else is not
 * something ECS accepts, and brings nothing.
 */
function computed(v: YValue, placement: JsonPlacement, what: string, w: AgentWorkload): void {
  const unknown = placement.unknownIn(v);
  if (unknown !== undefined) w.opaqueSources.push({ span: placement.span(v), what: `${what} from \`${shorten(unknown)}\`` });
}

function isNull(v: YValue): boolean {
  return v.kind === 'scalar' && v.value === null;
}

function stringAt(map: YMap, key: string): string | undefined {
  const v = lastEntry(map, key)?.value;
  return v?.kind === 'scalar' && v.value !== null ? scalarString(v) : undefined;
}
