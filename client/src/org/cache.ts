// What the extension knows of the orgs the user's credentials belong to, as
// kept in globalState: per site, the org UUID and name `/api/v2/current_user`
// gave, for which API base URL, and when. Never a key or a token. Apart from
// the learner (learner.ts, with the cloud core) so that the language client's
// bundle can send it to the server whenever the server (re)starts without
// loading the cloud core.

import type * as vscode from 'vscode';
import type { OrgFacts } from '../../../server/src/service/orgSync/types';

export const ORG_FACTS_KEY = 'datadogWif.orgFacts';

export interface CachedOrg {
  site: string;
  /** The API base URL the credentials were used at (facts of another base URL are not this site's now). */
  baseUrl: string;
  orgUuid: string;
  orgName?: string;
  source: 'keys' | 'token';
  /** Epoch milliseconds of the answer. */
  when: number;
}

const isCachedOrg = (v: unknown): v is CachedOrg => {
  const o = v as CachedOrg;
  return !!o && typeof o.site === 'string' && typeof o.baseUrl === 'string' && typeof o.orgUuid === 'string' && (o.source === 'keys' || o.source === 'token') && typeof o.when === 'number' && (o.orgName === undefined || typeof o.orgName === 'string');
};

export function readOrgCache(state: vscode.Memento): CachedOrg[] {
  const stored = state.get<unknown>(ORG_FACTS_KEY);
  return Array.isArray(stored) ? stored.filter(isCachedOrg) : [];
}

/** What the server gets (datadogWif/orgFacts): the cached orgs without where and when. */
export function orgFactsOf(cache: readonly CachedOrg[]): OrgFacts[] {
  return cache.map((c) => ({ site: c.site, orgUuid: c.orgUuid, ...(c.orgName !== undefined ? { orgName: c.orgName } : {}), source: c.source }));
}
