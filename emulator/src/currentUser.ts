// GET /api/v2/current_user: the user the credentials act as and its org, as a
// JSON:API user document (datadog-api-client's UserResponse: the org in
// `data.relationships.org`, its name in the `included` org). It answers for
// the emulator's API + application keys (a service account of the org) and
// for the delegated tokens it issued (the mapped user, `sub`); other
// credentials get what the real API answers: 403 "Forbidden" for keys or a
// token it does not know, 401 without any credentials.

import { createHash } from 'node:crypto';
import type { ApiKeyGrant } from './access';
import { type HttpExchange, sendErrorObjects, sendErrorStrings } from './http';
import type { TokenIssuer } from './tokens';

export interface CurrentUserContext {
  orgUuid: string;
  /** The org's name in answers (EmulatorOptions.orgName; default DEFAULT_ORG_NAME). */
  orgName: string;
  apiKeys: readonly ApiKeyGrant[];
  tokens: TokenIssuer;
}

export const DEFAULT_ORG_NAME = 'acme-prod';

/** A stable UUID for a user named by handle: the same handle always gets the same id. */
function userUuid(handle: string): string {
  const h = createHash('sha256').update(`datadog-user:${handle.toLowerCase()}`).digest('hex');
  return `${h.slice(0, 8)}-${h.slice(8, 12)}-5${h.slice(13, 16)}-a${h.slice(17, 20)}-${h.slice(20, 32)}`;
}

export function handleCurrentUser(ex: HttpExchange, ctx: CurrentUserContext): void {
  if (ex.method !== 'GET') {
    sendErrorObjects(ex, 405, `${ex.method} is not allowed here: GET`);
    return;
  }
  const apiKey = ex.header('dd-api-key');
  const appKey = ex.header('dd-application-key');
  const authorization = ex.header('authorization');
  let handle: string | undefined;
  if (apiKey !== undefined || appKey !== undefined) {
    // Both keys are needed; a pair the emulator knows acts as the org's service account.
    const grant = ctx.apiKeys.find((k) => k.apiKey === apiKey && k.appKey === appKey);
    if (grant) handle = `service-account-${grant.appKey.slice(-4)}@emulator.invalid`;
  } else if (authorization !== undefined) {
    const bearer = /^Bearer\s+(\S+)\s*$/i.exec(authorization);
    const claims = bearer ? ctx.tokens.verify(bearer[1]) : undefined;
    if (claims) handle = claims.sub;
  } else {
    sendErrorStrings(ex, 401, 'Unauthorized');
    return;
  }
  if (handle === undefined) {
    sendErrorStrings(ex, 403, 'Forbidden');
    return;
  }
  const org = { type: 'orgs', id: ctx.orgUuid };
  ex.json(200, {
    data: {
      type: 'users',
      id: userUuid(handle),
      attributes: { handle, email: handle, name: handle, status: 'Active', disabled: false },
      relationships: { org: { data: org }, roles: { data: [] } },
    },
    included: [{ ...org, attributes: { name: ctx.orgName, public_id: ctx.orgUuid.replace(/-/g, '').slice(0, 12) } }],
  });
}
