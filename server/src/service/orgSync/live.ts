// The opt-in live checks (`datadogWif.live`): the mapping patterns a file
// declares, held against the mappings the org has (OrgMappingsSnapshot, as a
// host listed them), so the 409 a `terraform apply` or a create would get is
// seen while typing:
//   - org/mapping-exists (information): the org has a mapping of the same
//     kind with this very pattern; it names its id and, on a Terraform
//     resource Terraform may not manage yet, offers an `import` block;
//   - org/mapping-conflict (warning): the pattern overlaps an org mapping of
//     the same kind that is not the same pattern: the API refuses it (409,
//     as the emulator's mappings.ts answers), naming that mapping.
// What is checked: the `arn_pattern` of the WIF mapping resources and the
// entries of their written-out `for_each`, and the YAML/JSON `arn_pattern`
// values whose group names a kind (`intake_mappings:`, `type: identity`).
// Nothing unknown is judged: `var.p`, `each.value.arn_pattern`, a pattern
// with `${…}` or `{{ … }}` say nothing.
//
// Which org a file is held against: the site the file states (a Terraform
// mapping's provider block's `api_url`, an Agent file's `site` or `dd_url`),
// else the only site the host sent, else datadoghq.com (the default of the
// Agent and of the provider). A file stating a site the host has no mappings
// for is not checked.
//
// Linear: the org's mappings are indexed by kind and pattern once per
// snapshot (exact patterns by value and by the prefix a trailing `/*` would
// need to match them, wildcard patterns by their prefix, as arn/match.ts
// findOverlaps does); each declared pattern is then a few map lookups.
// Everything the server sent is escaped (and redacted) before it is shown.

import type { Finding, QuickFix, TextEdit } from '../common/types';
import type { TextIndex } from '../common/textIndex';
import type { Span } from '../agent/yamlTree';
import { groupKind, type ArnPatternValue } from '../agent/arnPatterns';
import { attributeNamed, type TerraformModel, type TfMappingResource, type TfProviderBlock } from '../terraform/model';
import { patternText } from '../terraform/arnPatterns';
import { overlapWitness, wildcardPrefix } from '../arn';
import { providerSite } from '../loginTargets';
import { displayText } from '../../shared/terminalText';
import { DEFAULT_SITE, normalizeSite } from '../common/sites';
import { pushTo } from '../common/multimap';
import { hclQuoted } from '../terraform/hclWrite';
import type { MappingKind, OrgMapping, OrgMappingsSnapshot } from './types';
import { readOrgMappings } from './wire';

export const MAPPING_EXISTS = 'org/mapping-exists';
export const MAPPING_CONFLICT = 'org/mapping-conflict';

/** The site a file is held against when it states none and the host sent several. */

/** How many conflicting org mappings a finding names (the count covers them all). */
export const MAX_NAMED_CONFLICTS = 3;

const NOUN: Readonly<Record<MappingKind, string>> = { identity: 'identity mapping', intake: 'intake mapping' };

/** The prefix a trailing-`/*` pattern would need to match the exact ARN `arn` (as arn/match.ts reads it). */
function parentPrefix(arn: string): string | undefined {
  const slash = arn.lastIndexOf('/');
  return slash < 0 || slash === arn.length - 1 ? undefined : arn.slice(0, slash + 1);
}

/** One site's mappings, indexed by kind and pattern. */
export class OrgMappingsIndex {
  /** kind + exact pattern (wildcard ones too: the same pattern is the same mapping). */
  private readonly byPattern = new Map<string, OrgMapping[]>();
  /** kind + prefix of a trailing-`/*` pattern. */
  private readonly wildcardsByPrefix = new Map<string, OrgMapping[]>();
  /** kind + the prefix a wildcard would need to match an exact pattern. */
  private readonly exactByParent = new Map<string, OrgMapping[]>();
  /** Map lookups made by `lookup` (tests count them: the work per declared pattern is constant). */
  lookups = 0;

