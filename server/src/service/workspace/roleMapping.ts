// agent/role-not-mapped: the role an Agent workload runs as, against the
// intake mappings the workspace declares. Pure: it gets what the readers made
// of each file (Agent workloads and ServiceAccounts, Terraform models, the
// `arn_pattern` lists of YAML/JSON files) and answers findings by path.
//
// A workload's role comes from
//   - IRSA: the `eks.amazonaws.com/role-arn` annotation of the ServiceAccount
//     its pods use, wherever the workspace declares it (manifests, chart
//     values, Operator overrides), or written on the workload by its reader;
//   - EKS Pod Identity: an `aws_eks_pod_identity_association` whose
//     `namespace` / `service_account` are that ServiceAccount's (its
//     `target_role_arn` when set: the chained role is the one the pod gets);
//   - ECS: the task definition's task role, literal or a reference to an
//     `aws_iam_role` (or `data "aws_iam_role"`) of the same folder whose
//     `name` is literal.
// Its callers present `arn:aws:sts::<account>:assumed-role/<name>/<session>`
// (PROTOCOL.md §7; the role's path is not part of it), matched with the ARN
// engine's matcher and explained with its explainer.
//
// Nothing unknown is judged. A value the files do not state (a template, a
// Secret, a reference we cannot resolve) leaves the workload unjudged; a
// mapping whose pattern is unknown (`var.p`, `each.value.arn_pattern` without
// a written-out `for_each`) could match any role, so then nothing is judged at
// all; an interpolation inside a pattern (`${data.aws_caller_identity.current.account_id}`)
// matches anything there. When only the role's name is known (an
// `aws_iam_role` reference: its account is not in the files), a mapping
// matches when it names that role in some account, and the warning says no
// mapping names it in any account. When a workload can run as several roles
// (IRSA and Pod Identity both set up), it is reported only if none of them is
// mapped, on each of them.

import type { Finding, QuickFix, RelatedRange, TextEdit } from '../common/types';
import type { TextIndex } from '../common/textIndex';
import type { Span } from '../agent/yamlTree';
import type { ArnPatternValue } from '../agent/arnPatterns';
import type { AgentEnvFile, AgentWorkload, ServiceAccountDecl, SettingValue } from '../agentEnv/settings';
import { envVariable } from '../agentEnv/names';
import type { HclAttribute, HclValue, TerraformModel, TfMappingResource } from '../terraform/model';
import { patternText } from '../terraform/arnPatterns';
import { hclQuoted, resourceName } from '../terraform/hclWrite';
import { groupKind } from '../agent/arnPatterns';
import { iamRoleArnReference, type TfIamRole, type TfPodIdentityAssociation } from '../terraform/awsRoles';
import { explainLogin, interpolationSpans, matches, parseArn, type ExplainableMapping, type Interpolations } from '../arn';
import { piecesMatch } from '../arn/match';
import { pushTo } from '../common/multimap';
import { closest } from '../common/strings';
import { ruleInfo } from '../catalog';

export const ROLE_NOT_MAPPED = 'agent/role-not-mapped';

/** A file the readers of Agent settings read (Kubernetes, Helm values, Operator, compose, ECS JSON, a .tf's task definitions). */
export interface AgentEnvSource {
  path: string;
  index: TextIndex;
  file: AgentEnvFile;
}

export interface TerraformSource {
  path: string;
  index: TextIndex;
  model: TerraformModel;
}

/** A YAML or JSON file's `arn_pattern` strings (agent/arnPatterns.ts), of any kind: the rule keeps the intake ones. */
export interface PatternListSource {
  path: string;
  index: TextIndex;
  patterns: readonly ArnPatternValue[];
}

export interface RoleMappingInput {
  agentEnv: readonly AgentEnvSource[];
  terraform: readonly TerraformSource[];
  patternLists: readonly PatternListSource[];
  /**
   * A file that may declare intake mappings could not be read (a .tf too large
   * to parse, or no HCL runtime): a role may be mapped there, so nothing is judged.
   */
  mappingsIncomplete?: boolean;
}

