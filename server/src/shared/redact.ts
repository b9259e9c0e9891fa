// One place that knows what a secret looks like, so no log line, output
// channel or error message ever carries one. Used by every logger.

const PATTERNS: readonly [RegExp, (m: string) => string][] = [
  // `Authorization: Delegated <proof>` / `Bearer <token>` headers and their values
  [/\b(Delegated|Bearer)\s+[A-Za-z0-9+/=._|-]{8,}/g, (m) => `${m.split(/\s+/)[0]} [redacted]`],
  // JWTs
  [/\beyJ[A-Za-z0-9_-]{5,}\.[A-Za-z0-9_-]{5,}\.[A-Za-z0-9_-]*/g, () => '[redacted jwt]'],
  // AWS access key ids
  [/\b(?:AKIA|ASIA)[A-Z0-9]{12,}\b/g, (m) => `[redacted key id …${m.slice(-4)}]`],
  // Datadog API (32 hex) and application (40 hex) keys
  [/\b[0-9a-fA-F]{40}\b/g, (m) => `[redacted …${m.slice(-4)}]`],
  [/\b[0-9a-fA-F]{32}\b/g, (m) => `[redacted …${m.slice(-4)}]`],
  // AWS secret access keys: 40 characters of base64-ish alphabet with a mix of cases/digits
  [/(?<![A-Za-z0-9/+])[A-Za-z0-9/+]{40}(?![A-Za-z0-9/+=])/g, (m) => (looksRandom(m) ? '[redacted]' : m)],
  // Session tokens and other long base64 blobs
  [/[A-Za-z0-9/+]{100,}={0,2}/g, (m) => (isPathLike(m) ? m : '[redacted]')],
];

/** Replaces anything secret-shaped; leaves ordinary text alone. */
export function redact(text: string): string {
  let out = text;
  for (const [re, fn] of PATTERNS) out = out.replace(re, fn);
  return out;
}

/** Redacts known secret values exactly, then anything secret-shaped. */
export function redactKnown(text: string, secrets: readonly (string | undefined)[]): string {
  let out = text;
  for (const s of secrets) if (s && s.length >= 6) out = out.split(s).join('[redacted]');
  return redact(out);
}

/** A 40-character run that is random like a secret key, not a path or a word. */
function looksRandom(s: string): boolean {
  return /[a-z]/.test(s) && /[A-Z]/.test(s) && /[0-9]/.test(s) && (s.match(/\//g)?.length ?? 0) <= 2;
}

/** A long run with a slash every few characters is a file path, not a token. */
function isPathLike(s: string): boolean {
  return (s.match(/\//g)?.length ?? 0) * 20 > s.length;
}
