// Binary searches over ascending offsets (line starts, segment starts, line
// breaks, occurrences): what keeps position lookups logarithmic however long
// the text.

/** The index of the last of `sorted` (ascending) at or below `x`; 0 when none is (or `sorted` is empty). */
export function lastAtOrBelow(sorted: ArrayLike<number>, x: number): number {
  let lo = 0;
  let hi = sorted.length - 1;
  while (lo < hi) {
    const mid = (lo + hi + 1) >> 1;
    if (sorted[mid] <= x) lo = mid;
    else hi = mid - 1;
  }
  return lo;
}

/** The index of the first of `sorted` (ascending) at or above `x`; `sorted.length` when none is. */
export function firstAtOrAbove(sorted: ArrayLike<number>, x: number): number {
  let lo = 0;
  let hi = sorted.length;
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    if (sorted[mid] < x) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}
