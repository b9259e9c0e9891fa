// Where the CLI writes: real streams in the binary, buffers in tests. Every
// line goes through redaction, so no secret reaches a terminal or a CI log;
// every human-readable line also has its control characters escaped, so no
// file or server value can act on the terminal (terminalIo, the one place).

import { redact } from '../shared/redact';
import { displayText } from '../shared/terminalText';

export interface CliIo {
  /** Human-readable text on stdout. */
  out(text: string): void;
  /** Human-readable text on stderr: messages, summaries, errors. */
  err(text: string): void;
  /**
   * Machine-readable output on stdout (JSON, SARIF), written as given: its
   * readers need the values exactly, and its format escapes them. Default: out.
   */
  data?(text: string): void;
}

/** A CliIo whose human-readable text is safe to show; what every verb writes through. */
export interface TerminalIo extends CliIo {
  data(text: string): void;
}

export const processIo: CliIo = {
  out: (t) => process.stdout.write(redact(t) + '\n'),
  err: (t) => process.stderr.write(redact(t) + '\n'),
  data: (t) => process.stdout.write(redact(t) + '\n'),
};

const wrapped = new WeakSet<TerminalIo>();

/**
 * `io` with out and err redacted and escaped (line feeds kept: our own
 * messages have several lines; a value that must stay on one line is escaped
 * where it is printed), and data passed through. Wrapping twice is wrapping once.
 */
export function terminalIo(io: CliIo): TerminalIo {
  if (wrapped.has(io as TerminalIo)) return io as TerminalIo;
  const term: TerminalIo = {
    out: (t) => io.out(displayText(t, { keepNewlines: true })),
    err: (t) => io.err(displayText(t, { keepNewlines: true })),
    data: (t) => (io.data ? io.data(t) : io.out(t)),
  };
  wrapped.add(term);
  return term;
}
