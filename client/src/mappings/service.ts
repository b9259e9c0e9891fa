// The one place where the mapping features meet the cloud core: for each
// call it picks the API host (host policy, user-level settings only) and the
// credentials (SecretStorage), and calls the mappings client. Failures become
// a Problem: what happened, the next step, and a command that takes it.

import * as vscode from 'vscode';
import { MappingApiError, createMappingsClient, forgetPathFamilies, type MappingsClient } from '../../../server/src/cloud/mappingsApi';
import type { Mapping, MappingKind } from '../../../server/src/cloud/mappingTypes';
import { CloudError } from '../../../server/src/cloud/types';
import { redact } from '../../../server/src/shared/redact';
import { displayText } from '../../../server/src/shared/terminalText';
import { apiFor, mappingSettings } from './config';
import type { CredentialStore, SiteCredentials } from './secrets';

export type { Mapping, MappingKind };

export const KIND_LABEL: Readonly<Record<MappingKind, string>> = { identity: 'identity mapping', intake: 'intake mapping' };
export const KIND_TITLE: Readonly<Record<MappingKind, string>> = { identity: 'Identity mappings', intake: 'Intake mappings' };

/** A failure in words a user reads, with the step that fixes it. */
export interface Problem {
  message: string;
  nextStep?: string;
  /** The command behind the next step (Set API Keys, Open Settings, Retry). */
  action?: vscode.Command;
  status?: number;
  cancelled?: boolean;
}

export class ProblemError extends Error {
  constructor(readonly problem: Problem) {
    super(problem.message);
    this.name = 'ProblemError';
  }
}

export const setKeysAction = (site: string): vscode.Command => ({ title: 'Set API Keys', command: 'datadogWif.setApiKeys', arguments: [{ site }] });
const openSettingsAction = (setting: string): vscode.Command => ({ title: 'Open Settings', command: 'workbench.action.openSettings', arguments: [setting] });
const retryAction = (site: string): vscode.Command => ({ title: 'Retry', command: 'datadogWif.refreshMappings', arguments: [{ site }] });

const integrationAction = (site: string): vscode.Command => ({
  title: 'Open the AWS Integration',
  command: 'vscode.open',
  arguments: [vscode.Uri.parse(`https://app.${site}/integrations/amazon-web-services`)],
});

/**
 * What a thrown error means for a user of `site`, and the command that takes
 * the next step. The message and next step may quote the server (a listed
 * pattern, its own words): redacted and escaped here, once for every place a
 * Problem is shown (tree, notifications, log).
 */
export function toProblem(err: unknown, site: string, credentials?: SiteCredentials['kind']): Problem {
  if (err instanceof ProblemError) return err.problem;
  if (err instanceof CloudError) {
    const base: Problem = { message: displayText(err.message), ...(err.nextStep ? { nextStep: displayText(err.nextStep) } : {}), ...(err.status ? { status: err.status } : {}) };
    if (err.code === 'cancelled') return { ...base, cancelled: true };
    if (err.code === 'host-refused') return { ...base, action: openSettingsAction('datadogWif.allowedApiHosts') };
    const failure = err instanceof MappingApiError ? err.failure : undefined;
    if (failure === 'not-integrated') return { ...base, action: integrationAction(site) };
    if (failure === 'unauthorized' || err.status === 401) {
      // A refused login token is cured by logging in again or by keys; refused keys by new keys.
      const nextStep = credentials === 'bearer' ? 'The login token was refused: run Test Login again, or set API and application keys for this site.' : base.nextStep;
      return { ...base, ...(nextStep ? { nextStep } : {}), action: setKeysAction(site) };
    }
    if (failure === 'forbidden' || err.status === 403) return { ...base, action: setKeysAction(site) };
    if (failure === 'api-not-found') return { ...base, action: openSettingsAction('datadogWif.mappingApiPaths') };
    if (err.code === 'usage') return base;
    return { ...base, action: retryAction(site) };
  }
  if (err instanceof Error && err.name === 'AbortError') return { message: 'Cancelled.', cancelled: true };
  return { message: displayText(err instanceof Error ? err.message : String(err)), nextStep: 'See the Datadog WIF logs for details.', action: { title: 'Show Logs', command: 'datadogWif.showLogs' } };
}

