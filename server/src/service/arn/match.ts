// Which caller ARNs a pattern matches, and whether two patterns can match the
// same caller. A pattern is exact, or ends with `/*`: any one more segment
// (a session name never holds `/`).

/** The prefix a trailing-`/*` pattern requires (ending with `/`), or undefined for an exact pattern. */
export function wildcardPrefix(pattern: string): string | undefined {
  return pattern.endsWith('/*') ? pattern.slice(0, -1) : undefined;
}

/** Does `pattern` match the caller ARN `arn`? */
export function matches(pattern: string, arn: string): boolean {
  const prefix = wildcardPrefix(pattern);
  if (prefix === undefined) return pattern === arn;
  if (!arn.startsWith(prefix) || arn.length === prefix.length) return false;
  return !arn.includes('/', prefix.length);
}

/**
 * Does `text` read as `pieces` in order with anything in between, as a glob
 * whose `*`s split it into `pieces` would match (one piece: `text` itself)?
 * Placing each middle piece leftmost is enough: linear, no backtracking.
 */
export function piecesMatch(pieces: readonly string[], text: string): boolean {
  if (pieces.length === 1) return text === pieces[0];
  const first = pieces[0];
  const last = pieces[pieces.length - 1];
  if (text.length < first.length + last.length || !text.startsWith(first) || !text.endsWith(last)) return false;
  let cursor = first.length;
  const limit = text.length - last.length;
  for (let k = 1; k < pieces.length - 1; k++) {
    const found = text.indexOf(pieces[k], cursor);
    if (found < 0 || found + pieces[k].length > limit) return false;
    cursor = found + pieces[k].length;
  }
  return true;
}

/**
 * A caller ARN both patterns match, or undefined when there is none: the
 * proof of an overlap, and what hover and messages show.
 */
export function overlapWitness(p: string, q: string): string | undefined {
  const pp = wildcardPrefix(p);
  const qp = wildcardPrefix(q);
  if (pp === undefined && qp === undefined) return p === q ? p : undefined;
  if (pp !== undefined && qp !== undefined) return pp === qp ? `${pp}session` : undefined;
  const [exact, wild] = pp === undefined ? [p, q] : [q, p];
  return matches(wild, exact) ? exact : undefined;
}

export function overlaps(p: string, q: string): boolean {
  return overlapWitness(p, q) !== undefined;
}

/** How many of a pattern's overlapping patterns an `Overlap` lists (the count covers them all). */
export const MAX_LISTED_OVERLAPS = 10;

export interface Overlap {
  /** The pattern reported: it overlaps at least one earlier pattern. */
  index: number;
  /** The first pattern (lowest index) it overlaps; always earlier than `index`. */
  first: number;
  /** A caller ARN both `index` and `first` match. */
  witness: string;
  /** How many other patterns it overlaps, earlier and later, `first` included. */
  count: number;
  /** The first of them in input order, at most MAX_LISTED_OVERLAPS, `first` first. */
  others: number[];
}

/**
 * One entry per pattern that overlaps an earlier one, in input order: so N
 * copies of one pattern give N - 1 entries, not N(N - 1)/2 pairs. Linear in
 * the input: exact patterns are grouped by value, wildcard patterns by
 * prefix, exact ones also under the prefix a wildcard would need to match
 * them; a pattern's overlaps are then its groups, counted, and the first few
 * of each merged.
 */
export function findOverlaps(patterns: readonly string[]): Overlap[] {
  // Index lists, each ascending (filled in input order).
  const exact = new Map<string, number[]>();
  const byPrefix = new Map<string, number[]>();
  const exactUnder = new Map<string, number[]>();
  const add = (map: Map<string, number[]>, key: string, i: number) => {
    const list = map.get(key);
    if (list) list.push(i);
    else map.set(key, [i]);
  };
  const parents: (string | undefined)[] = patterns.map((pattern, i) => {
    const prefix = wildcardPrefix(pattern);
    if (prefix !== undefined) {
      add(byPrefix, prefix, i);
      return undefined;
    }
    add(exact, pattern, i);
    const parent = parentPrefix(pattern);
    if (parent !== undefined) add(exactUnder, parent, i);
    return parent;
  });
  const none: number[] = [];
  const out: Overlap[] = [];
  patterns.forEach((pattern, i) => {
    const prefix = wildcardPrefix(pattern);
    // Its own kind (the same value, or the same prefix), and the other kind it meets.
    const same = (prefix === undefined ? exact.get(pattern) : byPrefix.get(prefix)) ?? none;
    const other = (prefix === undefined ? (parents[i] === undefined ? undefined : byPrefix.get(parents[i]!)) : exactUnder.get(prefix)) ?? none;
    const count = same.length - 1 + other.length;
    if (count === 0) return;
    const others = mergeFirst(same.slice(0, MAX_LISTED_OVERLAPS + 1).filter((j) => j !== i), other.slice(0, MAX_LISTED_OVERLAPS), MAX_LISTED_OVERLAPS);
    const first = others[0];
    if (first > i) return;
    out.push({ index: i, first, witness: overlapWitness(pattern, patterns[first])!, count, others });
  });
  return out;
}

/** The prefix a trailing-`/*` pattern would need to match the exact ARN `arn`, if any. */
function parentPrefix(arn: string): string | undefined {
  const slash = arn.lastIndexOf('/');
  return slash < 0 || slash === arn.length - 1 ? undefined : arn.slice(0, slash + 1);
}

/** The first `limit` of two ascending lists with no common element, ascending. */
function mergeFirst(a: readonly number[], b: readonly number[], limit: number): number[] {
  const out: number[] = [];
  let i = 0;
  let j = 0;
  while (out.length < limit && (i < a.length || j < b.length)) out.push(j >= b.length || (i < a.length && a[i] < b[j]) ? a[i++] : b[j++]);
  return out;
}
