// Where a login test makes sense in a file, and what the file says about it:
// each supported `delegated_auth` section of a datadog.yaml (Agent flow) and
// each `provider "datadog"` block of a .tf file (Terraform flow). The editor
// shows a "Test Login" code lens there; the command takes the org UUID, site,
// STS region and API URL from here and asks for whatever is left undefined.
//
// Only what the file states literally is taken: a variable reference, an
// interpolation or a missing value gives undefined (the command asks). Nothing
// here is trusted: the command validates every value, and a URL read from a
// file goes through the host policy like any other.

import { isMap, isPair, isScalar, type Document } from 'yaml';
import type { Range } from './common/types';
import type { TextIndex } from './common/textIndex';
import { siteOfHost } from './common/sites';
import { extractAgentModel, type DelegatedAuthSection } from './agent/model';
import { lastEntry, rawKeyText, scalarString, type YMap, type YValue } from './agent/yamlTree';
import { attributeNamed, literalString, type HclAttribute, type TerraformModel, type TfProviderBlock } from './terraform/model';
import type { AgentEnvFile, AgentWorkload, EnvSetting } from './agentEnv/settings';
import { SUPPORTED_PARENTS } from './agent/model';
import { envNameOf } from './agentEnv/names';

export type LoginTargetFlow = 'agent' | 'terraform';

export interface LoginTarget {
  flow: LoginTargetFlow;
  /** Where the code lens sits: the `delegated_auth` key, or the `provider` keyword of the block. */
  range: Range;
  /** What the lens is on, for titles and logs: `logs_config.delegated_auth`, `provider "datadog"` (alias `eu`). */
  label: string;
  /** The org UUID as written (not validated here). */
  orgUuid?: string;
  /** Added for the org_uuid hover (orgSync/orgFacts.ts): where that value is written, when it is. LanguageService.loginTargets leaves it out. */
  orgUuidRange?: Range;
  /** A Datadog site (`datadoghq.eu`), as written or derived from a Datadog API URL. */
  site?: string;
  /**
   * The STS region; `''` means global STS (the file says so, e.g. a Terraform
   * block without `cloud_provider_region`); undefined means the file does not
   * tell (the Agent auto-detects it; a variable), so the command asks.
   */
  region?: string;
  /** An API base URL the file names (`dd_url`, `api_url`): a candidate only; the host policy decides. */
  apiUrl?: string;
}

// ---------------------------------------------------------------------------
// Agent (datadog.yaml)

/** One target per supported `delegated_auth` section, in every YAML document of the file. */
export function agentLoginTargets(text: string, index: TextIndex, docs: readonly Document[]): LoginTarget[] {
  if (!text.includes('delegated_auth')) return [];
  const out: LoginTarget[] = [];
  for (const doc of docs) {
    const model = extractAgentModel(doc, text);
    const supported = model.sections.filter((s) => s.supported);
    if (!supported.length) continue;
    const global = supported.filter((s) => s.parent === null).pop();
    const region = global ? regionOf(global) : undefined;
    const site = model.site ? stringOf(model.site.value) : undefined;
    const ddUrl = rootString(doc, 'dd_url');
    for (const s of supported) {
      const entry = s.value.kind === 'map' ? lastEntry(s.value, 'org_uuid') : undefined;
      const org = stringOf(entry?.value);
      const target = agentTarget(index.range(s.keySpan.start, s.keySpan.end), s.path, org, site, ddUrl, region);
      if (org !== undefined && entry) target.orgUuidRange = index.range(entry.value.start, entry.value.end);
      out.push(target);
    }
  }
  return out;
}

/** A top-level string the model does not keep (`dd_url`): the last occurrence, trimmed, non-empty. */
function rootString(doc: Document, key: string): string | undefined {
  if (!isMap(doc.contents)) return undefined;
  let found: string | undefined;
  for (const pair of doc.contents.items) {
    if (!isPair(pair) || rawKeyText(pair.key) !== key) continue;
    found = isScalar(pair.value) && pair.value.value !== null ? String(pair.value.value).trim() || undefined : undefined;
  }
  return found;
}

/** `delegated_auth.aws.region` of the global section, when it is a non-empty string. */
function regionOf(section: DelegatedAuthSection): string | undefined {
  if (section.value.kind !== 'map') return undefined;
  const aws = lastEntry(section.value, 'aws');
  if (aws?.value.kind !== 'map') return undefined;
  return stringOf(lastEntry(aws.value as YMap, 'region')?.value);
}

/** A scalar's text, trimmed; undefined for a map, a list, null or an empty value. */
function stringOf(v: YValue | undefined): string | undefined {
  if (!v || v.kind !== 'scalar' || v.value === null) return undefined;
  const s = scalarString(v).trim();
  return s === '' ? undefined : s;
}

// ---------------------------------------------------------------------------
// Agents configured by environment (Kubernetes, Helm, Operator, compose, ECS)

/**
 * One target per org UUID variable of each workload (`DD_DELEGATED_AUTH_ORG_UUID`,
 * `DD_LOGS_CONFIG_DELEGATED_AUTH_ORG_UUID`, …), with the site, STS region and
 * API URL the same workload states. The region follows the Agent's order:
 * `DD_DELEGATED_AUTH_AWS_REGION`, then `AWS_REGION`, then `AWS_DEFAULT_REGION`.
 */
