// The login test (CLI.md `dd-wif login`, the extension's "Test login"):
// validate the inputs, resolve AWS credentials, build the proof, exchange it,
// and say what happened in words. Never throws; never puts the proof, the
// token, the API key or an AWS secret in the outcome.
//
// Node only; never imports `vscode`.

import { CloudError, type CallerIdentity, type CredentialsSource, type LoginFlow, type AwsCredentials } from './types';
import { buildProof, DEFAULT_USER_AGENT } from './proof';
import { resolveApiBaseUrl } from './hostPolicy';
import { exchangeProof, type ExchangeFailureKind, type ExchangeResult } from './exchange';
import { formatSeconds } from './durations';
import { findSite, DATADOG_SITES } from '../service/common/sites';
import { isUuid, secretKind } from '../service/common/identifiers';
import { suggestedPattern } from '../service/arn/index';
import { redact, redactKnown } from '../shared/redact';

export interface LoginOptions {
  flow: LoginFlow;
  orgUuid: string;
  site?: string;
  region?: string;
  apiUrl?: string;
  /** User-level values only (`datadogWif.allowedApiHosts`, `--allow-host`). */
  allowedHosts: readonly string[];
  /** Re-resolved on every call. */
  credentials: CredentialsSource;
  /** Best effort, to name the caller (STS GetCallerIdentity); a failure here is not fatal. */
  identify?: () => Promise<CallerIdentity>;
  /** The budget of the whole test, credentials included. Default 30000. */
  timeoutMs?: number;
  /** The next step after a timeout, naming where the caller's timeout is set (`--timeout`, a setting). */
  timeoutNextStep?: string;
  signal?: AbortSignal;
  userAgent?: string;
  now?: () => Date;
  /**
   * The only way the full secret leaves, with the base URL the proof went to
   * and its site: a caller that keeps the secret keeps it for that API only.
   * An exception thrown here is ignored.
   */
  onToken?: (secret: { accessToken?: string; apiKey?: string; expiresAt?: Date; baseUrl: string; site?: string }) => void;
  sleep?: (ms: number) => Promise<void>;
}

/** The exchange's failures, and those found before it: no usable credentials, an invalid input. */
export type LoginFailureKind = ExchangeFailureKind | 'credentials' | 'usage';

export type LoginOutcome =
  | {
      ok: true;
      flow: LoginFlow;
      site?: string;
      baseUrl: string;
      callerArn?: string;
      /** ISO. */
      expiresAt?: string;
      /** Decoded from the JWT, UNVERIFIED. */
      claims?: Record<string, unknown>;
      apiKeyLast4?: string;
      orgId?: string | number;
    }
  | {
      ok: false;
      flow: LoginFlow;
      site?: string;
      baseUrl?: string;
      kind: LoginFailureKind;
      status?: number;
      reason: string;
      /** The server's errors[].detail, redacted. */
      details: string[];
      /** What to do; absent when the reason already says it (the host policy's refusals do). */
      nextStep?: string;
      callerArn?: string;
      retryAfterSeconds?: number;
    };

export const DEFAULT_LOGIN_TIMEOUT_MS = 30_000;

const ORG_UUID_NEXT = 'copy the org UUID from Datadog (Organization Settings); it looks like 11111111-2222-3333-4444-555555555555';

/** The mapping kind a flow needs, in words. */
export function mappingKindFor(flow: LoginFlow): string {
  return flow === 'agent' ? 'intake mapping' : 'identity mapping';
}

/** An ARN the server named in its explanation (403 details name the verified identity). */
export function arnInText(texts: readonly string[]): string | undefined {
  for (const t of texts) {
    const m = /arn:aws[a-z-]*:(?:sts|iam)::\d{12}:[A-Za-z0-9+=,.@_\/-]+/.exec(t);
    if (m) return m[0].replace(/[.,]+$/, '');
  }
  return undefined;
}

function withTimeout<T>(p: Promise<T>, ms: number, signal: AbortSignal | undefined, onTimeout: () => Error): Promise<T> {
  return new Promise<T>((resolve, reject) => {
    let done = false;
    const finish = (fn: () => void) => {
      if (done) return;
      done = true;
      clearTimeout(timer);
      signal?.removeEventListener('abort', onAbort);
      fn();
    };
    const timer = setTimeout(() => finish(() => reject(onTimeout())), Math.max(0, ms));
    const onAbort = () => finish(() => reject(new CloudError('the login test was cancelled', 'cancelled')));
    if (signal?.aborted) return onAbort();
    signal?.addEventListener('abort', onAbort, { once: true });
    p.then(
      (v) => finish(() => resolve(v)),
      (e) => finish(() => reject(e)),
    );
  });
}

