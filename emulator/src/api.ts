// The emulated Datadog API: which handler answers which path.

import { type ExchangeContext, handleDelegatedToken, handleIntakeKey } from './proofExchange';
import { type HttpExchange, sendErrorStrings } from './http';
import { handleMappings, type MappingContext, routeMapping } from './mappings';
import { type CurrentUserContext, handleCurrentUser } from './currentUser';

export type ApiContext = ExchangeContext & MappingContext & CurrentUserContext;

export async function handleApi(ex: HttpExchange, ctx: ApiContext): Promise<void> {
  if (ex.path === '/api/v2/delegated-token') return handleDelegatedToken(ex, ctx);
  if (ex.path === '/api/v2/intake-key') return handleIntakeKey(ex, ctx);
  if (ex.path === '/api/v2/current_user') return handleCurrentUser(ex, ctx);
  const route = routeMapping(ex.path);
  if (route) return handleMappings(ex, route, ctx);
  sendErrorStrings(ex, 404, 'Not found');
}
