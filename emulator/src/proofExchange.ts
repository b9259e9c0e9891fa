// The two proof exchanges of PROTOCOL.md §2, as Datadog's backend runs them:
// take the proof apart, check it is an STS GetCallerIdentity bound to this
// org, replay it to STS, and hand out a token or the intake key only when a
// mapping matches the ARN STS vouched for.

import { randomUUID } from 'node:crypto';
import { decodeProof, STS_BODY, type DecodedProof } from '../../server/src/cloud/proof';
import { matches } from '../../server/src/service/arn/index';
import { type HttpExchange, sendErrorObjects } from './http';
import type { MappingRecord } from './mappings';
import { replayProof, type StsTarget } from './replay';
import { parseAuthorization } from './sigv4';
import type { TokenIssuer } from './tokens';

export type ExpiresFormat = 'unix-string' | 'iso' | 'number' | 'absent';

/** The org's managed API key, as intake-key hands it out. */
export interface IntakeKey {
  id: string;
  apiKey: string;
  orgId: number;
}

export interface ExchangeContext {
  orgUuid: string;
  sts: StsTarget;
  identityMappings: MappingRecord[];
  intakeMappings: MappingRecord[];
  tokens: TokenIssuer;
  expiresFormat: ExpiresFormat;
  intakeKey: IntakeKey;
}

/** The caller STS vouched for. */
export interface VerifiedCaller {
  arn: string;
  account: string;
  userId: string;
}

type Outcome<T> = { ok: true; value: T } | { ok: false; status: number; detail: string };
const fail = (status: number, detail: string): { ok: false; status: number; detail: string } => ({ ok: false, status, detail });

const STS_URL = /^https:\/\/sts(\.[a-z0-9-]+)?\.amazonaws\.com\/?$/;

/** The one value of a proof header, by case-insensitive name. */
function proofHeader(proof: DecodedProof, name: string): string | undefined {
  const key = Object.keys(proof.headers).find((k) => k.toLowerCase() === name);
  return key === undefined ? undefined : proof.headers[key][0];
}

/** Everything the backend checks before it believes a proof; the detail says which check failed. */
export async function verifyProof(authorization: string | undefined, ctx: ExchangeContext): Promise<Outcome<VerifiedCaller>> {
  const m = /^Delegated\s+(\S+)\s*$/i.exec(authorization ?? '');
  if (!m) return fail(401, 'missing proof: send the header "Authorization: Delegated <proof>"');
  let proof: DecodedProof;
  try {
    proof = decodeProof(m[1]);
  } catch (err) {
    return fail(401, `malformed proof: ${err instanceof Error ? err.message : String(err)}`);
  }
  if (proof.method !== 'POST') return fail(401, `invalid proof: the signed request's method must be POST, not ${JSON.stringify(proof.method)}`);
  if (proof.body !== STS_BODY) return fail(401, `invalid proof: the signed request's body must be exactly ${STS_BODY}`);
  if (!STS_URL.test(proof.url)) return fail(401, `invalid proof: the signed request's URL must be https://sts.amazonaws.com or https://sts.<region>.amazonaws.com, not ${JSON.stringify(proof.url)}`);

  const org = proofHeader(proof, 'x-ddog-org-id');
  if (org === undefined) return fail(401, 'invalid proof: the X-Ddog-Org-Id header is missing');
  const auth = parseAuthorization(proofHeader(proof, 'authorization') ?? '');
  if (!auth) return fail(401, 'invalid proof: no AWS SigV4 Authorization header');
  if (!auth.signedHeaders.split(';').includes('x-ddog-org-id')) return fail(401, 'invalid proof: the X-Ddog-Org-Id header is not signed (it is missing from SignedHeaders)');
  if (org.trim().toLowerCase() !== ctx.orgUuid.toLowerCase()) return fail(401, `invalid proof: X-Ddog-Org-Id ${JSON.stringify(org)} does not match this organization`);

  const answer = await replayProof(proof, ctx.sts);
  if (answer.ok) return { ok: true, value: { arn: answer.arn, account: answer.account, userId: answer.userId } };
  if (answer.rejected) return fail(401, `AWS STS rejected the proof: ${answer.code}: ${answer.message}`);
  return fail(502, `could not verify the proof with AWS STS: ${answer.message}`);
}

function expiresValue(exp: number, format: ExpiresFormat): string | number | undefined {
  switch (format) {
    case 'unix-string':
      return String(exp);
    case 'number':
      return exp;
    case 'iso':
      return new Date(exp * 1000).toISOString();
    case 'absent':
      return undefined;
  }
}

/** Both exchanges take POST only, and a proof first. */
async function verifiedCaller(ex: HttpExchange, ctx: ExchangeContext): Promise<VerifiedCaller | undefined> {
  if (ex.method !== 'POST') {
    sendErrorObjects(ex, 405, `${ex.path} takes POST only`);
    return undefined;
  }
  await ex.readBody(); // empty by protocol; read so the connection stays usable
  const verified = await verifyProof(ex.header('authorization'), ctx);
  if (!verified.ok) {
    sendErrorObjects(ex, verified.status, verified.detail);
    return undefined;
  }
  return verified.value;
}

/** `POST /api/v2/delegated-token`: a short-lived user token for an identity mapping. */
export async function handleDelegatedToken(ex: HttpExchange, ctx: ExchangeContext): Promise<void> {
  const caller = await verifiedCaller(ex, ctx);
  if (!caller) return;
  const mapping = ctx.identityMappings.find((r) => matches(r.attributes.arn_pattern, caller.arn));
  if (!mapping) {
    sendErrorObjects(ex, 403, `no mapping matches ${caller.arn} (identity mappings)`);
    return;
  }
  const { token, claims } = ctx.tokens.issue({ sub: mapping.attributes.account_identifier ?? '', org_uuid: ctx.orgUuid, aws_arn: caller.arn });
  const expires = expiresValue(claims.exp, ctx.expiresFormat);
  ex.json(200, {
    data: { id: randomUUID(), type: 'delegated_token', attributes: { access_token: token, ...(expires === undefined ? {} : { expires }) } },
  });
}

/** `POST /api/v2/intake-key`: the org's managed API key for an intake mapping. */
export async function handleIntakeKey(ex: HttpExchange, ctx: ExchangeContext): Promise<void> {
  const caller = await verifiedCaller(ex, ctx);
  if (!caller) return;
  if (!ctx.intakeMappings.some((r) => matches(r.attributes.arn_pattern, caller.arn))) {
    sendErrorObjects(ex, 403, `no mapping matches ${caller.arn} (intake mappings)`);
    return;
  }
  ex.json(200, { data: { id: ctx.intakeKey.id, type: 'intake_api_key', attributes: { api_key: ctx.intakeKey.apiKey, org_id: ctx.intakeKey.orgId } } });
}
