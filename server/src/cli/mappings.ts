// `dd-wif mappings list|create|delete|explain|export|diff …` (CLI.md):
// identity and intake mappings through the API, with DD_API_KEY and
// DD_APP_KEY from the environment. Exit 0 success, 1 the API call failed
// (for explain: no mapping matches; for diff: drift), 2 usage (a missing
// key, a refused host, a pattern the ARN engine refuses, a delete not
// confirmed, a missing path). `explain`, `export` and `diff` live in
// mappingsExplain.ts, mappingsExport.ts and mappingsDiff.ts.
// The keys are never printed: every line is scrubbed of them exactly, then by
// shape.

import * as readline from 'node:readline';
import { resolveApiBaseUrl } from '../cloud/hostPolicy';
import { createMappingsClient, isMappingApiPaths, toOrgMapping, type Mapping, type MappingApiPaths, type MappingKind, type MappingsClient } from '../cloud/mappingsApi';
import { CloudError } from '../cloud/types';
import { lintArnPattern } from '../service/arn';
import { accountIdentifierKind, secretKind } from '../service/common/identifiers';
import { redactKnown } from '../shared/redact';
import { formatOption, jsonRequested, parseOptions, timeoutOption } from './args';
import { UsageError } from './files';
import { terminalIo, type CliIo, type TerminalIo } from './io';
import { displayText } from '../shared/terminalText';
import type { OrgMapping } from '../service/orgSync/types';
import type { HclRuntime } from '../service/terraform/hcl';

export const MAPPINGS_USAGE = `Usage:
  dd-wif mappings list   [--kind identity|intake] [--site SITE] [--format json]
  dd-wif mappings create --kind identity --arn-pattern P --account ID [--site SITE]
  dd-wif mappings create --kind intake   --arn-pattern P [--site SITE]
  dd-wif mappings delete --kind identity|intake --id ID [--site SITE] [--yes]
  dd-wif mappings explain [--arn CALLER_ARN] [--kind identity|intake] [--site SITE]
                          [--profile P] [--region R] [--format json]
  dd-wif mappings export  [--kind identity|intake] [--site SITE] [--format terraform|json] [--out FILE]
  dd-wif mappings diff    [--kind identity|intake] [--site SITE] [--format json]
                          [--exclude GLOB]... [--agent-glob GLOB]... PATH...

Manages Workload Identity Federation mappings through the Datadog API, with
the keys in the environment variables DD_API_KEY and DD_APP_KEY (the
application key's user needs workload_identity_federation_config_read, and
_write to create or delete; cloud_auth_config_* on older orgs).

explain says which mapping matches a caller ARN, or that none does, which
comes closest and why (the explainer of the extension's "Why Can't I Log
In?"): exit 0 when one matches, 1 when none does.

export writes every mapping of the org as a Terraform resource
(datadog_aws_wif_identity_mapping, datadog_aws_wif_intake_mapping) with an
import block (to, id), so that terraform plan adopts the existing mapping
instead of creating a duplicate (Terraform 1.5 or later; the DataDog/datadog
provider 4.25.0 or later for identity mappings, 4.30.0 for intake ones).

diff compares the mappings declared under PATH (Terraform mapping resources
and the entries of their written-out for_each; YAML/JSON arn_pattern lists
under a key or beside a type that says intake, identity or persona; folders
walked as dd-wif lint walks them) with the org's: exit 0 when they are in
step, 1 when a mapping is only in the org, only in code, or acts as another
Datadog account. A declared pattern with \${…} declares every org mapping
it can be; one the files do not state (var.p) and files that could not be
read are noted, and any mapping only in the org may be one of them.

Options:
  --kind identity|intake     identity (persona) mappings act as a Datadog user or
                             service account (Terraform flow); intake mappings may
                             fetch the org's managed API key (Agent flow).
                             list, export, diff: both kinds when omitted; explain: the kind
                             the failing login needs (either when omitted)
  --arn-pattern P            create: the caller ARN pattern, e.g.
                             arn:aws:sts::123456789012:assumed-role/my-role/*
                             (checked first: an arn/* error refuses it)
  --account ID               create --kind identity: the user's email or handle,
                             or a service account's UUID
  --id ID                    delete: the mapping's id (see list)
  --yes                      delete without asking (required when stdin is not a terminal)
  --arn CALLER_ARN           explain: the caller ARN (default: the caller identity
                             of the resolved AWS credentials, STS GetCallerIdentity)
  --profile P, --region R    explain without --arn: the AWS profile and STS region
                             (as for dd-wif whoami)
  --out FILE                 export: write to FILE instead of stdout (said on stderr)
  --exclude GLOB             diff: files or folders the walk leaves out (repeatable, as for lint)
  --agent-glob GLOB          diff: extra files to read as Agent YAML (repeatable, as for lint)
  --site SITE                Datadog site (default datadoghq.com)
  --api-url URL              use this API base URL instead of https://api.<site>
  --allow-host HOST[:PORT]   allow --api-url to name a host that is not a Datadog API
                             host (repeatable); plain http:// only to 127.0.0.1,
                             [::1] or localhost
  --paths cloud_auth|wif|auto
                             API path family: /api/v2/cloud_auth/aws/… or
                             /api/v2/wif/aws/…; auto (default) tries cloud_auth
                             first and the other once on a 404
  --timeout SECONDS          per request, retries included (default 30)
  --format text|json         output format (default text; export: terraform|json,
                             default terraform)
  -h, --help                 show this help

JSON: list prints [{"kind", "id", "arnPattern", "accountIdentifier"?, "accountUuid"?}];
create prints the created mapping in that shape; delete prints {"kind", "id", "deleted": true};
explain prints {"callerArn", "callerSource": "argument"|"aws", "callerKind", "effectiveArn",
"kind", "matched": [mapping], "closest": {"mapping", "reason", "message", "replaceWith"} or null,
"nearMisses": [same], "suggestedPattern", "callerNote", "callerProblem", "summary"}
(messages in Markdown; absent values are null);
export --format json prints the list shape;
diff prints {"inStep": [{"org": mapping, "declared": [declared]}], "onlyInOrg": [mapping],
"onlyInCode": [declared], "accountMismatch": [{"org": mapping, "declared": declared}],
"unknown": [declared], "unread": [file], "inStepCount", "drift": true|false}, a declared
mapping being {"kind", "pattern" (null when not known), "interpolated", "accountIdentifier"?,
"file", "line" (1-based), "owner"};
a failure prints {"ok": false, "status", "reason", "nextStep"} (exit 1, or 2 for a usage error).`;

