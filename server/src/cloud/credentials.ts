// AWS credentials, resolved the way the AWS CLI resolves them (environment,
// shared config and credentials files, SSO, web identity, container and
// instance metadata), afresh on every call, with failures in words a user
// can act on. Node only; never imports `vscode` (ARCHITECTURE.md).

import { fromNodeProviderChain } from '@aws-sdk/credential-providers';
import { loadSharedConfigFiles } from '@smithy/shared-ini-file-loader';
import { redact } from '../shared/redact';
import { CloudError, type AwsCredentials, type CredentialsSource } from './types';
import { formatSecondsShort } from './durations';

/** A profile of the shared config / credentials files. */
export interface ProfileInfo {
  name: string;
  /** Which file defines it. */
  source: 'config' | 'credentials' | 'both';
  /** How it gets credentials, from its keys. */
  kind: 'sso' | 'role' | 'static' | 'process' | 'web-identity' | 'other';
  region?: string;
}

export interface ProfileFiles {
  /** The shared config file; `AWS_CONFIG_FILE` or `~/.aws/config` by default. */
  configFile?: string;
  /** The shared credentials file; `AWS_SHARED_CREDENTIALS_FILE` or `~/.aws/credentials` by default. */
  credentialsFile?: string;
}

/** Sections of the config file that are not profiles (`[sso-session x]`, `[services x]`). */
const NON_PROFILE_SECTION = /^(sso-session|services)\./;

