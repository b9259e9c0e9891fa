// What each `delegated_auth` key means (PROTOCOL.md §4): read by the rules,
// hover, completion and the docs.

export interface DelegatedAuthKey {
  /** Key name as written under `delegated_auth` (or under `aws` for `region`). */
  name: string;
  /** Path below `delegated_auth`. */
  path: string;
  type: 'string' | 'integer' | 'mapping';
  default: string;
  /** Read in per-product sections too, or only in the global section. */
  readIn: 'all sections' | 'global section only';
  description: string;
  env?: string;
}

export const DELEGATED_AUTH_KEYS: readonly DelegatedAuthKey[] = [
  {
    name: 'org_uuid',
    path: 'org_uuid',
    type: 'string',
    default: 'empty (feature off)',
    readIn: 'all sections',
    description:
      'The UUID of the Datadog organization to authenticate to. Setting it is what turns delegated authentication on: the Agent signs an AWS STS `GetCallerIdentity` request bound to this org and exchanges it for a managed, rotated API key.',
    env: 'DD_DELEGATED_AUTH_ORG_UUID',
  },
  {
    name: 'provider',
    path: 'provider',
    type: 'string',
    default: 'auto-detect',
    readIn: 'global section only',
    description: 'The cloud whose identity proves who the Agent is. Only `aws` exists.',
    env: 'DD_DELEGATED_AUTH_PROVIDER',
  },
  {
    name: 'aws',
    path: 'aws',
    type: 'mapping',
    default: '-',
    readIn: 'global section only',
    description: 'AWS-specific settings of the proof.',
  },
  {
    name: 'region',
    path: 'aws.region',
    type: 'string',
    default: 'auto-detect',
    readIn: 'global section only',
    description:
      'The AWS STS region the proof is signed for. Empty means the global endpoint `sts.amazonaws.com`. When unset the Agent tries `AWS_REGION`, then `AWS_DEFAULT_REGION`, then the EC2 metadata service, else global STS.',
    env: 'DD_DELEGATED_AUTH_AWS_REGION',
  },
  {
    name: 'refresh_interval_mins',
    path: 'refresh_interval_mins',
    type: 'integer',
    default: '60',
    readIn: 'global section only',
    description: 'How often, in minutes, the Agent exchanges a new proof for a fresh API key. Zero or negative is replaced by 60 with a warning.',
    env: 'DD_DELEGATED_AUTH_REFRESH_INTERVAL_MINS',
  },
];

/** Keys a `delegated_auth` section may hold. */
export const SECTION_KEYS = ['org_uuid', 'provider', 'aws', 'refresh_interval_mins'] as const;
/** Keys a `delegated_auth.aws` mapping may hold. */
export const AWS_KEYS = ['region'] as const;
/** Keys only the global section reads. */
export const GLOBAL_ONLY_KEYS = ['provider', 'aws', 'refresh_interval_mins'] as const;

export interface LegacyKey {
  name: string;
  replacement: string;
  explanation: string;
}

/** Keys of pre-release builds, now obsolete. */
export const LEGACY_KEYS: readonly LegacyKey[] = [
  { name: 'enabled', replacement: '(remove it)', explanation: 'setting `org_uuid` is what turns the feature on' },
  { name: 'aws_region', replacement: 'aws.region', explanation: 'the region now lives under `aws:`' },
  { name: 'refresh_interval', replacement: 'refresh_interval_mins', explanation: 'the interval is now in minutes' },
];

export function describeKey(path: string): DelegatedAuthKey | undefined {
  return DELEGATED_AUTH_KEYS.find((k) => k.path === path);
}

/** The API key slot each supported section fills. */
export function apiKeySlot(parent: string | null): string {
  return parent ? `${parent}.api_key` : 'api_key';
}