  constructor(
    readonly site: string,
    mappings: readonly OrgMapping[],
  ) {
    for (const m of mappings) {
      pushTo(this.byPattern, `${m.kind}\n${m.arnPattern}`, m);
      const prefix = wildcardPrefix(m.arnPattern);
      if (prefix !== undefined) pushTo(this.wildcardsByPrefix, `${m.kind}\n${prefix}`, m);
      else {
        const parent = parentPrefix(m.arnPattern);
        if (parent !== undefined) pushTo(this.exactByParent, `${m.kind}\n${parent}`, m);
      }
    }
  }

  /** The org mapping with this very pattern, and those it overlaps (a caller both match) that are another pattern: the API's 409. */
  lookup(kind: MappingKind, pattern: string): { same?: OrgMapping; conflicts: OrgMapping[] } {
    this.lookups += 3;
    const same = this.byPattern.get(`${kind}\n${pattern}`)?.[0];
    const prefix = wildcardPrefix(pattern);
    // A wildcard meets the exact ARNs under its prefix (a wildcard of the same prefix is the same pattern);
    // an exact ARN meets the wildcards of its parent.
    const conflicts =
      prefix !== undefined ? (this.exactByParent.get(`${kind}\n${prefix}`) ?? []) : (() => {
        const parent = parentPrefix(pattern);
        return parent === undefined ? [] : (this.wildcardsByPrefix.get(`${kind}\n${parent}`) ?? []);
      })();
    return same ? { same, conflicts } : { conflicts };
  }
}

/** The org mappings of every site the host sent: what LanguageService.setOrgMappings keeps. */
export class OrgMappings {
  private readonly sites = new Map<string, OrgMappingsIndex>();

  /** Snapshots as they came over the wire: anything malformed is dropped, never trusted. */
  constructor(snapshots: readonly unknown[] = []) {
    for (const s of Array.isArray(snapshots) ? snapshots : []) {
      if (!s || typeof s !== 'object') continue;
      const { site, mappings } = s as Partial<OrgMappingsSnapshot>;
      if (typeof site !== 'string' || !site.trim() || !Array.isArray(mappings)) continue;
      // An empty pattern matches no caller: nothing to hold a file's patterns against.
      const clean = readOrgMappings(mappings).mappings.filter((m) => m.arnPattern !== '');
      const key = normalizeSite(site);
      // The same site twice: the later list replaces the earlier (as the whole message replaces the last).
      this.sites.set(key, new OrgMappingsIndex(key, clean));
    }
  }

  get empty(): boolean {
    return this.sites.size === 0;
  }

  /** The org a file is held against: the site it states, else the only one, else datadoghq.com; undefined when the host sent none for it. */
  pick(stated: string | undefined): OrgMappingsIndex | undefined {
    if (stated !== undefined) return this.sites.get(normalizeSite(stated));
    if (this.sites.size === 1) return this.sites.values().next().value;
    return this.sites.get(DEFAULT_SITE);
  }

  /** Every site's index (tests count their lookups). */
  indexes(): OrgMappingsIndex[] {
    return [...this.sites.values()];
  }
}

// ---------------------------------------------------------------------------
// The patterns a file declares

export interface LivePattern {
  kind: MappingKind;
  /** What the API would receive (known exactly: no `${…}`). */
  pattern: string;
  /** Where the finding lands: the pattern's value. */
  span: Span;
  /** The site the file (or the resource's provider) states. */
  site?: string;
  /** Identity mappings: the literal `account_identifier` beside it, when stated. */
  accountIdentifier?: string;
  /** A Terraform resource (instance) that an `import` block could adopt: its address, and where the block goes. */
  importTarget?: { address: string; after: number };
}

