// The org's mappings as a host hands them over (a client's request or
// notification): read defensively, as anything that crossed a process
// boundary. One reader for the view's comparison and the live checks.

import type { MappingKind, OrgMapping } from './types';

const KINDS: ReadonlySet<string> = new Set<MappingKind>(['identity', 'intake']);

function optionalString(v: unknown): v is string | undefined {
  return v === undefined || typeof v === 'string';
}

/**
 * The well-formed org mappings of `value`: an entry that is not (a wrong
 * kind, an id or pattern that is not a string, an account that is not a
 * string) is left out and counted, so one bad entry costs its own place, not
 * the whole list.
 */
export function readOrgMappings(value: unknown): { mappings: OrgMapping[]; dropped: number } {
  const list = Array.isArray(value) ? value : [];
  const mappings: OrgMapping[] = [];
  for (const m of list) {
    const e = m as Partial<Record<keyof OrgMapping, unknown>> | null;
    if (!e || typeof e !== 'object' || typeof e.kind !== 'string' || !KINDS.has(e.kind) || typeof e.id !== 'string' || typeof e.arnPattern !== 'string') continue;
    if (!optionalString(e.accountIdentifier) || !optionalString(e.accountUuid)) continue;
    mappings.push({
      kind: e.kind as MappingKind,
      id: e.id,
      arnPattern: e.arnPattern,
      ...(e.accountIdentifier !== undefined ? { accountIdentifier: e.accountIdentifier } : {}),
      ...(e.accountUuid !== undefined ? { accountUuid: e.accountUuid } : {}),
    });
  }
  return { mappings, dropped: list.length - mappings.length };
}
