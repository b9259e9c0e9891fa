// The delegated tokens the emulated Datadog issues: HS256 JWTs signed with a
// secret that lives only as long as the emulator, so a token from one run is
// worthless in the next. The mapping API accepts them back as bearer tokens.

import { createHmac, randomBytes, randomUUID, timingSafeEqual } from 'node:crypto';

export interface TokenClaims {
  /** The mapping's account_identifier: who the caller acts as. */
  sub: string;
  org_uuid: string;
  /** The verified caller ARN. */
  aws_arn: string;
  iat: number;
  exp: number;
  iss: string;
  jti: string;
}

export const TOKEN_ISSUER = 'datadog-wif-emulator';

const b64url = (data: Buffer | string) => Buffer.from(data).toString('base64url');

export class TokenIssuer {
  private readonly secret = randomBytes(32);

  constructor(
    private readonly now: () => Date,
    private readonly lifetimeSeconds: number,
  ) {}

  issue(subject: { sub: string; org_uuid: string; aws_arn: string }): { token: string; claims: TokenClaims } {
    const iat = Math.floor(this.now().getTime() / 1000);
    const claims: TokenClaims = { ...subject, iat, exp: iat + this.lifetimeSeconds, iss: TOKEN_ISSUER, jti: randomUUID() };
    const unsigned = `${b64url(JSON.stringify({ alg: 'HS256', typ: 'JWT' }))}.${b64url(JSON.stringify(claims))}`;
    return { token: `${unsigned}.${this.sign(unsigned)}`, claims };
  }

  /** The claims of a token this emulator issued and that has not expired; undefined otherwise. */
  verify(token: string): TokenClaims | undefined {
    const parts = token.split('.');
    if (parts.length !== 3) return undefined;
    const expected = Buffer.from(this.sign(`${parts[0]}.${parts[1]}`));
    const given = Buffer.from(parts[2]);
    if (expected.length !== given.length || !timingSafeEqual(expected, given)) return undefined;
    let claims: TokenClaims;
    try {
      claims = JSON.parse(Buffer.from(parts[1], 'base64url').toString('utf8')) as TokenClaims;
    } catch {
      return undefined;
    }
    return typeof claims.exp === 'number' && claims.exp * 1000 > this.now().getTime() ? claims : undefined;
  }

  private sign(unsigned: string): string {
    return createHmac('sha256', this.secret).update(unsigned).digest('base64url');
  }
}

/** The claims of any JWT, unverified: for tests and demos that want to look inside. */
export function decodeJwtClaims(token: string): Record<string, unknown> {
  const payload = token.split('.')[1];
  if (payload === undefined) throw new Error('not a JWT: no payload part');
  return JSON.parse(Buffer.from(payload, 'base64url').toString('utf8')) as Record<string, unknown>;
}
