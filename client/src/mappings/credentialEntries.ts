// Which (site, base URL) pairs have stored Datadog credentials: the part of
// the credential store that is not secret (globalState, since SecretStorage
// cannot be enumerated). Apart from secrets.ts so that the activation gate can
// set the `datadogWif.hasCredentials` context key (menus, the view's welcome)
// without loading the mapping features and the cloud core.

import type * as vscode from 'vscode';

export interface CredentialEntry {
  site: string;
  baseUrl: string;
}

export const ENTRIES_KEY = 'datadogWif.credentialEntries';
/** Context key: some site has stored credentials (hides the welcome view). */
export const HAS_CREDENTIALS_CONTEXT = 'datadogWif.hasCredentials';

const isEntry = (v: unknown): v is CredentialEntry => typeof (v as CredentialEntry)?.site === 'string' && typeof (v as CredentialEntry)?.baseUrl === 'string';

export function credentialEntries(globalState: vscode.Memento): CredentialEntry[] {
  const stored = globalState.get<unknown>(ENTRIES_KEY);
  return Array.isArray(stored) ? stored.filter(isEntry) : [];
}