const OPTIONS = {
  kind: { type: 'string' },
  'arn-pattern': { type: 'string' },
  account: { type: 'string' },
  id: { type: 'string' },
  yes: { type: 'boolean', short: 'y' },
  site: { type: 'string' },
  'api-url': { type: 'string' },
  'allow-host': { type: 'string', multiple: true },
  paths: { type: 'string' },
  timeout: { type: 'string' },
  format: { type: 'string' },
  help: { type: 'boolean', short: 'h' },
  arn: { type: 'string' },
  profile: { type: 'string' },
  region: { type: 'string' },
  out: { type: 'string' },
  exclude: { type: 'string', multiple: true },
  'agent-glob': { type: 'string', multiple: true },
} as const;

const VERBS = ['list', 'create', 'delete', 'explain', 'export', 'diff'] as const;
type Verb = (typeof VERBS)[number];

/** Which options each verb takes (besides the common ones). */
const VERB_OPTIONS: Record<Verb, readonly string[]> = {
  list: ['kind'],
  create: ['kind', 'arn-pattern', 'account'],
  delete: ['kind', 'id', 'yes'],
  explain: ['kind', 'arn', 'profile', 'region'],
  export: ['kind', 'out'],
  diff: ['kind', 'exclude', 'agent-glob'],
};
const COMMON = ['site', 'api-url', 'allow-host', 'paths', 'timeout', 'format', 'help'];


/** The JSON shape of a mapping (CLI.md contract: scripts read it). */
export interface MappingJson {
  kind: MappingKind;
  id: string;
  arnPattern: string;
  accountIdentifier?: string;
  accountUuid?: string;
}