/** The profiles of the shared files, `default` first, then by name. Missing or unreadable files give none. */
export async function listProfiles(options: ProfileFiles = {}): Promise<ProfileInfo[]> {
  const { configFile, credentialsFile } = await loadSharedConfigFiles({
    ...(options.configFile ? { configFilepath: options.configFile } : {}),
    ...(options.credentialsFile ? { filepath: options.credentialsFile } : {}),
    // A long-lived process (the language server) must see edits to the files.
    ignoreCache: true,
  });
  const names = new Set<string>();
  for (const name of Object.keys(configFile)) if (!NON_PROFILE_SECTION.test(name)) names.add(name);
  for (const name of Object.keys(credentialsFile)) names.add(name);
  const profiles: ProfileInfo[] = [];
  for (const name of names) {
    const inConfig = name in configFile && !NON_PROFILE_SECTION.test(name);
    const inCredentials = name in credentialsFile;
    // The credentials file wins on a key both define, as in the SDK.
    const keys: Record<string, string | undefined> = { ...(inConfig ? configFile[name] : {}), ...(inCredentials ? credentialsFile[name] : {}) };
    const region = (inConfig ? configFile[name].region : undefined) ?? (inCredentials ? credentialsFile[name].region : undefined);
    profiles.push({
      name,
      source: inConfig && inCredentials ? 'both' : inConfig ? 'config' : 'credentials',
      kind: profileKind(keys),
      ...(region ? { region } : {}),
    });
  }
  return profiles.sort((a, b) => (a.name === 'default' ? -1 : b.name === 'default' ? 1 : a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
}

/**
 * What a profile of the shared config file says about calling STS: its
 * `region`, and its endpoint, as the AWS SDKs read them: `sts = endpoint_url
 * = …` in the `[services NAME]` section the profile names (`services = NAME`),
 * else the profile's own `endpoint_url`; and its
 * `ignore_configured_endpoint_urls`. (The SDK's STS client reads endpoints
 * from AWS_PROFILE or `default` only, never from the profile a caller names,
 * hence this.)
 */
export interface ProfileStsSettings {
  /** The profile read: the one given, else AWS_PROFILE, else `default`. */
  profile: string;
  region?: string;
  endpointUrl?: string;
  /** Where `endpointUrl` was written. */
  endpointFrom?: 'services' | 'profile';
  ignoreConfiguredEndpointUrls?: boolean;
}

/**
 * Reads a profile's STS settings afresh (edits count at once). Missing files
 * or a missing profile give no settings; a `services` name with no such
 * section is refused, as the AWS CLI and the SDKs refuse it.
 */
export async function profileStsSettings(profile?: string, options: ProfileFiles = {}): Promise<ProfileStsSettings> {
  const name = profile?.trim() || process.env.AWS_PROFILE?.trim() || 'default';
  const { configFile, credentialsFile } = await loadSharedConfigFiles({
    ...(options.configFile ? { configFilepath: options.configFile } : {}),
    ...(options.credentialsFile ? { filepath: options.credentialsFile } : {}),
    ignoreCache: true,
  });
  const config = NON_PROFILE_SECTION.test(name) ? undefined : configFile[name];
  const out: ProfileStsSettings = { profile: name };
  // The region as listProfiles reads it: the config file's, else the credentials file's.
  const region = (config?.region ?? credentialsFile[name]?.region)?.trim();
  if (region) out.region = region;
  if (!config) return out;
  const ignore = booleanSetting(config.ignore_configured_endpoint_urls);
  if (ignore !== undefined) out.ignoreConfiguredEndpointUrls = ignore;
  const servicesName = config.services?.trim();
  if (servicesName) {
    const section = configFile[`services.${servicesName}`];
    if (!section) {
      throw new CloudError(
        `The AWS profile ${name} names the services section "${servicesName}" (services = ${servicesName}), which the shared config file does not define.`,
        'credentials',
        `add a [services ${servicesName}] section to the config file, or remove \`services\` from profile ${name}`,
      );
    }
    const url = section['sts.endpoint_url']?.trim();
    if (url) return { ...out, endpointUrl: url, endpointFrom: 'services' };
  }
  const url = config.endpoint_url?.trim();
  if (url) return { ...out, endpointUrl: url, endpointFrom: 'profile' };
  return out;
}

/** `true`/`false` in any case, as the SDKs read boolean settings; anything else is no setting. */
export function booleanSetting(value: string | undefined): boolean | undefined {
  const v = value?.trim().toLowerCase();
  return v === 'true' ? true : v === 'false' ? false : undefined;
}

function profileKind(keys: Record<string, string | undefined>): ProfileInfo['kind'] {
  if (keys.sso_session || keys.sso_start_url || keys.sso_account_id || keys.sso_role_name) return 'sso';
  if (keys.role_arn && keys.web_identity_token_file) return 'web-identity';
  if (keys.role_arn) return 'role';
  if (keys.credential_process) return 'process';
  if (keys.aws_access_key_id) return 'static';
  return 'other';
}

export interface CredentialsSourceOptions {
  /** An AWS profile; otherwise `AWS_PROFILE`, then the environment keys, then `default`, as the SDK does. */
  profile?: string;
  /** Bound on one resolution (SSO, container and instance metadata answer over the network). Default 30 s. */
  timeoutMs?: number;
}

const DEFAULT_TIMEOUT_MS = 30_000;

/** Keeps the SDK's own warnings (two credential sources set, …) off the user's terminal. */
const quietLogger = { trace() {}, debug() {}, info() {}, warn() {}, error() {} };

/**
 * A source of credentials that resolves the whole chain again on every call:
 * nothing is cached, so a fresh `aws sso login` or an edited profile counts
 * at once. Failures are CloudError('credentials', words, next step).
 */
export function credentialsSource(options: CredentialsSourceOptions = {}): CredentialsSource {
  return async () => {
    const explicit = options.profile?.trim() || process.env.AWS_PROFILE?.trim() || undefined;
    const timeoutMs = options.timeoutMs ?? DEFAULT_TIMEOUT_MS;
    // A profile the files do not define would only fall through to instance metadata;
    // the AWS CLI refuses it, and so do we, naming the ones that exist.
    let info: ProfileInfo | undefined;
    if (explicit) {
      const known = await listProfiles().catch(() => undefined);
      info = known?.find((p) => p.name === explicit);
      if (known && !info) throw unknownProfile(explicit, known.map((p) => p.name));
    }
    let credentials: AwsCredentials;
    // The chain hides why a credential_process failed behind its generic
    // "no credentials"; only its debug log has it (kept here, never logged).
    let processFailure: string | undefined;
    const logger = {
      ...quietLogger,
      debug(message: unknown) {
        const at = typeof message === 'string' ? message.indexOf('Command failed: ') : -1;
        if (processFailure === undefined && at >= 0) processFailure = (message as string).slice(at);
      },
    };
    try {
      const provider = fromNodeProviderChain({
        ...(options.profile?.trim() ? { profile: options.profile.trim() } : {}),
        ignoreCache: true,
        logger,
        // Instance metadata: one short attempt, within the overall bound.
        timeout: Math.max(1, Math.min(1_000, timeoutMs)),
        maxRetries: 0,
      });
      const identity = await withTimeout(provider(), timeoutMs);
      credentials = {
        accessKeyId: identity.accessKeyId,
        secretAccessKey: identity.secretAccessKey,
        ...(identity.sessionToken ? { sessionToken: identity.sessionToken } : {}),
        ...(identity.expiration ? { expiration: identity.expiration } : {}),
      };
    } catch (err) {
      if (err === TIMED_OUT) {
        throw new CloudError(
          `AWS credentials could not be resolved within ${formatSecondsShort(timeoutMs)}${explicit ? ` for profile ${explicit}` : ''} (SSO, a credential process, or container or instance metadata did not answer).`,
          'credentials',
          'check the network, or choose a profile with static or SSO credentials (`--profile`, AWS_PROFILE)',
        );
      }
      const described = describeCredentialsError(err, explicit);
      // The chain hides a failed credential process behind its generic message.
      if (processFailure !== undefined && described.message.startsWith('No AWS credentials were found')) throw describeCredentialsError(processFailure, explicit);
      if (info?.kind === 'process' && described.message.startsWith('No AWS credentials were found')) {
        throw new CloudError(`The credential process of profile ${explicit} gave no credentials.`, 'credentials', "run the profile's `credential_process` command by hand to see why");
      }
      throw described;
    }
    if (credentials.expiration && credentials.expiration.getTime() <= Date.now()) {
      throw new CloudError(
        `The AWS session credentials${explicit ? ` of profile ${explicit}` : ''} expired at ${credentials.expiration.toISOString()}.`,
        'credentials',
        refreshStep(explicit),
      );
    }
    return credentials;
  };
}

const TIMED_OUT = Symbol('timed out');

function withTimeout<T>(promise: Promise<T>, ms: number): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(TIMED_OUT), ms);
    // A pending resolution must not keep a CLI alive after it has answered.
    timer.unref?.();
  });
  return Promise.race([promise, timeout]).finally(() => clearTimeout(timer));
}


