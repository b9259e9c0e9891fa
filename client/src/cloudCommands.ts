// The commands that talk to AWS and Datadog, bundled apart as
// dist/cloudCommands.js with the cloud core and the AWS SDK: Test Login, the
// caller identity, the AWS profile choice, and the Workload Identity
// Federation view with its commands. The activation gate (extension.ts)
// loads this the first time one of them runs or the view is shown; until
// then its stubs stand in for these commands and a placeholder for the view,
// and it disposes them just before calling activateCommands, which registers
// the real ones under the same ids.

import * as vscode from 'vscode';
import { AwsProfiles } from './awsProfile';
import { runTestLogin } from './commands/testLogin';
import { showCallerIdentity } from './commands/callerIdentity';
import type { RecordingChannel } from './outputRecorder';
import { registerMappingFeatures, type MappingFeatures } from './mappings/register';
import type { OrgFactsLearner } from './org/learner';
import { registerOrgFacts } from './org/register';

declare const DD_WIF_VERSION: string | undefined;

export interface CommandsApi {
  /** The mapping features: the Workload Identity Federation tree and the credential store. */
  readonly mappings: MappingFeatures;
  /** The orgs of the stored credentials (the org UUID quick fix and hover); the gate sends them to the server. */
  readonly org: OrgFactsLearner;
}

export function activateCommands(context: vscode.ExtensionContext, output: RecordingChannel): CommandsApi {
  const profiles = new AwsProfiles(context.workspaceState, output);
  const version = typeof DD_WIF_VERSION === 'string' ? DD_WIF_VERSION : 'dev';
  let org: OrgFactsLearner | undefined;
  const mappings = registerMappingFeatures(context, output, { profiles, onRefresh: (site) => void org?.refresh(site) });
  org = registerOrgFacts(context, mappings.store, output);
  const loginDeps = { output, profiles, onSecret: mappings.onLoginSecret, userAgent: `datadog-wif-vscode/${version} (vscode ${vscode.version})` };
  context.subscriptions.push(
    // Login tests and the caller identity: the commands return their result (no secrets in it) for tests and other commands.
    vscode.commands.registerCommand('datadogWif.testLoginTerraform', (args?: unknown) => runTestLogin('terraform', loginDeps, args)),
    vscode.commands.registerCommand('datadogWif.testLoginAgent', (args?: unknown) => runTestLogin('agent', loginDeps, args)),
    vscode.commands.registerCommand('datadogWif.showCallerIdentity', (args?: unknown) => showCallerIdentity(loginDeps, args)),
    vscode.commands.registerCommand('datadogWif.selectAwsProfile', (args?: unknown) => profiles.select(args && typeof args === 'object' ? (args as { profile?: string | null }) : undefined)),
  );
  return { mappings, org };
}
