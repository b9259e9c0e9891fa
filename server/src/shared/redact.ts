// One place that knows what a secret looks like, so no log line, output
// channel or error message ever carries one. Used by every logger.

const PATTERNS: readonly ([RegExp, (m: string) => string] | ((text: string) => string))[] = [
  // `Authorization: Delegated <proof>` / `Bearer <token>` headers and their values
  [/\b(Delegated|Bearer)\s+[A-Za-z0-9+/=._|-]{8,}/g, (m) => `${m.split(/\s+/)[0]} [redacted]`],
  // JWTs
  redactJwts,
  // SigV4 signatures (a proof's, or any signed request's)
  [/\bSignature=[0-9a-fA-F]{64}\b/g, () => 'Signature=[redacted]'],
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
  for (const rule of PATTERNS) out = typeof rule === 'function' ? rule(out) : out.replace(rule[0], rule[1]);
  return out;
}

/**
 * JWTs (`eyJ<5+>.<5+>.<sig>`), in linear time: the regex form
 * `\beyJ[…]{5,}\.…` rescans the rest of a run from every `-eyJ` in it, which
 * is quadratic (a 1 MB response body took minutes). Each run that starts
 * with `eyJ` is tried once; when it is no JWT, the search goes on after its
 * first segment (a JWT cannot start later in that segment).
 */
function redactJwts(text: string): string {
  const start = /\beyJ[A-Za-z0-9_-]*/g;
  const jwt = /eyJ[A-Za-z0-9_-]{5,}\.[A-Za-z0-9_-]{5,}\.[A-Za-z0-9_-]*/y;
  let out = '';
  let last = 0;
  for (let m = start.exec(text); m; m = start.exec(text)) {
    jwt.lastIndex = m.index;
    const found = jwt.exec(text);
    if (!found) continue;
    out += `${text.slice(last, m.index)}[redacted jwt]`;
    last = start.lastIndex = m.index + found[0].length;
  }
  return last === 0 ? text : out + text.slice(last);
}

/**
 * A URL as a message or log line may show it: without `user:password@`, query
 * or fragment (each may carry a secret), and redacted. Never throws: text that
 * is not a URL loses the same parts by pattern.
 */
export function displayUrl(url: string): string {
  const raw = typeof url === 'string' ? url.trim() : '';
  const beforeQuery = raw.split(/[?#]/, 1)[0];
  let shown: string;
  try {
    const u = new URL(raw);
    u.username = '';
    u.password = '';
    u.search = '';
    u.hash = '';
    shown = u.href;
    // An origin as typed: `new URL` adds a "/".
    if (u.pathname === '/' && shown.endsWith('/') && !beforeQuery.endsWith('/')) shown = shown.slice(0, -1);
  } catch {
    // Unparseable (`https://user:pa/ss@host`): anything up to the last "@" may be userinfo.
    shown = beforeQuery.replace(/^([a-z][a-z0-9+.-]*:\/\/)[^]*@/i, '$1');
  }
  // A userinfo without "//" (`user:password@host:443` parses as a path) goes too.
  return redact(shown.replace(/^([a-z][a-z0-9+.-]*:\/\/)?[^/@]*@/i, '$1'));
}

/** Redacts known secret values exactly, then anything secret-shaped. */
export function redactKnown(text: string, secrets: readonly (string | undefined)[]): string {
  let out = text;
  for (const s of secrets) if (s && s.length >= 6) out = out.split(s).join('[redacted]');
  return redact(out);
}

/** A 40-character run that is random like a secret key, not a path or a word. */
function looksRandom(s: string): boolean {
  // Random base64 has a slash every 64 characters: 3 or more in 40 happen in 1 key of 40 (and in every emulator key).
  return /[a-z]/.test(s) && /[A-Z]/.test(s) && /[0-9]/.test(s) && (s.match(/\//g)?.length ?? 0) <= 6;
}

/** A long run with a slash every few characters is a file path, not a token. */
function isPathLike(s: string): boolean {
  return (s.match(/\//g)?.length ?? 0) * 20 > s.length;
}
