// The vocabulary shared by the features that keep an org and its repository in
// step (issue #14): the org's mappings as the hosts hand them to the service,
// the mappings the workspace declares, how the two differ, and what a host
// knows of an org it reached with the user's credentials. Pure data: the
// service never fetches anything; the CLI and the extension do, then pass it in.

import type { Span } from '../agent/yamlTree';

export type MappingKind = 'identity' | 'intake';

/** A mapping of the org, as the API lists it (the cloud core's `Mapping` without its transport details). */
export interface OrgMapping {
  kind: MappingKind;
  id: string;
  arnPattern: string;
  /** Identity mappings: the user email, handle or service-account UUID the pattern acts as. */
  accountIdentifier?: string;
  /** Identity mappings: the Datadog account's UUID (read-only, set by the server). */
  accountUuid?: string;
}

/** A mapping the workspace declares: a Terraform mapping resource (or an entry of its written-out `for_each`), or an `arn_pattern` of a YAML/JSON list of a known kind. */
export interface DeclaredMapping {
  kind: MappingKind;
  /** What the API would receive; undefined when the files do not state it (`var.p`, a template). */
  pattern?: string;
  /** The pattern holds `${…}` (unknown text): it cannot be compared exactly. */
  interpolated: boolean;
  /** Identity mappings: the literal `account_identifier`, when the files state it. */
  accountIdentifier?: string;
  /** The file (a path for the CLI, a URI for the server). */
  path: string;
  /** The pattern's value (or, without one, the resource's first line). */
  span: Span;
  /** 0-based line of `span.start` ("declared in infra/wif.tf:12" shows line + 1). */
  line: number;
  /** For messages: `datadog_aws_wif_intake_mapping.agents`, `intake_mappings`. */
  owner: string;
}

/** How the org's mappings and the workspace's differ (diff.ts). */
export interface MappingsDrift {
  /** Org mappings the workspace declares (same kind and pattern; for identity, the same account or none stated). */
  inStep: { org: OrgMapping; declared: DeclaredMapping[] }[];
  /** Org mappings no file declares. */
  onlyInOrg: OrgMapping[];
  /** Declared mappings (with a known pattern) the org does not have. */
  onlyInCode: DeclaredMapping[];
  /** Identity mappings with the same pattern whose Datadog account differs. */
  accountMismatch: { org: OrgMapping; declared: DeclaredMapping }[];
  /** Declared mappings whose pattern is not known: any "only in the org" may be one of them. */
  unknown: DeclaredMapping[];
}

/** What a host learnt of an org from `/api/v2/current_user`, with stored keys or a Test Login token. Never a secret. */
export interface OrgFacts {
  /** The Datadog site the credentials are for (`datadoghq.com`, `datadoghq.eu`, …). */
  site: string;
  orgUuid: string;
  orgName?: string;
  /** How it was learnt: the site's stored API/application keys, or the token of a Terraform-flow Test Login. */
  source: 'keys' | 'token';
}

/** The org's mappings for the opt-in live checks (`datadogWif.live`): what the host listed last for a site. */
export interface OrgMappingsSnapshot {
  site: string;
  mappings: OrgMapping[];
}
