// Reads `datadogWif.*` from the client and turns it into service settings.
// Invalid entries are dropped with a warning, never fatal.

import { isKnownCode, isSeverityLevel, type ServiceSettings, type SeverityOverrides } from '../service';
import type { Logger } from './logger';
import type { ServerSettings } from './protocol';

export function toServiceSettings(raw: ServerSettings | null | undefined, log?: Logger): ServiceSettings {
  const severity: Record<string, 'error' | 'warning' | 'info' | 'off'> = {};
  for (const [code, level] of Object.entries(raw?.severity ?? {})) {
    const familyWildcard = /^(agent|arn|tf)\/\*$/.test(code);
    if (!isKnownCode(code) && !familyWildcard) {
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
