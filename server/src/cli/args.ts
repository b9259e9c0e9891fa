// A strict option parser for the CLI's verbs: `--name value`, `--name=value`,
// boolean flags, repeatable options. Anything else (an unknown option, a
// missing value, a repeated single option, a stray argument) is a UsageError,
// which main() turns into exit 2 with the verb's usage.

import { UsageError } from './files';

export interface OptionSpec {
  type: 'string' | 'boolean';
  /** May be given more than once (values collected in order). */
  multiple?: boolean;
  /** A one-letter alias (`-h`). */
  short?: string;
}

export type OptionSpecs = Readonly<Record<string, OptionSpec>>;

/** string options → string (or string[] when multiple), booleans → true. */
export type ParsedValues<S extends OptionSpecs> = {
  [K in keyof S]?: S[K]['type'] extends 'boolean' ? boolean : S[K]['multiple'] extends true ? string[] : string;
};

export interface Parsed<S extends OptionSpecs> {
  values: ParsedValues<S>;
  positionals: string[];
}

/**
 * Parses `argv` against `specs`. `positionals` allows plain arguments (and
 * everything after `--`); without it, any is an error.
 */
export function parseOptions<S extends OptionSpecs>(argv: readonly string[], specs: S, options: { positionals?: boolean } = {}): Parsed<S> {
  const values: Record<string, string | string[] | boolean> = {};
  const positionals: string[] = [];
  const byShort = new Map(Object.entries(specs).filter(([, s]) => s.short).map(([name, s]) => [s.short as string, name]));
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i];
    if (arg === '--') {
      positionals.push(...argv.slice(i + 1));
      break;
    }
    let name: string | undefined;
    let inline: string | undefined;
    if (arg.startsWith('--')) {
      const eq = arg.indexOf('=');
      name = eq === -1 ? arg.slice(2) : arg.slice(2, eq);
      inline = eq === -1 ? undefined : arg.slice(eq + 1);
      if (!Object.prototype.hasOwnProperty.call(specs, name)) throw new UsageError(`unknown option --${name}`);
    } else if (/^-[A-Za-z]$/.test(arg)) {
      name = byShort.get(arg.slice(1));
      if (!name) throw new UsageError(`unknown option ${arg}`);
    } else if (arg.startsWith('-') && arg.length > 1) {
      throw new UsageError(`unknown option ${arg}`);
    } else {
      positionals.push(arg);
      continue;
    }
    const spec = specs[name];
    let value: string | boolean;
    if (spec.type === 'boolean') {
      if (inline !== undefined) throw new UsageError(`--${name} takes no value`);
      value = true;
    } else if (inline !== undefined) {
      value = inline;
    } else {
      const next = argv[i + 1];
      // `--profile --region x` is a forgotten value, not a profile named "--region".
      if (next === undefined || (next.startsWith('-') && next.length > 1)) throw new UsageError(`--${name} needs a value`);
      value = next;
      i++;
    }
    if (spec.multiple) {
      const list = (values[name] as string[] | undefined) ?? [];
      list.push(value as string);
      values[name] = list;
    } else {
      if (name in values && spec.type === 'string') throw new UsageError(`--${name} given more than once`);
      values[name] = value;
    }
  }
  if (positionals.length && !options.positionals) throw new UsageError(`unexpected argument "${positionals[0]}"`);
  return { values: values as ParsedValues<S>, positionals };
}

/** A `--format` value among `allowed` (the first is the default). */
export function formatOption<T extends string>(value: string | undefined, allowed: readonly T[]): T {
  if (value === undefined) return allowed[0];
  if (!(allowed as readonly string[]).includes(value)) throw new UsageError(`--format must be ${allowed.join(' or ')}, not "${value}"`);
  return value as T;
}

/** The bounds of `--timeout SECONDS` (login, whoami, mappings): the default, and the most a user may ask. */
export const DEFAULT_TIMEOUT_SECONDS = 30;
export const MAX_TIMEOUT_SECONDS = 3600;

/** A `--timeout SECONDS` value: a positive decimal number up to an hour; the default when absent. */
export function timeoutOption(value: string | undefined, defaultSeconds = DEFAULT_TIMEOUT_SECONDS): number {
  if (value === undefined) return defaultSeconds;
  const seconds = Number(value);
  if (!/^\d+(\.\d+)?$/.test(value.trim()) || !(seconds > 0) || seconds > MAX_TIMEOUT_SECONDS) {
    throw new UsageError(`--timeout takes a number of seconds between 0 and ${MAX_TIMEOUT_SECONDS}, not "${value}"`);
  }
  return seconds;
}

/**
 * Whether the command line asks for `--format json`, read before (or without)
 * the strict parse: a usage error must still answer a script in JSON.
 */
export function jsonRequested(argv: readonly string[]): boolean {
  return argv.includes('--format=json') || argv.some((a, i) => a === '--format' && argv[i + 1] === 'json');
}
