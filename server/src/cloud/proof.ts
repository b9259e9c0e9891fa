// The proof (PROTOCOL.md §1): an STS GetCallerIdentity request signed with the
// caller's AWS credentials and NOT sent. Datadog replays it to AWS to learn who
// the caller is, so it is a bearer credential: never log it, and only hand it
// to a host the host policy allows.

import { SignatureV4 } from '@smithy/signature-v4';
import { Hash } from '@smithy/hash-node';
import type { AwsCredentials, Proof } from './types';

export const STS_BODY = 'Action=GetCallerIdentity&Version=2011-06-15';
export const STS_CONTENT_TYPE = 'application/x-www-form-urlencoded; charset=utf-8';
export const DEFAULT_USER_AGENT = 'datadog-wif-vscode';

const Sha256 = Hash.bind(null, 'sha256');

/** Global STS when no region is set (signed for us-east-1); the regional endpoint otherwise, even for us-east-1. */
export function stsUrlFor(region?: string): string {
  const r = region?.trim();
  return r ? `https://sts.${r}.amazonaws.com` : 'https://sts.amazonaws.com';
}

export interface ProofOptions {
  credentials: AwsCredentials;
  orgUuid: string;
  /** STS region; empty or undefined means global STS. */
  region?: string;
  /** Signing time; now by default (tests pin it). */
  date?: Date;
  userAgent?: string;
}

/** Builds the proof exactly as the Agent does (the golden vector of PROTOCOL.md §1). */
export async function buildProof(options: ProofOptions): Promise<Proof> {
  const region = options.region?.trim() || undefined;
  const url = stsUrlFor(region);
  const host = new URL(url).host;
  const signer = new SignatureV4({
    service: 'sts',
    region: region ?? 'us-east-1',
    credentials: {
      accessKeyId: options.credentials.accessKeyId,
      secretAccessKey: options.credentials.secretAccessKey,
      ...(options.credentials.sessionToken ? { sessionToken: options.credentials.sessionToken } : {}),
    },
    sha256: Sha256,
    // STS takes no x-amz-content-sha256 header; the Agent's SignedHeaders has none.
    applyChecksum: false,
  });
  const userAgent = options.userAgent ?? DEFAULT_USER_AGENT;
  const signed = await signer.sign(
    {
      method: 'POST',
      protocol: 'https:',
      hostname: host,
      path: '/',
      query: {},
      headers: {
        host,
        'content-type': STS_CONTENT_TYPE,
        'content-length': String(Buffer.byteLength(STS_BODY)),
        'x-ddog-org-id': options.orgUuid.trim(),
        'user-agent': userAgent,
      },
      body: STS_BODY,
    },
    { signingDate: options.date ?? new Date(), unsignableHeaders: new Set(['user-agent']) },
  );
  const h = signed.headers;
  const headers: Record<string, string> = {
    Authorization: h['authorization'],
    'Content-Type': STS_CONTENT_TYPE,
    Host: host,
    'User-Agent': userAgent,
    'X-Amz-Date': h['x-amz-date'],
    ...(h['x-amz-security-token'] ? { 'X-Amz-Security-Token': h['x-amz-security-token'] } : {}),
    'X-Ddog-Org-Id': options.orgUuid.trim(),
  };
  const sorted = Object.fromEntries(Object.keys(headers).sort().map((k) => [k, headers[k]]));
  const headersJson = JSON.stringify(Object.fromEntries(Object.entries(sorted).map(([k, v]) => [k, [v]])));
  const b64 = (s: string) => Buffer.from(s, 'utf8').toString('base64');
  const value = [b64(STS_BODY), b64(headersJson), 'POST', b64(url)].join('|');
  return { value, stsUrl: url, authorization: h['authorization'], headers: sorted };
}

/** A proof taken apart, as Datadog's backend does before replaying it. */
export interface DecodedProof {
  body: string;
  /** Header name → its values, as carried. */
  headers: Record<string, string[]>;
  method: string;
  url: string;
}

/** Decodes `base64(body)|base64(headersJSON)|method|base64(url)`; throws a plain message on a malformed proof. */
export function decodeProof(value: string): DecodedProof {
  const parts = value.split('|');
  if (parts.length !== 4) throw new Error(`a proof has 4 parts separated by "|", this one has ${parts.length}`);
  const [body64, headers64, method, url64] = parts;
  const unb64 = (s: string, what: string) => {
    if (!/^[A-Za-z0-9+/]*={0,2}$/.test(s)) throw new Error(`the ${what} is not base64`);
    return Buffer.from(s, 'base64').toString('utf8');
  };
  let headers: unknown;
  try {
    headers = JSON.parse(unb64(headers64, 'headers part'));
  } catch (err) {
    throw new Error(`the headers part is not JSON (${err instanceof Error ? err.message : String(err)})`);
  }
  if (typeof headers !== 'object' || headers === null || Array.isArray(headers)) throw new Error('the headers part is not a JSON object');
  const out: Record<string, string[]> = {};
  for (const [k, v] of Object.entries(headers as Record<string, unknown>)) {
    if (!Array.isArray(v) || !v.every((x) => typeof x === 'string')) throw new Error(`header ${k} is not an array of strings`);
    out[k] = v as string[];
  }
  return { body: unb64(body64, 'body part'), headers: out, method, url: unb64(url64, 'URL part') };
}
