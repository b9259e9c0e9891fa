// The org's mappings as Terraform (`dd-wif mappings export`, the view's
// "Export to Terraform"): each mapping a resource of the DataDog/datadog
// provider with an `import` block, so that `terraform plan` adopts the
// mapping that exists (by its id) instead of creating a second one, which
// the API would refuse (409, overlapping patterns).
//
// What the provider's sources say (DataDog/terraform-provider-datadog,
// datadog/fwprovider/resource_datadog_aws_wif_{intake,identity}_mapping.go):
// `datadog_aws_wif_intake_mapping` has `arn_pattern`;
// `datadog_aws_wif_identity_mapping` has `arn_pattern` and
// `account_identifier` (required; `account_uuid` is computed); both import
// by the mapping's id as is (ImportStatePassthroughID). The API answers an
// identity mapping's account as a handle, the form that survives an import
// unchanged, so the identifier it sent is written as is.
//
// Resource names come from the role (`assumed-role/datadog-agent/*` →
// `datadog_agent`), else the user, made unique per resource type: a name
// shared by several gets the pattern's account where that tells them apart,
// else a number, in a fixed order (kind, pattern, id), so the same mappings
// give the same text whatever order the API listed them in. Every
// value from the server is written escaped (hclWrite.ts): a hostile pattern
// or id cannot add a line, an attribute or a block.

import { parseArn } from '../arn';
import { hclQuoted, resourceName } from '../terraform/hclWrite';
import type { MappingKind, OrgMapping } from './types';

export const RESOURCE_TYPES: Readonly<Record<MappingKind, string>> = {
  identity: 'datadog_aws_wif_identity_mapping',
  intake: 'datadog_aws_wif_intake_mapping',
};

/** Provider releases that added each resource (its CHANGELOG: v4.25.0 #4234, v4.30.0 #4337). */
export const PROVIDER_SINCE: Readonly<Record<MappingKind, string>> = { identity: '4.25.0', intake: '4.30.0' };

const HEADER = [
  '# Datadog Workload Identity Federation mappings of the org, exported by dd-wif.',
  '# Each resource has an import block: `terraform plan` adopts the existing mapping',
  '# (by its id) instead of creating a duplicate. Import blocks need Terraform 1.5 or',
  `# later; the DataDog/datadog provider has datadog_aws_wif_identity_mapping since`,
  `# ${PROVIDER_SINCE.identity} and datadog_aws_wif_intake_mapping since ${PROVIDER_SINCE.intake}. Once imported, the import`,
  '# blocks may be removed.',
];

/** A mapping with the address it is written under. */
export interface NamedMapping {
  mapping: OrgMapping;
  type: string;
  name: string;
}

/**
 * The addresses (`datadog_aws_wif_intake_mapping.agents`) a text pasted into
 * the workspace must not reuse: Terraform refuses two resources of one address
 * in a module. Their names are skipped as the names of this export's own are.
 */
export interface ExportOptions {
  taken?: Iterable<string>;
}

/** The resource name of each mapping, in the order they are written (kind, pattern, id). */
export function nameMappings(mappings: readonly OrgMapping[], options: ExportOptions = {}): NamedMapping[] {
  const sorted = [...mappings].sort((a, b) => cmp(a.kind, b.kind) || cmp(a.arnPattern, b.arnPattern) || cmp(a.id, b.id));
  const bases = sorted.map((m) => baseOf(m));
  // How many mappings of a type share a base, and a base and an account: the account tells apart those it can.
  const count = new Map<string, number>();
  const bump = (key: string) => count.set(key, (count.get(key) ?? 0) + 1);
  sorted.forEach((m, i) => {
    bump(`${m.kind}\u0000${bases[i].name}`);
    bump(`${m.kind}\u0000${bases[i].name}\u0000${bases[i].account ?? ''}`);
  });
  const taken: Record<MappingKind, Set<string>> = { identity: new Set(), intake: new Set() };
  for (const address of options.taken ?? []) {
    for (const kind of ['identity', 'intake'] as const) {
      if (address.startsWith(`${RESOURCE_TYPES[kind]}.`)) taken[kind].add(address.slice(RESOURCE_TYPES[kind].length + 1));
    }
  }
  /** The next number to try after a name, so that n mappings of one name cost n, not n². */
  const next = new Map<string, number>();
  return sorted.map((m, i) => {
    const { name: base, account } = bases[i];
    const shared = (count.get(`${m.kind}\u0000${base}`) ?? 0) > 1;
    const ownAccount = account !== undefined && count.get(`${m.kind}\u0000${base}\u0000${account}`) === 1;
    let name = shared && ownAccount ? `${base}_${account}` : base;
    if (taken[m.kind].has(name)) {
      const key = `${m.kind}\u0000${name}`;
      let k = next.get(key) ?? 2;
      while (taken[m.kind].has(`${name}_${k}`)) k++;
      next.set(key, k + 1);
      name = `${name}_${k}`;
    }
    taken[m.kind].add(name);
    return { mapping: m, type: RESOURCE_TYPES[m.kind], name };
  });
}

/** The Terraform text: a header, then for each mapping an import block and its resource. */
export function exportTerraform(mappings: readonly OrgMapping[], options: ExportOptions = {}): string {
  const out = [...HEADER];
  const named = nameMappings(mappings, options);
  if (named.length === 0) out.push('', '# The org has no mappings (of the kind asked for).');
  for (const { mapping: m, type, name } of named) {
    out.push('', 'import {', `  to = ${type}.${name}`, `  id = "${hclQuoted(m.id)}"`, '}', '', `resource "${type}" "${name}" {`);
    if (m.kind === 'intake') out.push(`  arn_pattern = "${hclQuoted(m.arnPattern)}"`);
    else {
      out.push(`  arn_pattern        = "${hclQuoted(m.arnPattern)}"`);
      const account = m.accountIdentifier ?? m.accountUuid;
      // Required by the provider: without it `terraform plan` says so, rather than a guess here.
      if (account !== undefined) out.push(`  account_identifier = "${hclQuoted(account)}"`);
      else out.push('  # account_identifier: the API did not say which account this mapping acts as');
    }
    out.push('}');
  }
  return `${out.join('\n')}\n`;
}

/** A name from the role (or user) a pattern names, and its account when literal. */
function baseOf(m: OrgMapping): { name: string; account?: string } {
  // The server's text is literal: no `${…}` in it is an interpolation.
  const p = parseArn(m.arnPattern, []);
  const account = p.account && /^\d{12}$/.test(p.account.text) ? p.account.text : undefined;
  const who = p.roleName?.text ?? p.userName?.text ?? (p.kind === 'root' ? 'root' : undefined);
  return { name: resourceName(who && who !== '*' ? who : m.kind === 'intake' ? 'intake_mapping' : 'identity_mapping', new Set()), account };
}

function cmp(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}
