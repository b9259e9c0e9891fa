// `dd-wif`: the language service and the cloud core for terminals and CI.
// Exit codes (CLI.md): 0 success, 1 the check failed, 2 usage error.

import { runLint, LINT_USAGE } from './lint';
import { UsageError } from './files';
import { processIo, type CliIo } from './io';
import type { HclRuntime } from '../service/terraform/hcl';
import { loadHclLanguage } from '../shared/treeSitter';

declare const DD_WIF_VERSION: string | undefined;
export const VERSION = typeof DD_WIF_VERSION === 'string' ? DD_WIF_VERSION : '0.1.0';

const USAGE = `Usage: dd-wif <command> [options]

Commands:
  lint [options] PATH...      check datadog.yaml and Terraform files for WIF mistakes
  whoami                      show the AWS caller identity and the pattern to map it
  login                       test a live proof exchange with Datadog
  mappings list|create|delete manage identity and intake mappings

Run \`dd-wif <command> --help\` for a command's options.`;

/** The commands of later releases: the contract is fixed in CLI.md, the code is not here yet. */
const NOT_YET = new Set(['whoami', 'login', 'mappings']);

export function main(argv: string[], io: CliIo = processIo, hcl?: HclRuntime): number {
  const [command, ...rest] = argv;
  try {
    if (!command || command === '-h' || command === '--help' || command === 'help') {
      io.out(USAGE);
      return command ? 0 : 2;
    }
    if (command === '--version' || command === '-v') {
      io.out(VERSION);
      return 0;
    }
    if (command === 'lint') return runLint(rest, io, VERSION, hcl);
    if (NOT_YET.has(command)) {
      io.err(`dd-wif ${command}: not available in this version yet (only \`lint\` is).`);
      return 2;
    }
    io.err(`dd-wif: unknown command "${command}"\n\n${USAGE}`);
    return 2;
  } catch (err) {
    if (err instanceof UsageError) {
      io.err(`dd-wif: ${err.message}`);
      if (command === 'lint') io.err(`\n${LINT_USAGE}`);
      return 2;
    }
    io.err(`dd-wif: unexpected error: ${err instanceof Error ? err.message : String(err)}`);
    return 2;
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
  void hcl.then((runtime) => {
    process.exitCode = main(argv, processIo, runtime);
  });
}