export class MappingsService {
  constructor(
    private readonly store: CredentialStore,
    private readonly output: vscode.LogOutputChannel,
  ) {}

  /** After a settings change: forget which path family answered where, so the next call finds out again. */
  invalidate(): void {
    forgetPathFamilies();
  }

  private async clientFor(site: string): Promise<{ client: MappingsClient; auth: SiteCredentials['kind'] }> {
    const settings = mappingSettings();
    const resolved = apiFor(site, settings);
    if (!resolved.ok) {
      throw new ProblemError({
        message: redact(resolved.reason),
        nextStep: 'Check `datadogWif.apiUrl` and `datadogWif.allowedApiHosts` in your user settings.',
        action: openSettingsAction('datadogWif.apiUrl'),
      });
    }
    // Only what is stored for this very base URL: keys typed for one API are never sent to another.
    const baseUrl = resolved.baseUrl;
    const token = await this.store.token(site, baseUrl); // read first: credentials() deletes an expired one
    const credentials = await this.store.credentials(site, Date.now(), baseUrl);
    if (!credentials) {
      const elsewhere = this.store.baseUrls(site).filter((b) => b !== baseUrl);
      throw new ProblemError({
        message: token ? `The login token for ${site} has expired.` : `No Datadog API keys are stored for ${site} at ${baseUrl}.`,
        nextStep: token
          ? 'Run Test Login again, or set API and application keys for this site.'
          : `Set the API and application keys of a user allowed to manage Workload Identity Federation${elsewhere.length ? ` (those stored for ${elsewhere.join(', ')} are not sent to ${baseUrl})` : ''}.`,
        action: setKeysAction(site),
      });
    }
    const auth = credentials.kind === 'keys' ? { kind: 'keys' as const, apiKey: credentials.apiKey, appKey: credentials.appKey } : { kind: 'bearer' as const, token: credentials.token };
    // A client per call is cheap, and picks up new keys and settings at once.
    const client = createMappingsClient({ baseUrl, auth, allowedHosts: settings.allowedHosts, paths: settings.paths, timeoutMs: settings.timeoutMs });
    return { client, auth: credentials.kind };
  }

  private async call<T>(site: string, what: string, fn: (client: MappingsClient) => Promise<T>): Promise<T> {
    let auth: SiteCredentials['kind'] | undefined;
    try {
      const c = await this.clientFor(site);
      auth = c.auth;
      const started = Date.now();
      const result = await fn(c.client);
      this.output.debug(redact(`${what} on ${site}: done in ${Date.now() - started} ms`));
      return result;
    } catch (err) {
      const problem = toProblem(err, site, auth);
      if (!problem.cancelled) this.output.warn(redact(`${what} on ${site} failed: ${problem.message}${problem.status ? ` (HTTP ${problem.status})` : ''}`));
      throw new ProblemError(problem);
    }
  }

  list(site: string, kind: MappingKind, signal?: AbortSignal): Promise<Mapping[]> {
    return this.call(site, `Listing ${KIND_LABEL[kind]}s`, (c) => c.list(kind, signal));
  }

  create(site: string, kind: MappingKind, input: { arnPattern: string; accountIdentifier?: string }, signal?: AbortSignal): Promise<Mapping> {
    return this.call(site, `Creating an ${KIND_LABEL[kind]} for ${input.arnPattern}`, (c) => c.create(kind, input, signal));
  }

  delete(site: string, kind: MappingKind, id: string, signal?: AbortSignal): Promise<void> {
    return this.call(site, `Deleting ${KIND_LABEL[kind]} ${id}`, async (c) => {
      await c.delete(kind, id, signal);
    });
  }
}