/** Runs one login test. Never throws. */
export async function testLogin(o: LoginOptions): Promise<LoginOutcome> {
  const secrets: (string | undefined)[] = [];
  const scrub = (s: string) => redactKnown(s, secrets);
  const flow: LoginFlow = o.flow;
  const fail = (
    kind: LoginFailureKind,
    reason: string,
    nextStep: string | undefined,
    extra: { site?: string; baseUrl?: string; status?: number; details?: string[]; callerArn?: string; retryAfterSeconds?: number } = {},
  ): LoginOutcome => ({
    ok: false,
    flow,
    ...(extra.site ? { site: extra.site } : {}),
    ...(extra.baseUrl ? { baseUrl: extra.baseUrl } : {}),
    kind,
    ...(extra.status !== undefined ? { status: extra.status } : {}),
    reason: scrub(reason),
    details: (extra.details ?? []).map(scrub),
    ...(nextStep !== undefined ? { nextStep: scrub(nextStep) } : {}),
    ...(extra.callerArn ? { callerArn: extra.callerArn } : {}),
    ...(extra.retryAfterSeconds !== undefined ? { retryAfterSeconds: extra.retryAfterSeconds } : {}),
  });

  try {
    // 1. Inputs, before any credential is touched.
    if (flow !== 'terraform' && flow !== 'agent') {
      return fail('usage', `"${String(flow)}" is not a login flow`, 'use the flow "agent" (intake-key) or "terraform" (delegated-token)');
    }
    const orgUuid = typeof o.orgUuid === 'string' ? o.orgUuid.trim() : '';
    if (!orgUuid) return fail('usage', 'no org UUID was given', ORG_UUID_NEXT);
    if (!isUuid(orgUuid)) {
      const kind = secretKind(orgUuid);
      if (kind) {
        // Never echo a pasted key.
        secrets.push(orgUuid);
        return fail('usage', `the org UUID looks like a Datadog ${kind}, not an org UUID`, `${ORG_UUID_NEXT}; and do not paste keys here`);
      }
      // Redacted before it is cut: a cut token is a fragment no rule recognises.
      const safe = redact(orgUuid);
      const shown = safe.length > 60 ? `${safe.slice(0, 60)}…` : safe;
      return fail('usage', `"${shown}" is not an org UUID (8-4-4-4-12 hexadecimal digits)`, ORG_UUID_NEXT);
    }
    const region = o.region?.trim() || undefined;
    if (region && !/^[a-z]{2}(-[a-z]+)+-\d+$/.test(region)) {
      return fail('usage', `"${redact(region.slice(0, 40))}" is not an AWS region (like us-east-1)`, 'give an AWS region such as us-east-1, or none for global STS');
    }
    const decision = resolveApiBaseUrl({ site: o.site, apiUrl: o.apiUrl, allowedHosts: o.allowedHosts });
    if (!decision.ok) {
      // A refused host's reason already says what to do (use the site's API host, or allow this one).
      const nextStep = decision.kind === 'host-refused' ? undefined : 'check the site / API URL';
      return fail(decision.kind, decision.reason, nextStep, o.site ? { site: o.site.trim() } : {});
    }
    const baseUrl = decision.baseUrl;
    const siteName = decision.site ?? (o.site && findSite(o.site) ? findSite(o.site)!.site : undefined);
    const ctx = { ...(siteName ? { site: siteName } : {}), baseUrl };
    const govCandidates = [decision.site, o.site ? findSite(o.site)?.site : undefined];
    if (flow === 'agent') {
      for (const s of govCandidates) {
        const site = s ? DATADOG_SITES.find((d) => d.site === s) : undefined;
        if (site?.agentFlow === 'no') {
          return fail(
            'usage',
            `the Agent flow (intake-key exchange) is not available on ${site.site} (${site.label}); only the Terraform flow (delegated-token) is offered there`,
            'use the Terraform flow on this site, or keep using an API key for the Agent',
            ctx,
          );
        }
      }
    }

    const timeoutMs = o.timeoutMs !== undefined && o.timeoutMs > 0 ? o.timeoutMs : DEFAULT_LOGIN_TIMEOUT_MS;
    const started = Date.now();
    const remaining = () => Math.max(0, timeoutMs - (Date.now() - started));
    const now = o.now ?? (() => new Date());

    // 2. Credentials, re-resolved now.
    let credentials: AwsCredentials;
    try {
      credentials = await withTimeout(
        Promise.resolve().then(() => o.credentials()),
        remaining(),
        o.signal,
        () => new CloudError(`resolving AWS credentials took longer than ${formatSeconds(timeoutMs)}`, 'timeout', 'check your AWS profile or SSO session'),
      );
    } catch (err) {
      if (err instanceof CloudError && (err.code === 'cancelled' || err.code === 'timeout')) {
        return fail(err.code, err.message, err.nextStep ?? 'try again', ctx);
      }
      const message = err instanceof Error ? err.message : String(err);
      const nextStep = err instanceof CloudError && err.nextStep ? err.nextStep : 'check your AWS credentials (environment, profile or SSO session)';
      return fail('credentials', redact(message) || 'no AWS credentials were found', redact(nextStep), ctx);
    }
    if (!credentials || typeof credentials.accessKeyId !== 'string' || typeof credentials.secretAccessKey !== 'string' || !credentials.accessKeyId || !credentials.secretAccessKey) {
      return fail('credentials', 'the AWS credentials are incomplete (an access key id and a secret access key are needed)', 'check your AWS credentials (environment, profile or SSO session)', ctx);
    }
    secrets.push(credentials.secretAccessKey, credentials.sessionToken);

    // 3. Who is calling: best effort, in parallel with the exchange.
    const identity: Promise<CallerIdentity | undefined> = o.identify
      ? Promise.resolve()
          .then(() => o.identify!())
          .then((id) => (id && typeof id.arn === 'string' && id.arn ? id : undefined))
          .catch(() => undefined)
      : Promise.resolve(undefined);

    // 4. The proof.
    let proofValue: string;
    try {
      const proof = await buildProof({ credentials, orgUuid, region, date: now(), userAgent: o.userAgent });
      proofValue = proof.value;
      secrets.push(proof.value, proof.authorization, /Signature=([0-9a-f]+)/.exec(proof.authorization)?.[1]);
      for (const part of proof.value.split('|')) if (part.length >= 16) secrets.push(part);
    } catch (err) {
      return fail('credentials', `could not sign the proof with these AWS credentials (${redact(err instanceof Error ? err.message : String(err))})`, 'check your AWS credentials', ctx);
    }

    // 5. The exchange.
    const result: ExchangeResult = await exchangeProof({
      flow,
      baseUrl,
      proof: proofValue,
      timeoutMs: Math.max(1, remaining()),
      signal: o.signal,
      allowedHosts: o.allowedHosts,
      userAgent: o.userAgent ?? DEFAULT_USER_AGENT,
      sleep: o.sleep,
      now,
      secrets,
    });

    const waitIdentity = async (): Promise<CallerIdentity | undefined> => {
      try {
        return await withTimeout(identity, Math.min(remaining(), 10_000), o.signal, () => new Error('identify timed out'));
      } catch {
        return undefined;
      }
    };

    if (result.ok) {
      const handOver = (secret: { accessToken?: string; apiKey?: string; expiresAt?: Date }) => {
        try {
          o.onToken?.({ ...secret, ...ctx });
        } catch {
          /* the caller's own failure; the login itself succeeded */
        }
      };
      const id = await waitIdentity();
      const callerArn = id?.arn;
      if (result.flow === 'terraform') {
        const accessToken = result.token.take();
        handOver({ accessToken, expiresAt: result.expiresAt });
        return {
          ok: true,
          flow,
          ...ctx,
          ...(callerArn ? { callerArn } : {}),
          expiresAt: result.expiresAt.toISOString(),
          ...(result.claims ? { claims: scrubClaims(result.claims, [...secrets, accessToken]) } : {}),
        };
      }
      handOver({ apiKey: result.apiKey.take() });
      return {
        ok: true,
        flow,
        ...ctx,
        ...(callerArn ? { callerArn } : {}),
        apiKeyLast4: result.apiKeyLast4,
        ...(result.orgId !== undefined ? { orgId: result.orgId } : {}),
      };
    }

    // 6. A failure, in words.
    const id = result.kind === 'cancelled' ? undefined : await waitIdentity();
    const details = result.details.map(scrub);
    const callerArn = id?.arn ?? arnInText(details);
    const extra = {
      ...ctx,
      ...(result.status !== undefined ? { status: result.status } : {}),
      details,
      ...(callerArn ? { callerArn } : {}),
      ...(result.retryAfterSeconds !== undefined ? { retryAfterSeconds: result.retryAfterSeconds } : {}),
    };
    switch (result.kind) {
      case 'unauthorized':
        // What happened in the reason, what to do in the next step: said once each.
        return fail('unauthorized', 'Datadog rejected the proof (401)', 'check the org UUID (Organization Settings in Datadog) and refresh your AWS credentials', extra);
      case 'forbidden': {
        const who = callerArn ?? 'the verified identity';
        const pattern = callerArn ? suggestedPattern(callerArn) : undefined;
        return fail(
          'forbidden',
          `no ${mappingKindFor(flow)} matches ${who}`,
          pattern
            ? `create an ${mappingKindFor(flow)} with the ARN pattern ${pattern} (changes can take a few minutes to apply)`
            : `create an ${mappingKindFor(flow)} whose ARN pattern matches your caller (run \`dd-wif whoami\` to see it)`,
          extra,
        );
      }
      case 'rate-limited':
        return fail(
          'rate-limited',
          'Datadog is rate limiting these requests (429)',
          result.retryAfterSeconds !== undefined ? `try again in ${formatDelay(result.retryAfterSeconds)}` : 'try again in a minute',
          extra,
        );
      case 'server':
        return fail('server', `Datadog had a problem (${result.status})`, 'try again later; if it persists, check https://status.datadoghq.com', extra);
      case 'redirect':
        return fail(
          'redirect',
          `the server answered with a redirect to another location${result.redirectTo ? ` (${result.redirectTo})` : ''}; a proof is never forwarded`,
          `check the API URL: use https://api.<site> directly${decisionHint(baseUrl)}`,
          extra,
        );
      case 'malformed':
        return fail('malformed', `the response was not the JSON Datadog sends (${result.message})`, `check the site / API URL (${baseUrl})`, extra);
      case 'host-refused':
        return fail('host-refused', result.message, result.nextStep ?? 'allow the host in the user setting `datadogWif.allowedApiHosts`', extra);
      case 'network':
        return fail('network', result.message, result.nextStep ?? 'check your network or proxy', extra);
      case 'timeout': {
        // Name the whole budget the user set, not what was left of it after credentials and signing.
        // (baseUrl was built by the host policy: it parses.)
        return fail('timeout', `No answer from ${new URL(baseUrl).host} within the login test's ${formatSeconds(timeoutMs)}.`, o.timeoutNextStep ?? result.nextStep ?? 'try again with a longer timeout', extra);
      }
      case 'cancelled':
        return fail('cancelled', 'the login test was cancelled', 'run it again when you are ready', extra);
      default: {
        const hint =
          result.status === 404
            ? 'this host does not know the endpoint: check the site / API URL'
            : result.status === 400
              ? 'Datadog refused the request: read its explanation above'
              : 'check the site / API URL and the org UUID';
        return fail('http', `Datadog answered ${result.status ?? 'with an error'}`, hint, extra);
      }
    }
  } catch (err) {
    // Should not happen; still, never throw and never echo a secret.
    return fail('http', `the login test failed unexpectedly (${redact(err instanceof Error ? err.message : String(err)).slice(0, 200)})`, 'open the logs and report it');
  }
}

function decisionHint(baseUrl: string): string {
  return baseUrl ? ` (it was ${baseUrl})` : '';
}

/** "45 seconds", "2 minutes", "1 hour". */
export function formatDelay(seconds: number): string {
  if (seconds < 90) return `${seconds} second${seconds === 1 ? '' : 's'}`;
  if (seconds < 90 * 60 && seconds % 3600 !== 0) return `${Math.round(seconds / 60)} minutes`;
  const h = Math.round(seconds / 3600);
  return `${h} hour${h === 1 ? '' : 's'}`;
}

/** Claims are shown (unverified); a string claim that carries a known secret is redacted. */
function scrubClaims(claims: Record<string, unknown>, secrets: readonly (string | undefined)[]): Record<string, unknown> {
  const walk = (v: unknown, depth: number): unknown => {
    if (typeof v === 'string') return redactKnown(v, secrets);
    if (depth > 5 || v === null || typeof v !== 'object') return v;
    if (Array.isArray(v)) return v.slice(0, 50).map((x) => walk(x, depth + 1));
    return Object.fromEntries(Object.entries(v as Record<string, unknown>).slice(0, 100).map(([k, x]) => [k, walk(x, depth + 1)]));
  };
  return walk(claims, 0) as Record<string, unknown>;
}
