// "Why Can't I Log In?": who the AWS credentials are (STS GetCallerIdentity),
// the site's mappings, and the ARN engine's explanation (explainLogin): which
// mapping matches, or that none does, which one comes closest and why, with
// the action that fixes it. The reasoning is the engine's; this module only
// gathers its inputs and shows its answer.

import * as vscode from 'vscode';
import { getCallerIdentity } from '../../../server/src/cloud/callerIdentity';
import { CloudError, type CallerIdentity } from '../../../server/src/cloud/types';
import { explainLogin, type LoginExplanation } from '../../../server/src/service/arn';
import { displayText } from '../../../server/src/shared/terminalText';
import type { AwsProfiles } from '../awsProfile';
import { userLevelSettings } from '../settings';
import type { CredentialStore } from './secrets';
import { KIND_LABEL, toProblem, type Mapping, type MappingKind, type MappingsService } from './service';

export interface WhyArgs {
  site?: string;
  /** Which login fails: `identity` (Terraform, API clients) or `intake` (the Agent). */
  kind?: MappingKind;
  /** Explain this caller instead of asking AWS (tests; a CI role's ARN). */
  callerArn?: string;
  /** false: no questions, no dialog; the result is returned (tests, other commands). */
  interactive?: boolean;
}

export type WhyResult =
  | { ok: true; site: string; kind: MappingKind; callerArn: string; explanation: LoginExplanation<Mapping> }
  | { ok: false; code: 'untrusted' | 'no-credentials' | 'caller-identity' | 'api'; message: string; nextStep?: string };

export interface WhyDeps {
  store: CredentialStore;
  service: MappingsService;
  profiles: AwsProfiles;
  output: vscode.LogOutputChannel;
  /** Remembers the caller for Create Mapping's prefill. */
  onCallerIdentity(identity: CallerIdentity): void;
}

const CREATE_COMMAND: Record<MappingKind, string> = { identity: 'datadogWif.createIdentityMapping', intake: 'datadogWif.createIntakeMapping' };
const TEST_LOGIN_COMMAND: Record<MappingKind, string> = { identity: 'datadogWif.testLoginTerraform', intake: 'datadogWif.testLoginAgent' };

/**
 * The engine writes Markdown; a dialog and the log show plain text, on one
 * line, escaped: it quotes the server's patterns and the caller ARN.
 */
