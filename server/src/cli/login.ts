// `dd-wif login --flow agent|terraform --org-uuid UUID [options]`: a live
// proof exchange with Datadog (PROTOCOL.md §2). It prints who the caller is
// and what Datadog answered, never the token, the API key (last 4 only), the
// proof or an AWS secret.

import { credentialsSource } from '../cloud/credentials';
import { getCallerIdentity } from '../cloud/callerIdentity';
import { resolveApiBaseUrl } from '../cloud/hostPolicy';
import { testLogin, type LoginOutcome } from '../cloud/login';
import { describeLoginOutcome } from '../cloud/outcome';
import type { CredentialsSource, LoginFlow } from '../cloud/types';
import { isUuid, secretKind } from '../service/common/identifiers';
import { redactKnown } from '../shared/redact';
import { formatOption, jsonRequested, parseOptions, timeoutOption } from './args';
import { UsageError } from './files';
import { terminalIo, type CliIo, type TerminalIo } from './io';
import { displayText } from '../shared/terminalText';

export const LOGIN_USAGE = `Usage: dd-wif login --flow agent|terraform --org-uuid UUID [options]

Performs a live proof exchange with Datadog: signs an STS GetCallerIdentity
request with your AWS credentials and posts it to /api/v2/intake-key (agent)
or /api/v2/delegated-token (terraform). Prints who you are and what Datadog
answered; never the token, the API key (only its last 4 characters), the proof
or an AWS secret.

Options:
  --flow agent|terraform     which exchange to test (required)
  --org-uuid UUID            the Datadog org UUID the proof is bound to (required)
  --site SITE                Datadog site (default datadoghq.com)
  --region R                 STS region for the proof (default none: global STS; a
                             profile's region or AWS_REGION does not change it)
  --profile P                AWS profile
  --api-url URL              send to this API base URL instead of https://api.<site>
  --allow-host HOST[:PORT]   allow --api-url to name a host that is not a Datadog API
                             host (repeatable); plain http:// only to 127.0.0.1,
                             [::1] or localhost
  --timeout SECONDS          default 30
  --format text|json         output format (default text)
  -h, --help                 show this help`;

const OPTIONS = {
  flow: { type: 'string' },
  'org-uuid': { type: 'string' },
  site: { type: 'string' },
  region: { type: 'string' },
  profile: { type: 'string' },
  'api-url': { type: 'string' },
  'allow-host': { type: 'string', multiple: true },
  timeout: { type: 'string' },
  format: { type: 'string' },
  help: { type: 'boolean', short: 'h' },
} as const;

/** Failure kinds that are the caller's mistake (exit 2), not a failed check (exit 1). */
const USAGE_KINDS = new Set(['usage', 'host-refused']);

/** A failure in JSON (CLI.md): the server's own words in `details` (redacted), the next step when there is one. */
interface FailureJson {
  ok: false;
  status: number | null;
  reason: string;
  details: string[];
  nextStep?: string;
  /** The caller, when STS named it. */
  callerArn?: string;
  /** On a 403: the pattern a mapping needs to match the caller. */
  suggestedPattern?: string;
}

export async function runLogin(argv: string[], sink: CliIo, version: string): Promise<number> {
  const io = terminalIo(sink);
  try {
    return await login(argv, io, version);
  } catch (err) {
    // A usage error still answers a script that asked for JSON, in the shape of every refusal; main() prints the usage.
    if (err instanceof UsageError && jsonRequested(argv)) {
      const refusal: FailureJson = { ok: false, status: null, reason: err.message, details: [], nextStep: 'see `dd-wif login --help`' };
      io.data(JSON.stringify(refusal, null, 2));
    }
    throw err;
  }
}