/** At most this many mappings are looked at to explain one unmapped role (the closest is among them): keeps the rule linear. */
export const MAX_EXPLAINED_MAPPINGS = 100;

/**
 * Patterns whose role is an interpolation are tried against every distinct
 * role: past this many tries in one run (a workspace of thousands of roles
 * and as many such patterns), the rule judges no more roles rather than
 * grow with their product. Never a false warning: a role not judged is quiet.
 */
export const MAX_MATCH_TRIES = 200_000;

// ---------------------------------------------------------------------------
// The intake mappings

interface IntakeMapping {
  /** As the API would receive it; `${…}` kept as written. */
  pattern: string;
  /** Where its `${…}` are: unknown text, matching anything. */
  interpolations: Interpolations;
  path: string;
  span: Span;
  /** For messages: `datadog_aws_wif_intake_mapping.agent`, `intake_mappings`. */
  owner: string;
  /** The pattern's role segment, when literal (an index key). */
  role?: string;
  /** Its account, when literal. */
  account?: string;
}

interface Mappings {
  all: IntakeMapping[];
  /** By literal role name. */
  byRole: Map<string, IntakeMapping[]>;
  /** By role name in lower case: near misses of letter case. */
  byRoleLower: Map<string, IntakeMapping[]>;
  /** By literal account. */
  byAccount: Map<string, IntakeMapping[]>;
  /** Patterns whose role is not a literal segment (templated, not an assumed-role ARN): checked against every role. */
  loose: IntakeMapping[];
  /** Some mapping's pattern is not known at all: any role may be mapped. */
  unknown: boolean;
  /** The Terraform files holding `datadog_aws_wif_intake_mapping` resources, in input order. */
  resourceFiles: TerraformSource[];
}

/** A YAML/JSON `arn_pattern` is an intake mapping's when the `type` beside it, or a key above it, says so (`type: intake`, `intake_mappings:`). */
export function isIntakeGroup(group: string): boolean {
  return groupKind(group) === 'intake';
}

export { resourceName };