export function agentEnvLoginTargets(file: AgentEnvFile, index: TextIndex): LoginTarget[] {
  const out: LoginTarget[] = [];
  for (const w of file.workloads) {
    const { last, literal } = workloadReader(w);
    const site = literal('DD_SITE');
    const ddUrl = literal('DD_DD_URL');
    const region = literal('DD_DELEGATED_AUTH_AWS_REGION') ?? literal('AWS_REGION') ?? literal('AWS_DEFAULT_REGION');
    for (const parent of SUPPORTED_PARENTS) {
      const org = last.get(envNameOf(parent ? `${parent}.delegated_auth.org_uuid` : 'delegated_auth.org_uuid'));
      if (!org) continue;
      const orgText = org.value.kind === 'literal' ? org.value.text.trim() : '';
      const target = agentTarget(index.range(org.nameSpan.start, org.nameSpan.end), `${org.label} (${w.label.replace(/`/g, '')})`, orgText || undefined, site, ddUrl, region);
      if (orgText && org.value.span.end > org.value.span.start) target.orgUuidRange = index.range(org.value.span.start, org.value.span.end);
      out.push(target);
    }
  }
  return out;
}

/** The settings of a workload the Agent reads (the last of each name, written as itself or as a form's own key) and their literal values. */
function workloadReader(w: AgentWorkload): { last: Map<string, EnvSetting>; literal: (name: string) => string | undefined } {
  const last = new Map<string, EnvSetting>();
  for (const s of w.settings) if (s.label.toUpperCase() === s.name || s.label.includes('.')) last.set(s.name, s);
  const literal = (name: string) => {
    const s = last.get(name);
    const text = s?.value.kind === 'literal' ? s.value.text.trim() : undefined;
    return text === '' ? undefined : text;
  };
  return { last, literal };
}

/** The Datadog site a workload states (`DD_SITE`, else derived from `DD_DD_URL`), as a login target of it would have it; undefined when it states none. */
export function workloadSite(w: AgentWorkload): string | undefined {
  const { literal } = workloadReader(w);
  const site = literal('DD_SITE');
  if (site !== undefined) return site;
  const ddUrl = literal('DD_DD_URL');
  return ddUrl === undefined ? undefined : siteOfUrl(ddUrl);
}

// ---------------------------------------------------------------------------
// Terraform

/** One target per `provider "datadog"` block (also under a local name required_providers maps to datadog/datadog). */
export function terraformLoginTargets(model: TerraformModel, index: TextIndex): LoginTarget[] {
  return model.providers.map((p) => {
    const target: LoginTarget = { flow: 'terraform', range: index.range(p.typeSpan.start, p.typeSpan.end), label: labelOf(p) };
    const orgAttribute = attributeNamed(p, 'org_uuid');
    const org = literal(orgAttribute);
    if (org !== undefined && org !== '') {
      target.orgUuid = org;
      target.orgUuidRange = index.range(orgAttribute!.value.span.start, orgAttribute!.value.span.end);
    }
    const region = attributeNamed(p, 'cloud_provider_region');
    if (!region || region.value.kind === 'null') target.region = '';
    else {
      const r = literal(region);
      if (r !== undefined) target.region = r;
    }
    const apiUrl = literal(attributeNamed(p, 'api_url'));
    if (apiUrl !== undefined && apiUrl !== '') {
      target.apiUrl = apiUrl;
      const site = siteOfUrl(apiUrl);
      if (site) target.site = site;
    }
    return target;
  });
}

/** The Datadog site a `provider "datadog"` block states: that of its literal `api_url`, if it names one. */
export function providerSite(p: TfProviderBlock): string | undefined {
  const apiUrl = literal(attributeNamed(p, 'api_url'));
  return apiUrl ? siteOfUrl(apiUrl) : undefined;
}

/** The Datadog site an Agent YAML file states: its top-level `site`, else that of its `dd_url` (the last document that says). */
export function agentFileSite(docs: readonly Document[]): string | undefined {
  let found: string | undefined;
  for (const doc of docs) {
    const site = rootString(doc, 'site');
    const ddUrl = site === undefined ? rootString(doc, 'dd_url') : undefined;
    const here = site ?? (ddUrl === undefined ? undefined : siteOfUrl(ddUrl));
    if (here !== undefined) found = here;
  }
  return found;
}

function labelOf(p: TfProviderBlock): string {
  const base = `provider "${p.localName}"`;
  return p.alias ? `${base} (alias ${p.alias})` : base;
}

/** A literal string value, trimmed; undefined for a reference, a template with interpolations, a number… */
function literal(a: HclAttribute | undefined): string | undefined {
  const s = literalString(a?.value);
  return s === undefined ? undefined : s.trim();
}

/** The Datadog site of a URL's host (`https://api.datadoghq.eu/`, `app.datadoghq.com`), if it is one. */
export function siteOfUrl(url: string): string | undefined {
  const trimmed = url.trim();
  const withScheme = /^[a-z][a-z0-9+.-]*:\/\//i.test(trimmed) ? trimmed : `https://${trimmed}`;
  let host: string;
  try {
    host = new URL(withScheme).hostname;
  } catch {
    return undefined;
  }
  return siteOfHost(host)?.site;
}

/** An Agent-flow target: the site as written, else derived from a Datadog API URL the file names. */
function agentTarget(range: Range, label: string, orgUuid: string | undefined, site: string | undefined, ddUrl: string | undefined, region: string | undefined): LoginTarget {
  const target: LoginTarget = { flow: 'agent', range, label };
  if (orgUuid !== undefined) target.orgUuid = orgUuid;
  if (site !== undefined) target.site = site;
  else if (ddUrl !== undefined) {
    const derived = siteOfUrl(ddUrl);
    if (derived) target.site = derived;
  }
  if (region !== undefined) target.region = region;
  if (ddUrl !== undefined) target.apiUrl = ddUrl;
  return target;
}
