/** Levenshtein distance, bounded: returns `max + 1` as soon as the distance exceeds `max`. */
export function editDistance(a: string, b: string, max = Infinity): number {
  if (a === b) return 0;
  if (Math.abs(a.length - b.length) > max) return max + 1;
  let prev = Array.from({ length: b.length + 1 }, (_, i) => i);
  let cur = new Array<number>(b.length + 1);
  for (let i = 1; i <= a.length; i++) {
    cur[0] = i;
    let rowMin = cur[0];
    for (let j = 1; j <= b.length; j++) {
      const cost = a.charCodeAt(i - 1) === b.charCodeAt(j - 1) ? 0 : 1;
      cur[j] = Math.min(prev[j] + 1, cur[j - 1] + 1, prev[j - 1] + cost);
      if (cur[j] < rowMin) rowMin = cur[j];
    }
    if (rowMin > max) return max + 1;
    [prev, cur] = [cur, prev];
  }
  return prev[b.length];
}

/**
 * The candidate closest to `word` (case-insensitive), or undefined when none
 * is close enough to be a plausible typo.
 */
export function closest(word: string, candidates: readonly string[], maxDistance?: number): string | undefined {
  const w = word.toLowerCase();
  const limit = maxDistance ?? Math.max(2, Math.floor(w.length / 2));
  let best: string | undefined;
  let bestDistance = limit + 1;
  for (const c of candidates) {
    const lc = c.toLowerCase();
    // A candidate that contains the word or is contained in it is a strong hint (`region` → `aws.region`).
    const d = lc.includes(w) || w.includes(lc) ? Math.min(editDistance(w, lc, limit), Math.max(1, Math.abs(lc.length - w.length) >> 1)) : editDistance(w, lc, limit);
    if (d < bestDistance) {
      best = c;
      bestDistance = d;
    }
  }
  return best;
}

/** The last four characters of a secret-looking value, for messages that must not show it. */
export function lastFour(value: string): string {
  return value.length <= 4 ? '****' : `…${value.slice(-4)}`;
}
