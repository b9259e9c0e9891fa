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

export interface Overlap {
  /** Indexes into the input, first < second. */
  first: number;
  second: number;
  witness: string;
}

/**
 * Every overlapping pair among `patterns`, in linear time plus the pairs
 * found: exact patterns by value, wildcard patterns by prefix, and an exact
 * pattern against the wildcard prefix it would fall under.
 */
export function findOverlaps(patterns: readonly string[]): Overlap[] {
  const exact = new Map<string, number[]>();
  const byPrefix = new Map<string, number[]>();
  patterns.forEach((pattern, i) => {
    const prefix = wildcardPrefix(pattern);
    const map = prefix === undefined ? exact : byPrefix;
    const key = prefix ?? pattern;
    const list = map.get(key);
    if (list) list.push(i);
    else map.set(key, [i]);
  });
  const out: Overlap[] = [];
  const pairs = (list: number[], witness: (i: number) => string) => {
    for (let a = 0; a < list.length; a++) for (let b = a + 1; b < list.length; b++) out.push({ first: list[a], second: list[b], witness: witness(list[a]) });
  };
  for (const list of exact.values()) pairs(list, (i) => patterns[i]);
  for (const [prefix, list] of byPrefix) pairs(list, () => `${prefix}session`);
  for (const [arn, list] of exact) {
    const slash = arn.lastIndexOf('/');
    if (slash < 0 || slash === arn.length - 1) continue;
    const wild = byPrefix.get(arn.slice(0, slash + 1));
    if (!wild) continue;
    for (const e of list) for (const w of wild) out.push({ first: Math.min(e, w), second: Math.max(e, w), witness: arn });
  }
  return out.sort((a, b) => a.first - b.first || a.second - b.second);
}
