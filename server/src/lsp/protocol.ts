// The custom requests and notifications between our client and server, typed
// in one module that both sides import. Plain method names and interfaces,
// so the client bundle does not pull in the server's libraries.

import type { FileKind } from '../service/common/types';

/** Client → server: what kind of file a document is to us (for the language status item). */
export const FileKindRequest = 'datadogWif/fileKind';
export interface FileKindParams {
  uri: string;
}
export interface FileKindResult {
  kind: FileKind | null;
}

/** Client → server: which server this is (shown in the status item; tests use the pid to crash it for real). */
export const ServerInfoRequest = 'datadogWif/serverInfo';
export interface ServerInfoResult {
  version: string;
  pid: number;
}

/** The settings section the server reads (`datadogWif.*`). */
export const SETTINGS_SECTION = 'datadogWif';

export interface ServerSettings {
  severity?: Record<string, string>;
  agentConfigFiles?: string[];
  /** `workspace` (default): every file of ours in the workspace folders is checked; `openFiles`: open documents only. */
  scope?: string;
  /** Globs of files the workspace scan leaves out, besides files.exclude. */
  exclude?: string[];
}

// ---------------------------------------------------------------------------
// The org and the repository in step (issue #14). Only what the org told the
// client with the user's credentials travels here: never a key or a token.

/** Client → server: the orgs reached with stored keys or a Test Login token (org UUID quick fix, org_uuid hover). Replaces the previous list. */
export const OrgFactsNotification = 'datadogWif/orgFacts';
export interface OrgFactsParams {
  orgs: import('../service/orgSync/types').OrgFacts[];
}

/** Client → server: the org's mappings per site, sent only while `datadogWif.live` is on (empty list when it is turned off). Replaces the previous list. */
export const OrgMappingsNotification = 'datadogWif/orgMappings';
export interface OrgMappingsParams {
  sites: import('../service/orgSync/types').OrgMappingsSnapshot[];
}

/** Client → server: how a site's mappings (as the client listed them) compare with those the workspace declares. */
export const MappingsDriftRequest = 'datadogWif/mappingsDrift';
export interface MappingsDriftParams {
  site: string;
  mappings: import('../service/orgSync/types').OrgMapping[];
}
export interface MappingsDriftResult {
  /** Declared mappings' `path` are document URIs. */
  drift: import('../service/orgSync/types').MappingsDrift;
  /** The workspace scan has not finished: the answer may change (the client asks again when it has). */
  scanning: boolean;
  /**
   * Added with the view (issue #14): the files (URIs) that may declare mappings but could not be read (too
   * large, not parsed): an org mapping "only in the org" may be declared there. Absent when there are none.
   */
  unread?: string[];
}

/**
 * Server → client: what the workspace declares may have changed (the scan ended, a file of ours changed and
 * its declared mappings with it), so a drift answered before may be stale: the client asks again. Sent only
 * to a client that asked for a drift, debounced, and only when the declared mappings differ from those of
 * the last answer (or that answer was given while the scan was under way).
 */
export const DeclaredMappingsChangedNotification = 'datadogWif/declaredMappingsChanged';
export interface DeclaredMappingsChangedParams {
  /** The workspace scan is still under way (another notification follows when it ends). */
  scanning: boolean;
}
