// The mapping management API's vocabulary (PROTOCOL.md §3): the two kinds of
// mapping, their paths in both families and their type strings, and how a
// client authenticates. Node only; never imports `vscode`.

import type { OrgMapping } from '../service/orgSync/types';

/** `identity` = persona mapping (Terraform flow, acts as a user); `intake` = intake mapping (Agent flow, the managed API key). */
export type MappingKind = 'identity' | 'intake';

export const MAPPING_KINDS: readonly MappingKind[] = ['identity', 'intake'];

/** The API path family: `/api/v2/cloud_auth/aws/…` or `/api/v2/wif/aws/…` ([drift]). */
export type PathFamily = 'cloud_auth' | 'wif';

/** The setting `datadogWif.mappingApiPaths` / the CLI's `--paths`: a family, or `auto` (cloud_auth first, the other once on a 404). */
export type MappingApiPaths = PathFamily | 'auto';

export const MAPPING_API_PATHS: readonly MappingApiPaths[] = ['auto', 'cloud_auth', 'wif'];

export function isMappingApiPaths(value: unknown): value is MappingApiPaths {
  return typeof value === 'string' && (MAPPING_API_PATHS as readonly string[]).includes(value);
}

/** A mapping as the API lists it. */
export interface Mapping {
  kind: MappingKind;
  id: string;
  arnPattern: string;
  /** Identity mappings: the user email, handle or service-account UUID the pattern acts as. */
  accountIdentifier?: string;
  /** Identity mappings: the account's UUID (read-only, set by the server). */
  accountUuid?: string;
  /** Intake mappings (newer API): whether private action runner enrollment is allowed. */
  parEnrollmentEnabled?: boolean;
  /** The JSON:API type string the server answered with (`aws_cloud_auth_config`, `aws_wif_config`, …). */
  type: string;
}

/**
 * A mapping with the fields the org states and nothing of the transport (no
 * type string): what the CLI prints as JSON and what the extension hands the
 * language server (which never gets a credential).
 */
export function toOrgMapping(m: OrgMapping): OrgMapping {
  return {
    kind: m.kind,
    id: m.id,
    arnPattern: m.arnPattern,
    ...(m.accountIdentifier !== undefined ? { accountIdentifier: m.accountIdentifier } : {}),
    ...(m.accountUuid !== undefined ? { accountUuid: m.accountUuid } : {}),
  };
}

/** What a create needs: `accountIdentifier` is required for an identity mapping. */
export interface MappingInput {
  arnPattern: string;
  accountIdentifier?: string;
  /** Intake mappings only; sent only when set. */
  parEnrollmentEnabled?: boolean;
}

/** Datadog API/application keys, or the short-lived token of a Terraform-flow login. Secrets: never in a message. */
export type DatadogAuth = { kind: 'keys'; apiKey: string; appKey: string } | { kind: 'bearer'; token: string };

/** The collection path of a kind in a family (no trailing slash). */
export function mappingBasePath(family: PathFamily, kind: MappingKind): string {
  return `/api/v2/${family}/aws/${kind === 'identity' ? 'persona_mapping' : 'intake_mapping'}`;
}

/** The type string written on create, per family (the wif family's API clients send `aws_wif_config`). */
export function mappingWriteType(family: PathFamily, kind: MappingKind): string {
  if (family === 'wif') return kind === 'identity' ? 'aws_wif_config' : 'aws_wif_intake_mapping';
  return kind === 'identity' ? 'aws_cloud_auth_config' : 'aws_cloud_auth_intake_mapping';
}

/** Every type string accepted on read, per kind ([drift]: both families' strings). */
export const MAPPING_READ_TYPES: Readonly<Record<MappingKind, readonly string[]>> = {
  identity: ['aws_cloud_auth_config', 'aws_wif_config'],
  intake: ['aws_cloud_auth_intake_mapping', 'aws_wif_intake_mapping'],
};

/** The kind a type string names, or undefined for an unknown one. */
export function kindOfType(type: string): MappingKind | undefined {
  for (const kind of MAPPING_KINDS) if (MAPPING_READ_TYPES[kind].includes(type)) return kind;
  return undefined;
}
