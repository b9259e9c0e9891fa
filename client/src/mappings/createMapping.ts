// "Create Identity Mapping" / "Create Intake Mapping": a multi-step quick
// input (site, pattern, account, confirmation) whose pattern step is judged
// live by the ARN engine, the same rules the editor's diagnostics use. Before
// creating, the existing mappings are listed afresh and a duplicate or an
// overlapping pattern of the same kind is refused, naming it (the API would
// answer 409, with less to go on).

import * as vscode from 'vscode';
import type { CallerIdentity } from '../../../server/src/cloud/types';
import { lintArnPattern, overlapWitness } from '../../../server/src/service/arn';
import { accountIdentifierKind, secretKind } from '../../../server/src/service/common/identifiers';
import { findSite } from '../../../server/src/service/common/sites';
import { FlowCancelled, inputStep, pickStep, runFlow } from './multiStep';
import type { CredentialStore } from './secrets';
import { KIND_LABEL, toProblem, type Mapping, type MappingKind, type MappingsService, type Problem } from './service';
import { displayText } from '../../../server/src/shared/terminalText';
import { patternOf, targetOf, type MappingsTreeProvider } from './tree';

/** What other commands and tests may pass. `confirm: true` with everything given runs without asking. */
export interface CreateMappingArgs {
  pattern?: string;
  /** Identity mappings: the user email, handle or service-account UUID the pattern acts as. */
  account?: string;
  site?: string;
  confirm?: boolean;
}

export type CreateMappingResult =
  | { ok: true; site: string; kind: MappingKind; mapping: Mapping }
  | { ok: false; message: string; nextStep?: string; code: 'invalid-pattern' | 'invalid-account' | 'duplicate' | 'overlap' | 'unknown-site' | 'no-credentials' | 'untrusted' | 'api'; conflict?: Mapping };

export interface CreateMappingDeps {
  store: CredentialStore;
  service: MappingsService;
  tree: MappingsTreeProvider;
  output: vscode.LogOutputChannel;
  /** The caller identity to prefill the pattern with, when it can be had quickly; undefined otherwise. */
  callerIdentity(signal: AbortSignal): Promise<CallerIdentity | undefined>;
  /** The account identifier last used, to prefill; remembered after a create. */
  lastAccount: vscode.Memento;
}

const LAST_ACCOUNT_KEY = 'datadogWif.lastAccountIdentifier';
const TEST_LOGIN_COMMAND: Record<MappingKind, string> = { identity: 'datadogWif.testLoginTerraform', intake: 'datadogWif.testLoginAgent' };
const TITLE: Record<MappingKind, string> = { identity: 'Datadog WIF: Create Identity Mapping', intake: 'Datadog WIF: Create Intake Mapping' };

const error = (message: string): vscode.InputBoxValidationMessage => ({ message, severity: vscode.InputBoxValidationSeverity.Error });
const warning = (message: string): vscode.InputBoxValidationMessage => ({ message, severity: vscode.InputBoxValidationSeverity.Warning });

/** The first error of the ARN engine blocks; else its first warning is shown. */
export function judgePattern(value: string): vscode.InputBoxValidationMessage | undefined {
  const findings = lintArnPattern(value);
  const first = findings.find((f) => f.severity === 'error') ?? findings.find((f) => f.severity === 'warning');
  if (!first) return undefined;
  const text = `${first.message} (${first.code})${first.fix && first.fix.replacement !== value ? ` Did you mean ${first.fix.replacement}?` : ''}`;
  return first.severity === 'error' ? error(text) : warning(text);
}

/** A mapping of the same kind that the new pattern duplicates or overlaps, in words (the server's values escaped). */
export function conflictWith(pattern: string, kind: MappingKind, existing: readonly Mapping[]): { mapping: Mapping; duplicate: boolean; message: string } | undefined {
  const same = existing.filter((m) => m.kind === undefined || m.kind === kind);
  const duplicate = same.find((m) => m.arnPattern === pattern);
  if (duplicate) {
    return { mapping: duplicate, duplicate: true, message: `The ${KIND_LABEL[kind]} ${patternOf(duplicate)} (${targetOf(kind, duplicate)}) already exists.` };
  }
  for (const m of same) {
    const witness = overlapWitness(pattern, m.arnPattern);
    if (witness !== undefined) {
      return {
        mapping: m,
        duplicate: false,
        message: `It overlaps the ${KIND_LABEL[kind]} ${patternOf(m)} (${targetOf(kind, m)}): a caller such as ${displayText(witness)} would match both, which the API refuses. Delete that mapping first, or use a pattern that does not overlap it.`,
      };
    }
  }
  return undefined;
}


/** The account an identity mapping acts as: an email or a service-account UUID; a handle passes with a warning. */
export function judgeAccount(value: string): vscode.InputBoxValidationMessage | undefined {
  const v = value.trim();
  if (!v) return error("The Datadog account is required: a user's email (e.g. terraform@example.com) or a service account's UUID.");
  const kind = accountIdentifierKind(v);
  if (kind === 'pasted-key') return error(`This looks like a Datadog ${secretKind(v)}, not an account. Never paste keys here.`);
  if (kind === 'email' || kind === 'uuid') return undefined;
  if (kind === 'handle') return warning(`"${v}" is neither an email nor a UUID: it will be sent as a user handle, which must match an existing user exactly.`);
  return error(`"${v}" is not an account: use a user's email or a service account's UUID (8-4-4-4-12 hex digits).`);
}

