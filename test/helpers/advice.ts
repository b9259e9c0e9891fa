// "The same advice twice": what a message says to do should be said once.
// Compared by runs of words (lower case, ARNs and URLs as single words), so a
// rephrased repeat ("create an identity mapping with the pattern X" beside
// "create an identity mapping with the ARN pattern X") is caught, while two
// sentences that merely share a word are not.

/** The words of `text`, lower case; ARNs, URLs and patterns stay one word, trailing punctuation dropped. */
export function words(text: string): string[] {
  return (text.toLowerCase().match(/[a-z0-9][^\s,;"()]*/g) ?? []).map((w) => w.replace(/[.:!?]+$/, '')).filter(Boolean);
}

/** The runs of `n` words that `a` and `b` both contain (empty when they say nothing twice). */
export function sharedPhrases(a: string, b: string, n = 3): string[] {
  const runs = (text: string) => {
    const w = words(text);
    const out = new Set<string>();
    for (let i = 0; i + n <= w.length; i++) out.add(w.slice(i, i + n).join(' '));
    return out;
  };
  const inB = runs(b);
  return [...runs(a)].filter((r) => inB.has(r));
}
