// Who the resolved AWS credentials are: STS GetCallerIdentity, sent for real
// (unlike the proof), plus what the ARN engine makes of the answer: its kind
// and the pattern a mapping needs. Failures become CloudError in words.

import { STSClient, GetCallerIdentityCommand } from '@aws-sdk/client-sts';
import { parseArn, suggestedPattern } from '../service/arn';
import { displayUrl, redact } from '../shared/redact';
import { CloudError, type CallerIdentity, type CredentialsSource } from './types';
import { booleanSetting, describeCredentialsError, profileStsSettings } from './credentials';
import { formatSecondsShort } from './durations';

export interface CallerIdentityOptions {
  credentials: CredentialsSource;
  /** STS region; else AWS_REGION, AWS_DEFAULT_REGION, the profile's `region`, else us-east-1. */
  region?: string;
  /** An STS endpoint URL; else AWS_ENDPOINT_URL_STS, AWS_ENDPOINT_URL, then the profile's (see stsTarget). */
  endpoint?: string;
  /** The AWS profile whose `region` and endpoint apply; else AWS_PROFILE, else `default` (as for credentials). */
  profile?: string;
  /** Bound on the whole call, credentials included. Default 30 s. */
  timeoutMs?: number;
  signal?: AbortSignal;
}

const DEFAULT_TIMEOUT_MS = 30_000;

/** The region STS is called in: the one given, else the environment's, else the profile's, else us-east-1. */
export function stsRegion(region?: string, profileRegion?: string): string {
  return region?.trim() || process.env.AWS_REGION?.trim() || process.env.AWS_DEFAULT_REGION?.trim() || profileRegion?.trim() || 'us-east-1';
}

/** Where GetCallerIdentity goes. */
export interface StsTarget {
  region: string;
  /** A configured endpoint URL; none: the SDK's regional STS endpoint. */
  endpoint?: string;
}

/**
 * The region and endpoint of the STS call, with the AWS CLI's precedence:
 * region: the one given (`--region`) > AWS_REGION > AWS_DEFAULT_REGION > the
 * profile's `region` > us-east-1; endpoint: the one given > AWS_ENDPOINT_URL_STS
 * > AWS_ENDPOINT_URL > `sts = endpoint_url` of the profile's `[services …]`
 * section > the profile's `endpoint_url`, all configured ones skipped when
 * AWS_IGNORE_CONFIGURED_ENDPOINT_URLS (or the profile's
 * `ignore_configured_endpoint_urls`) is true.
 */
export async function stsTarget(options: Pick<CallerIdentityOptions, 'region' | 'endpoint' | 'profile'> = {}): Promise<StsTarget> {
  const settings = await profileStsSettings(options.profile);
  const region = stsRegion(options.region, settings.region);
  if (options.endpoint) return { region, endpoint: options.endpoint };
  const env = process.env;
  const ignore = booleanSetting(env.AWS_IGNORE_CONFIGURED_ENDPOINT_URLS) ?? settings.ignoreConfiguredEndpointUrls ?? false;
  const endpoint = ignore ? undefined : env.AWS_ENDPOINT_URL_STS?.trim() || env.AWS_ENDPOINT_URL?.trim() || settings.endpointUrl;
  return { region, ...(endpoint ? { endpoint } : {}) };
}

export async function getCallerIdentity(options: CallerIdentityOptions): Promise<CallerIdentity> {
  const timeoutMs = options.timeoutMs ?? DEFAULT_TIMEOUT_MS;
  if (options.signal?.aborted) throw cancelled();

  const controller = new AbortController();
  let timedOut = false;
  let phase: 'credentials' | 'sts' = 'credentials';
  const timer = setTimeout(() => {
    timedOut = true;
    controller.abort();
  }, timeoutMs);
  timer.unref?.();
  const onAbort = () => controller.abort();
  options.signal?.addEventListener('abort', onAbort, { once: true });
  const stopped = new Promise<never>((_, reject) => {
    controller.signal.addEventListener('abort', () => reject(timedOut ? timeout(timeoutMs, phase) : cancelled()), { once: true });
  });
  stopped.catch(() => undefined);

  let client: STSClient | undefined;
  try {
    // Resolved here, so its failures keep their own words (the SDK would wrap them).
    let credentials;
    try {
      credentials = await Promise.race([options.credentials(), stopped]);
    } catch (err) {
      if (err instanceof CloudError) throw err;
      throw describeCredentialsError(err);
    }
    phase = 'sts';
    const { region, endpoint } = await Promise.race([stsTarget(options), stopped]);
    client = new STSClient({
      region,
      ...(endpoint ? { endpoint } : {}),
      // Resolved above, for the profile asked for; the SDK would read AWS_PROFILE's or default's instead.
      ignoreConfiguredEndpointUrls: true,
      credentials,
      maxAttempts: 2,
      requestHandler: { connectionTimeout: Math.min(timeoutMs, 10_000), requestTimeout: timeoutMs },
      logger: { trace() {}, debug() {}, info() {}, warn() {}, error() {} },
    });
    let answer;
    try {
      answer = await Promise.race([client.send(new GetCallerIdentityCommand({}), { abortSignal: controller.signal }), stopped]);
    } catch (err) {
      if (err instanceof CloudError) throw err;
      if (controller.signal.aborted) throw timedOut ? timeout(timeoutMs, phase) : cancelled();
      throw describeStsError(err, region, endpoint);
    }
    const arn = answer.Arn ?? '';
    if (!arn || !answer.Account) throw new CloudError('AWS STS answered GetCallerIdentity without an account or ARN.', 'http', 'try again; if it persists, check AWS_ENDPOINT_URL_STS or the proxy in between', answer.$metadata.httpStatusCode);
    return {
      account: answer.Account,
      arn,
      userId: answer.UserId ?? '',
      kind: parseArn(arn).kind,
      suggestedPattern: suggestedPattern(arn),
    };
  } finally {
    clearTimeout(timer);
    options.signal?.removeEventListener('abort', onAbort);
    client?.destroy();
  }
}

