// Terraform `resource "aws_ecs_task_definition"`: what the Agent containers
// of the task receive as environment variables, their images, and the task's
// role, with the exact characters of the .tf file, for the agent/* rules
// (agentEnv/rules.ts) and the role check.
//
// `container_definitions` (the AWS provider: "a list of valid container
// definitions provided as a single valid JSON document") is read when it is
//   - `jsonencode([ { … }, … ])`: a tuple of objects, read from the HCL
//     itself (`environment = [{ name = "DD_SITE", value = "…" }]`, `secrets`,
//     `environmentFiles`, `image`); references, calls and interpolations are
//     unknown values, never judged;
//   - a heredoc (`<<EOF` / `<<-EOF`) or a quoted string holding the JSON:
//     parsed as JSON (agentEnv/ecs.ts), its offsets mapped back into the .tf
//     text; `${…}` parts are unknown. A value in a quoted string is never
//     replaced by a quick fix (its quotes are written `\"` there).
// `file(…)`, `templatefile(…)`, a variable or a local: not read (the JSON is
// elsewhere). `task_role_arn`: a literal ARN, or a reference
// (`aws_iam_role.agent.arn`) left for the role check to resolve.
//
// Everything is read while the tree exists (at extraction) into plain data.

import type { Node } from 'web-tree-sitter';
import { parseAllDocuments } from 'yaml';
import type { Span } from './hcl';
import type { Body, RawBlock } from './recovery';
import { classify, objectKey, spanOf, templateText, unwrapExpression, type HclValue, type TemplateText } from './values';
import { sourceSpan } from './arnPatterns';
import { YAML_OPTIONS } from '../agent/lint';
import { toValue } from '../agent/yamlTree';
import { shorten } from '../agent/describe';
import { readContainerDefinitions, secretSource, type JsonPlacement } from '../agentEnv/ecs';
import type { AgentEnvFile, AgentWorkload, EnvSetting, ImageRef, RoleRef, SettingValue } from '../agentEnv/settings';
import { firstAtOrAbove } from '../common/sortedSearch';

export const ECS_TASK_DEFINITION = 'aws_ecs_task_definition';

/** One `aws_ecs_task_definition` resource, as read. */
export interface TfEcsTaskDefinition {
  /** `aws_ecs_task_definition.agent`. */
  address: string;
  /** The resource block. */
  span: Span;
  /** One per container definition read; none when `container_definitions` is not written here. */
  workloads: AgentWorkload[];
}

/** What a Terraform file says about Agents configured by environment: its task definitions' containers. */
export function terraformAgentEnv(model: { ecsTaskDefinitions?: readonly TfEcsTaskDefinition[] } | undefined): AgentEnvFile {
  return { workloads: (model?.ecsTaskDefinitions ?? []).flatMap((t) => t.workloads), serviceAccounts: [] };
}

/** Whether `offset` lies in an `aws_ecs_task_definition` block (for completion of the Agent's variables there). */
export function insideEcsTaskDefinition(model: { ecsTaskDefinitions?: readonly TfEcsTaskDefinition[] }, offset: number): boolean {
  return (model.ecsTaskDefinitions ?? []).some((t) => offset > t.span.start && offset < t.span.end);
}

/** Reads a task definition resource (its body as the model read it, value nodes included). */
export function readEcsTaskDefinition(block: RawBlock, body: Body, text: string): TfEcsTaskDefinition {
  const address = `${ECS_TASK_DEFINITION}.${block.labels[1]?.value ?? ''}`;
  const out: TfEcsTaskDefinition = { address, span: block.span, workloads: [] };
  const defs = last(body, 'container_definitions');
  if (!defs) return out;
  const owner = `\`${shorten(address, 96)}\``;
  const role = taskRole(body);
  const node = body.valueNodes.get(defs);
  const tuple = node && jsonencodedTuple(node, text);
  if (tuple) {
    for (const element of tupleElements(tuple)) {
      const object = collection(element, 'object');
      if (object) out.workloads.push(readHclContainer(object, text, owner, role));
    }
    return out;
  }
  out.workloads = readJsonString(defs.value, text, owner, role);
  return out;
}

function last(body: Body, name: string) {
  for (let i = body.attributes.length - 1; i >= 0; i--) if (body.attributes[i].name === name) return body.attributes[i];
  return undefined;
}

function taskRole(body: Body): RoleRef | undefined {
  const a = last(body, 'task_role_arn');
  if (!a) return undefined;
  const v = a.value;
  if (v.kind === 'string') return { via: 'ecs-task-role', arn: v.value, span: v.span };
  if (v.kind === 'expression' && v.form === 'reference') return { via: 'ecs-task-role', reference: v.source, span: v.span };
  return undefined;
}

// ---------------------------------------------------------------------------
// jsonencode([ … ])

