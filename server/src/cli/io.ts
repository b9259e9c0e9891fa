// Where the CLI writes: real streams in the binary, buffers in tests. Every
// line goes through redaction, so no secret reaches a terminal or a CI log.

import { redact } from '../shared/redact';

export interface CliIo {
  out(text: string): void;
  err(text: string): void;
}

export const processIo: CliIo = {
  out: (t) => process.stdout.write(redact(t) + '\n'),
  err: (t) => process.stderr.write(redact(t) + '\n'),
};
