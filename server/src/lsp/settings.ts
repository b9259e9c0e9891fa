// Reads `datadogWif.*` from the client and turns it into service settings.
// Invalid entries are dropped with a warning, never fatal.

import { isKnownCode, isSeverityFamily, isSeverityLevel, type ServiceSettings, type SeverityOverrides } from '../service';
import type { Logger } from './logger';
import type { ServerSettings } from './protocol';
import type { WorkspaceSettings } from './workspace';

export function toServiceSettings(raw: ServerSettings | null | undefined, log?: Logger): ServiceSettings {
  const severity: Record<string, 'error' | 'warning' | 'info' | 'off'> = {};
  for (const [code, level] of Object.entries(raw?.severity ?? {})) {
    if (!isKnownCode(code) && !isSeverityFamily(code)) {
      log?.warn(`datadogWif.severity: unknown code "${code}" ignored`);
      continue;
    }
    if (!isSeverityLevel(level)) {
      log?.warn(`datadogWif.severity: "${code}" has level "${String(level)}"; use error, warning, info or off`);
      continue;
    }
    severity[code] = level;
  }
  const globs = Array.isArray(raw?.agentConfigFiles) ? raw!.agentConfigFiles.filter((g): g is string => typeof g === 'string') : [];
  return { severity: severity as SeverityOverrides, agentConfigFiles: globs };
}

/**
 * The workspace scan's settings: `datadogWif.scope` (workspace unless it
 * says openFiles), `datadogWif.exclude`, and each folder's `files.exclude`
 * (`filesExclude[i]` answers `folders[i]`; a client that does not know the
 * section answers null).
 */
export function toWorkspaceSettings(raw: ServerSettings | null | undefined, folders: readonly string[], filesExclude: readonly unknown[], log?: Logger): WorkspaceSettings {
  const scope = raw?.scope === 'openFiles' ? 'openFiles' : 'workspace';
  if (raw?.scope !== undefined && raw.scope !== 'workspace' && raw.scope !== 'openFiles') log?.warn(`datadogWif.scope: "${String(raw.scope)}" is neither workspace nor openFiles; workspace is used`);
  const strings = (v: unknown) => (Array.isArray(v) ? v.filter((g): g is string => typeof g === 'string' && g.trim() !== '') : []);
  const byFolder = new Map<string, Record<string, unknown>>();
  folders.forEach((folder, i) => {
    const value = filesExclude[i];
    if (value && typeof value === 'object' && !Array.isArray(value)) byFolder.set(folder, value as Record<string, unknown>);
  });
  return { scope, agentGlobs: strings(raw?.agentConfigFiles), exclude: strings(raw?.exclude), filesExclude: byFolder };
}

/** A folder URI without its trailing slashes, so `file:///a/` and `file:///a` are one folder. */
function folderKey(uri: string): string {
  return uri.replace(/\/+$/, '');
}

/**
 * The innermost of `folders` (URIs) that holds `uri`, or undefined. A folder
 * holds the URIs under it at a path-segment boundary: `file:///a` holds
 * `file:///a/datadog.yaml`, not `file:///ab/datadog.yaml`.
 */
export function innermostFolder(uri: string, folders: Iterable<string>): string | undefined {
  let best: string | undefined;
  for (const folder of folders) {
    const key = folderKey(folder);
    if (!uri.startsWith(key + '/')) continue;
    if (best === undefined || key.length > folderKey(best).length) best = folder;
  }
  return best;
}

/**
 * `datadogWif.severity` as each workspace folder of a multi-root workspace
 * answers it (a resource-scoped setting: a folder's .vscode/settings.json may
 * change it). A document takes the overrides of the innermost folder that holds
 * it; one outside every folder (or any, before the folders answered) gets
 * undefined: the window-level value the service was configured with.
 */
export class FolderSeverities {
  private folders = new Map<string, SeverityOverrides>();

  /** Replaces all folders' overrides. */
  replace(entries: Iterable<readonly [string, SeverityOverrides]>): void {
    this.folders = new Map([...entries].map(([uri, severity]) => [folderKey(uri), severity]));
  }

  forDocument(uri: string): SeverityOverrides | undefined {
    const folder = innermostFolder(uri, this.folders.keys());
    return folder === undefined ? undefined : this.folders.get(folder);
  }
}
