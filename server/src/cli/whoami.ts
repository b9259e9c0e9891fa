// `dd-wif whoami [--profile P] [--region R] [--timeout SECONDS] [--format json]`:
// who the AWS credentials are, and the ARN pattern a Datadog mapping needs to
// match them. STS is called where the AWS CLI would call it for that profile
// (its region and endpoint_url; see stsTarget).

import { KIND_LABELS, type ArnKind } from '../service/arn';
import { credentialsSource } from '../cloud/credentials';
import { getCallerIdentity } from '../cloud/callerIdentity';
import { CloudError, type CallerIdentity } from '../cloud/types';
import { formatOption, parseOptions, timeoutOption } from './args';
import { terminalIo, type CliIo } from './io';
import { displayText } from '../shared/terminalText';

export const WHOAMI_USAGE = `Usage: dd-wif whoami [--profile P] [--region R] [--timeout SECONDS] [--format json]

Resolves AWS credentials as the AWS CLI does, calls STS GetCallerIdentity and
prints the account, the caller ARN, what kind of identity it is, and the ARN
pattern a Datadog mapping needs to match it.

Options:
  --profile P          AWS profile (default: AWS_PROFILE, the environment keys, then default)
  --region R           STS region (default: AWS_REGION, AWS_DEFAULT_REGION, the
                       profile's region, else us-east-1)
  --timeout SECONDS    bound on the whole check, credentials included (default 30)
  --format text|json   output format (default text)
  -h, --help           show this help

STS is called at AWS_ENDPOINT_URL_STS, else AWS_ENDPOINT_URL, else the
profile's endpoint_url (\`sts = endpoint_url\` of its [services] section
first), else AWS's regional endpoint; AWS_IGNORE_CONFIGURED_ENDPOINT_URLS=true
skips them all.`;

const OPTIONS = {
  profile: { type: 'string' },
  region: { type: 'string' },
  timeout: { type: 'string' },
  format: { type: 'string' },
  help: { type: 'boolean', short: 'h' },
} as const;

export async function runWhoami(argv: string[], sink: CliIo): Promise<number> {
  const io = terminalIo(sink);
  const { values } = parseOptions(argv, OPTIONS);
  if (values.help) {
    io.out(WHOAMI_USAGE);
    return 0;
  }
  const format = formatOption(values.format, ['text', 'json'] as const);
  const timeoutMs = Math.round(timeoutOption(values.timeout) * 1000);
  const profile = values.profile?.trim() || undefined;
  let identity: CallerIdentity;
  try {
    identity = await getCallerIdentity({
      credentials: credentialsSource({ profile, timeoutMs }),
      region: values.region?.trim() || undefined,
      profile,
      timeoutMs,
    });
  } catch (err) {
    printCloudError(io, 'whoami', err);
    return 1;
  }
  if (format === 'json') {
    const { account, arn, userId, kind, suggestedPattern } = identity;
    io.data(JSON.stringify({ account, arn, userId, kind, suggestedPattern }, null, 2));
  } else {
    io.out(formatIdentity(identity).join('\n'));
  }
  return 0;
}

/** The text form: one fact a line (what STS said, escaped), then the pattern and what to know about it. */
export function formatIdentity(identity: CallerIdentity): string[] {
  const kind = identity.kind as ArnKind;
  const lines = [
    `Account:  ${displayText(identity.account)}`,
    `ARN:      ${displayText(identity.arn)}`,
    `Kind:     ${KIND_LABELS[kind] ?? displayText(identity.kind)}`,
    `User ID:  ${displayText(identity.userId)}`,
  ];
  if (kind === 'root') {
    lines.push('', 'These are the account root\'s credentials: never map the root (arn/root). Use a role instead.');
    return lines;
  }
  lines.push('', 'Map it with the ARN pattern:', `  ${displayText(identity.suggestedPattern)}`);
  if (kind === 'assumed-role' || kind === 'sso-assumed-role') {
    const role = /:assumed-role\/([^/]+)\//.exec(identity.arn)?.[1];
    lines.push(`(any session of role ${role ? displayText(role) : 'this role'}; a mapping is matched against the assumed-role ARN, never the IAM role ARN)`);
    if (kind === 'sso-assumed-role') lines.push('(an IAM Identity Center permission set: its role name changes if the permission set is re-provisioned)');
  } else if (kind === 'iam-user') {
    lines.push('(an IAM user: it works, but means long-lived access keys; prefer a role, arn/iam-user)');
  } else if (kind === 'federated-user') {
    lines.push('(a federated user: this exact ARN)');
  }
  return lines;
}

/** A cloud failure on stderr: what happened, then what to do next. Never a stack trace. */
export function printCloudError(io: CliIo, verb: string, err: unknown): void {
  if (err instanceof CloudError) {
    io.err(`dd-wif ${verb}: ${err.message}`);
    if (err.nextStep) io.err(`Next: ${err.nextStep}`);
    return;
  }
  io.err(`dd-wif ${verb}: ${err instanceof Error ? err.message.split('\n')[0] : String(err)}`);
}