async function login(argv: string[], io: TerminalIo, version: string): Promise<number> {
  const { values } = parseOptions(argv, OPTIONS);
  if (values.help) {
    io.out(LOGIN_USAGE);
    return 0;
  }
  const format = formatOption(values.format, ['text', 'json'] as const);
  if (values.flow === undefined) throw new UsageError('--flow agent|terraform is required');
  if (values.flow !== 'agent' && values.flow !== 'terraform') throw new UsageError(`--flow must be agent or terraform, not "${values.flow}"`);
  const flow: LoginFlow = values.flow;
  if (values['org-uuid'] === undefined) throw new UsageError('--org-uuid UUID is required');
  const timeoutSeconds = timeoutOption(values.timeout);
  const timeoutMs = Math.round(timeoutSeconds * 1000);

  // Everything printed is scrubbed of the secrets seen on the way, exactly, then by shape.
  const secrets: string[] = [];
  const safe: TerminalIo = { out: (t) => io.out(redactKnown(t, secrets)), err: (t) => io.err(redactKnown(t, secrets)), data: (t) => io.data(redactKnown(t, secrets)) };
  /** A refusal before anything is sent: exit 2, in JSON too when asked (the failure shape, nothing from a server). */
  const refuse = (reason: string, nextStep?: string): number => {
    if (format === 'json') {
      const refusal: FailureJson = { ok: false, status: null, reason, details: [], ...(nextStep ? { nextStep } : {}) };
      safe.data(JSON.stringify(refusal, null, 2));
    }
    safe.err(`dd-wif login: ${reason}`);
    if (nextStep) safe.err(`Next: ${nextStep}`);
    return 2;
  };

  const orgUuid = values['org-uuid'].trim();
  if (!isUuid(orgUuid)) {
    const pasted = secretKind(orgUuid);
    const where = 'copy the org UUID from Organization Settings in Datadog';
    return pasted
      ? refuse(`--org-uuid looks like a Datadog ${pasted}, not an org UUID`, `never pass a key there: ${where}`)
      : refuse(`--org-uuid must be a UUID (8-4-4-4-12 hex digits), not "${orgUuid}"`, where);
  }
  const allowedHosts = values['allow-host'] ?? [];
  const site = values.site?.trim() || undefined;
  const apiUrl = values['api-url']?.trim() || undefined;
  // The host policy first: a refused host is a usage error, and nothing is resolved or signed for it.
  // Its reason says what to do (use the site's API host, or allow this one): no second next step.
  const decision = resolveApiBaseUrl({ site, apiUrl, allowedHosts });
  if (!decision.ok) return refuse(decision.reason);

  const region = values.region?.trim() || undefined;
  const profile = values.profile?.trim() || undefined;
  const resolve = credentialsSource({ profile, timeoutMs });
  const credentials: CredentialsSource = async () => {
    const c = await resolve();
    secrets.push(c.secretAccessKey, ...(c.sessionToken ? [c.sessionToken] : []));
    return c;
  };
  const outcome: LoginOutcome = await testLogin({
    flow,
    orgUuid,
    ...(site ? { site } : {}),
    ...(region ? { region } : {}),
    ...(apiUrl ? { apiUrl } : {}),
    allowedHosts,
    credentials,
    // Who is calling, asked of STS where the AWS CLI would ask it for this profile (its region and
    // endpoint_url, like whoami); the proof's own region stays --region alone (global STS without it).
    identify: () => getCallerIdentity({ credentials, region, profile, timeoutMs }),
    timeoutMs,
    timeoutNextStep: `try again with a longer --timeout (it was ${timeoutSeconds} seconds), or check the network path to the API`,
    userAgent: `dd-wif/${version}`,
    onToken: (secret) => {
      for (const s of [secret.accessToken, secret.apiKey]) if (s) secrets.push(s);
    },
  });

  if (outcome.ok) {
    if (format === 'json') {
      safe.data(
        JSON.stringify(
          {
            ok: true,
            flow: outcome.flow,
            site: outcome.site ?? (decision.ok ? decision.site : undefined) ?? null,
            callerArn: outcome.callerArn ?? null,
            ...(outcome.expiresAt ? { expiresAt: outcome.expiresAt } : {}),
            ...(outcome.apiKeyLast4 ? { apiKeyLast4: outcome.apiKeyLast4.slice(-4) } : {}),
          },
          null,
          2,
        ),
      );
    } else {
      for (const line of outcomeLines(outcome)) safe.out(line);
    }
    return 0;
  }
  if (format === 'json') {
    const words = describeLoginOutcome(outcome);
    const failure: FailureJson = {
      ok: false,
      status: outcome.status ?? null,
      reason: outcome.reason,
      details: outcome.details,
      ...(words.nextStep ? { nextStep: words.nextStep } : {}),
      ...(outcome.callerArn ? { callerArn: outcome.callerArn } : {}),
      ...(outcome.kind === 'forbidden' && words.pattern ? { suggestedPattern: words.pattern } : {}),
    };
    safe.data(JSON.stringify(failure, null, 2));
  }
  const lines = outcomeLines(outcome);
  safe.err(`dd-wif login: ${lines[0]}`);
  for (const line of lines.slice(1)) safe.err(line);
  return USAGE_KINDS.has(outcome.kind) ? 2 : 1;
}

/**
 * The outcome in words: the title, the detail (what happened, with Datadog's
 * words), the caller, the next step. Each is said once: the description keeps
 * advice out of the detail, and the pattern line stands only when the next
 * step does not already name the pattern. The server's words and the caller
 * ARN stay on their own line (escaped, a line feed too); terminalIo escapes
 * the rest.
 */
function outcomeLines(outcome: LoginOutcome): string[] {
  const words = describeLoginOutcome(outcome);
  // A detail that starts with the title's lead ("Login succeeded: Datadog issued…") says it once.
  const lead = words.title.split(':')[0];
  const lines = words.detail.startsWith(`${lead}:`) ? [] : [words.title];
  const seen = (s: string) => lines.some((l) => l.includes(s)) || (words.nextStep?.includes(s) ?? false);
  if (words.detail && !seen(words.detail)) lines.push(...words.detail.split('\n'));
  if (!outcome.ok) for (const d of outcome.details) if (d && !seen(d)) lines.push(`  ${displayText(d)}`);
  if (outcome.callerArn && !seen(outcome.callerArn)) lines.push(`Caller: ${displayText(outcome.callerArn)}`);
  if (words.pattern && !seen(words.pattern)) lines.push(`Pattern to map: ${displayText(words.pattern)}`);
  if (words.nextStep) lines.push(`Next: ${words.nextStep}`);
  return lines;
}
