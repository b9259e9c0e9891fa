// "Datadog WIF: Show AWS Caller Identity": who the chosen AWS credentials
// are (STS GetCallerIdentity, through the cloud core), what kind of identity
// that is, and the ARN pattern a mapping needs to match it, with Copy and
// Create Mapping actions. Never shows or logs a credential; what STS said is
// shown escaped (displayText).

import * as vscode from 'vscode';
import { getCallerIdentity } from '../../../server/src/cloud/callerIdentity';
import { CloudError, type CallerIdentity } from '../../../server/src/cloud/types';
import { KIND_LABELS, type ArnKind } from '../../../server/src/service/arn/parse';
import { displayText } from '../../../server/src/shared/terminalText';
import type { AwsProfiles } from '../awsProfile';
import { ensureTrusted, type UntrustedResult } from './trust';
import { regionProblem } from '../inputs';
import { createMapping, copyText } from '../presentOutcome';
import { userLevelSettings } from '../settings';

export interface CallerIdentityArgs {
  /** false: never ask, never wait for a click; the result is returned (tests, other commands). */
  interactive?: boolean;
  /** STS region to call; default: AWS_REGION / AWS_DEFAULT_REGION / us-east-1. */
  region?: string;
  /** An AWS profile for this call only; default: the one chosen for the workspace. */
  profile?: string;
  /** Datadog site passed on to Create Mapping. */
  site?: string;
}

export type CallerIdentityResult =
  | { ok: true; identity: CallerIdentity; kindLabel: string; profile?: string; message: string }
  | { ok: false; code: string; message: string; nextStep?: string; profile?: string }
  | UntrustedResult;

export interface CallerIdentityDeps {
  output: vscode.LogOutputChannel;
  profiles: AwsProfiles;
}

export function kindLabel(kind: string): string {
  return KIND_LABELS[kind as ArnKind] ?? kind;
}

export async function showCallerIdentity(deps: CallerIdentityDeps, rawArgs?: unknown): Promise<CallerIdentityResult | undefined> {
  const args = (rawArgs && typeof rawArgs === 'object' ? rawArgs : {}) as CallerIdentityArgs;
  const untrusted = ensureTrusted('Show AWS Caller Identity');
  if (untrusted) return untrusted;
  const { output, profiles } = deps;
  const region = typeof args.region === 'string' ? args.region.trim() : undefined;
  if (region && regionProblem(region)) {
    const message = `Show AWS Caller Identity: ${regionProblem(region)}`;
    if (args.interactive !== false) void vscode.window.showErrorMessage(message);
    return { ok: false, code: 'usage', message };
  }
  const profile = typeof args.profile === 'string' && args.profile.trim() ? args.profile.trim() : profiles.current;
  const { requestTimeoutMs } = userLevelSettings();
  output.info(`Show AWS Caller Identity with ${profiles.describe(profile)}${region ? `, STS region ${region}` : ''}.`);

  let identity: CallerIdentity;
  try {
    identity = await vscode.window.withProgress(
      { location: vscode.ProgressLocation.Notification, title: 'Datadog WIF: asking AWS STS who you are…', cancellable: true },
      async (_progress, token) => {
        const controller = new AbortController();
        const sub = token.onCancellationRequested(() => controller.abort());
        try {
          return await getCallerIdentity({ credentials: profiles.source(profile, requestTimeoutMs), profile, ...(region ? { region } : {}), timeoutMs: requestTimeoutMs, signal: controller.signal });
        } finally {
          sub.dispose();
        }
      },
    );
  } catch (err) {
    const e = err instanceof CloudError ? err : undefined;
    const code = e?.code ?? 'error';
    const base = e ? e.message : `The AWS caller identity could not be read: ${err instanceof Error ? err.message.split('\n')[0] : String(err)}`;
    const message = displayText(base);
    const nextStep = e?.nextStep ? displayText(e.nextStep) : undefined;
    output.warn(`Show AWS Caller Identity failed (${code}): ${message}${nextStep ? ` Next: ${nextStep}` : ''}`);
    if (code !== 'cancelled') {
      const text = `${message}${nextStep ? ` Next: ${nextStep}.` : ''}`;
      void vscode.window.showErrorMessage(text, 'Select AWS Profile', 'Open Logs').then((choice) => {
        if (choice === 'Select AWS Profile') void vscode.commands.executeCommand('datadogWif.selectAwsProfile');
        if (choice === 'Open Logs') output.show();
      });
    }
    return { ok: false, code, message, ...(nextStep ? { nextStep } : {}), ...(profile ? { profile } : {}) };
  }

  const label = displayText(kindLabel(identity.kind));
  const [arn, account, pattern] = [identity.arn, identity.account, identity.suggestedPattern].map((v) => displayText(v));
  const message = `AWS caller: ${arn} (account ${account}), ${label}. A mapping needs the pattern ${pattern}`;
  output.info(`Caller ARN: ${arn}`);
  output.info(`Kind: ${displayText(identity.kind)} (${label}); account ${account}`);
  output.info(`Pattern that maps it: ${pattern}`);
  const site = typeof args.site === 'string' ? args.site : undefined;
  void vscode.window.showInformationMessage(message, 'Copy Pattern', 'Copy ARN', 'Create Mapping…').then(async (choice) => {
    if (choice === 'Copy Pattern') await copyText(identity.suggestedPattern, 'pattern');
    if (choice === 'Copy ARN') await copyText(identity.arn, 'ARN');
    if (choice === 'Create Mapping…') {
      const kind = await vscode.window.showQuickPick(
        [
          { label: 'Identity mapping', description: 'Terraform / API clients: the ARN acts as a Datadog user or service account', flow: 'terraform' as const },
          { label: 'Intake mapping', description: 'Agent: the ARN may fetch the managed API key', flow: 'agent' as const },
        ],
        { title: 'Datadog WIF: which mapping?', placeHolder: pattern },
      );
      if (kind) await createMapping(kind.flow, identity.suggestedPattern, site, output);
    }
  });
  return { ok: true, identity, kindLabel: label, ...(profile ? { profile } : {}), message };
}