interface SiteItem extends vscode.QuickPickItem {
  site: string;
}

interface FlowState {
  site?: string;
  pattern: string;
  account: string;
}

function readArgs(raw: unknown): CreateMappingArgs {
  if (!raw || typeof raw !== 'object') return {};
  const a = raw as Record<string, unknown>;
  const str = (v: unknown) => (typeof v === 'string' && v.trim() !== '' ? v.trim() : undefined);
  return { pattern: str(a.pattern), account: str(a.account), site: str(a.site)?.toLowerCase(), confirm: a.confirm === true };
}

function fail(code: Extract<CreateMappingResult, { ok: false }>['code'], message: string, extra: { nextStep?: string; conflict?: Mapping } = {}): CreateMappingResult {
  return { ok: false, code, message, ...(extra.nextStep ? { nextStep: extra.nextStep } : {}), ...(extra.conflict ? { conflict: extra.conflict } : {}) };
}

export async function createMapping(kind: MappingKind, deps: CreateMappingDeps, rawArgs?: unknown): Promise<CreateMappingResult | undefined> {
  const args = readArgs(rawArgs);
  const scripted = args.confirm === true;
  const label = KIND_LABEL[kind];
  if (!vscode.workspace.isTrusted) {
    const message = `Creating an ${label} sends your Datadog keys: trust this workspace first.`;
    void vscode.window.showWarningMessage(message, 'Manage Workspace Trust').then((c) => c && vscode.commands.executeCommand('workbench.trust.manage'));
    return fail('untrusted', message);
  }

  // A site with credentials: the one given, the only one, or one picked in the flow.
  let sites = deps.store.sites();
  if (args.site && !findSite(args.site) && !sites.includes(args.site)) {
    const message = `"${args.site}" is not a known Datadog site.`;
    void vscode.window.showErrorMessage(`Datadog WIF: ${message}`);
    return fail('unknown-site', message);
  }
  if (sites.length === 0 || (args.site && !sites.includes(args.site))) {
    const where = args.site ?? 'any site';
    const message = `No Datadog API keys are stored for ${where}.`;
    if (scripted) return fail('no-credentials', message, { nextStep: 'Run "Datadog WIF: Set API Keys" first.' });
    const choice = await vscode.window.showInformationMessage(`Datadog WIF: ${message} Set them now to create an ${label}.`, 'Set API Keys');
    if (choice !== 'Set API Keys') return undefined;
    const set = (await vscode.commands.executeCommand('datadogWif.setApiKeys', args.site ? { site: args.site } : undefined)) as { ok: boolean; site?: string } | undefined;
    if (!set?.ok || !set.site) return undefined;
    args.site = set.site;
    sites = deps.store.sites();
  }

  const state: FlowState = {
    site: args.site ?? (sites.length === 1 ? sites[0] : undefined),
    pattern: args.pattern ?? '',
    account: args.account ?? (kind === 'identity' ? deps.lastAccount.get<string>(LAST_ACCOUNT_KEY) ?? '' : ''),
  };

  if (!scripted) {
    const siteGiven = !!state.site;
    // The existing mappings, fetched while the user types, so overlaps are named live.
    let existing: Mapping[] | undefined;
    let existingFor: string | undefined;
    const identityRequest = new AbortController();
    try {
      const completed = await runFlow(TITLE[kind], state, [
        {
          when: () => !siteGiven,
          run: async (s, position) => {
            const items: SiteItem[] = await Promise.all(sites.map(async (site) => ({ label: site, description: await deps.store.describe(site), site })));
            s.site = (await pickStep({ ...position, items, placeholder: `The Datadog site to create the ${label} on`, activeItem: items.find((i) => i.site === s.site) })).site;
          },
        },
        {
          run: async (s, position) => {
            const site = s.site!;
            const judge = (v: string) => {
              const own = judgePattern(v);
              if (own?.severity === vscode.InputBoxValidationSeverity.Error) return own;
              const conflict = existing && existingFor === site ? conflictWith(v.trim(), kind, existing) : undefined;
              return conflict ? error(conflict.message) : own;
            };
            s.pattern = (
              await inputStep({
                ...position,
                value: s.pattern,
                prompt:
                  kind === 'identity'
                    ? 'The ARN pattern of the AWS callers that act as a Datadog account (Terraform, API clients). Roles: arn:aws:sts::<account>:assumed-role/<role>/*'
                    : "The ARN pattern of the AWS callers (Agent hosts) that may fetch the org's managed API key. Roles: arn:aws:sts::<account>:assumed-role/<role>/*",
                placeholder: 'arn:aws:sts::123456789012:assumed-role/my-role/*',
                validate: judge,
                onShow: (controls) => {
                  if (existingFor !== site) {
                    existingFor = site;
                    existing = undefined;
                    deps.tree.mappings(site, kind).then(
                      (list) => {
                        if (existingFor === site) existing = list;
                        controls.revalidate();
                      },
                      () => undefined, // the final check before creating says why
                    );
                  }
                  if (s.pattern) return;
                  controls.setBusy(true);
                  deps.callerIdentity(identityRequest.signal).then(
                    (identity) => {
                      controls.setBusy(false);
                      if (identity) controls.setValue(identity.suggestedPattern);
                    },
                    () => controls.setBusy(false),
                  );
                },
              })
            ).trim();
          },
        },
        {
          when: () => kind === 'identity',
          run: async (s, position) => {
            s.account = (
              await inputStep({
                ...position,
                value: s.account,
                prompt: `The Datadog account that callers matching ${s.pattern} act as: a user's email or a service account's UUID.`,
                placeholder: 'terraform@example.com or a service account UUID',
                validate: judgeAccount,
              })
            ).trim();
          },
        },
        {
          run: async (s, position) => {
            const create = {
              label: `$(check) Create the ${label}`,
              description: s.site,
              detail: kind === 'identity' ? `${s.pattern} → ${s.account}` : `${s.pattern} may fetch the managed API key`,
            };
            const cancel = { label: '$(close) Cancel' };
            const picked = await pickStep({ ...position, items: [create, cancel], placeholder: `Create this ${label} on ${s.site}?` });
            if (picked !== create) throw new FlowCancelled();
          },
        },
      ]);
      if (!completed) return undefined;
    } finally {
      identityRequest.abort();
    }
  }

  const site = state.site;
  if (!site) return fail('no-credentials', 'No site was chosen.');
  // Judged again here: a scripted call skipped the boxes, and a box's warning is not a pass for an error.
  const patternMessage = judgePattern(state.pattern);
  if (patternMessage?.severity === vscode.InputBoxValidationSeverity.Error) {
    void vscode.window.showErrorMessage(`Datadog WIF: the pattern cannot be used: ${patternMessage.message}`);
    return fail('invalid-pattern', patternMessage.message);
  }
  if (kind === 'identity') {
    const accountMessage = judgeAccount(state.account);
    if (accountMessage?.severity === vscode.InputBoxValidationSeverity.Error) {
      void vscode.window.showErrorMessage(`Datadog WIF: ${accountMessage.message}`);
      return fail('invalid-account', accountMessage.message);
    }
  }

  const result = await vscode.window.withProgress(
    { location: vscode.ProgressLocation.Notification, title: `Datadog WIF: creating the ${label} on ${site}…`, cancellable: true },
    async (progress, token): Promise<CreateMappingResult | undefined> => {
      const controller = new AbortController();
      const sub = token.onCancellationRequested(() => controller.abort());
      try {
        progress.report({ message: 'checking the existing mappings' });
        const existing = await deps.service.list(site, kind, controller.signal);
        const conflict = conflictWith(state.pattern, kind, existing);
        if (conflict) return fail(conflict.duplicate ? 'duplicate' : 'overlap', conflict.message, { conflict: conflict.mapping });
        progress.report({ message: state.pattern });
        const mapping = await deps.service.create(site, kind, { arnPattern: state.pattern, ...(kind === 'identity' ? { accountIdentifier: state.account } : {}) }, controller.signal);
        return { ok: true, site, kind, mapping };
      } catch (err) {
        const problem: Problem = toProblem(err, site);
        if (problem.cancelled) return undefined;
        return fail('api', problem.message, problem.nextStep ? { nextStep: problem.nextStep } : {});
      } finally {
        sub.dispose();
      }
    },
  );
  deps.tree.refresh(site);
  if (!result) return undefined;

  if (!result.ok) {
    deps.output.warn(`Create ${label} on ${site} refused: ${result.message}`);
    const actions = result.conflict ? ['Show Mappings'] : result.code === 'api' ? ['Open Logs'] : [];
    void vscode.window.showErrorMessage(`Datadog WIF: could not create the ${label}. ${result.message}${result.nextStep ? ` Next: ${result.nextStep}` : ''}`, ...actions).then((choice) => {
      if (choice === 'Show Mappings') void vscode.commands.executeCommand('datadogWif.mappings.focus');
      if (choice === 'Open Logs') deps.output.show();
    });
    return result;
  }

  if (kind === 'identity') await deps.lastAccount.update(LAST_ACCOUNT_KEY, state.account);
  deps.output.info(`Created the ${label} ${patternOf(result.mapping)} (${targetOf(kind, result.mapping)}) on ${site}, id ${displayText(result.mapping.id)}.`);
  void vscode.window
    .showInformationMessage(
      `Datadog WIF: created the ${label} ${patternOf(result.mapping)}${kind === 'identity' ? ` → ${state.account}` : ''} on ${site}. Changes can take several minutes to affect authentication: if a login test fails at first, wait and test again.`,
      'Test Login',
    )
    .then((choice) => {
      if (choice === 'Test Login') void vscode.commands.executeCommand(TEST_LOGIN_COMMAND[kind], { site });
    });
  return result;
}
