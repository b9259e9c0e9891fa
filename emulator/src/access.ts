// Who may use the mapping API: an API + application key pair from the
// emulator's table (with its permissions), or a delegated token this emulator
// issued and that has not expired (read and write, as a user token would be).

import type { HttpExchange } from './http';
import type { TokenIssuer } from './tokens';

export type Permission = 'read' | 'write';

export interface ApiKeyGrant {
  apiKey: string;
  appKey: string;
  permissions: Permission[];
}

/** The permission names Datadog reports when one is missing (PROTOCOL.md §3, current guide). */
export const PERMISSION_NAMES: Record<Permission, string> = {
  read: 'workload_identity_federation_config_read',
  write: 'workload_identity_federation_config_write',
};

/** The permissions of the request's credentials; undefined when there are none or they are not valid. */
export function permissionsOf(ex: HttpExchange, keys: readonly ApiKeyGrant[], tokens: TokenIssuer): ReadonlySet<Permission> | undefined {
  const apiKey = ex.header('dd-api-key');
  const appKey = ex.header('dd-application-key');
  if (apiKey !== undefined || appKey !== undefined) {
    const grant = keys.find((k) => k.apiKey === apiKey && k.appKey === appKey);
    return grant ? new Set(grant.permissions) : undefined;
  }
  const bearer = /^Bearer\s+(\S+)\s*$/i.exec(ex.header('authorization') ?? '');
  if (bearer && tokens.verify(bearer[1])) return new Set<Permission>(['read', 'write']);
  return undefined;
}
