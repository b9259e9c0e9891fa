// The org a host reached with the user's credentials (OrgFacts, from
// `/api/v2/current_user`), put to use in the files: a quick fix that writes
// that org's UUID where `agent/org-uuid-missing`, `agent/org-uuid-invalid`,
// `tf/org-uuid-missing` or `tf/org-uuid-invalid` fire (datadog.yaml sections,
// the env forms of Agent workloads, Terraform provider blocks and the
// containers of aws_ecs_task_definition), and a line on the hover of a valid
// org_uuid saying whether it is that org.
//
// Only the facts of the file's own site are used (the site it states, else
// datadoghq.com): an org of another site is never offered. Without facts,
// nothing. Pure: the hosts fetch; this only reads what they handed over.

import { isUuid } from '../common/identifiers';
import { DEFAULT_SITE, normalizeSite } from '../common/sites';
import { escapeControl } from '../../shared/terminalText';
import type { TextIndex } from '../common/textIndex';
import type { Finding, Position, QuickFix, Range, TextEdit } from '../common/types';
import { replaceLiteral } from '../agentEnv/rules';
import type { AgentEnvFile, AgentWorkload, EnvSetting, LiteralValue } from '../agentEnv/settings';
import type { LoginTarget } from '../loginTargets';
import type { OrgFacts } from './types';

export const ORG_UUID_CODES: ReadonlySet<string> = new Set(['agent/org-uuid-missing', 'agent/org-uuid-invalid', 'tf/org-uuid-missing', 'tf/org-uuid-invalid']);

/** The site a file means when it names none (the Agent's and the provider's default). */

/** More orgs than any user has sites: a host sending more is not believed past this. */
const MAX_ORGS = 64;
const MAX_NAME = 200;
const MAX_SITE = 253;

/** The facts a host sent, cleaned: a well-formed site and UUID each, names one line and capped; anything else dropped. */
export function cleanOrgFacts(input: unknown): OrgFacts[] {
  if (!Array.isArray(input)) return [];
  const out: OrgFacts[] = [];
  for (const item of input.slice(0, MAX_ORGS)) {
    if (!item || typeof item !== 'object') continue;
    const o = item as Record<string, unknown>;
    const site = typeof o.site === 'string' ? normalizeSite(o.site) : '';
    const orgUuid = typeof o.orgUuid === 'string' ? o.orgUuid.trim().toLowerCase() : '';
    if (!site || site.length > MAX_SITE || !/^[a-z0-9.-]+(?::\d+)?$/.test(site) || !isUuid(orgUuid)) continue;
    const facts: OrgFacts = { site, orgUuid, source: o.source === 'token' ? 'token' : 'keys' };
    const name = typeof o.orgName === 'string' ? oneLine(o.orgName) : '';
    if (name) facts.orgName = name.length > MAX_NAME ? `${name.slice(0, MAX_NAME)}…` : name;
    out.push(facts);
  }
  return out;
}

/** One line of display text: white space folded, and any other control (a bidirectional override included) shown as a visible escape. */
function oneLine(text: string): string {
  return escapeControl(text.replace(/[\t\n\r\u2028\u2029]+/g, ' ').replace(/\s+/g, ' ').trim());
}

/** The org of `site` (undefined: the default site); keys win over a login token, as they do for every call. */
export function orgForSite(orgs: readonly OrgFacts[], site: string | undefined): OrgFacts | undefined {
  const s = normalizeSite(site ?? DEFAULT_SITE) || DEFAULT_SITE;
  return orgs.find((o) => o.site === s && o.source === 'keys') ?? orgs.find((o) => o.site === s);
}

/** "your keys for datadoghq.com" / "your Test Login for datadoghq.com". */
function whose(org: OrgFacts): string {
  return org.source === 'token' ? `your Test Login for ${org.site}` : `your keys for ${org.site}`;
}

/**
 * Markdown-safe text: the characters that make links, images, HTML, code,
 * emphasis, tables or entities escaped with a backslash (CommonMark lets any
 * ASCII punctuation be), so a name from the server is shown as written. The
 * name never starts a line, so list and heading markers stay harmless.
 */
