// `dd-wif`: the language service and the cloud core for terminals and CI.
// Exit codes (CLI.md): 0 success, 1 the check failed, 2 usage error.

import { runLint, LINT_USAGE, type HclHolder } from './lint';
import { UsageError } from './files';
import { processIo, terminalIo, type CliIo } from './io';
import type { HclRuntime } from '../service/terraform/hcl';
import { loadHclLanguage } from '../shared/treeSitter';
import { packageReadmeUri } from '../shared/readmeLocation';
import { setDocsLocation } from '../service';

declare const DD_WIF_VERSION: string | undefined;
export const VERSION = typeof DD_WIF_VERSION === 'string' ? DD_WIF_VERSION : '0.1.0';

const USAGE = `Usage: dd-wif <command> [options]

Commands:
  lint [options] PATH...      check datadog.yaml and Terraform files for WIF mistakes
  whoami [--profile P]        show the AWS caller identity and the pattern to map it
  login --flow agent|terraform --org-uuid UUID
                              test a live proof exchange with Datadog
  mappings list|create|delete manage identity and intake mappings
  mappings explain [--arn ARN] which mapping matches a caller, or why none does
  mappings export|diff        the org's mappings as Terraform; the org against the code

Run \`dd-wif <command> --help\` for a command's options.`;

interface Context {
  io: CliIo;
  /** The HCL runtime, for `lint`, which takes it out (see main). */
  hcl: HclHolder;
}

interface Verb {
  /** Printed after a usage error. */
  usage: string;
  run(argv: string[], ctx: Context): Promise<number>;
}

/** A verb loaded on first use, so `lint` does not pay for loading the AWS SDK. */
type Command = Verb | { load(): Promise<Verb> };

const COMMANDS: Readonly<Record<string, Command>> = {
  lint: { usage: LINT_USAGE, run: (argv, { io, hcl }) => runLint(argv, io, VERSION, hcl) },
  whoami: {
    load: async () => {
      const { runWhoami, WHOAMI_USAGE } = await import('./whoami');
      return { usage: WHOAMI_USAGE, run: (argv, { io }) => runWhoami(argv, io) };
    },
  },
  login: {
    load: async () => {
      const { runLogin, LOGIN_USAGE } = await import('./login');
      return { usage: LOGIN_USAGE, run: (argv, { io }) => runLogin(argv, io, VERSION) };
    },
  },
  mappings: {
    load: async () => {
      const { runMappings, MAPPINGS_USAGE } = await import('./mappings');
      return { usage: MAPPINGS_USAGE, run: (argv, { io }) => runMappings(argv, io, process.env, { version: VERSION }) };
    },
  },
};

/**
 * Runs one command line and resolves to its exit code (CLI.md). Every verb
 * answers asynchronously: `lint` too, since a Terraform parser that fails on
 * a file is replaced by a fresh one (loading it is asynchronous) and the run
 * goes on.
 */
export function main(argv: readonly string[], sink: CliIo = processIo, hcl?: HclRuntime): Promise<number> {
  // Not an async function itself: one keeps its arguments for as long as it
  // runs, and a failed runtime must not outlive its replacement (its memory
  // is up to a gigabyte). The runtime travels in a holder that lint empties.
  // Rule links (SARIF helpUri) point at the README shipped beside this bundle.
  const readme = packageReadmeUri();
  if (readme) setDocsLocation(readme);
  // Usage errors echo arguments and file names: escaped like everything else a person reads.
  return dispatch(argv, terminalIo(sink), { runtime: hcl });
}

async function dispatch(argv: readonly string[], io: CliIo, hcl: HclHolder): Promise<number> {
  const [command, ...rest] = argv;
  const failed = (err: unknown, usage?: string): number => {
    if (err instanceof UsageError) {
      io.err(`dd-wif: ${err.message}`);
      if (usage) io.err(`\n${usage}`);
      return 2;
    }
    io.err(`dd-wif: unexpected error: ${err instanceof Error ? err.message : String(err)}`);
    return 2;
  };
  if (!command || command === '-h' || command === '--help' || command === 'help') {
    io.out(USAGE);
    return command ? 0 : 2;
  }
  if (command === '--version' || command === '-v') {
    io.out(VERSION);
    return 0;
  }
  const found = Object.prototype.hasOwnProperty.call(COMMANDS, command) ? COMMANDS[command] : undefined;
  if (!found) {
    io.err(`dd-wif: unknown command "${command}"\n\n${USAGE}`);
    return 2;
  }
  let verb: Verb;
  try {
    verb = 'load' in found ? await found.load() : found;
  } catch (err) {
    return failed(err);
  }
  try {
    return await verb.run(rest, { io, hcl });
  } catch (err) {
    return failed(err, verb.usage);
  }
}

if (require.main === module) {
  // A reader that stops early (`dd-wif lint . | head`) closes the pipe: end
  // quietly with the result already decided, as other tools do, not with a stack trace.
  for (const stream of [process.stdout, process.stderr]) {
    stream.on('error', (err: NodeJS.ErrnoException) => {
      if (err.code !== 'EPIPE') throw err;
      process.exit(process.exitCode ?? 0);
    });
  }
  const argv = process.argv.slice(2);
  // Terraform files need the HCL parser (WebAssembly, loaded asynchronously); other commands do not wait for it.
  const hcl = argv[0] === 'lint' ? loadHclLanguage().catch((err: unknown) => {
    processIo.err(`dd-wif: the HCL parser did not load (${err instanceof Error ? err.message : String(err)}); Terraform files are not checked`);
    return undefined;
  }) : Promise.resolve(undefined);
  // The AWS SDK warns on every run that it will one day need a newer Node; that is not the user's business here.
  process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED ??= 'true';
  void hcl
    .then((runtime) => main(argv, processIo, runtime))
    .then((code) => {
      process.exitCode = code;
    });
}