/** The tuple of `jsonencode([ … ])`; undefined for anything else (`jsonencode(local.x)`, `file(…)`, a string). */
function jsonencodedTuple(node: Node, text: string): Node | undefined {
  const kids = unwrapExpression(node);
  const call = kids.length === 1 && kids[0].type === 'function_call' ? kids[0] : undefined;
  const fn = call?.namedChildren[0];
  if (!call || fn?.type !== 'identifier' || text.slice(fn.startIndex, fn.endIndex) !== 'jsonencode') return undefined;
  const args = call.namedChildren.find((c) => c?.type === 'function_arguments');
  const exprs = args ? named(args).filter((c) => c.type === 'expression') : [];
  return exprs.length === 1 ? collection(exprs[0], 'tuple') : undefined;
}

function named(n: Node): Node[] {
  return n.namedChildren.filter((c): c is Node => !!c && c.type !== 'comment');
}

/** The `tuple` or `object` node an expression is, through its wrappers; undefined when it is something else. */
function collection(n: Node | null | undefined, type: 'tuple' | 'object'): Node | undefined {
  let cur = n ?? undefined;
  for (let i = 0; cur && (cur.type === 'expression' || cur.type === 'collection_value') && i < 8; i++) {
    const kids = named(cur);
    if (kids.length !== 1) return undefined;
    cur = kids[0];
  }
  return cur?.type === type ? cur : undefined;
}

function tupleElements(tuple: Node): Node[] {
  return named(tuple).filter((c) => c.type === 'expression');
}

interface HclElem {
  keySpan: Span;
  val: Node;
}

/** An object's elements by key (the last of a repeated key wins, as in Terraform's… error message; and in JSON). */
function objectElems(object: Node, text: string): Map<string, HclElem> {
  const out = new Map<string, HclElem>();
  for (const e of named(object)) {
    if (e.type !== 'object_elem') continue;
    const key = e.childForFieldName('key');
    const val = e.childForFieldName('val');
    if (!key || !val) continue;
    const name = objectKey(key, text);
    if (name !== undefined) out.set(name, { keySpan: spanOf(key), val });
  }
  return out;
}

function readHclContainer(object: Node, text: string, owner: string, role: RoleRef | undefined): AgentWorkload {
  const elems = objectElems(object, text);
  const nameElem = elems.get('name');
  const name = nameElem && classify(nameElem.val, text);
  const label = `${name?.kind === 'string' ? `container \`${shorten(name.value)}\`` : 'a container'} of ${owner}`;
  const anchor = name?.kind === 'string' ? name.span : { start: object.startIndex, end: object.startIndex + 1 };
  const w: AgentWorkload = { form: 'terraform-ecs', label, anchor, settings: [], opaqueSources: [], images: [] };
  if (role) w.role = role;
  const env = elems.get('environment');
  if (env) readHclList(env.val, text, w, '`environment`', (entry, map) => {
    const value = map.get('value');
    if (!value) return;
    const v = hclValue(classify(value.val, text));
    if (v) w.settings.push({ ...entry, value: v });
  });
  const secrets = elems.get('secrets');
  if (secrets) readHclList(secrets.val, text, w, '`secrets`', (entry, map) => {
    const from = map.get('valueFrom');
    const v = from && classify(from.val, text);
    const source = v?.kind === 'string' ? secretSource(v.value) : v && v.kind !== 'null' ? `from a secret (\`valueFrom = ${shorten(text.slice(v.span.start, v.span.end))}\`)` : 'from a secret';
    w.settings.push({ ...entry, value: { kind: 'unknown', span: v ? v.span : entry.nameSpan, source } });
  });
  const files = elems.get('environmentFiles');
  if (files) {
    const tuple = collection(files.val, 'tuple');
    if (!tuple) w.opaqueSources.push({ span: spanOf(files.val), what: `\`environmentFiles\` from \`${shorten(text.slice(files.val.startIndex, files.val.endIndex))}\`` });
    else for (const f of tupleElements(tuple)) w.opaqueSources.push({ span: spanOf(f), what: `the environment file ${describeFile(f, text)}`.trimEnd() });
  }
  const image = elems.get('image');
  if (image) {
    const v = classify(image.val, text);
    const ref: ImageRef = { span: v.span };
    if (v.kind === 'string') ref.repository = v.value;
    else {
      ref.repository = text.slice(v.span.start, v.span.end);
      ref.unknown = true;
    }
    if (v.kind !== 'null') w.images.push(ref);
  }
  return w;
}

function describeFile(f: Node, text: string): string {
  const object = collection(f, 'object');
  const value = object && objectElems(object, text).get('value');
  const v = value && classify(value.val, text);
  return v?.kind === 'string' ? `\`${shorten(v.value, 96)}\`` : '';
}

/**
 * A list of `{ name = …, … }` entries: `each` gets those whose name is a
 * literal. Anything Terraform computes (the list itself: `concat(…)`, a
 * `for`, a variable; or an entry) may bring any variable: a source the file
 * does not show.
 */
