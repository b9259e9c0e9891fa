// Reads a JWT's claims WITHOUT verifying its signature: for display only
// ("who is this token for, when does it expire"), and labelled unverified by
// every caller. Never throws.

export function decodeJwtClaims(token: string): Record<string, unknown> | undefined {
  try {
    if (typeof token !== 'string') return undefined;
    const parts = token.trim().split('.');
    if (parts.length < 2 || parts.length > 5) return undefined;
    const payload = parts[1];
    if (!payload || !/^[A-Za-z0-9_-]+={0,2}$/.test(payload)) return undefined;
    const json = Buffer.from(payload.replace(/=+$/, ''), 'base64url').toString('utf8');
    const claims: unknown = JSON.parse(json);
    if (typeof claims !== 'object' || claims === null || Array.isArray(claims)) return undefined;
    return claims as Record<string, unknown>;
  } catch {
    return undefined;
  }
}