const cancelled = () => new CloudError('The AWS caller identity check was cancelled.', 'cancelled');

const timeout = (ms: number, phase: 'credentials' | 'sts') => {
  const within = formatSecondsShort(ms);
  return phase === 'credentials'
    ? new CloudError(`AWS credentials could not be resolved within ${within}.`, 'timeout', 'check the profile (SSO, credential process, container or instance metadata), or try again with a longer timeout')
    : new CloudError(`AWS STS did not answer within ${within}.`, 'timeout', 'check the network path to AWS STS (proxy, firewall), or try again with a longer timeout');
};

const NETWORK_CODES = new Set(['ECONNREFUSED', 'ECONNRESET', 'ENOTFOUND', 'EAI_AGAIN', 'EHOSTUNREACH', 'ENETUNREACH', 'EPIPE', 'CERT_HAS_EXPIRED', 'DEPTH_ZERO_SELF_SIGNED_CERT', 'SELF_SIGNED_CERT_IN_CHAIN', 'UNABLE_TO_VERIFY_LEAF_SIGNATURE']);

/** An STS failure in words: the SDK's error name picks them; its stack never shows. */
export function describeStsError(err: unknown, region = stsRegion(), endpoint?: string): CloudError {
  const e = (err ?? {}) as { name?: string; code?: string; message?: string; $metadata?: { httpStatusCode?: number } };
  const name = typeof e.name === 'string' ? e.name : '';
  const code = typeof e.code === 'string' ? e.code : '';
  const message = redact(String(e.message ?? err ?? '').split('\n')[0].trim());
  const status = e.$metadata?.httpStatusCode;
  // An endpoint URL as set may carry `user:password@` or a query: shown without them.
  const url = endpoint ?? process.env.AWS_ENDPOINT_URL_STS ?? process.env.AWS_ENDPOINT_URL;
  const where = url ? displayUrl(url) : `STS in ${region}`;

  // The SDK calls a reset or refused connection a TimeoutError; its `code` says what happened.
  if (NETWORK_CODES.has(code)) {
    return new CloudError(`AWS STS (${where}) could not be reached (${code}).`, 'network', 'check the network, the proxy settings (HTTPS_PROXY) and AWS_ENDPOINT_URL_STS', status);
  }
  switch (name) {
    case 'InvalidClientTokenId':
    case 'UnrecognizedClientException':
      return new CloudError(`AWS rejected the credentials (InvalidClientTokenId: the access key id is not known to AWS${message ? `; "${message}"` : ''}).`, 'credentials', 'check which credentials are in use (AWS_PROFILE, AWS_ACCESS_KEY_ID), or create new keys', status);
    case 'SignatureDoesNotMatch':
      return new CloudError('AWS rejected the credentials (SignatureDoesNotMatch: the secret access key does not belong to the access key id).', 'credentials', 'check AWS_SECRET_ACCESS_KEY or the profile\'s aws_secret_access_key', status);
    case 'ExpiredToken':
    case 'ExpiredTokenException':
    case 'RequestExpired':
      return new CloudError('The AWS session credentials have expired (ExpiredToken).', 'credentials', 'refresh them (`aws sso login` for an SSO profile, or get new temporary credentials)', status);
    case 'AccessDenied':
    case 'AccessDeniedException':
      return new CloudError(`AWS STS refused GetCallerIdentity (AccessDenied${message ? `: ${message}` : ''}).`, 'credentials', 'check for a service control policy or a permissions boundary that denies sts:GetCallerIdentity', status);
    case 'RegionDisabledException':
      return new CloudError(`STS is not enabled in region ${region}.`, 'credentials', 'use another region (`--region us-east-1`) or enable STS in that region', status);
    case 'TimeoutError':
    case 'RequestTimeout':
    case 'RequestTimeoutException':
      return new CloudError(`AWS STS (${where}) did not answer in time.`, 'timeout', 'check the network path to AWS STS (proxy, firewall), or try again', status);
    case 'AbortError':
      return cancelled();
  }
  if (NETWORK_CODES.has(code) || NETWORK_CODES.has(name) || /getaddrinfo|ECONNREFUSED|ECONNRESET|socket hang up|certificate/i.test(message)) {
    return new CloudError(`AWS STS (${where}) could not be reached (${code || name || message}).`, 'network', 'check the network, the proxy settings (HTTPS_PROXY) and AWS_ENDPOINT_URL_STS', status);
  }
  if (status !== undefined && status >= 400) {
    return new CloudError(`AWS STS answered ${status}${name && name !== 'Error' ? ` (${name}${message ? `: ${message}` : ''})` : message ? `: ${message}` : ''}.`, 'http', status >= 500 ? 'try again in a moment' : 'check the credentials and the STS region', status);
  }
  return new CloudError(`The AWS caller identity could not be read: ${name && name !== 'Error' ? `${name}: ` : ''}${message || 'unknown error'}.`, 'network', 'check the network and the credentials, then try again', status);
}
