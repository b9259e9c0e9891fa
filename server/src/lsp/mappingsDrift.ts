// Answers `datadogWif/mappingsDrift`: how a site's mappings, as the client
// listed them, compare with those the workspace declares (every file of ours,
// open or not: the workspace index). And tells the client when that answer
// may have gone stale (`datadogWif/declaredMappingsChanged`), so the mappings
// view asks again instead of polling.
//
// The client sends the org's mappings (never a credential); the service reads
// the declared ones and compares (pure functions); this module only wires
// them to the connection.

import { ErrorCodes, ResponseError } from 'vscode-languageserver/node';
import type { DeclaredMapping, OrgMapping } from '../service/orgSync/types';
import { readOrgMappings } from '../service/orgSync/wire';
import type { Logger } from './logger';
import type { DeclaredMappingsChangedParams, MappingsDriftResult } from './protocol';

/** How long after the workspace settled the client is told: a burst of edits is one notification. */
export const DECLARED_CHANGED_DELAY_MS = 300;

/** What the workspace declares (LanguageService.declaredMappings): the mappings, and the files that may declare more but could not be read. */
export interface Declared {
  mappings: DeclaredMapping[];
  unread: string[];
}

export interface MappingsDriftHost {
  /** What the workspace declares now (LanguageService.declaredMappings over the workspace index). */
  declared(): Declared;
  /** How the org's mappings and the declared ones differ (diffMappings). */
  diff(org: OrgMapping[], declared: DeclaredMapping[]): MappingsDriftResult['drift'];
  /** The answer may still change on its own: the workspace scan, or the Terraform parser, is on its way. */
  pending(): boolean;
  notify(params: DeclaredMappingsChangedParams): void;
  log: Logger;
}

export class MappingsDriftAnswers {
  /** Nothing is computed for a client that never asked (no view, or its comparison is off). */
  private asked = false;
  /** What the client was last told (an answer or a notification): a settle that changes neither says nothing. */
  private told: { declared: string; pending: boolean } | undefined;
  private timer: NodeJS.Timeout | undefined;

  constructor(private readonly host: MappingsDriftHost) {}

  answer(params: unknown): MappingsDriftResult {
    try {
      const p = (params ?? {}) as { site?: unknown; mappings?: unknown };
      const { mappings, dropped } = readOrgMappings(p.mappings);
      if (dropped) this.host.log.warn(`mappingsDrift: ${dropped} malformed mapping${dropped === 1 ? '' : 's'} left out of the comparison`);
      this.asked = true;
      const pending = this.host.pending();
      const declared = this.host.declared();
      this.told = { declared: JSON.stringify(declared), pending };
      return { drift: this.host.diff(mappings, declared.mappings), scanning: pending, ...(declared.unread.length ? { unread: declared.unread } : {}) };
    } catch (err) {
      this.host.log.error('comparing the org mappings with the workspace failed', err);
      // An error, not an empty drift: the client must not mark every mapping "not in code".
      throw new ResponseError(ErrorCodes.InternalError, 'comparing the mappings with the workspace failed (see the Datadog WIF log)');
    }
  }

  /** The workspace's cross-file pass ran (the scan ended, a file changed): tell the client, debounced, if it matters. */
  settled(): void {
    if (!this.asked || this.timer) return;
    this.timer = setTimeout(() => {
      this.timer = undefined;
      this.tellIfChanged();
    }, DECLARED_CHANGED_DELAY_MS);
  }

  dispose(): void {
    if (this.timer) clearTimeout(this.timer);
    this.timer = undefined;
  }

  private tellIfChanged(): void {
    try {
      const pending = this.host.pending();
      const declared = JSON.stringify(this.host.declared());
      if (this.told && this.told.declared === declared && this.told.pending === pending) return;
      this.told = { declared, pending };
      this.host.notify({ scanning: pending });
    } catch (err) {
      this.host.log.error('reading the declared mappings failed', err);
    }
  }
}
