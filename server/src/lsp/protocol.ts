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