/** The `arn_pattern`s of an Agent YAML/JSON file whose group names a kind. */
export function yamlLivePatterns(patterns: readonly ArnPatternValue[], site: string | undefined): LivePattern[] {
  const out: LivePattern[] = [];
  for (const p of patterns) {
    const kind = groupKind(p.group);
    // A chart or CI template is not what the API gets.
    if (!kind || p.value.includes('{{') || p.value.includes('${')) continue;
    out.push({ kind, pattern: p.value, span: { start: p.start, end: p.end }, ...(site !== undefined ? { site } : {}) });
  }
  return out;
}

/** `import { to = … }` addresses written in these texts (whitespace removed): those resources are already being adopted. */
export function importedAddresses(texts: readonly string[]): Set<string> {
  const out = new Set<string>();
  // Bounded body: an unclosed block costs at most that much, so the scan stays linear.
  const block = /^[ \t]*import[ \t]*\{([^}]{0,1000})\}/gm;
  for (const text of texts) {
    if (!text.includes('import')) continue;
    block.lastIndex = 0;
    for (let m = block.exec(text); m; m = block.exec(text)) {
      const to = /(?:^|[\s{])to[ \t]*=[ \t]*([^\r\n#]+)/.exec(m[1]);
      if (to) out.add(to[1].replace(/\s+/g, '').replace(/\/\/.*$/, ''));
    }
  }
  return out;
}

/** The site a resource's provider states: its `provider = datadog.<alias>`, else the default (unaliased) provider's. */
function resourceSite(r: TfMappingResource | undefined, providers: readonly TfProviderBlock[]): string | undefined {
  const meta = r && attributeNamed(r, 'provider');
  const written = meta?.value.kind === 'expression' ? meta.value.source.trim() : undefined;
  const alias = written && /^[A-Za-z_][\w-]*\.([A-Za-z_][\w-]*)$/.exec(written)?.[1];
  for (const p of providers) {
    if ((alias ? p.alias === alias : p.alias === undefined) && providerSite(p) !== undefined) return providerSite(p);
  }
  return undefined;
}

const IMPORTABLE: ReadonlySet<string> = new Set(['datadog_aws_wif_intake_mapping', 'datadog_aws_wif_identity_mapping']);

/**
 * The patterns of a Terraform file's WIF mapping resources and of their
 * written-out `for_each` entries. `providers`: the Datadog provider blocks of
 * the file and its folder (which site); `imported`: addresses an `import`
 * block of the folder already names (no quick fix, no finding: it is being
 * adopted).
 */
export function terraformLivePatterns(model: TerraformModel, source: string, providers: readonly TfProviderBlock[], imported: ReadonlySet<string>): LivePattern[] {
  const out: LivePattern[] = [];
  const byOwner = new Map(model.mappings.map((r) => [`${r.type}.${r.name}`, r]));
  for (const p of model.arnPatterns) {
    if (!p.kind) continue;
    const t = patternText(p.value, source);
    if (!t || t.interpolations.length) continue;
    const owner = p.direct ? p.owner : p.owner.replace(/'s for_each$/, '');
    const resource = byOwner.get(owner);
    // An instance of a `count` or `for_each` resource is addressed by its index or key.
    const counted = resource && attributeNamed(resource, 'count') !== undefined;
    const address = p.direct ? (resource && !attributeNamed(resource, 'for_each') && !counted ? owner : undefined) : p.entryKey !== undefined && !counted ? `${owner}["${hclQuoted(p.entryKey)}"]` : undefined;
    const importable = address !== undefined && resource?.closeBrace !== undefined && IMPORTABLE.has(resource.type) && !imported.has(address);
    if (address !== undefined && imported.has(address)) continue;
    const site = resourceSite(resource, providers);
    const account = resource && p.direct && p.kind === 'identity' ? attributeNamed(resource, 'account_identifier') : undefined;
    const accountIdentifier = account?.value.kind === 'string' ? account.value.value : undefined;
    out.push({
      kind: p.kind,
      pattern: t.text,
      span: p.value.span,
      ...(site !== undefined ? { site } : {}),
      ...(accountIdentifier !== undefined ? { accountIdentifier } : {}),
      ...(importable ? { importTarget: { address, after: resource!.closeBrace!.end } } : {}),
    });
  }
  return out;
}

// ---------------------------------------------------------------------------
// The findings

/** An id the import block may carry as is: what the API's ids look like (UUIDs), nothing that needs escaping. */
const PLAIN_ID = /^[A-Za-z0-9][A-Za-z0-9._:-]{0,127}$/;

/** A value from the server in a message: redacted, control characters escaped, in backticks. */
function shown(value: string): string {
  return `\`${displayText(value).replace(/`/g, "'")}\``;
}

/**
 * The findings of a file's declared patterns against the org of each one's
 * site (OrgMappings.pick). Unfiltered: the caller applies suppressions and
 * severities as for every finding of the file.
 */
export function liveFindings(patterns: readonly LivePattern[], org: OrgMappings, index: TextIndex, flavour: 'terraform' | 'yaml'): Finding[] {
  const out: Finding[] = [];
  if (org.empty) return out;
  for (const p of patterns) {
    const target = org.pick(p.site);
    if (!target) continue;
    const { same, conflicts } = target.lookup(p.kind, p.pattern);
    const range = index.range(p.span.start, p.span.end);
    const where = `the org of ${shown(target.site)}`;
    if (same) {
      let message = `This ${NOUN[p.kind]} already exists in ${where}: id ${shown(same.id)}.`;
      if (p.kind === 'identity' && same.accountIdentifier !== undefined && p.accountIdentifier !== undefined && same.accountIdentifier !== p.accountIdentifier) {
        message += ` There it acts as ${shown(same.accountIdentifier)}, not ${shown(p.accountIdentifier)}.`;
      }
      const fixes: QuickFix[] = [];
      if (flavour === 'terraform') {
        message += ' If Terraform does not manage it yet, `terraform apply` is refused (409): import it.';
        if (p.importTarget && PLAIN_ID.test(same.id)) fixes.push(importFix(p.importTarget, same.id, index));
      }
      out.push({ code: MAPPING_EXISTS, severity: 'info', message, range, data: { orgMappingId: same.id, site: target.site, ...(fixes.length ? { fixes } : {}) } });
    }
    if (conflicts.length) {
      const first = conflicts[0];
      const witness = overlapWitness(p.pattern, first.arnPattern) ?? first.arnPattern;
      const more = conflicts.length > 1 ? ` (and ${(conflicts.length - 1).toLocaleString('en-US')} more: ${conflicts.slice(1, MAX_NAMED_CONFLICTS).map((c) => shown(c.id)).join(', ')}${conflicts.length > MAX_NAMED_CONFLICTS ? ', …' : ''})` : '';
      const refused = flavour === 'terraform' ? '`terraform apply` would be refused (409)' : 'Creating it would be refused (409)';
      out.push({
        code: MAPPING_CONFLICT,
        severity: 'warning',
        message: `${refused}: this ${NOUN[p.kind]} overlaps the ${NOUN[p.kind]} ${shown(first.id)} of ${where}, ${shown(first.arnPattern)}${more}; both match ${shown(witness)}.`,
        range,
        data: { orgMappingIds: conflicts.slice(0, MAX_NAMED_CONFLICTS).map((c) => c.id), site: target.site },
      });
    }
  }
  return out;
}

/** `import { to = <address>, id = "<id>" }` after the resource block (the provider's import ID is the mapping's id: ImportStatePassthroughID). */
function importFix(target: { address: string; after: number }, id: string, index: TextIndex): QuickFix {
  const eol = index.eol;
  const at = index.positionAt(index.lineEnd(index.positionAt(target.after).line));
  const block = ['', '', 'import {', `  to = ${target.address}`, `  id = "${id}"`, '}'].join(eol);
  const edit: TextEdit = { range: { start: at, end: at }, newText: block };
  return { title: `Import the existing mapping ${id} into ${target.address}`, edits: [edit], isPreferred: true };
}
