// The settings the mapping features read. Where credentials may go
// (`apiUrl`, `allowedApiHosts`) and the timeout come from the user's own
// settings only (client/src/settings.ts): a workspace file could otherwise
// send the user's keys to a host it names (PROTOCOL.md §5).

import * as vscode from 'vscode';
import { apiBaseUrlForSite, resolveApiBaseUrl, type BaseUrlDecision } from '../../../server/src/cloud/hostPolicy';
import { isMappingApiPaths, type MappingApiPaths } from '../../../server/src/cloud/mappingTypes';
import { SETTINGS_SECTION } from '../../../server/src/lsp/protocol';
import { userLevelSettings } from '../settings';

export interface MappingSettings {
  apiUrl?: string;
  allowedHosts: string[];
  timeoutMs: number;
  paths: MappingApiPaths;
}

export function mappingSettings(): MappingSettings {
  const user = userLevelSettings();
  // Which path family to call changes no host, so any scope may set it.
  const paths = vscode.workspace.getConfiguration(SETTINGS_SECTION).get<unknown>('mappingApiPaths');
  return {
    ...(user.apiUrl ? { apiUrl: user.apiUrl } : {}),
    allowedHosts: user.allowedApiHosts,
    timeoutMs: user.requestTimeoutMs,
    paths: isMappingApiPaths(paths) ? paths : 'auto',
  };
}

/**
 * The API base URL the mapping features use for `site` under the user's
 * settings: `datadogWif.apiUrl` when set (a proxy, the emulator), else
 * https://api.<site>; or why there is none (a host the policy refuses).
 * Stored credentials are bound to it.
 */
export function apiFor(site: string, settings: MappingSettings = mappingSettings()): BaseUrlDecision {
  return resolveApiBaseUrl({ site, apiUrl: settings.apiUrl, allowedHosts: settings.allowedHosts });
}

/** `https://api.<site>`: the base URL a site's credentials go to without an override. */
export function siteApiUrl(site: string): string | undefined {
  const d = apiBaseUrlForSite(site);
  return d.ok ? d.baseUrl : undefined;
}

/** Settings whose change invalidates what the mapping features fetched. */
export function affectsMappings(e: vscode.ConfigurationChangeEvent): boolean {
  return ['apiUrl', 'allowedApiHosts', 'requestTimeoutSeconds', 'mappingApiPaths'].some((n) => e.affectsConfiguration(`${SETTINGS_SECTION}.${n}`));
}
