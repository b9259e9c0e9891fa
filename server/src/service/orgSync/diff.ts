// How the org's mappings and the workspace's differ: which org mappings the
// files declare, which they do not, which declared ones the org lacks, and
// identity mappings whose pattern agrees but whose Datadog account does not.
// Pure and linear: declared patterns are indexed by kind and pattern.
//
// Decisions:
//   - A mapping is the same when its kind and pattern are (exactly, as the
//     API compares them). For an identity mapping, the account is compared
//     too: the declared `account_identifier` against the org's identifier
//     (emails and handles without regard to case: the API keeps the handle,
//     which may be the email in another case) and its account UUID (a
//     service account is often declared by UUID). A declared mapping that
//     states no account (`var.ci_account`) agrees with any.
//   - A declared pattern with `${…}` (`arn:aws:sts::${local.account}:…`)
//     declares every org mapping of its kind it can be, reading each
//     interpolation as any text: it is "in step" with those, and "only in
//     code" only when it can be none of them. Trying these against the org's
//     mappings is bounded (MAX_LOOSE_TRIES): past it, the ones not yet
//     matched are reported unknown, never "only in code".
//   - A declared mapping whose pattern is not known at all (`var.p`) is
//     reported unknown: any "only in the org" may be it.

import { piecesMatch } from '../arn/match';
import { pushTo } from '../common/multimap';
import { interpolationSpans } from '../arn';
import type { DeclaredMapping, MappingKind, MappingsDrift, OrgMapping } from './types';

/** Interpolated declared patterns tried against org mappings, at most, in one diff. */
export const MAX_LOOSE_TRIES = 200_000;

/** Work done (patterns tried), so a test can show the diff is linear. */
export const diffWork = { lookups: 0, looseTries: 0 };

interface Loose {
  declared: DeclaredMapping;
  /** The literal text around its interpolations. */
  pieces: string[];
}

export function diffMappings(org: readonly OrgMapping[], declared: readonly DeclaredMapping[]): MappingsDrift {
  const drift: MappingsDrift = { inStep: [], onlyInOrg: [], onlyInCode: [], accountMismatch: [], unknown: [] };
  const exact = new Map<string, DeclaredMapping[]>();
  const loose: Record<MappingKind, Loose[]> = { identity: [], intake: [] };
  for (const d of declared) {
    if (d.pattern === undefined) drift.unknown.push(d);
    else if (d.interpolated) loose[d.kind].push({ declared: d, pieces: piecesOf(d.pattern) });
    else pushTo(exact, keyOf(d.kind, d.pattern), d);
  }
  const matched = new Set<DeclaredMapping>();
  let budget = MAX_LOOSE_TRIES;
  for (const o of org) {
    diffWork.lookups++;
    const found = [...(exact.get(keyOf(o.kind, o.arnPattern)) ?? [])];
    for (const l of loose[o.kind]) {
      if (budget <= 0) break;
      budget--;
      diffWork.looseTries++;
      if (piecesMatch(l.pieces, o.arnPattern)) found.push(l.declared);
    }
    if (found.length === 0) {
      drift.onlyInOrg.push(o);
      continue;
    }
    for (const d of found) matched.add(d);
    const agree = o.kind === 'identity' ? found.filter((d) => accountAgrees(o, d)) : found;
    if (agree.length) drift.inStep.push({ org: o, declared: agree });
    for (const d of found) if (!agree.includes(d)) drift.accountMismatch.push({ org: o, declared: d });
  }
  const exhausted = budget <= 0;
  for (const d of declared) {
    if (d.pattern === undefined || matched.has(d)) continue;
    // An interpolated pattern not tried against every org mapping may still be one of them.
    if (d.interpolated && exhausted) drift.unknown.push(d);
    else drift.onlyInCode.push(d);
  }
  return drift;
}

function keyOf(kind: MappingKind, pattern: string): string {
  return `${kind}\u0000${pattern}`;
}

/** The literal text between the `${…}` of a pattern: each interpolation reads as any text (`*` stays literal: both sides are patterns). */
function piecesOf(pattern: string): string[] {
  const pieces: string[] = [];
  let at = 0;
  for (const [s, e] of interpolationSpans(pattern)) {
    pieces.push(pattern.slice(at, s));
    at = e;
  }
  pieces.push(pattern.slice(at));
  return pieces;
}

/** Whether a declared identity mapping acts as the org mapping's account (or does not say which). */
export function accountAgrees(o: OrgMapping, d: DeclaredMapping): boolean {
  const stated = d.accountIdentifier?.trim();
  if (!stated || stated.includes('${')) return true;
  const known = [o.accountIdentifier, o.accountUuid].filter((x): x is string => x !== undefined && x.trim() !== '');
  // The org did not say which account: nothing to disagree with.
  if (known.length === 0) return true;
  const a = stated.toLowerCase();
  return known.some((x) => x.trim().toLowerCase() === a);
}
