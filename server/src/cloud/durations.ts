// Durations in the words of the cloud core's messages: one place, so every
// timeout says its time the same way.

/** `1 second`, `30 seconds`, `0.5 seconds`, `1.5 seconds`. */
export function formatSeconds(ms: number): string {
  const s = ms / 1000;
  const text = Number.isInteger(s) ? String(s) : s.toFixed(s < 1 ? 2 : 1).replace(/\.?0+$/, '');
  return `${text} second${s === 1 ? '' : 's'}`;
}

/** `30 s`, `0.2 s`: the short form of the AWS-side messages. */
export function formatSecondsShort(ms: number): string {
  return ms % 1000 === 0 ? `${ms / 1000} s` : `${(ms / 1000).toFixed(1)} s`;
}
