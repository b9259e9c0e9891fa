// The environment variables the Agent reads for delegated authentication:
// `DD_` + the key path upper-cased, `.` -> `_` (PROTOCOL.md §8). One table,
// read by the env rules, hover and completion.

import { SUPPORTED_PARENTS } from '../agent/model';
import { GLOBAL_ONLY_KEYS } from '../agent/keys';

/** The config key path a variable stands for: `delegated_auth.aws.region` for `DD_DELEGATED_AUTH_AWS_REGION`. */
export function envNameOf(keyPath: string): string {
  return `DD_${keyPath.toUpperCase().replace(/\./g, '_')}`;
}

export interface EnvVariable {
  name: string;
  /** The datadog.yaml key it sets. */
  keyPath: string;
  /** The `delegated_auth` section it belongs to (`delegated_auth`, `logs_config.delegated_auth`), if any. */
  section?: string;
  /** The key below the section (`org_uuid`, `aws.region`), if in one. */
  sectionKey?: string;
  /** The section's parent (`logs_config`); null for the global section. */
  parent?: string | null;
}

const SECTION_KEY_PATHS = ['org_uuid', 'provider', 'aws.region', 'refresh_interval_mins'] as const;

function build(): EnvVariable[] {
  const out: EnvVariable[] = [{ name: 'DD_SITE', keyPath: 'site' }];
  for (const parent of SUPPORTED_PARENTS) {
    const section = parent ? `${parent}.delegated_auth` : 'delegated_auth';
    for (const key of SECTION_KEY_PATHS) out.push({ name: envNameOf(`${section}.${key}`), keyPath: `${section}.${key}`, section, sectionKey: key, parent });
    const slot = parent ? `${parent}.api_key` : 'api_key';
    out.push({ name: envNameOf(slot), keyPath: slot, parent });
  }
  return out;
}

/** Every variable the env rules know, global and per-product. */
export const ENV_VARIABLES: readonly EnvVariable[] = build();
const BY_NAME = new Map(ENV_VARIABLES.map((v) => [v.name, v]));

export function envVariable(name: string): EnvVariable | undefined {
  return BY_NAME.get(name.toUpperCase());
}

/** Whether a per-product section's key is one only the global section reads (`provider`, `aws.region`, `refresh_interval_mins`). */
export function isGlobalOnly(sectionKey: string): boolean {
  return (GLOBAL_ONLY_KEYS as readonly string[]).includes(sectionKey.split('.')[0]);
}

/** A name that means delegated auth (`…DELEGATED_AUTH…`): a misspelt one is `agent/unknown-key`. */
export function mentionsDelegatedAuth(name: string): boolean {
  return /DELEGATED_?AUTH/i.test(name);
}