export interface MappingsCliOptions {
  /** Whether a question may be asked (stdin is a terminal). Default: `process.stdin.isTTY`. */
  interactive?: boolean;
  /** Asks a yes/no question; default reads a line from stdin. */
  confirm?: (question: string) => Promise<boolean>;
  /** The mappings client (tests may inject one); default the API client over the cloud core's HTTP layer. */
  client?: (o: Parameters<typeof createMappingsClient>[0]) => MappingsClient;
  /** Waits between retries (tests). */
  sleep?: (ms: number) => Promise<void>;
  /** `diff`: the HCL runtime (default: the shared one, loaded when a Terraform file is to be read). */
  hcl?: HclRuntime;
  version?: string;
}

/** (A mapping of the API, or of the org as the service knows it: the same fields.) */
export function toMappingJson(m: OrgMapping): MappingJson {
  return toOrgMapping(m);
}

/** `dd-wif mappings …`: resolves to the exit code; never throws. */
export async function runMappings(args: string[], sink: CliIo, env: NodeJS.ProcessEnv = process.env, options: MappingsCliOptions = {}): Promise<number> {
  const secrets: string[] = [];
  // The keys scrubbed exactly first; then terminalIo redacts by shape and escapes what a server sent.
  const io = terminalIo(sink);
  const safe: TerminalIo = { out: (t) => io.out(redactKnown(t, secrets)), err: (t) => io.err(redactKnown(t, secrets)), data: (t) => io.data(redactKnown(t, secrets)) };
  let json = jsonRequested(args);
  try {
    return await run(args, safe, env, options, secrets, (j) => (json = j));
  } catch (err) {
    if (err instanceof UsageError) {
      if (json) safe.data(JSON.stringify({ ok: false, status: null, reason: err.message, nextStep: 'see `dd-wif mappings --help`' }, null, 2));
      safe.err(`dd-wif mappings: ${err.message}`);
      safe.err(`Run \`dd-wif mappings --help\` for the options.`);
      return 2;
    }
    if (err instanceof CloudError) {
      const code = err.code === 'usage' || err.code === 'host-refused' ? 2 : 1;
      if (json) safe.data(JSON.stringify({ ok: false, status: err.status ?? null, reason: err.message, nextStep: err.nextStep ?? null }, null, 2));
      // One line each: a message may quote the server (a conflicting mapping's pattern).
      safe.err(`dd-wif mappings: ${displayText(err.message)}`);
      if (err.nextStep) safe.err(`Next step: ${displayText(err.nextStep)}`);
      return code;
    }
    safe.err(`dd-wif mappings: unexpected error: ${err instanceof Error ? err.message : String(err)}`);
    return 2;
  }
}