const plain = (markdown: string) => displayText(markdown.replace(/`([^`]*)`/g, '$1'));

function readArgs(raw: unknown): WhyArgs {
  if (!raw || typeof raw !== 'object') return {};
  const a = raw as Record<string, unknown>;
  const str = (v: unknown) => (typeof v === 'string' && v.trim() !== '' ? v.trim() : undefined);
  return {
    site: str(a.site)?.toLowerCase(),
    kind: a.kind === 'identity' || a.kind === 'intake' ? a.kind : a.flow === 'terraform' ? 'identity' : a.flow === 'agent' ? 'intake' : undefined,
    callerArn: str(a.callerArn),
    interactive: a.interactive !== false,
  };
}

export async function whyCantILogIn(deps: WhyDeps, rawArgs?: unknown): Promise<WhyResult | undefined> {
  const args = readArgs(rawArgs);
  const interactive = args.interactive !== false;
  const say = (message: string, nextStep?: string, actions: vscode.Command[] = []) => {
    if (!interactive) return;
    void vscode.window.showErrorMessage(`Datadog WIF: ${message}${nextStep ? ` Next: ${nextStep}` : ''}`, ...actions.map((a) => a.title)).then((choice) => {
      const action = actions.find((a) => a.title === choice);
      if (action) void vscode.commands.executeCommand(action.command, ...(action.arguments ?? []));
    });
  };
  if (!vscode.workspace.isTrusted) {
    const message = "Why Can't I Log In? reads your AWS identity and sends your Datadog keys: trust this workspace first.";
    say(message, undefined, [{ title: 'Manage Workspace Trust', command: 'workbench.trust.manage' }]);
    return { ok: false, code: 'untrusted', message };
  }

  // 1. The site, among those with credentials.
  const sites = deps.store.sites();
  let site = args.site ?? (sites.length === 1 ? sites[0] : undefined);
  if (!site && sites.length > 1 && interactive) {
    site = await vscode.window.showQuickPick(sites, { title: "Datadog WIF: Why Can't I Log In?", placeHolder: 'The Datadog site you are logging in to' });
    if (!site) return undefined;
  }
  if (!site || !sites.includes(site)) {
    const message = `No Datadog API keys are stored${site ? ` for ${site}` : ''}, so the mappings cannot be listed.`;
    say(message, 'Set the API and application keys of a user who may read mappings.', [{ title: 'Set API Keys', command: 'datadogWif.setApiKeys', arguments: site ? [{ site }] : [] }]);
    return { ok: false, code: 'no-credentials', message };
  }

  // 2. Which login: Terraform (identity mappings) or the Agent (intake mappings).
  let kind = args.kind;
  if (!kind) {
    if (!interactive) kind = 'identity';
    else {
      const picked = await vscode.window.showQuickPick(
        [
          { label: 'Terraform or an API client', description: 'delegated token: needs an identity mapping', mappingKind: 'identity' as const },
          { label: 'The Datadog Agent', description: 'intake key: needs an intake mapping', mappingKind: 'intake' as const },
        ],
        { title: "Datadog WIF: Why Can't I Log In?", placeHolder: 'Which login fails?' },
      );
      if (!picked) return undefined;
      kind = picked.mappingKind;
    }
  }

  // 3. The caller and the mappings, side by side.
  const { requestTimeoutMs } = userLevelSettings();
  const gathered = await vscode.window.withProgress(
    { location: vscode.ProgressLocation.Notification, title: "Datadog WIF: Why can't I log in?", cancellable: true },
    async (progress, token): Promise<{ failed?: undefined; callerArn: string; mappings: Mapping[] } | { failed: Extract<WhyResult, { ok: false }> } | undefined> => {
      const controller = new AbortController();
      const sub = token.onCancellationRequested(() => controller.abort());
      try {
        let callerArn = args.callerArn;
        if (!callerArn) {
          progress.report({ message: `asking AWS STS who you are (${deps.profiles.describe()})` });
          try {
            const identity = await getCallerIdentity({ credentials: deps.profiles.source(deps.profiles.current, requestTimeoutMs), profile: deps.profiles.current, timeoutMs: requestTimeoutMs, signal: controller.signal });
            deps.onCallerIdentity(identity);
            callerArn = identity.arn;
          } catch (err) {
            if (err instanceof CloudError && err.code === 'cancelled') return undefined;
            const message = displayText(err instanceof CloudError ? err.message : `The AWS caller identity could not be read: ${err instanceof Error ? err.message : String(err)}`);
            const nextStep = err instanceof CloudError && err.nextStep ? displayText(err.nextStep) : undefined;
            return { failed: { ok: false, code: 'caller-identity', message, ...(nextStep ? { nextStep } : {}) } };
          }
        }
        progress.report({ message: `listing the mappings of ${site}` });
        try {
          // Both kinds: a mapping of the other kind that matches is the most telling near miss.
          const [identity, intake] = await Promise.all([deps.service.list(site!, 'identity', controller.signal), deps.service.list(site!, 'intake', controller.signal)]);
          return { callerArn, mappings: [...identity, ...intake] };
        } catch (err) {
          const problem = toProblem(err, site!);
          if (problem.cancelled) return undefined;
          return { failed: { ok: false, code: 'api', message: problem.message, ...(problem.nextStep ? { nextStep: problem.nextStep } : {}) } };
        }
      } finally {
        sub.dispose();
      }
    },
  );
  if (!gathered) return undefined;
  if (gathered.failed) {
    const failed = gathered.failed;
    deps.output.warn(`Why can't I log in (${site}): ${failed.message}`);
    const actions: vscode.Command[] =
      failed.code === 'caller-identity' ? [{ title: 'Select AWS Profile', command: 'datadogWif.selectAwsProfile' }] : [{ title: 'Set API Keys', command: 'datadogWif.setApiKeys', arguments: [{ site }] }];
    say(failed.message, failed.nextStep, actions);
    return failed;
  }
  const chosenKind: MappingKind = kind;

  // 4. The engine's answer.
  const explanation = explainLogin(gathered.callerArn, gathered.mappings, { kind: chosenKind });
  deps.output.info(`Why can't I log in (${site}, ${KIND_LABEL[chosenKind]}s) for ${displayText(explanation.callerArn)}: ${displayText(explanation.summary)}`);
  for (const miss of explanation.nearMisses.slice(0, 5)) deps.output.info(`  near miss (${miss.reason}): ${displayText(miss.message)}`);
  const result: WhyResult = { ok: true, site, kind: chosenKind, callerArn: explanation.callerArn, explanation };
  if (interactive) void present(explanation, site, chosenKind);
  return result;
}

async function present(explanation: LoginExplanation<Mapping>, site: string, kind: MappingKind): Promise<void> {
  const actions: { title: string; run(): Thenable<unknown> }[] = [];
  const command = (title: string, id: string, ...args: unknown[]) => actions.push({ title, run: () => vscode.commands.executeCommand(id, ...args) });
  let headline: string;
  if (explanation.callerProblem) {
    headline = 'These AWS credentials cannot be mapped.';
    command('Select AWS Profile', 'datadogWif.selectAwsProfile');
  } else if (explanation.matched.length) {
    headline = `A ${KIND_LABEL[kind]} on ${site} matches your AWS identity.`;
    command('Test Login', TEST_LOGIN_COMMAND[kind], { site });
  } else {
    headline = `No ${KIND_LABEL[kind]} on ${site} matches your AWS identity.`;
    const pattern = explanation.closest?.replaceWith ?? explanation.suggestedPattern;
    if (pattern) command(`Create ${kind === 'identity' ? 'Identity' : 'Intake'} Mapping`, CREATE_COMMAND[kind], { pattern, site });
  }
  actions.push({
    title: 'Copy Caller ARN',
    run: async () => {
      await vscode.env.clipboard.writeText(explanation.callerArn);
      vscode.window.setStatusBarMessage('Datadog WIF: caller ARN copied', 3000);
    },
  });
  const detail = [`Caller: ${displayText(explanation.callerArn)}`, '', plain(explanation.summary)];
  const others = explanation.nearMisses.slice(1, 4);
  if (others.length) detail.push('', 'Also close:', ...others.map((m) => `• ${plain(m.message)}`));
  const choice = await vscode.window.showInformationMessage(headline, { modal: true, detail: detail.join('\n') }, ...actions.map((a) => a.title));
  await actions.find((a) => a.title === choice)?.run();
}
