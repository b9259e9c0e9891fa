// The mappings a workspace declares, for comparing with the org's (diff.ts):
//   - Terraform: each `datadog_aws_wif_intake_mapping` / `_identity_mapping`
//     (and the older `_persona_mapping`) resource's `arn_pattern`; a resource
//     whose own `for_each` is written out declares its entries instead (its
//     `each.value…` pattern says nothing more), as agent/role-not-mapped reads
//     them (workspace/roleMapping.ts). An identity mapping's account is the
//     literal `account_identifier` of the resource, or of the entry;
//   - YAML/JSON: each `arn_pattern` of a list whose group names a kind (the
//     `type` beside it, else a key above it: `intake_mappings:`,
//     `type: identity`, `persona_mappings:`; agent/arnPatterns.ts groupKind).
// A pattern the files do not state (`var.p`, a `{{ … }}` chart template) is
// declared with no pattern: the diff cannot say which org mapping it is. A
// pattern with `${…}` keeps its text, marked interpolated. Pure and linear.

import type { TextIndex } from '../common/textIndex';
import type { Span } from '../agent/yamlTree';
import { groupKind } from '../agent/arnPatterns';
import { patternText } from '../terraform/arnPatterns';
import type { HclValue, TfMappingResource } from '../terraform/model';
import { interpolationSpans } from '../arn';
import type { PatternListSource, TerraformSource } from '../workspace/roleMapping';
import type { DeclaredMapping, MappingKind } from './types';

export interface DeclaredInput {
  terraform: readonly TerraformSource[];
  patternLists: readonly PatternListSource[];
  /** Files that may declare mappings but could not be read (too large, not parsed): the list is then incomplete. */
  unread?: readonly string[];
}

export interface DeclaredMappings {
  /** By file in input order (Terraform first), then in text order. */
  mappings: DeclaredMapping[];
  /** Some file that may declare mappings could not be read: an org mapping may be declared there. */
  incomplete: boolean;
  /** Those files. */
  unread: string[];
}

export function declaredMappings(input: DeclaredInput): DeclaredMappings {
  const mappings: DeclaredMapping[] = [];
  for (const src of input.terraform) collectTerraform(src, mappings);
  for (const src of input.patternLists) collectList(src, mappings);
  const unread = [...(input.unread ?? [])];
  return { mappings, incomplete: unread.length > 0, unread };
}

function collectTerraform(src: TerraformSource, out: DeclaredMapping[]): void {
  const text = src.index.text;
  const resources = new Map<string, TfMappingResource>(src.model.mappings.map((r) => [`${r.type}.${r.name}`, r]));
  // A resource whose own `for_each` is written out: its entries are the mappings.
  const fed = new Set(src.model.arnPatterns.filter((p) => p.kind && !p.direct).map((p) => p.owner.replace(/'s for_each$/, '')));
  for (const p of src.model.arnPatterns) {
    if (!p.kind) continue;
    const t = patternText(p.value, text, false);
    if (!t && p.direct && fed.has(p.owner)) continue;
    const resource = resources.get(p.direct ? p.owner : p.owner.replace(/'s for_each$/, ''));
    let account: string | undefined;
    if (p.kind === 'identity') account = literal(p.accountIdentifier, text) ?? literal(resource?.accountIdentifier?.value, text);
    out.push(declared(p.kind, t?.text, (t?.interpolations.length ?? 0) > 0, account, src.path, src.index, p.value.span, p.owner));
  }
  // A resource without `arn_pattern` at all still declares a mapping, whose pattern is not known.
  for (const r of src.model.mappings) {
    if (r.arnPattern || fed.has(`${r.type}.${r.name}`)) continue;
    const kind: MappingKind = r.type === 'datadog_aws_wif_intake_mapping' ? 'intake' : 'identity';
    const account = kind === 'identity' ? literal(r.accountIdentifier?.value, text) : undefined;
    out.push(declared(kind, undefined, false, account, src.path, src.index, { start: r.span.start, end: r.openBrace?.end ?? r.typeSpan.end }, `${r.type}.${r.name}`));
  }
}

function collectList(src: PatternListSource, out: DeclaredMapping[]): void {
  for (const p of src.patterns) {
    const kind = groupKind(p.group);
    if (!kind) continue;
    // A chart or CI template (`{{ … }}`) is not the pattern the API gets.
    const known = !p.value.includes('{{');
    const account = kind === 'identity' && p.accountIdentifier !== undefined && !p.accountIdentifier.includes('{{') ? p.accountIdentifier : undefined;
    out.push(declared(kind, known ? p.value : undefined, known && interpolationSpans(p.value).length > 0, account, src.path, src.index, { start: p.start, end: p.end }, p.group));
  }
}

function declared(kind: MappingKind, pattern: string | undefined, interpolated: boolean, account: string | undefined, path: string, index: TextIndex, span: Span, owner: string): DeclaredMapping {
  return {
    kind,
    ...(pattern !== undefined ? { pattern } : {}),
    interpolated,
    ...(account !== undefined ? { accountIdentifier: account } : {}),
    path,
    span,
    line: index.positionAt(span.start).line,
    owner,
  };
}

/** The value of a string without interpolations; undefined for anything else. */
function literal(v: HclValue | undefined, source: string): string | undefined {
  if (!v) return undefined;
  const t = patternText(v, source, false);
  return t && t.interpolations.length === 0 ? t.text : undefined;
}
