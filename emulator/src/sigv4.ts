// Verifies an AWS Signature Version 4 request the way STS does: the request is
// rebuilt from exactly what arrived (method, path, query, the headers named in
// SignedHeaders with their received values, the body) and re-signed with the
// secret of the access key in the credential scope, at the X-Amz-Date time.
// The signing itself is @smithy/signature-v4's, so the emulator can never
// agree with a client on a hand-written HMAC mistake.

import { createHash, timingSafeEqual } from 'node:crypto';
import { SignatureV4 } from '@smithy/signature-v4';
import { Hash } from '@smithy/hash-node';
import type { TestIdentity } from './identities';

const Sha256 = Hash.bind(null, 'sha256');

/** How far X-Amz-Date may be from the clock, as AWS allows. */
export const MAX_CLOCK_SKEW_MS = 15 * 60 * 1000;

/** A request as it reached the server. */
export interface ReceivedRequest {
  method: string;
  /** The request target: path and query as received (`/`, `/?Action=…`). */
  target: string;
  /** Node's header map: lower-case names. */
  headers: Record<string, string | string[] | undefined>;
  body: Buffer;
}

export type Verdict =
  | { ok: true; identity: TestIdentity }
  | { ok: false; status: number; code: string; message: string };

export interface VerifierOptions {
  /** The identity owning an access key id, if any. */
  lookup: (accessKeyId: string) => TestIdentity | undefined;
  now: () => Date;
}

/** The parts of an `Authorization: AWS4-HMAC-SHA256 …` header. */
export interface ParsedAuthorization {
  accessKeyId: string;
  date: string;
  region: string;
  service: string;
  terminator: string;
  /** The SignedHeaders value as received. */
  signedHeaders: string;
  signature: string;
}

/** Splits an Authorization header; undefined when it is not a SigV4 header. */
export function parseAuthorization(value: string): ParsedAuthorization | undefined {
  const m = /^AWS4-HMAC-SHA256\s+(.*)$/s.exec(value.trim());
  if (!m) return undefined;
  const fields = new Map<string, string>();
  for (const part of m[1].split(',')) {
    const eq = part.indexOf('=');
    if (eq < 0) return undefined;
    fields.set(part.slice(0, eq).trim(), part.slice(eq + 1).trim());
  }
  const credential = fields.get('Credential');
  const signedHeaders = fields.get('SignedHeaders');
  const signature = fields.get('Signature');
  if (!credential || !signedHeaders || !signature) return undefined;
  const scope = credential.split('/');
  if (scope.length !== 5) return undefined;
  const [accessKeyId, date, region, service, terminator] = scope;
  return { accessKeyId, date, region, service, terminator, signedHeaders, signature };
}

const reject = (status: number, code: string, message: string): Verdict => ({ ok: false, status, code, message });
const INVALID_TOKEN = 'The security token included in the request is invalid.';
const SIGNATURE_MISMATCH =
  'The request signature we calculated does not match the signature you provided. Check your AWS Secret Access Key and signing method. Consult the service documentation for details.';

/** One header's value as received; repeated headers joined as SigV4 joins them. */
function headerValue(headers: ReceivedRequest['headers'], name: string): string | undefined {
  const v = headers[name];
  return Array.isArray(v) ? v.join(',') : v;
}

function sameSecret(a: string, b: string): boolean {
  const x = Buffer.from(a, 'utf8');
  const y = Buffer.from(b, 'utf8');
  return x.length === y.length && timingSafeEqual(x, y);
}

/** `YYYYMMDDTHHMMSSZ` → Date, or undefined. */
export function parseAmzDate(value: string): Date | undefined {
  const m = /^(\d{4})(\d{2})(\d{2})T(\d{2})(\d{2})(\d{2})Z$/.exec(value);
  if (!m) return undefined;
  const d = new Date(Date.UTC(+m[1], +m[2] - 1, +m[3], +m[4], +m[5], +m[6]));
  return Number.isNaN(d.getTime()) ? undefined : d;
}

export function formatAmzDate(date: Date): string {
  return date.toISOString().replace(/[-:]/g, '').replace(/\.\d{3}/, '');
}

/**
 * The region a Host header forces on the credential scope: global STS is
 * us-east-1, a regional endpoint its own region; any other host (loopback, as
 * the SDK sends with AWS_ENDPOINT_URL_STS) forces none.
 */
export function regionForHost(host: string): string | undefined {
  const name = host.toLowerCase().replace(/:\d+$/, '');
  if (name === 'sts.amazonaws.com') return 'us-east-1';
  return /^sts\.([a-z0-9-]+)\.amazonaws\.com$/.exec(name)?.[1];
}

