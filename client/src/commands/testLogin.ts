// "Datadog WIF: Test Login (Terraform)" → /api/v2/delegated-token and
// "Datadog WIF: Test Login (Agent)" → /api/v2/intake-key, from the command
// palette or from a code lens (whose argument carries what the file says).
//
// What is missing or unusable is asked for in validated inputs (org UUID,
// site, STS region). Where the proof may go comes from the USER's settings
// only (settings.ts), and the cloud core's host policy decides. AWS
// credentials are resolved again for every run (awsProfile.ts). The exchange
// runs under a cancellable progress notification with a timeout; the outcome
// is shown in words (presentOutcome.ts) and returned, without secrets.
//
// `{ interactive: false, … }` never asks and never waits for a click: a
// missing value is a usage failure. Tests and other commands use it.

import * as vscode from 'vscode';
import { getCallerIdentity } from '../../../server/src/cloud/callerIdentity';
import { testLogin, type LoginOutcome } from '../../../server/src/cloud/login';
import { findSite } from '../../../server/src/service/common/sites';
import { displayUrl, redact } from '../../../server/src/shared/redact';
import { displayText } from '../../../server/src/shared/terminalText';
import type { AwsProfiles } from '../awsProfile';
import { askOrgUuid, askRegion, askSite, orgUuidProblem, regionProblem } from '../inputs';
import { presentLoginOutcome, type Presentation } from '../presentOutcome';
import { userLevelSettings } from '../settings';
import { ensureTrusted, type UntrustedResult } from './trust';

export type Flow = 'terraform' | 'agent';

/** The command's argument: a code lens's target (LoginLensArgument), or what a test passes. */
export interface TestLoginArgs {
  orgUuid?: string;
  site?: string;
  /** '' = global STS. */
  region?: string;
  /** An API URL the file names (`dd_url`, `api_url`); the user's `datadogWif.apiUrl` wins over it. */
  apiUrl?: string;
  /** Where the lens was: the document and its line, and what it is on. */
  uri?: string;
  line?: number;
  label?: string;
  /** An AWS profile for this run only; default: the workspace's choice. */
  profile?: string;
  /** false: never ask, never wait; the outcome is returned. */
  interactive?: boolean;
}

export interface UsageFailure {
  ok: false;
  code: 'usage';
  message: string;
}

/** What the command returns: the outcome (no secrets in it) and what was shown, or why it did not run. */
export type TestLoginResult = { ok: boolean; outcome: LoginOutcome; presentation: Presentation; inputs: ResolvedInputs } | UsageFailure | UntrustedResult;

export interface ResolvedInputs {
  flow: Flow;
  orgUuid: string;
  site?: string;
  region: string;
  /** The API base URL asked for (user setting or file); undefined = https://api.<site>. */
  apiUrl?: string;
  apiUrlFrom?: 'user setting datadogWif.apiUrl' | 'file';
  profile?: string;
}

export interface TestLoginDeps {
  output: vscode.LogOutputChannel;
  profiles: AwsProfiles;
  userAgent: string;
  /**
   * Receives the secret a successful test returned (the Terraform flow's token,
   * with its expiry; the Agent flow's API key) with the base URL the proof
   * went to and its site, e.g. to keep the token in SecretStorage for the
   * mapping API of that base URL. Never logged; unset = dropped.
   */
  onSecret?: (s: { flow: Flow; site?: string; baseUrl: string; accessToken?: string; apiKey?: string; expiresAt?: Date }) => void;
}

const TITLES: Record<Flow, string> = { terraform: 'Test Login (Terraform)', agent: 'Test Login (Agent)' };

function str(v: unknown): string | undefined {
  return typeof v === 'string' ? v : undefined;
}

/** A refusal: the message quotes what the file (through a code lens) or the caller gave, so it is escaped. */
function usage(raw: string, interactive: boolean, output: vscode.LogOutputChannel): UsageFailure {
  const message = displayText(raw);
  output.warn(message);
  if (interactive) void vscode.window.showErrorMessage(message);
  return { ok: false, code: 'usage', message };
}

