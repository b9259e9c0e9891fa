// Settings that decide where a proof may go, read from the USER's settings
// only. They are application-scoped in package.json (so VS Code offers them
// only in user settings), and on top of that only `inspect().globalValue` is
// read here: a value a workspace or folder writes into .vscode/settings.json
// (which a cloned repository controls) is ignored, and said so in the log.

import * as vscode from 'vscode';
import { SETTINGS_SECTION } from '../../server/src/lsp/protocol';

export const DEFAULT_REQUEST_TIMEOUT_SECONDS = 30;
const MAX_REQUEST_TIMEOUT_SECONDS = 600;

export interface UserLevelSettings {
  /** `datadogWif.allowedApiHosts`: hosts (`host`, `host:port`) the user allows to receive a proof. */
  allowedApiHosts: string[];
  /** `datadogWif.apiUrl`: an API base URL to use instead of `https://api.<site>`. */
  apiUrl?: string;
  /** `datadogWif.requestTimeoutSeconds`, in milliseconds. */
  requestTimeoutMs: number;
  /** Workspace or folder values that were ignored, by setting name (for the log). */
  ignored: string[];
}

interface Inspected {
  workspaceValue?: unknown;
  workspaceFolderValue?: unknown;
  workspaceLanguageValue?: unknown;
  workspaceFolderLanguageValue?: unknown;
}

/** A workspace, folder or language-in-workspace value is present (and will be ignored). */
function hasLocalValue(i: Inspected | undefined): boolean {
  return !!i && [i.workspaceValue, i.workspaceFolderValue, i.workspaceLanguageValue, i.workspaceFolderLanguageValue].some((v) => v !== undefined);
}

/** Reads the user-level values; `scope` (a document) only matters for finding ignored folder values. */
export function userLevelSettings(scope?: vscode.Uri): UserLevelSettings {
  const config = vscode.workspace.getConfiguration(SETTINGS_SECTION, scope ?? null);
  const ignored: string[] = [];

  const hosts = config.inspect<unknown>('allowedApiHosts');
  if (hasLocalValue(hosts)) ignored.push(`${SETTINGS_SECTION}.allowedApiHosts`);
  const allowedApiHosts = Array.isArray(hosts?.globalValue) ? hosts!.globalValue.filter((h): h is string => typeof h === 'string' && h.trim() !== '').map((h) => h.trim()) : [];

  const url = config.inspect<unknown>('apiUrl');
  if (hasLocalValue(url)) ignored.push(`${SETTINGS_SECTION}.apiUrl`);
  const apiUrl = typeof url?.globalValue === 'string' && url.globalValue.trim() !== '' ? url.globalValue.trim() : undefined;

  const timeout = config.inspect<unknown>('requestTimeoutSeconds');
  if (hasLocalValue(timeout)) ignored.push(`${SETTINGS_SECTION}.requestTimeoutSeconds`);
  const seconds = typeof timeout?.globalValue === 'number' && Number.isFinite(timeout.globalValue) && timeout.globalValue > 0 ? Math.min(timeout.globalValue, MAX_REQUEST_TIMEOUT_SECONDS) : DEFAULT_REQUEST_TIMEOUT_SECONDS;

  return { allowedApiHosts, ...(apiUrl ? { apiUrl } : {}), requestTimeoutMs: Math.round(seconds * 1000), ignored };
}