export function escapeMarkdown(text: string): string {
  return oneLine(text).replace(/[\\`*_[\]()<>#|~&!{}$]/g, (c) => `\\${c}`);
}

/** The line a hover on a valid org UUID gets, when the facts know the org of its site. */
export function orgHoverLine(orgs: readonly OrgFacts[], site: string | undefined, uuid: string): string | undefined {
  const org = orgForSite(orgs, site);
  const written = uuid.trim().toLowerCase();
  if (!org || !isUuid(written)) return undefined;
  const name = org.orgName ? `'${escapeMarkdown(org.orgName)}'` : undefined;
  if (org.orgUuid === written) return name ? `This is the org ${name} (${whose(org)})` : `This is the org of ${whose(org)}`;
  const cap = whose(org).replace(/^your/, 'Your');
  return `${cap} belong${org.source === 'token' ? 's' : ''} to another org, ${name ? `${name} (uuid \`${org.orgUuid}\`)` : `\`${org.orgUuid}\``}`;
}

/** The quick fix's title: "Set org_uuid to the org of your datadoghq.com keys, 'acme-prod'". */
function fixTitle(key: string, org: OrgFacts): string {
  const what = org.source === 'token' ? `your ${org.site} Test Login` : `your ${org.site} keys`;
  return `Set ${key} to the org of ${what}, ${org.orgName ? `'${org.orgName}'` : org.orgUuid}`;
}

// ---------------------------------------------------------------------------
// Where a finding is, and what its site is

const before = (p: Position, q: Position) => p.line < q.line || (p.line === q.line && p.character <= q.character);

/** The target a finding in a datadog.yaml section or a provider block belongs to: the last one starting at or before it. */
export function targetOf(targets: readonly LoginTarget[], at: Range): LoginTarget | undefined {
  let found: LoginTarget | undefined;
  for (const t of targets) if (before(t.range.start, at.start)) found = t;
  return found;
}

export interface FoundSetting {
  workload: AgentWorkload;
  setting: EnvSetting;
}

/**
 * Finds the env setting (and its workload) whose name or value a finding
 * lands on: the settings indexed once by their spans, so that many findings
 * cost one pass over the file's settings.
 */
export function settingFinder(file: AgentEnvFile, index: TextIndex): (range: Range) => FoundSetting | undefined {
  const bySpan = new Map<string, FoundSetting>();
  for (const workload of file.workloads) {
    for (const setting of workload.settings) {
      for (const span of [setting.nameSpan, setting.value.span]) {
        const key = `${span.start}:${span.end}`;
        if (!bySpan.has(key)) bySpan.set(key, { workload, setting });
      }
    }
  }
  return (range) => bySpan.get(`${index.offsetAt(range.start)}:${index.offsetAt(range.end)}`);
}

// ---------------------------------------------------------------------------
// The fixes

/** datadog.yaml: the org's UUID in the section the finding is about. */
export function agentYamlOrgFix(finding: Finding, index: TextIndex, org: OrgFacts): QuickFix | undefined {
  const uuid = org.orgUuid;
  let edits: TextEdit[] | undefined;
  // No org_uuid at all: the rule's own insertion (placed under the section's key), with the value filled in.
  const insert = finding.data?.fixes?.find((f) => /^Insert `org_uuid: `$/.test(f.title));
  if (insert) edits = fillIn(insert.edits, /org_uuid: (?=\r?\n|$)/, `org_uuid: ${uuid}`);
  else if (finding.code === 'agent/org-uuid-missing') edits = emptyYamlValue(index, finding.range, uuid);
  else edits = replaceYamlScalar(index, finding.range, uuid);
  return edits ? { title: fixTitle('org_uuid', org), edits, isPreferred: true } : undefined;
}

/** Terraform `provider "datadog"`: the rule's insertion with the org's UUID as a string, or the invalid literal replaced. */
export function terraformOrgFix(finding: Finding, index: TextIndex, org: OrgFacts): QuickFix | undefined {
  const uuid = JSON.stringify(org.orgUuid);
  let edits: TextEdit[] | undefined;
  if (finding.code === 'tf/org-uuid-missing') {
    const insert = finding.data?.fixes?.find((f) => f.title === 'Insert `org_uuid = var.datadog_org_uuid`');
    if (insert) edits = fillIn(insert.edits, /org_uuid = var\.datadog_org_uuid/, `org_uuid = ${uuid}`);
  } else {
    const raw = slice(index, finding.range);
    // A one-line quoted string (a heredoc or a template is left alone).
    if (finding.range.start.line === finding.range.end.line && /^"[^"\n]*"$/.test(raw)) edits = [{ range: finding.range, newText: uuid }];
  }
  return edits ? { title: fixTitle('org_uuid', org), edits, isPreferred: true } : undefined;
}

/** An Agent configured by environment (any form, JSON and Terraform included): the variable's value, or a new variable beside the one the finding names. */
export function agentEnvOrgFix(finding: Finding, index: TextIndex, found: { setting: EnvSetting }, org: OrgFacts): QuickFix | undefined {
  const s = found.setting;
  const orgName = /ORG_UUID$/.test(s.name) ? s.name : s.name.replace(/(DELEGATED_AUTH_).*$/, '$1ORG_UUID');
  if (!orgName.endsWith('DELEGATED_AUTH_ORG_UUID')) return undefined;
  let edits: TextEdit[] | undefined;
  if (s.name === orgName) {
    if (s.value.kind !== 'literal') return undefined;
    const replaced = replaceLiteral(index, s.value, org.orgUuid);
    // An empty YAML value written right after its colon needs a space before the new one.
    if (replaced && s.value.syntax === 'yaml' && s.value.span.start === s.value.span.end && index.text[s.value.span.start - 1] === ':') replaced.newText = ` ${replaced.newText}`;
    const edit = replaced ?? emptyYamlEnvValue(index, s.value, org.orgUuid);
    if (!edit) return undefined;
    edits = [edit];
  } else {
    const edit = siblingSetting(index, s, orgName, org.orgUuid);
    if (edit) edits = [edit];
  }
  return edits ? { title: fixTitle(orgName, org), edits, isPreferred: true } : undefined;
}

/** `value:` with nothing after it (the reader leaves it unreplaceable: there is no scalar to replace): the value written after the colon. */
function emptyYamlEnvValue(index: TextIndex, value: LiteralValue, uuid: string): TextEdit | undefined {
  if (value.syntax !== 'yaml' || value.text !== '' || value.span.end !== value.span.start) return undefined;
  // The reader puts an absent value at its colon, or just after it.
  const at = index.text[value.span.start] === ':' ? value.span.start + 1 : value.span.start;
  if (index.text[at - 1] !== ':') return undefined;
  const lineEnd = index.lineEnd(index.positionAt(at).line);
  if (!/^[ \t]*(?:#.*)?$/.test(index.text.slice(at, lineEnd))) return undefined;
  return { range: index.range(at, at), newText: ` ${JSON.stringify(uuid)}` };
}

/** Replaces, in the rule's own edits, the placeholder it inserts with the org's value; undefined when it is not there. */
function fillIn(edits: readonly TextEdit[], placeholder: RegExp, value: string): TextEdit[] | undefined {
  let filled = false;
  const out = edits.map((e) => {
    if (filled || !placeholder.test(e.newText)) return e;
    filled = true;
    return { range: e.range, newText: e.newText.replace(placeholder, value) };
  });
  return filled ? out : undefined;
}

function slice(index: TextIndex, range: Range): string {
  return index.text.slice(index.offsetAt(range.start), index.offsetAt(range.end));
}

/** `org_uuid:` with nothing (or `""`, `~`, `null`) after the key the finding is on: the value written there. */
function emptyYamlValue(index: TextIndex, keyRange: Range, uuid: string): TextEdit[] | undefined {
  const keyEnd = index.offsetAt(keyRange.end);
  const lineEnd = index.lineEnd(keyRange.end.line);
  const rest = index.text.slice(keyEnd, lineEnd);
  const m = /^([ \t]*:)([ \t]*)(""|''|"[ \t]*"|'[ \t]*'|~|null|Null|NULL)?(?=[ \t]*(?:#.*)?$)/.exec(rest);
  if (!m) return undefined;
  const start = keyEnd + m[1].length;
  const end = start + m[2].length + (m[3]?.length ?? 0);
  const quote = m[3]?.[0] === '"' || m[3]?.[0] === "'" ? m[3][0] : '';
  return [{ range: index.range(start, end), newText: ` ${quote}${uuid}${quote}` }];
}

/** A one-line scalar replaced, keeping its quotes; a block scalar is left alone. */
function replaceYamlScalar(index: TextIndex, range: Range, uuid: string): TextEdit[] | undefined {
  if (range.start.line !== range.end.line) return undefined;
  const raw = slice(index, range);
  if (!raw || /^[|>&*!]/.test(raw)) return undefined;
  const quote = raw[0] === '"' || raw[0] === "'" ? raw[0] : '';
  if (quote && raw[raw.length - 1] !== quote) return undefined;
  return [{ range, newText: `${quote}${uuid}${quote}` }];
}

/**
 * A new variable `name` = `value` written like `s` and inserted before it:
 * the lines of `s`'s YAML entry (`- name: …` / `value: …`, a compose
 * `KEY: value` or `- KEY=value`), or its JSON / HCL object followed by a
 * comma. Undefined when `s` is not written in a shape that can be copied.
 */
function siblingSetting(index: TextIndex, s: EnvSetting, name: string, value: string): TextEdit | undefined {
  if (s.value.kind !== 'literal' || !s.value.replaceable || s.label !== s.name) return undefined;
  const text = index.text;
  const valueEdit = replaceLiteral(index, s.value, value);
  if (!valueEdit) return undefined;
  const valueStart = index.offsetAt(valueEdit.range.start);
  const valueEnd = index.offsetAt(valueEdit.range.end);
  let nameStart = s.nameSpan.start;
  let nameEnd = s.nameSpan.end;
  if (nameEnd - nameStart >= 2 && /["']/.test(text[nameStart]) && text[nameEnd - 1] === text[nameStart]) {
    nameStart++;
    nameEnd--;
  }
  if (text.slice(nameStart, nameEnd) !== s.name) return undefined;
  const first = Math.min(nameStart, valueStart);
  const last = Math.max(nameEnd, valueEnd);

  let from: number;
  let to: number;
  let after: string;
  if (s.value.syntax === 'yaml') {
    from = index.lineStart(index.positionAt(first).line);
    to = index.lineEnd(index.positionAt(last).line);
    // The first line opens the entry (`- `, a map key) and the last ends it: nothing else of the document is copied.
    if (!/^[ \t]*(?:-[ \t]+)?(?:\{[ \t]*)?(?:[A-Za-z_"']+["']?[ \t]*:[ \t]*)?["']?$/.test(text.slice(from, first))) return undefined;
    if (!/^["']?[ \t]*(?:\}[ \t]*)?(?:#.*)?$/.test(text.slice(last, to))) return undefined;
    if (index.positionAt(first).line !== index.positionAt(last).line && !/^[ \t]*-[ \t]/.test(text.slice(from, first))) return undefined;
    after = index.eol;
  } else {
    // The `{ … }` holding the name and the value, with no other braces between.
    from = text.lastIndexOf('{', first);
    to = text.indexOf('}', last) + 1;
    if (from < 0 || to <= 0 || /[{}[\]]/.test(text.slice(from + 1, first)) || /[{}[\]]/.test(text.slice(last, to - 1))) return undefined;
    const lineStart = index.lineStart(index.positionAt(from).line);
    const ownLine = /^[ \t]*$/.test(text.slice(lineStart, from));
    after = ownLine ? `,${index.eol}${text.slice(lineStart, from)}` : ', ';
  }
  const cut = (a: number, b: number) => text.slice(a, b);
  const copy =
    first === nameStart
      ? cut(from, nameStart) + name + cut(nameEnd, valueStart) + valueEdit.newText + cut(valueEnd, to)
      : cut(from, valueStart) + valueEdit.newText + cut(valueEnd, nameStart) + name + cut(nameEnd, to);
  return { range: index.range(from, from), newText: copy + after };
}
