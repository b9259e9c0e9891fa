// Which AWS credentials the login commands use: a profile of the shared
// config / credentials files, or the default credential chain (environment,
// AWS_PROFILE, SSO, web identity, container and instance metadata). The
// choice is remembered per workspace (workspaceState); the credentials
// themselves are never stored: the cloud core resolves them again on every
// command, so a fresh `aws sso login` counts at once.

import * as vscode from 'vscode';
import { credentialsSource, listProfiles, type ProfileInfo } from '../../server/src/cloud/credentials';
import type { CredentialsSource } from '../../server/src/cloud/types';
import { displayText } from '../../server/src/shared/terminalText';

const STATE_KEY = 'datadogWif.awsProfile';
export const DEFAULT_CHAIN_LABEL = '(default credential chain)';

const KIND_WORDS: Record<ProfileInfo['kind'], string> = {
  sso: 'SSO',
  role: 'assumes a role',
  static: 'access keys',
  process: 'credential process',
  'web-identity': 'web identity',
  other: 'other',
};

interface ProfileItem extends vscode.QuickPickItem {
  /** Undefined: the default chain. */
  profile?: string;
}

export interface SelectProfileArgs {
  /** Non-interactive: a profile name, or null for the default chain. */
  profile?: string | null;
}

export class AwsProfiles {
  constructor(
    private readonly state: vscode.Memento,
    private readonly output: vscode.LogOutputChannel,
  ) {}

  /** The remembered profile; undefined means the default credential chain. */
  get current(): string | undefined {
    const v = this.state.get<string>(STATE_KEY);
    return typeof v === 'string' && v.trim() !== '' ? v : undefined;
  }

  /** In words, for messages: `profile dev` or `the default credential chain` (a name from a file, escaped). */
  describe(profile = this.current): string {
    return profile ? `AWS profile ${displayText(profile)}` : `the default AWS credential chain${process.env.AWS_PROFILE ? ` (AWS_PROFILE=${displayText(process.env.AWS_PROFILE)})` : ''}`;
  }

  async remember(profile: string | undefined): Promise<void> {
    await this.state.update(STATE_KEY, profile);
    this.output.info(`AWS credentials for this workspace: ${this.describe(profile)}.`);
  }

  /** A fresh source for one command: nothing is cached between calls. */
  source(profile: string | undefined, timeoutMs: number): CredentialsSource {
    return credentialsSource({ ...(profile ? { profile } : {}), timeoutMs });
  }

  /**
   * The "Select AWS Profile" command. With `{ profile }` it sets the choice
   * without asking (tests, other commands). Returns the choice (null = the
   * default chain), or undefined when cancelled.
   */
  async select(args?: SelectProfileArgs): Promise<string | null | undefined> {
    if (args && 'profile' in args) {
      const p = typeof args.profile === 'string' && args.profile.trim() ? args.profile.trim() : undefined;
      await this.remember(p);
      return p ?? null;
    }
    let profiles: ProfileInfo[] = [];
    try {
      profiles = await listProfiles();
    } catch (err) {
      this.output.warn(`Reading the AWS shared config and credentials files failed: ${err instanceof Error ? err.message : String(err)}`);
    }
    const current = this.current;
    const items: ProfileItem[] = [
      {
        label: DEFAULT_CHAIN_LABEL,
        description: current === undefined ? 'current' : undefined,
        detail: 'Environment variables, AWS_PROFILE, then the default profile, SSO, web identity, container or instance metadata, as the AWS CLI does',
      },
      ...profiles.map((p) => ({
        // Names and regions as the shared config files have them, escaped.
        label: displayText(p.name),
        description: [KIND_WORDS[p.kind], p.region && displayText(p.region), p.name === current ? 'current' : undefined].filter(Boolean).join(' · '),
        detail: `from the shared ${p.source === 'both' ? 'config and credentials files' : `${p.source} file`}`,
        profile: p.name,
      })),
    ];
    if (!profiles.length) items.push({ label: 'No profiles found', kind: vscode.QuickPickItemKind.Separator });
    const choice = await vscode.window.showQuickPick(items, {
      title: 'Datadog WIF: AWS credentials for login tests',
      placeHolder: profiles.length ? 'Choose the AWS profile whose identity the login tests prove' : 'No profiles in ~/.aws/config or ~/.aws/credentials: the default chain is used',
      ignoreFocusOut: true,
      matchOnDescription: true,
    });
    if (!choice || choice.kind === vscode.QuickPickItemKind.Separator) return undefined;
    await this.remember(choice.profile);
    return choice.profile ?? null;
  }
}