/** Checks a request's SigV4 signature; the first failure wins, in the order STS reports them. */
export async function verifySigV4(request: ReceivedRequest, options: VerifierOptions): Promise<Verdict> {
  const authorization = headerValue(request.headers, 'authorization');
  if (!authorization) return reject(403, 'MissingAuthenticationToken', 'Request is missing Authentication Token');
  const auth = parseAuthorization(authorization);
  if (!auth) {
    return reject(400, 'IncompleteSignature', "Authorization header requires 'Credential', 'SignedHeaders' and 'Signature' parameters, with a 5-part credential scope.");
  }

  const identity = options.lookup(auth.accessKeyId);
  if (!identity) return reject(403, 'InvalidClientTokenId', INVALID_TOKEN);
  // Temporary keys are only valid with their own session token, long-lived keys with none.
  const token = headerValue(request.headers, 'x-amz-security-token');
  if (identity.sessionToken ? !token || !sameSecret(token, identity.sessionToken) : token !== undefined) {
    return reject(403, 'InvalidClientTokenId', INVALID_TOKEN);
  }

  const amzDate = headerValue(request.headers, 'x-amz-date');
  if (!amzDate) return reject(400, 'IncompleteSignature', "Authorization header requires existence of either a 'X-Amz-Date' or a 'Date' header.");
  const signingDate = parseAmzDate(amzDate);
  if (!signingDate) return reject(400, 'IncompleteSignature', `X-Amz-Date '${amzDate}' is not in the form YYYYMMDDTHHMMSSZ.`);
  const now = options.now();
  const skew = signingDate.getTime() - now.getTime();
  if (skew < -MAX_CLOCK_SKEW_MS) {
    const limit = formatAmzDate(new Date(now.getTime() - MAX_CLOCK_SKEW_MS));
    return reject(403, 'SignatureDoesNotMatch', `Signature expired: ${amzDate} is now earlier than ${limit} (${formatAmzDate(now)} - 15 min.)`);
  }
  if (skew > MAX_CLOCK_SKEW_MS) {
    const limit = formatAmzDate(new Date(now.getTime() + MAX_CLOCK_SKEW_MS));
    return reject(403, 'SignatureDoesNotMatch', `Signature not yet current: ${amzDate} is still later than ${limit} (${formatAmzDate(now)} + 15 min.)`);
  }

  if (auth.date !== amzDate.slice(0, 8)) {
    return reject(403, 'SignatureDoesNotMatch', `Date in Credential scope does not match YYYYMMDD from ISO-8601 version of date from HTTP: '${auth.date}' != '${amzDate.slice(0, 8)}', from '${amzDate}'.`);
  }
  if (auth.service !== 'sts') return reject(403, 'SignatureDoesNotMatch', "Credential should be scoped to correct service: 'sts'.");
  if (auth.terminator !== 'aws4_request') {
    return reject(403, 'SignatureDoesNotMatch', `Credential should be scoped with a valid terminator: 'aws4_request', not '${auth.terminator}'.`);
  }
  const host = headerValue(request.headers, 'host') ?? '';
  const forcedRegion = regionForHost(host);
  if (!auth.region || (forcedRegion !== undefined && auth.region !== forcedRegion)) {
    return reject(403, 'SignatureDoesNotMatch', `Credential should be scoped to a valid region, not '${auth.region}'. (${host} expects '${forcedRegion ?? 'any'}')`);
  }

  const signedNames = auth.signedHeaders.split(';');
  if (!signedNames.includes('host')) return reject(403, 'SignatureDoesNotMatch', "'Host' must be a 'SignedHeader' in the AWS Authorization.");
  // A signed payload hash stands in for the body when re-signing, so it must be the body's.
  const contentSha = headerValue(request.headers, 'x-amz-content-sha256');
  if (contentSha !== undefined && contentSha !== createHash('sha256').update(request.body).digest('hex')) {
    return reject(400, 'XAmzContentSHA256Mismatch', 'The provided x-amz-content-sha256 header does not match what was computed.');
  }

  // Only the signed headers, with their received values: the library signs what it is given
  // (plus the x-amz-date it sets from signingDate, which is why that is compared too).
  const headers: Record<string, string> = {};
  for (const name of signedNames) {
    const value = headerValue(request.headers, name);
    if (value !== undefined) headers[name] = value;
  }
  // Split by hand: `new URL` would read a target starting with `//` as a host.
  const q = request.target.indexOf('?');
  const path = q < 0 ? request.target : request.target.slice(0, q);
  const query: Record<string, string | string[]> = {};
  for (const [k, v] of new URLSearchParams(q < 0 ? '' : request.target.slice(q + 1))) {
    const prior = query[k];
    query[k] = prior === undefined ? v : Array.isArray(prior) ? [...prior, v] : [prior, v];
  }
  const signer = new SignatureV4({
    service: auth.service,
    region: auth.region,
    // No session token here: when signed, it is already among `headers`, as received.
    credentials: { accessKeyId: identity.accessKeyId, secretAccessKey: identity.secretAccessKey },
    sha256: Sha256,
    applyChecksum: false,
  });
  const resigned = await signer.sign(
    { method: request.method, protocol: 'https:', hostname: host, path, query, headers, body: request.body },
    { signingDate, signableHeaders: new Set(signedNames) },
  );
  const expected = parseAuthorization(resigned.headers['authorization']);
  if (!expected || expected.signedHeaders !== auth.signedHeaders || !sameSecret(expected.signature, auth.signature)) {
    return reject(403, 'SignatureDoesNotMatch', SIGNATURE_MISMATCH);
  }
  return { ok: true, identity };
}
