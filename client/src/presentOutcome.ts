// Shows a login test's outcome in words: the cloud core decides what it means
// (describeLoginOutcome: severity, title, detail, next step, actions); this
// only turns that into a notification with buttons and log lines. Nothing
// shown or logged carries a secret: the outcome holds none (the API key only
// as its last 4 characters, claims decoded from the token, never the token),
// and every line still goes through redact(), with displayText(): what the
// server said (its words, the caller ARN, the token's claims) is escaped.

import * as vscode from 'vscode';
import type { LoginOutcome } from '../../server/src/cloud/login';
import { describeLoginOutcome, type LoginAction } from '../../server/src/cloud/outcome';
import { redact } from '../../server/src/shared/redact';
import { displayText } from '../../server/src/shared/terminalText';

export type OutcomeAction = LoginAction;

const BUTTONS: Record<OutcomeAction, string> = {
  createMapping: 'Create Mapping…',
  showCallerIdentity: 'Show Caller Identity',
  openLogs: 'Open Logs',
  retry: 'Retry',
  copyArn: 'Copy ARN',
};

export const CREATE_MAPPING_COMMANDS = {
  terraform: 'datadogWif.createIdentityMapping',
  agent: 'datadogWif.createIntakeMapping',
} as const;

/** What was shown, for the caller (and tests): the exact notification text and its buttons. */
export interface Presentation {
  severity: 'info' | 'warning' | 'error';
  title: string;
  detail: string;
  nextStep?: string;
  pattern?: string;
  /** The notification text as shown. */
  message: string;
  actions: OutcomeAction[];
  buttons: string[];
}

export interface PresentContext {
  output: vscode.LogOutputChannel;
  /** Runs the same test again (the Retry button). */
  retry(): unknown;
  /** The site the test ran against, passed on to Create Mapping. */
  site?: string;
}

export async function copyText(text: string, what: string): Promise<void> {
  await vscode.env.clipboard.writeText(text);
  void vscode.window.showInformationMessage(`Copied the ${what}: ${displayText(text)}`);
}

/**
 * Opens the Create Mapping flow of the mapping commands with the pattern
 * filled in. When they are not there (an older build, or they failed), offers
 * to copy the pattern instead.
 */
export async function createMapping(flow: 'terraform' | 'agent', pattern: string | undefined, site: string | undefined, output: vscode.LogOutputChannel): Promise<void> {
  const command = CREATE_MAPPING_COMMANDS[flow];
  try {
    const known = await vscode.commands.getCommands(true);
    if (!known.includes(command)) throw new Error(`command ${command} is not available`);
    await vscode.commands.executeCommand(command, { ...(pattern ? { pattern } : {}), ...(site ? { site } : {}) });
  } catch (err) {
    output.warn(`Create Mapping: ${redact(err instanceof Error ? err.message : String(err))}`);
    if (!pattern) {
      void vscode.window.showWarningMessage(`Creating a mapping from here is not available. Create an ${flow === 'terraform' ? 'identity' : 'intake'} mapping in Datadog (Organization Settings) or with Terraform.`);
      return;
    }
    const choice = await vscode.window.showWarningMessage(
      `Creating a mapping from here is not available. Create an ${flow === 'terraform' ? 'identity' : 'intake'} mapping for ${displayText(pattern)} in Datadog or with Terraform.`,
      'Copy Pattern',
    );
    if (choice === 'Copy Pattern') await copyText(pattern, 'pattern');
  }
}

/** Logs the outcome and shows it; never waits for a click (the buttons act when clicked). */
export function presentLoginOutcome(outcome: LoginOutcome, ctx: PresentContext): Presentation {
  const d = describeLoginOutcome(outcome);
  // The detail has lines of its own (kept: the cloud core puts the server's words on one line each); the rest is escaped.
  const title = displayText(d.title);
  const detail = displayText(d.detail ?? '', { keepNewlines: true });
  const nextStep = d.nextStep ? displayText(d.nextStep) : undefined;
  // The detail often repeats the title's lead ("Login succeeded: …"): say it once.
  const lead = title.split(':')[0];
  const body = detail.startsWith(`${lead}:`) ? detail.slice(lead.length + 1).trim() : detail;
  const parts = [body ? `${title}.` : title];
  if (body) parts.push(body);
  if (nextStep) parts.push(`Next: ${nextStep}`);
  const message = parts.join(' ');
  const actions = [...d.actions];
  const buttons = actions.map((a) => BUTTONS[a]).filter(Boolean);

  const log = d.severity === 'error' ? ctx.output.error.bind(ctx.output) : d.severity === 'warning' ? ctx.output.warn.bind(ctx.output) : ctx.output.info.bind(ctx.output);
  log(title);
  for (const line of body.split('\n')) if (line.trim()) ctx.output.info(`  ${line}`);
  if (nextStep) ctx.output.info(`  Next: ${nextStep}`);
  if (outcome.ok && outcome.claims) {
    const shown = Object.entries(outcome.claims)
      .filter(([, v]) => typeof v === 'string' || typeof v === 'number' || typeof v === 'boolean')
      .slice(0, 12)
      .map(([k, v]) => `${displayText(k)}=${displayText(String(v).slice(0, 120))}`);
    if (shown.length) ctx.output.info(`  Token claims (decoded from the JWT, unverified): ${shown.join(', ')}`);
  }
  if (outcome.ok && outcome.expiresAt) ctx.output.info(`  Token expires at ${displayText(String(outcome.expiresAt))}`);
  if (outcome.ok && outcome.apiKeyLast4) ctx.output.info(`  API key: …${displayText(outcome.apiKeyLast4)} (last 4 characters only)`);
  if (outcome.callerArn) ctx.output.info(`  Caller: ${displayText(outcome.callerArn)}`);

  const show = d.severity === 'error' ? vscode.window.showErrorMessage : d.severity === 'warning' ? vscode.window.showWarningMessage : vscode.window.showInformationMessage;
  void show(message, ...buttons).then((choice) => {
    const action = actions.find((a) => BUTTONS[a] === choice);
    if (!action) return;
    const arn = outcome.callerArn;
    switch (action) {
      case 'createMapping':
        return createMapping(outcome.flow, d.pattern, ctx.site ?? outcome.site, ctx.output);
      case 'showCallerIdentity':
        return vscode.commands.executeCommand('datadogWif.showCallerIdentity', { ...(ctx.site ?? outcome.site ? { site: ctx.site ?? outcome.site } : {}) });
      case 'openLogs':
        return ctx.output.show();
      case 'retry':
        return ctx.retry();
      case 'copyArn':
        return arn ? copyText(arn, 'ARN') : undefined;
    }
  });
  return { severity: d.severity, title, detail, ...(nextStep ? { nextStep } : {}), ...(d.pattern ? { pattern: d.pattern } : {}), message, actions, buttons };
}