function collectMappings(input: RoleMappingInput): Mappings {
  const m: Mappings = { all: [], byRole: new Map(), byRoleLower: new Map(), byAccount: new Map(), loose: [], unknown: false, resourceFiles: [] };
  for (const src of input.terraform) {
    const text = src.index.text;
    // A resource whose own `for_each` is written out: its entries are the mappings, its `each.value…` pattern says nothing more.
    const fed = new Set(src.model.arnPatterns.filter((p) => p.kind === 'intake' && !p.direct).map((p) => p.owner.replace(/'s for_each$/, '')));
    for (const p of src.model.arnPatterns) {
      if (p.kind !== 'intake') continue;
      const t = patternText(p.value, text, false);
      if (!t) {
        if (!(p.direct && fed.has(p.owner))) m.unknown = true;
        continue;
      }
      add(m, { pattern: t.text, interpolations: t.interpolations, path: src.path, span: p.value.span, owner: p.owner });
    }
    if (src.model.mappings.some((r) => r.type === 'datadog_aws_wif_intake_mapping')) m.resourceFiles.push(src);
  }
  for (const src of input.patternLists) {
    for (const p of src.patterns) {
      if (!isIntakeGroup(p.group)) continue;
      // A chart or CI template (`{{ … }}`) is not the pattern the API gets.
      if (p.value.includes('{{')) {
        m.unknown = true;
        continue;
      }
      add(m, { pattern: p.value, interpolations: interpolationSpans(p.value), path: src.path, span: { start: p.start, end: p.end }, owner: p.group });
    }
  }
  return m;
}

function add(m: Mappings, mapping: IntakeMapping): void {
  const parsed = parseArn(mapping.pattern, mapping.interpolations);
  if (parsed.account && !parsed.account.templated) mapping.account = parsed.account.text;
  if (parsed.kind === 'assumed-role' || parsed.kind === 'sso-assumed-role') {
    if (parsed.roleName && !parsed.roleName.templated) mapping.role = parsed.roleName.text;
  }
  m.all.push(mapping);
  if (mapping.role === undefined) {
    // Without an interpolation, a pattern that is not an assumed-role ARN with a role matches no role's caller.
    if (mapping.interpolations.length) m.loose.push(mapping);
  } else {
    pushTo(m.byRole, mapping.role, mapping);
    pushTo(m.byRoleLower, mapping.role.toLowerCase(), mapping);
  }
  if (mapping.account !== undefined) pushTo(m.byAccount, mapping.account, mapping);
}

/**
 * Whether `m` can match `caller` for some values of its interpolations. An
 * interpolation, and here a `*` too, is read as any text: looser than the
 * API, so an unknown part never makes a "no match".
 */
function mayMatch(m: IntakeMapping, caller: string): boolean {
  if (m.interpolations.length === 0) return matches(m.pattern, caller);
  const pieces: string[] = [];
  let at = 0;
  for (const [s, e] of m.interpolations) {
    pieces.push(...m.pattern.slice(at, s).split('*'));
    at = e;
  }
  pieces.push(...m.pattern.slice(at).split('*'));
  return piecesMatch(pieces, caller);
}

// ---------------------------------------------------------------------------
// Roles

/** A role as far as the files tell: its name always, its account when stated. */
interface RoleIdentity {
  name: string;
  account?: string;
  partition: string;
}

/** One place a workload's role is stated: where a finding about it lands. */
interface RoleSource {
  role: RoleIdentity;
  path: string;
  span: Span;
  /** How the workload gets it, for the message: "IRSA, ServiceAccount `datadog/datadog-agent`". */
  how: string;
  /** Other places worth showing (the ServiceAccount a pod uses, the `aws_iam_role` named). */
  related: { path: string; span: Span; message: string }[];
}

const ROLE_NAME = /^[A-Za-z0-9+=,.@_-]{1,64}$/;

/** A role from an IAM role ARN (`${…}` at `interpolations` unknown); undefined when it is not one, or its name is not known. */
function roleFromArn(arn: string, interpolations: Interpolations = interpolationSpans(arn)): RoleIdentity | undefined {
  const lead = arn.length - arn.trimStart().length;
  const text = arn.trim();
  const p = parseArn(text, lead ? interpolations.map(([s, e]) => [s - lead, e - lead] as const) : interpolations);
  if (!p.isArn || p.kind !== 'iam-role' || !p.roleName || !p.partition || !p.account) return undefined;
  if (p.roleName.templated || p.partition.templated || !ROLE_NAME.test(p.roleName.text)) return undefined;
  if (!p.account.templated && !/^\d{12}$/.test(p.account.text)) return undefined;
  // A templated region or path changes nothing a caller presents.
  return { name: p.roleName.text, account: p.account.templated ? undefined : p.account.text, partition: p.partition.text };
}

/** The role a Terraform value states: an ARN (its account may be interpolated) or a reference to an IAM role of `roles`. */
function roleFromHcl(v: HclValue, source: string, roles: ReadonlyMap<string, { role: TfIamRole; path: string }>): { role: RoleIdentity; via?: { role: TfIamRole; path: string } } | undefined {
  const t = patternText(v, source, false);
  if (t) {
    const role = roleFromArn(t.text, t.interpolations);
    return role && { role };
  }
  if (v.kind !== 'expression') return undefined;
  return roleFromReference(v.source, roles);
}

function roleFromReference(reference: string, roles: ReadonlyMap<string, { role: TfIamRole; path: string }>): { role: RoleIdentity; via: { role: TfIamRole; path: string } } | undefined {
  const address = iamRoleArnReference(reference);
  const found = address === undefined ? undefined : roles.get(address);
  const name = found?.role.name?.value.kind === 'string' ? found.role.name.value.value : undefined;
  if (!found || name === undefined || !ROLE_NAME.test(name)) return undefined;
  return { role: { name, partition: 'aws' }, via: found };
}

function literalOf(v: SettingValue | undefined): string | undefined {
  return v?.kind === 'literal' ? v.text : undefined;
}

/** A workload is judged only when it turns delegated auth on: some `…DELEGATED_AUTH_ORG_UUID`, known or not, that is not left empty. */
export function configuresDelegatedAuth(w: AgentWorkload): boolean {
  return w.settings.some((s) => envVariable(s.name)?.sectionKey === 'org_uuid' && !(s.value.kind === 'literal' && s.value.text.trim() === ''));
}

/** The folder of a path or URI (a module, for Terraform references). */
function folderOf(path: string): string {
  return path.slice(0, Math.max(path.lastIndexOf('/'), path.lastIndexOf('\\')) + 1);
}

function baseNameOf(path: string): string {
  return path.slice(folderOf(path).length);
}

interface Workspace {
  /** Annotated ServiceAccounts by name. */
  serviceAccounts: Map<string, { decl: ServiceAccountDecl & { roleArn: SettingValue }; path: string }[]>;
  associations: Map<string, { assoc: TfPodIdentityAssociation; src: TerraformSource }[]>;
  /** Folder → address (`aws_iam_role.agent`) → the role block. */
  iamRoles: Map<string, Map<string, { role: TfIamRole; path: string }>>;
}

function indexWorkspace(input: RoleMappingInput): Workspace {
  const ws: Workspace = { serviceAccounts: new Map(), associations: new Map(), iamRoles: new Map() };
  for (const src of input.agentEnv) {
    for (const decl of src.file.serviceAccounts) if (decl.roleArn) pushTo(ws.serviceAccounts, decl.name, { decl: decl as ServiceAccountDecl & { roleArn: SettingValue }, path: src.path });
  }
  for (const src of input.terraform) {
    const aws = src.model.aws;
    if (!aws) continue;
    const folder = folderOf(src.path);
    let roles = ws.iamRoles.get(folder);
    if (!roles) ws.iamRoles.set(folder, (roles = new Map()));
    for (const r of aws.iamRoles) if (!roles.has(r.address)) roles.set(r.address, { role: r, path: src.path });
    for (const a of aws.podIdentityAssociations) {
      const sa = a.serviceAccount?.value.kind === 'string' ? a.serviceAccount.value.value : undefined;
      if (sa !== undefined) pushTo(ws.associations, sa, { assoc: a, src });
    }
  }
  return ws;
}

const NO_ROLES: ReadonlyMap<string, { role: TfIamRole; path: string }> = new Map();

/** The same namespace, or one of the two not stated (a manifest applied with `-n`, a chart's release namespace). */
function sameNamespace(a: string | undefined, b: string | undefined): boolean {
  return a === undefined || b === undefined || a === b;
}

/** The roles stated on the workload itself (a task role, an annotation its reader resolved); undefined when one is not known. */
function ownRoles(w: AgentWorkload, src: AgentEnvSource, ws: Workspace): RoleSource[] | undefined {
  const role = w.role!;
  const how = role.via === 'irsa' ? 'IRSA' : role.via === 'pod-identity' ? 'EKS Pod Identity' : 'ECS task role';
  if (role.arn !== undefined) {
    // ECS takes "the short name or full ARN" of the task role (RegisterTaskDefinition): a short name's account is the task's, not in the files.
    const shortName = role.via === 'ecs-task-role' && !role.arn.trim().startsWith('arn:') && ROLE_NAME.test(role.arn.trim()) ? role.arn.trim() : undefined;
    const r = shortName !== undefined ? { name: shortName, partition: 'aws' } : roleFromArn(role.arn);
    return r && [{ role: r, path: src.path, span: role.span, how, related: [] }];
  }
  if (role.roleName !== undefined) {
    return ROLE_NAME.test(role.roleName) ? [{ role: { name: role.roleName, partition: 'aws' }, path: src.path, span: role.span, how, related: [] }] : undefined;
  }
  if (role.reference !== undefined) {
    const r = roleFromReference(role.reference, ws.iamRoles.get(folderOf(src.path)) ?? NO_ROLES);
    return r && [{ role: r.role, path: src.path, span: role.span, how: `${how} \`${r.via.role.address}\``, related: [{ path: r.via.path, span: r.via.role.name!.value.span, message: `the name of \`${r.via.role.address}\`` }] }];
  }
  return [];
}

/**
 * The roles pods running as a ServiceAccount get: its IRSA annotations and
 * the Pod Identity associations of its name and namespace, across the
 * workspace; undefined when one is not known. `usedBy`: the workload that
 * asked first (related information).
 */
function serviceAccountRoles(sa: { name: string; namespace?: string }, usedBy: { path: string; span: Span; message: string }, ws: Workspace): RoleSource[] | undefined {
  const out: RoleSource[] = [];
  const who = sa.namespace ? `${sa.namespace}/${sa.name}` : sa.name;
  for (const { decl, path } of ws.serviceAccounts.get(sa.name) ?? []) {
    if (!sameNamespace(sa.namespace, decl.namespace)) continue;
    const arn = literalOf(decl.roleArn);
    const r = arn === undefined ? undefined : roleFromArn(arn);
    if (!r) return undefined;
    const here = path === usedBy.path && overlaps(decl.roleArn.span, usedBy.span);
    out.push({ role: r, path, span: decl.roleArn.span, how: `IRSA, ServiceAccount \`${who}\``, related: here ? [] : [usedBy] });
  }
  for (const { assoc, src: tf } of ws.associations.get(sa.name) ?? []) {
    const ns = assoc.namespace?.value.kind === 'string' ? assoc.namespace.value.value : undefined;
    // An association whose namespace is not known may or may not be this pod's: its role is then not known.
    if (assoc.namespace && ns === undefined) return undefined;
    if (!sameNamespace(sa.namespace, ns)) continue;
    const attr: HclAttribute | undefined = assoc.targetRoleArn ?? assoc.roleArn;
    if (!attr) continue;
    const r = roleFromHcl(attr.value, tf.index.text, ws.iamRoles.get(folderOf(tf.path)) ?? NO_ROLES);
    if (!r) return undefined;
    const related = [usedBy];
    if (r.via?.role.name) related.push({ path: r.via.path, span: r.via.role.name.value.span, message: `the name of \`${r.via.role.address}\`` });
    out.push({ role: r.role, path: tf.path, span: attr.value.span, how: `EKS Pod Identity, \`${assoc.address}\``, related });
  }
  return out;
}

function overlaps(a: Span, b: Span): boolean {
  return a.start < b.end && b.start < a.end;
}

// ---------------------------------------------------------------------------
// Judging

/**
 * What the rule did, counted (mappings tried against a role, mappings read to
 * explain one), so a test can show it grows with the workspace and no faster.
 */
export const roleMappingWork = { matchTries: 0, explainReads: 0 };

/** Whether some mapping matches the role (for an unknown account: in some account); undefined when `budget` ran out first. */
function isMapped(role: RoleIdentity, m: Mappings, budget: { tries: number }): boolean | undefined {
  for (const list of [m.byRole.get(role.name) ?? [], m.loose]) {
    for (const mapping of list) {
      if (budget.tries-- <= 0) return undefined;
      roleMappingWork.matchTries++;
      const account = role.account ?? mapping.account ?? '000000000000';
      if (mayMatch(mapping, callerOf(role.partition, account, role.name))) return true;
    }
  }
  return false;
}

/** A caller of the role as the explainer and matcher read one (the session is a placeholder: any session must match). */
function callerOf(partition: string, account: string, name: string): string {
  return `arn:${partition}:sts::${account}:assumed-role/${name}/session-name`;
}

interface Judgment {
  /** What its callers present, for the message. */
  caller: string;
  closest?: { mapping: IntakeMapping; message: string };
  /** The pattern to add; an account not known is written as an interpolation of `data.aws_caller_identity`. */
  pattern: { account?: string; partition: string; name: string };
}

/**
 * Why no mapping matches the role: the closest among the mappings of its
 * name, its account and a few loose ones (at most MAX_EXPLAINED_MAPPINGS).
 */
function explain(role: RoleIdentity, m: Mappings): Judgment {
  const chosen = new Set<IntakeMapping>();
  const take = (list: readonly IntakeMapping[] | undefined) => {
    for (const x of list ?? []) {
      if (chosen.size >= MAX_EXPLAINED_MAPPINGS) return;
      roleMappingWork.explainReads++;
      chosen.add(x);
    }
  };
  let account = role.account;
  if (account === undefined) {
    // The account is not known: read the role in the account of the mapping that names it (or the name closest to it).
    const near = m.byRole.get(role.name) ?? m.byRoleLower.get(role.name.toLowerCase()) ?? m.byRole.get(closest(role.name, firstKeys(m.byRole, MAX_EXPLAINED_MAPPINGS)) ?? '');
    account = near?.find((x) => x.account !== undefined && /^\d{12}$/.test(x.account))?.account;
    take(near);
    take(m.byRoleLower.get(role.name.toLowerCase()));
    if (account !== undefined) take(m.byAccount.get(account));
  } else {
    take(m.byRole.get(role.name));
    take(m.byRoleLower.get(role.name.toLowerCase()));
    take(m.byAccount.get(account));
    take(m.loose);
    take(m.all);
  }
  const caller = `arn:${role.partition}:sts::${role.account ?? '<account>'}:assumed-role/${role.name}/<session>`;
  const judgment: Judgment = { caller, pattern: { account: role.account, partition: role.partition, name: role.name } };
  if (account === undefined) return judgment;
  const list = [...chosen].filter((x) => role.account !== undefined || x.account === account);
  const e = explainLogin<ExplainableMapping & { m: IntakeMapping }>(`arn:${role.partition}:iam::${account}:role/${role.name}`, list.map((x) => ({ arnPattern: x.pattern, m: x })), { kind: 'intake' });
  if (e.closest) {
    let message = e.closest.message;
    // Read in a mapping's account for want of the role's own: "the caller's account" would claim what is not known.
    if (role.account === undefined) message = message.replace(/ in the caller's account/, '').replace(/ \(the caller is in `\d+`\)/, '');
    judgment.closest = { mapping: e.closest.mapping.m, message };
  }
  return judgment;
}

/** The first `n` keys of a map, without reading the rest. */
function firstKeys(map: ReadonlyMap<string, unknown>, n: number): string[] {
  const out: string[] = [];
  for (const k of map.keys()) {
    if (out.length >= n) break;
    roleMappingWork.explainReads++;
    out.push(k);
  }
  return out;
}

/** Findings by path, each list in text order. */
export function roleNotMapped(input: RoleMappingInput): Map<string, Finding[]> {
  const out = new Map<string, Finding[]>();
  if (input.mappingsIncomplete) return out;
  const m = collectMappings(input);
  // No intake mapping declared: nothing to hold the roles against. One not known: any role may be mapped.
  if (m.all.length === 0 || m.unknown) return out;
  const ws = indexWorkspace(input);
  const indexes = new Map<string, TextIndex>();
  for (const s of [...input.agentEnv, ...input.terraform, ...input.patternLists]) indexes.set(s.path, s.index);
  const severity = ruleInfo(ROLE_NOT_MAPPED)?.severity ?? 'warning';
  // Each role, each ServiceAccount and each place is judged once, however many workloads share it.
  const mapped = new Map<string, boolean>();
  const budget = { tries: MAX_MATCH_TRIES };
  /** Undefined when the budget ran out: then nothing more is judged. */
  const isRoleMapped = (r: RoleIdentity): boolean | undefined => {
    const key = roleKey(r);
    let v = mapped.get(key);
    if (v === undefined) {
      const result = isMapped(r, m, budget);
      if (result === undefined) return undefined;
      mapped.set(key, (v = result));
    }
    return v;
  };
  /** Some role of the list is mapped, or it cannot be told within the budget. */
  const anyMapped = (sources: readonly RoleSource[]) => sources.some((x) => isRoleMapped(x.role) !== false);
  const judged = new Map<string, Judgment>();
  const bySa = new Map<string, { sources: RoleSource[] | undefined; anyMapped: boolean }>();
  const reported = new Set<string>();

  for (const src of input.agentEnv) {
    for (const w of src.file.workloads) {
      if (!w.role || !configuresDelegatedAuth(w)) continue;
      const own = ownRoles(w, src, ws);
      if (!own) continue;
      const sa = w.role.serviceAccount;
      let shared: { sources: RoleSource[] | undefined; anyMapped: boolean } | undefined;
      if (sa) {
        const key = `${sa.name}\u0000${sa.namespace ?? ''}`;
        shared = bySa.get(key);
        if (!shared) {
          const sources = serviceAccountRoles(sa, { path: src.path, span: w.role.span, message: `${w.label} runs as ServiceAccount \`${sa.namespace ? `${sa.namespace}/${sa.name}` : sa.name}\`` }, ws);
          bySa.set(key, (shared = { sources, anyMapped: !!sources && anyMapped(sources) }));
        }
        if (!shared.sources) continue;
      }
      if (shared?.anyMapped || anyMapped(own)) continue;
      for (const s of [...own, ...(shared?.sources ?? [])]) {
        const place = `${s.path}\u0000${s.span.start}\u0000${s.span.end}`;
        if (reported.has(place)) continue;
        reported.add(place);
        const index = indexes.get(s.path);
        if (!index) continue;
        const key = roleKey(s.role);
        let j = judged.get(key);
        if (!j) judged.set(key, (j = explain(s.role, m)));
        const finding: Finding = { code: ROLE_NOT_MAPPED, severity, message: message(w, s, j), range: index.range(s.span.start, s.span.end) };
        const related = relatedOf(s, j, indexes);
        if (related.length) finding.related = related;
        const fix = addMappingFix(s, j, m, input.terraform);
        if (fix) finding.data = { fixes: [fix] };
        pushTo(out, s.path, finding);
      }
    }
  }
  for (const list of out.values()) list.sort((a, b) => a.range.start.line - b.range.start.line || a.range.start.character - b.range.start.character);
  return out;
}

function roleKey(r: RoleIdentity): string {
  return `${r.partition}:${r.account ?? ''}:${r.name}`;
}

function message(w: AgentWorkload, s: RoleSource, j: Judgment): string {
  const unknownAccount = s.role.account === undefined;
  const head = `The Agent (${w.label}) runs as the role \`${s.role.name}\` (${s.how}): its sessions sign in as \`${j.caller}\``;
  const none = unknownAccount
    ? `${head} (the account is not in the files), and no intake mapping of the workspace names that role in any account.`
    : `${head}, and no intake mapping of the workspace matches it.`;
  const closestText = j.closest ? ` Closest: ${j.closest.message}` : '';
  return `${none}${closestText} Add an intake mapping for \`${suggestedPatternText(j.pattern)}\`.`;
}

/** The pattern a new mapping needs, as text: an unknown account as `<account>`. */
function suggestedPatternText(p: Judgment['pattern']): string {
  return `arn:${p.partition}:sts::${p.account ?? '<account>'}:assumed-role/${p.name}/*`;
}

function relatedOf(s: RoleSource, j: Judgment, indexes: ReadonlyMap<string, TextIndex>): RelatedRange[] {
  const out: RelatedRange[] = [];
  const put = (path: string, span: Span, msg: string) => {
    const index = indexes.get(path);
    if (!index) return;
    out.push({ range: index.range(span.start, span.end), message: msg, ...(path === s.path ? {} : { path }) });
  };
  if (j.closest) put(j.closest.mapping.path, j.closest.mapping.span, `the closest intake mapping (${j.closest.mapping.owner})`);
  for (const r of s.related) put(r.path, r.span, r.message);
  return out;
}

// ---------------------------------------------------------------------------
// The quick fix: a mapping resource beside the others

/**
 * Adds `resource "datadog_aws_wif_intake_mapping" "<name>" { arn_pattern = … }`
 * after the last intake mapping resource of the Terraform file that holds the
 * closest mapping (else the first that holds any). An account the files do
 * not state is written as `data.aws_caller_identity.<x>.account_id` (the
 * provider's own example), with the data block when the folder has none.
 * Undefined when no Terraform file declares intake mappings.
 */
function addMappingFix(s: RoleSource, j: Judgment, m: Mappings, terraform: readonly TerraformSource[]): QuickFix | undefined {
  const target = m.resourceFiles.find((f) => f.path === j.closest?.mapping.path) ?? m.resourceFiles[0];
  if (!target) return undefined;
  const text = target.index.text;
  const folder = folderOf(target.path);
  const mates = terraform.filter((t) => folderOf(t.path) === folder);
  const taken = new Set(mates.flatMap((t) => t.model.mappings.filter((r) => r.type === 'datadog_aws_wif_intake_mapping').map((r) => r.name)));
  const name = resourceName(s.role.name, taken);
  let account = j.pattern.account;
  let data = '';
  if (account === undefined) {
    const existing = mates.flatMap((t) => t.model.aws?.callerIdentities ?? [])[0];
    const dataName = existing ?? 'current';
    if (!existing) data = `data "aws_caller_identity" "${dataName}" {}\n\n`;
    account = `\${data.aws_caller_identity.${dataName}.account_id}`;
  }
  const pattern = `arn:${j.pattern.partition}:sts::${account}:assumed-role/${hclQuoted(j.pattern.name)}/*`;
  const eol = target.index.eol;
  const block = `${data}resource "datadog_aws_wif_intake_mapping" "${name}" {\n  arn_pattern = "${pattern}"\n}`.replace(/\n/g, eol);
  const last = lastIntakeResource(target.model.mappings);
  let edit: TextEdit;
  if (last?.closeBrace) {
    const at = target.index.range(last.closeBrace.end, last.closeBrace.end).end;
    const lineEnd = target.index.lineEnd(at.line);
    const pos = target.index.positionAt(lineEnd);
    edit = { range: { start: pos, end: pos }, newText: `${eol}${eol}${block}` };
  } else {
    const end = target.index.positionAt(text.length);
    const sep = text.length === 0 ? '' : text.endsWith('\n') ? eol : `${eol}${eol}`;
    edit = { range: { start: end, end }, newText: `${sep}${block}${eol}` };
  }
  const title = `Add an intake mapping for the role \`${s.role.name}\` to ${baseNameOf(target.path)}`;
  return target.path === s.path ? { title, edits: [edit] } : { title, edits: [], changes: [{ path: target.path, edits: [edit] }] };
}

function lastIntakeResource(mappings: readonly TfMappingResource[]): TfMappingResource | undefined {
  let last: TfMappingResource | undefined;
  for (const r of mappings) if (r.type === 'datadog_aws_wif_intake_mapping' && (!last || r.span.start > last.span.start)) last = r;
  return last;
}