async function run(args: string[], io: TerminalIo, env: NodeJS.ProcessEnv, options: MappingsCliOptions, secrets: string[], setJson: (json: boolean) => void): Promise<number> {
  const [verbArg, ...rest] = args;
  if (verbArg === undefined) {
    io.err(MAPPINGS_USAGE);
    return 2;
  }
  if (verbArg === '-h' || verbArg === '--help' || verbArg === 'help') {
    io.out(MAPPINGS_USAGE);
    return 0;
  }
  if (!(VERBS as readonly string[]).includes(verbArg)) throw new UsageError(`unknown verb "${verbArg}": list, create, delete, explain, export or diff`);
  const verb = verbArg as Verb;
  const { values, positionals } = parseOptions(rest, OPTIONS, { positionals: verb === 'diff' });
  if (values.help) {
    io.out(MAPPINGS_USAGE);
    return 0;
  }
  const format = verb === 'export' ? formatOption(values.format, ['terraform', 'json'] as const) : formatOption(values.format, ['text', 'json'] as const);
  setJson(format === 'json');
  for (const name of Object.keys(values)) {
    if (!COMMON.includes(name) && !VERB_OPTIONS[verb].includes(name)) throw new UsageError(`--${name} does not apply to \`mappings ${verb}\``);
  }

  // The verb's own arguments.
  const kind = readKind(values.kind, verb === 'create' || verb === 'delete');
  const explain = verb === 'explain' ? await import('./mappingsExplain') : undefined;
  const explainOptions = explain?.readExplainOptions(values);
  const exporter = verb === 'export' ? await import('./mappingsExport') : undefined;
  const out = exporter?.readOutOption(values.out);
  const differ = verb === 'diff' ? await import('./mappingsDiff') : undefined;
  // The paths are walked before anything is sent: a missing one is a usage error.
  const diffTargets = differ?.readDiffTargets(positionals, values);
  let arnPattern: string | undefined;
  let account: string | undefined;
  let id: string | undefined;
  if (verb === 'create') {
    arnPattern = values['arn-pattern'];
    if (arnPattern === undefined || arnPattern === '') throw new UsageError('--arn-pattern P is required');
    account = values.account?.trim();
    if (kind === 'identity') {
      if (!account) throw new UsageError('--account ID is required for an identity mapping (the user\'s email or handle, or a service account UUID)');
      const pasted = secretKind(account);
      if (pasted) {
        secrets.push(account);
        throw new UsageError(`--account looks like a Datadog ${pasted}, not an account identifier: never pass a key there; give the user's email or handle, or a service account UUID`);
      }
      if (accountIdentifierKind(account) === 'invalid') throw new UsageError(`--account must be a user's email, a handle or a service account UUID, not "${account}"`);
    } else if (account !== undefined) {
      throw new UsageError('--account applies to identity mappings only (an intake mapping acts as no user)');
    }
  }
  if (verb === 'delete') {
    id = values.id?.trim();
    if (!id) throw new UsageError('--id ID is required (see `dd-wif mappings list`)');
  }
  let paths: MappingApiPaths = 'auto';
  if (values.paths !== undefined) {
    if (!isMappingApiPaths(values.paths)) throw new UsageError(`--paths must be cloud_auth, wif or auto, not "${values.paths}"`);
    paths = values.paths;
  }
  const timeoutSeconds = timeoutOption(values.timeout);

  // `create`: the ARN engine first. An error-level arn/* finding refuses the pattern; warnings are shown.
  if (verb === 'create') {
    const findings = lintArnPattern(arnPattern!);
    const errors = findings.filter((f) => f.severity === 'error' && f.code.startsWith('arn/'));
    for (const f of findings) io.err(`${f.severity} ${f.code} ${f.message.replace(/\s*\n\s*/g, ' ')}${f.fix ? ` (fix: ${f.fix.title.replace(/`/g, '')})` : ''}`);
    if (errors.length) {
      if (format === 'json') {
        io.data(JSON.stringify({ ok: false, status: null, reason: `the ARN pattern is refused: ${errors.map((f) => f.code).join(', ')}`, diagnostics: findings.map((f) => ({ severity: f.severity, code: f.code, message: f.message, start: f.start, end: f.end })) }, null, 2));
      }
      io.err(`dd-wif mappings: the ARN pattern \`${arnPattern}\` is refused (${errors.length} error${errors.length === 1 ? '' : 's'}); nothing was sent.`);
      return 2;
    }
  }

  // The keys, from the environment only.
  const apiKey = env.DD_API_KEY?.trim();
  const appKey = env.DD_APP_KEY?.trim();
  if (apiKey) secrets.push(apiKey);
  if (appKey) secrets.push(appKey);
  const missing = [!apiKey && 'DD_API_KEY', !appKey && 'DD_APP_KEY'].filter(Boolean) as string[];
  if (missing.length) {
    throw new UsageError(`the environment variable${missing.length > 1 ? 's' : ''} ${missing.join(' and ')} ${missing.length > 1 ? 'are' : 'is'} not set: export the Datadog API key (DD_API_KEY) and application key (DD_APP_KEY) of a user allowed to manage Workload Identity Federation`);
  }

  // The host policy: keys go only to a known Datadog API host or one the user allowed.
  const allowedHosts = values['allow-host'] ?? [];
  const decision = resolveApiBaseUrl({ site: values.site?.trim() || undefined, apiUrl: values['api-url']?.trim() || undefined, allowedHosts });
  if (!decision.ok) throw new UsageError(decision.reason);

  const make = options.client ?? createMappingsClient;
  const client = make({
    baseUrl: decision.baseUrl,
    auth: { kind: 'keys', apiKey: apiKey!, appKey: appKey! },
    allowedHosts,
    paths,
    timeoutMs: Math.round(timeoutSeconds * 1000),
    ...(options.sleep ? { sleep: options.sleep } : {}),
    userAgent: `dd-wif/${options.version ?? '0'}`,
  });

  if (explain) return explain.explainMappings({ ...explainOptions, client, kind, timeoutMs: Math.round(timeoutSeconds * 1000), format: format === 'json' ? 'json' : 'text', baseUrl: decision.baseUrl }, io);
  if (exporter) return exporter.exportMappings({ client, kind, format: format === 'json' ? 'json' : 'terraform', out, baseUrl: decision.baseUrl }, io);
  if (differ) return differ.diffMappingsCommand({ ...diffTargets!, client, kind, format: format === 'json' ? 'json' : 'text', baseUrl: decision.baseUrl, hcl: options.hcl }, io);

  if (verb === 'list') {
    const kinds: MappingKind[] = kind ? [kind] : ['identity', 'intake'];
    const all: Mapping[] = [];
    for (const k of kinds) all.push(...(await client.list(k)));
    if (format === 'json') io.data(JSON.stringify(all.map(toMappingJson), null, 2));
    else {
      io.out(table(all));
      const counts = kinds.map((k) => `${all.filter((m) => m.kind === k).length} ${k}`).join(', ');
      io.err(`${all.length} mapping${all.length === 1 ? '' : 's'} (${counts}) at ${decision.baseUrl}`);
    }
    return 0;
  }

  if (verb === 'create') {
    const created = await client.create(kind!, { arnPattern: arnPattern!, ...(account ? { accountIdentifier: account } : {}) });
    if (format === 'json') io.data(JSON.stringify(toMappingJson(created), null, 2));
    else {
      io.out(table([created]));
      io.err(`Created the ${kind} mapping ${displayText(created.id)}. A new mapping can take several minutes to affect authentication.`);
    }
    return 0;
  }

  // delete
  if (!values.yes) {
    const interactive = options.interactive ?? (process.stdin.isTTY === true);
    if (!interactive) throw new UsageError('refusing to delete without --yes: stdin is not a terminal, so there is no one to ask');
    const existing = await client.get(kind!, id!);
    io.err(table([existing]));
    const ask = options.confirm ?? askOnStdin;
    if (!(await ask(`Delete this ${kind} mapping? [y/N] `))) {
      io.err('Not deleted.');
      return 2;
    }
  }
  await client.delete(kind!, id!);
  if (format === 'json') io.data(JSON.stringify({ kind, id, deleted: true }, null, 2));
  else io.err(`Deleted the ${kind} mapping ${displayText(id!)}. The change can take several minutes to affect authentication.`);
  return 0;
}

function readKind(value: string | undefined, required: boolean): MappingKind | undefined {
  if (value === undefined) {
    if (required) throw new UsageError('--kind identity|intake is required');
    return undefined;
  }
  if (value !== 'identity' && value !== 'intake') throw new UsageError(`--kind must be identity or intake, not "${value}"`);
  return value;
}

/** What a mapping grants: the account an identity mapping acts as; the managed API key for an intake mapping. */
function target(m: Mapping): string {
  if (m.kind === 'intake') return 'managed API key';
  return m.accountIdentifier ?? m.accountUuid ?? '-';
}

/**
 * KIND ID PATTERN TARGET, columns padded. Every cell is what the server sent,
 * escaped (a line feed too): a value cannot add a row, rewrite the line above
 * or, in the delete confirmation, the question under it.
 */
export function table(mappings: readonly Mapping[]): string {
  const rows = [['KIND', 'ID', 'PATTERN', 'TARGET'], ...mappings.map((m) => [m.kind, m.id, m.arnPattern, target(m)].map((cell) => displayText(cell)))];
  const widths = [0, 1, 2].map((i) => Math.max(...rows.map((r) => r[i].length)));
  return rows.map((r) => r.map((c, i) => (i < 3 ? c.padEnd(widths[i]) : c)).join('  ').trimEnd()).join('\n');
}

/** Asks on the terminal (the question on stderr, so stdout stays clean); anything but y/yes is a no. */
function askOnStdin(question: string): Promise<boolean> {
  return new Promise<boolean>((resolve) => {
    const rl = readline.createInterface({ input: process.stdin, output: process.stderr });
    rl.question(question, (answer) => {
      resolve(/^y(es)?$/i.test(answer.trim()));
      rl.close();
    });
    rl.on('close', () => resolve(false));
  });
}