function unknownProfile(profile: string, known: string[]): CloudError {
  const list = known.length ? `Known profiles: ${known.join(', ')}.` : 'The shared config and credentials files define no profiles.';
  return new CloudError(
    `The AWS profile "${profile}" is not defined in the shared config or credentials file. ${list}`,
    'credentials',
    known.length ? `use one of them (\`--profile ${known[0]}\`), or run \`aws configure --profile ${profile}\`` : `run \`aws configure --profile ${profile}\``,
  );
}

function refreshStep(profile?: string): string {
  return profile
    ? `refresh them (\`aws sso login --profile ${profile}\` for SSO, or get new temporary credentials for the profile)`
    : 'get new temporary credentials and set AWS_ACCESS_KEY_ID, AWS_SECRET_ACCESS_KEY and AWS_SESSION_TOKEN again, or use a profile (AWS_PROFILE)';
}

/** The first line of an error's message, redacted. */
function firstLine(err: unknown): string {
  const text = err instanceof Error ? err.message : typeof err === 'string' ? err : '';
  return redact((text.split('\n').find((l) => l.trim()) ?? '').trim());
}

function errorName(err: unknown): string {
  if (err && typeof err === 'object') {
    const e = err as { name?: unknown; code?: unknown; Code?: unknown };
    for (const v of [e.name, e.code, e.Code]) if (typeof v === 'string' && v !== 'Error') return v;
  }
  return '';
}

/**
 * A failed command as `child_process.exec` reports it (the SDK passes on only
 * its message): its exit status when known, and the first line of its stderr,
 * redacted. Never the command line.
 */