/** Org UUID, site, region: from the argument when usable, else asked (interactive), else a usage failure. */
async function resolveInputs(flow: Flow, args: TestLoginArgs, interactive: boolean, deps: TestLoginDeps): Promise<ResolvedInputs | UsageFailure | undefined> {
  const title = TITLES[flow];
  const where = args.label ? `${args.label}${typeof args.line === 'number' ? ` on line ${args.line + 1}` : ''}` : undefined;

  // Org UUID.
  let orgUuid = str(args.orgUuid)?.trim();
  if (!orgUuid || orgUuidProblem(orgUuid)) {
    if (!interactive) return usage(`${title}: ${orgUuid ? `"${redact(orgUuid)}" is not an org UUID` : 'no org UUID given'}${where ? ` (${where})` : ''}.`, interactive, deps.output);
    orgUuid = await askOrgUuid(orgUuid, where);
    if (orgUuid === undefined) return undefined;
  }

  // API URL: the user's setting, else what the file names; the host policy judges either.
  const settings = userLevelSettings(args.uri ? safeUri(args.uri) : undefined);
  const fileUrl = str(args.apiUrl)?.trim() || undefined;
  const apiUrl = settings.apiUrl ?? fileUrl;
  const apiUrlFrom = settings.apiUrl ? ('user setting datadogWif.apiUrl' as const) : fileUrl ? ('file' as const) : undefined;

  // Site: a known site from the argument; asked when unusable, or missing without an API URL.
  let site = str(args.site)?.trim() || undefined;
  if (site && !findSite(site)) {
    if (!interactive) return usage(`${title}: "${site}" is not a known Datadog site.`, interactive, deps.output);
    site = await askSite(flow, site);
    if (site === undefined) return undefined;
  } else if (!site && !apiUrl) {
    if (interactive) {
      site = await askSite(flow);
      if (site === undefined) return undefined;
    } else site = 'datadoghq.com';
  }
  if (site && flow === 'agent' && findSite(site)?.agentFlow === 'no') {
    return usage(`${title}: the Agent flow is not available on ${site} (US1-FED / US2-FED); use Test Login (Terraform) there.`, interactive, deps.output);
  }

  // Region: '' = global STS; undefined = the file did not say (ask, default global).
  let region = str(args.region);
  if (region !== undefined && regionProblem(region)) {
    if (!interactive) return usage(`${title}: ${regionProblem(region)}`, interactive, deps.output);
    region = undefined;
  }
  if (region === undefined) {
    if (interactive) {
      region = await askRegion(str(args.region));
      if (region === undefined) return undefined;
    } else region = '';
  }
  region = region.trim();

  const profile = str(args.profile)?.trim() || deps.profiles.current;
  return { flow, orgUuid, ...(site ? { site } : {}), region, ...(apiUrl ? { apiUrl, apiUrlFrom } : {}), ...(profile ? { profile } : {}) };
}

function safeUri(uri: string): vscode.Uri | undefined {
  try {
    return vscode.Uri.parse(uri, true);
  } catch {
    return undefined;
  }
}

export async function runTestLogin(flow: Flow, deps: TestLoginDeps, rawArgs?: unknown): Promise<TestLoginResult | undefined> {
  const args = (rawArgs && typeof rawArgs === 'object' && !(rawArgs instanceof vscode.Uri) ? rawArgs : {}) as TestLoginArgs;
  const interactive = args.interactive !== false;
  const title = TITLES[flow];
  const untrusted = ensureTrusted(title);
  if (untrusted) return untrusted;

  const inputs = await resolveInputs(flow, args, interactive, deps);
  if (!inputs) {
    deps.output.info(`${title}: cancelled.`);
    return undefined;
  }
  if ('code' in inputs) return inputs;

  const { output, profiles } = deps;
  const settings = userLevelSettings(args.uri ? safeUri(args.uri) : undefined);
  for (const name of settings.ignored) output.warn(`${name} is set in the workspace or folder settings; it is ignored: only your user settings may say where a proof goes.`);
  // The URL as set, before the host policy judges it: a `user:password@` or a query must not reach the log.
  const target = inputs.apiUrl ? `${displayUrl(inputs.apiUrl)} (${inputs.apiUrlFrom})` : `https://api.${inputs.site ?? 'datadoghq.com'}`;
  output.info(
    `${title}: org ${inputs.orgUuid}, ${inputs.site ? `site ${inputs.site}, ` : ''}STS ${inputs.region || 'global'}, API ${target}, credentials from ${profiles.describe(inputs.profile)}${args.label ? `, from ${args.label}` : ''}.`,
  );

  const outcome = await vscode.window.withProgress(
    { location: vscode.ProgressLocation.Notification, title: `Datadog WIF: ${title}…`, cancellable: true },
    async (progress, token) => {
      const controller = new AbortController();
      const sub = token.onCancellationRequested(() => controller.abort());
      progress.report({ message: `${inputs.site ?? (inputs.apiUrl ? displayUrl(inputs.apiUrl) : '')} as ${profiles.describe(inputs.profile)}` });
      const credentials = profiles.source(inputs.profile, settings.requestTimeoutMs);
      try {
        return await testLogin({
          flow,
          orgUuid: inputs.orgUuid,
          ...(inputs.site ? { site: inputs.site } : {}),
          ...(inputs.region ? { region: inputs.region } : {}),
          ...(inputs.apiUrl ? { apiUrl: inputs.apiUrl } : {}),
          allowedHosts: settings.allowedApiHosts,
          credentials,
          // Names the caller (for the 403 guidance); STS in the same region, or the SDK's default.
          identify: () => getCallerIdentity({ credentials, profile: inputs.profile, ...(inputs.region ? { region: inputs.region } : {}), timeoutMs: settings.requestTimeoutMs, signal: controller.signal }),
          timeoutMs: settings.requestTimeoutMs,
          timeoutNextStep: `raise datadogWif.requestTimeoutSeconds in your user settings (now ${settings.requestTimeoutMs / 1000}), or check the network path to the API`,
          signal: controller.signal,
          userAgent: deps.userAgent,
          // The secret comes with the base URL the proof went to and its site (not what was asked for): it is kept for that API only.
          ...(deps.onSecret ? { onToken: (secret) => deps.onSecret!({ flow, ...secret }) } : {}),
        });
      } finally {
        sub.dispose();
      }
    },
  );

  const presentation = presentLoginOutcome(outcome, {
    output,
    site: outcome.site ?? inputs.site,
    retry: () => vscode.commands.executeCommand(flow === 'terraform' ? 'datadogWif.testLoginTerraform' : 'datadogWif.testLoginAgent', { ...args, orgUuid: inputs.orgUuid, site: inputs.site, region: inputs.region, profile: inputs.profile, interactive: true }),
  });
  return { ok: outcome.ok, outcome, presentation, inputs };
}
