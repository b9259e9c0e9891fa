// The commands that talk to AWS and Datadog, bundled apart as
// dist/cloudCommands.js with the cloud core and the AWS SDK: Test Login, the
// caller identity, the AWS profile choice, and the Workload Identity
// Federation view with its commands. The activation gate (extension.ts)
// loads this the first time one of them runs or the view is shown; until
// then its stubs stand in for these commands and a placeholder for the view,
// and it disposes them just before calling activateCommands, which registers
// the real ones under the same ids.

import * as vscode from 'vscode';
import type { LanguageClient } from 'vscode-languageclient/node';
import { AwsProfiles } from './awsProfile';
import { runTestLogin } from './commands/testLogin';
import { showCallerIdentity } from './commands/callerIdentity';
import type { RecordingChannel } from './outputRecorder';
import { registerMappingFeatures, type MappingFeatures } from './mappings/register';
import { startLiveChecks, type LiveServer } from './org/live';
import type { OrgFactsLearner } from './org/learner';
import { registerOrgFacts } from './org/register';

declare const DD_WIF_VERSION: string | undefined;

export interface CommandsApi {
  /** The mapping features: the Workload Identity Federation tree and the credential store. */
  readonly mappings: MappingFeatures;
  /** `datadogWif.live`: feeds the language server the org's mappings from now on (once; later calls do nothing). */
  startLive(server: LiveServer): void;
  /** The orgs of the stored credentials (the org UUID quick fix and hover); the gate sends them to the server. */
  readonly org: OrgFactsLearner;
}

export interface CommandsDeps {
  /** The running language client, started if need be (loads the language client's bundle). */
  languageClient?: () => Promise<LanguageClient | undefined>;
}

export function activateCommands(context: vscode.ExtensionContext, output: RecordingChannel, deps: CommandsDeps = {}): CommandsApi {
  const profiles = new AwsProfiles(context.workspaceState, output);
  const version = typeof DD_WIF_VERSION === 'string' ? DD_WIF_VERSION : 'dev';
  let org: OrgFactsLearner | undefined;
  const mappings = registerMappingFeatures(context, output, { profiles, ...(deps.languageClient ? { languageClient: deps.languageClient } : {}), onRefresh: (site) => void org?.refresh(site) });
  org = registerOrgFacts(context, mappings.store, output);
  const loginDeps = { output, profiles, onSecret: mappings.onLoginSecret, userAgent: `datadog-wif-vscode/${version} (vscode ${vscode.version})` };
  context.subscriptions.push(
    // Login tests and the caller identity: the commands return their result (no secrets in it) for tests and other commands.
    vscode.commands.registerCommand('datadogWif.testLoginTerraform', (args?: unknown) => runTestLogin('terraform', loginDeps, args)),
    vscode.commands.registerCommand('datadogWif.testLoginAgent', (args?: unknown) => runTestLogin('agent', loginDeps, args)),
    vscode.commands.registerCommand('datadogWif.showCallerIdentity', (args?: unknown) => showCallerIdentity(loginDeps, args)),
    vscode.commands.registerCommand('datadogWif.selectAwsProfile', (args?: unknown) => profiles.select(args && typeof args === 'object' ? (args as { profile?: string | null }) : undefined)),
  );
  let live = false;
  const startLive = (server: LiveServer) => {
    if (live) return;
    live = true;
    context.subscriptions.push(startLiveChecks(output, mappings, server));
  };
  return { mappings, startLive, org };
}