function failedCommand(err: unknown): { exitStatus?: number; stderr: string } | undefined {
  const text = err instanceof Error ? err.message : typeof err === 'string' ? err : '';
  if (!/^\s*Command failed: /.test(text)) return undefined;
  const e = err as { code?: unknown; stderr?: unknown };
  // The message is the command line, then stderr from the second line on.
  const stderr = typeof e.stderr === 'string' ? e.stderr : text.split('\n').slice(1).join('\n');
  // Redacted before it is cut: a cut secret is a fragment no rule recognises.
  const line = redact((stderr.split('\n').find((l) => l.trim()) ?? '').trim());
  return { ...(typeof e.code === 'number' ? { exitStatus: e.code } : {}), stderr: line.length > 200 ? `${line.slice(0, 200)}…` : line };
}

/**
 * Turns a credential provider's failure into words and a next step: never a
 * stack trace, never a secret. `profile` is the profile that was asked for
 * (when none was, `AWS_PROFILE` or `default` is named where a profile matters).
 */
export function describeCredentialsError(err: unknown, profile?: string): CloudError {
  if (err instanceof CloudError) return err;
  const named = profile ?? (process.env.AWS_PROFILE?.trim() || 'default');
  // A credential_process that failed: Node's "Command failed: <command line>\n<stderr>"
  // would echo the command, and its arguments may carry a secret.
  const processFailure = failedCommand(err);
  if (processFailure) {
    return new CloudError(
      `The credential process of profile ${named} failed${processFailure.exitStatus !== undefined ? ` with exit status ${processFailure.exitStatus}` : ''}${processFailure.stderr ? `: ${processFailure.stderr}` : ', printing nothing on stderr'}.`,
      'credentials',
      "run the profile's `credential_process` command by hand to see why",
    );
  }
  const message = firstLine(err);
  const name = errorName(err);

  // SSO: a missing, expired or unrefreshable token in ~/.aws/sso/cache (the SDK's messages all point at `aws sso login`).
  if (/\bSSO\b/i.test(message) && /(expired|invalid|not found|not present|aws sso login|refresh)/i.test(message) || /^Token is expired/i.test(message)) {
    return new CloudError(`The AWS SSO session for profile ${named} has expired.`, 'credentials', `run \`aws sso login --profile ${named}\``);
  }
  if (/^ExpiredToken(Exception)?$/.test(name) || /security token included in the request is expired|token has expired|credentials have expired/i.test(message)) {
    return new CloudError(
      `The AWS session credentials${profile ? ` of profile ${profile}` : ''} have expired (ExpiredToken).`,
      'credentials',
      refreshStep(profile),
    );
  }
  const missing = /Profile (\S+) (was not found|could not be found)|Profile '([^']+)' could not be found/i.exec(message);
  if (missing) {
    const which = (missing[1] ?? missing[3] ?? named).replace(/^'|'$/g, '');
    return new CloudError(`The AWS profile "${which}" is not defined in the shared config or credentials file.`, 'credentials', `run \`aws configure --profile ${which}\`, or choose another profile`);
  }
  if (/Could not load credentials from any providers|Could not resolve credentials using profile/i.test(message) || !message) {
    if (profile) {
      return new CloudError(
        `No AWS credentials were found for profile ${profile}.`,
        'credentials',
        `check profile ${profile} in the shared config and credentials files, or run \`aws configure --profile ${profile}\``,
      );
    }
    return new CloudError(
      'No AWS credentials were found (environment, shared files, SSO, web identity, container or instance metadata).',
      'credentials',
      'set AWS_PROFILE or run `aws configure`',
    );
  }
  if (/credential_process|credential process/i.test(message)) {
    return new CloudError(`The credential process of profile ${named} failed: ${message}`, 'credentials', `run the profile's \`credential_process\` command by hand to see why`);
  }
  if (/AccessDenied|not authorized to perform: sts:AssumeRole/i.test(name + ' ' + message)) {
    return new CloudError(`AWS refused to let profile ${named} assume its role: ${message}`, 'credentials', `check \`role_arn\` of profile ${named} and the role's trust policy`);
  }
  return new CloudError(`AWS credentials could not be resolved${profile ? ` for profile ${profile}` : ''}: ${message}`, 'credentials', 'check the profile (`--profile`, AWS_PROFILE) or run `aws configure`');
}