function readHclList(val: Node, text: string, w: AgentWorkload, what: string, each: (entry: Omit<EnvSetting, 'value'>, map: Map<string, HclElem>) => void): void {
  const tuple = collection(val, 'tuple');
  if (!tuple) {
    const v = classify(val, text);
    if (v.kind !== 'null') w.opaqueSources.push({ span: v.span, what: `${what} from \`${shorten(text.slice(v.span.start, v.span.end))}\`` });
    return;
  }
  for (const element of tupleElements(tuple)) {
    const object = collection(element, 'object');
    const map = object && objectElems(object, text);
    const name = map?.get('name');
    const n = name && classify(name.val, text);
    if (!map || n?.kind !== 'string') {
      w.opaqueSources.push({ span: spanOf(element), what: `an entry of ${what} from \`${shorten(text.slice(element.startIndex, element.endIndex))}\`` });
      continue;
    }
    each({ name: n.value.toUpperCase(), label: n.value, nameSpan: n.verbatim ? n.innerSpan : n.span }, map);
  }
}

/** An HCL value as the container receives it; undefined for null (jsonencode writes `null`: no variable). */
function hclValue(v: HclValue): SettingValue | undefined {
  switch (v.kind) {
    case 'string':
      return { kind: 'literal', text: v.value, span: v.span, syntax: 'hcl', replaceable: true };
    case 'number':
      return { kind: 'literal', text: v.source, span: v.span, syntax: 'hcl', replaceable: true };
    case 'bool':
      return { kind: 'literal', text: String(v.value), span: v.span, syntax: 'hcl', replaceable: true };
    case 'heredoc':
      if (!v.templated && !v.unterminated) return { kind: 'literal', text: v.value, span: v.span, syntax: 'hcl', replaceable: true };
      return { kind: 'unknown', span: v.span, source: 'a heredoc Terraform interpolates' };
    case 'null':
      return undefined;
    case 'template':
      return { kind: 'unknown', span: v.span, source: `\`${shorten(`"${v.raw}"`)}\` from Terraform` };
    case 'expression':
      return { kind: 'unknown', span: v.span, source: `\`${shorten(v.source)}\` from Terraform` };
    case 'invalid':
      return { kind: 'unknown', span: v.span, source: 'a value that could not be read' };
  }
}

// ---------------------------------------------------------------------------
// JSON in a heredoc or a quoted string

function readJsonString(v: HclValue, text: string, owner: string, role: RoleRef | undefined): AgentWorkload[] {
  let t: TemplateText;
  if (v.kind === 'string' || (v.kind === 'template' && !v.hasDirective)) t = templateText(v, text);
  else if (v.kind === 'heredoc' && !v.unterminated && !v.parts.some((p) => p.kind === 'directive')) t = templateText(v, text);
  else return [];
  // Each `${…}` becomes as many `_` (a plain scalar where a value stands, text inside a string): same offsets, still parses.
  const pieces: string[] = [];
  let at = 0;
  for (const [a, b] of t.interpolations) {
    pieces.push(t.text.slice(at, a), '_'.repeat(b - a));
    at = b;
  }
  pieces.push(t.text.slice(at));
  // A lone CR is a line break to JSON (and to LSP), not to the YAML parser: same length, same offsets.
  const json = pieces.join('').replace(/\r(?!\n)/g, '\n');
  let docs;
  try {
    docs = parseAllDocuments(json, YAML_OPTIONS);
  } catch {
    return [];
  }
  const doc = Array.isArray(docs) ? docs[0] : undefined;
  // Broken JSON is Terraform's (and AWS's) to refuse: nothing is judged in it.
  if (!doc || doc.errors.length) return [];
  const placement = jsonPlacement(t, v.kind === 'heredoc', text);
  try {
    return readContainerDefinitions(toValue(doc.contents, doc), placement, { owner, role });
  } catch {
    return [];
  }
}

function jsonPlacement(t: TemplateText, heredoc: boolean, text: string): JsonPlacement {
  const ends = t.interpolations.map(([, b]) => b);
  const interpolationIn = (s: Span): string | undefined => {
    // The first interpolation that ends after s.start; it overlaps when it starts before s.end.
    const i = firstAtOrAbove(ends, s.start + 1);
    if (i >= t.interpolations.length || t.interpolations[i][0] >= Math.max(s.end, s.start + 1)) return undefined;
    const src = sourceSpan(t, t.interpolations[i][0], t.interpolations[i][1]);
    return text.slice(src.start, src.end);
  };
  return {
    form: 'terraform-ecs',
    span: (s) => sourceSpan(t, s.start, s.end),
    // In a heredoc, a JSON literal is written as is (one character for one); in a quoted string its quotes are `\"`.
    replaceable: (s) => heredoc && verbatimRun(t, s),
    unknownIn: interpolationIn,
    written: (s) => {
      const src = sourceSpan(t, s.start, s.end);
      return text.slice(src.start, src.end);
    },
  };
}

/** [start, end) of the text is written character for character, contiguously, in the source. */
function verbatimRun(t: TemplateText, s: Span): boolean {
  for (let k = s.start; k < s.end; k++) {
    if (t.ends[k] - t.starts[k] !== 1) return false;
    if (k > s.start && t.starts[k] !== t.ends[k - 1]) return false;
  }
  return s.end > s.start;
}
