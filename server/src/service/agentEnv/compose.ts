// docker-compose files: one workload per service that sets environment
// variables (Compose Specification, "Services top-level elements"):
//   - `environment` as a map (`DD_SITE: datadoghq.com`; a key with no value,
//     `DD_API_KEY:`, takes the variable from the shell running Compose) or as
//     a list (`- DD_SITE=datadoghq.com`; a bare `- DD_API_KEY` passes the
//     variable through from the shell);
//   - values with `$VAR` / `${VAR}` / `${VAR:-default}` … are interpolated by
//     Compose from the shell or the project's `.env` (Compose Specification,
//     "Interpolation"): unknown, never judged; `$$` is a literal `$`;
//   - `env_file` (a path, a list of paths or of `{path, required, format}`)
//     and `extends` bring variables the file does not show;
//   - `image`.
// Numbers and booleans of the map form reach the container as the text
// written (`DD_…_MINS: 60` is "60").

import { lastEntry, scalarString, type YEntry, type YMap, type YScalar, type YValue } from '../agent/yamlTree';
import type { Span } from '../agent/yamlTree';
import { shorten } from '../agent/describe';
import { emptyAgentEnvFile, type AgentEnvFile, type AgentWorkload, type EnvSetting, type ImageRef, type SettingValue } from './settings';

const FROM_SHELL = 'from the shell that runs Compose';

/** The reader registered for the 'compose' hint: one document, converted (readers.ts). */
export function readCompose(root: YValue, text: string): AgentEnvFile {
  const file = emptyAgentEnvFile();
  if (root.kind !== 'map') return file;
  const services = lastEntry(root, 'services')?.value;
  if (services?.kind !== 'map') return file;
  for (const service of services.entries) {
    if (service.value.kind !== 'map') continue;
    const w = readService(service, service.value, text);
    if (w) file.workloads.push(w);
  }
  return file;
}

function readService(service: YEntry, def: YMap, text: string): AgentWorkload | undefined {
  const environment = lastEntry(def, 'environment');
  const envFile = lastEntry(def, 'env_file');
  if (!environment && !envFile) return undefined;
  const w: AgentWorkload = { form: 'compose', label: `service \`${shorten(service.key)}\``, anchor: service.keySpan, settings: [], opaqueSources: [], images: [] };
  if (envFile) readEnvFiles(envFile.value, w);
  const extended = lastEntry(def, 'extends');
  if (extended) {
    // `extends: base` or `extends: {service: base, file: …}`: the finding goes on the service's name.
    const v = extended.value;
    const service = v.kind === 'map' ? lastEntry(v, 'service')?.value : v;
    const from = service?.kind === 'scalar' && service.value !== null ? scalarString(service) : undefined;
    const span = from !== undefined ? { start: service!.start, end: service!.end } : extended.keySpan;
    w.opaqueSources.push({ span, what: from !== undefined ? `the service \`${shorten(from)}\` it extends` : 'the service it extends' });
  }
  if (environment) readEnvironment(environment.value, text, w, environment.merged);
  const image = lastEntry(def, 'image')?.value;
  if (image?.kind === 'scalar' && image.value !== null) {
    const written = scalarString(image);
    const ref: ImageRef = { repository: written, span: { start: image.start, end: image.end } };
    if (interpolation(written) !== undefined) ref.unknown = true;
    w.images.push(ref);
  }
  return w;
}

function readEnvFiles(v: YValue, w: AgentWorkload): void {
  const items = v.kind === 'seq' ? v.items : [v];
  for (const item of items) {
    // `env_file: .env`, `- ./a.env`, `- path: ./a.env`: the finding goes on the path.
    const path = item.kind === 'map' ? lastEntry(item, 'path')?.value : item;
    if (path?.kind !== 'scalar' || path.value === null) continue;
    w.opaqueSources.push({ span: { start: path.start, end: path.end }, what: `env_file \`${shorten(scalarString(path))}\`` });
  }
}

function readEnvironment(env: YValue, text: string, w: AgentWorkload, merged: boolean): void {
  if (env.kind === 'map') {
    for (const e of env.entries) w.settings.push(mapSetting(e, merged || e.merged));
  } else if (env.kind === 'seq') {
    for (const item of env.items) {
      if (item.kind !== 'scalar' || item.value === null) continue;
      const s = listSetting(item, text);
      if (s) w.settings.push(s);
    }
  }
}

/** `NAME: value`, `NAME:` (from the shell). */
function mapSetting(e: YEntry, merged: boolean): EnvSetting {
  const v = e.value;
  const nameSpan = keyCharacters(e);
  // The Agent reads upper-case names: `name` is what it would read, `label` what is written (the rules flag a mis-cased one).
  const base = { name: e.key.toUpperCase(), label: e.key, nameSpan };
  if (v.kind !== 'scalar' || v.value === null) {
    // No value (or, not valid for Compose, a map or a list): nothing the file states.
    const span = v.kind === 'scalar' && v.end === v.start ? e.keySpan : { start: v.start, end: v.end };
    return { ...base, value: { kind: 'unknown', span, source: FROM_SHELL } };
  }
  const written = scalarString(v);
  return { ...base, value: composeValue(written, { start: v.start, end: v.end }, !merged && !v.viaAlias && v.style !== 'block') };
}

/** A value as Compose hands it over: interpolated (unknown) or literal with `$$` read as `$`. */
function composeValue(written: string, span: Span, replaceable: boolean, inner?: Span): SettingValue {
  const variable = interpolation(written);
  if (variable !== undefined) return { kind: 'unknown', span: inner ?? span, source: `\`${shorten(variable)}\` interpolated by Compose (shell or .env)` };
  const literal: SettingValue = { kind: 'literal', text: written.replace(/\$\$/g, '$'), span, syntax: 'yaml', replaceable };
  if (inner) literal.inner = inner;
  return literal;
}

/** `- NAME=value`, `- NAME` (from the shell). */
function listSetting(item: YScalar, text: string): EnvSetting | undefined {
  const written = scalarString(item);
  const span = { start: item.start, end: item.end };
  const eq = written.indexOf('=');
  const name = eq === -1 ? written : written.slice(0, eq);
  if (name === '') return undefined;
  // Offsets inside the item are known only when its characters are its text (no escapes, no folded lines).
  const q = item.style === 'double' || item.style === 'single' ? 1 : 0;
  const verbatim = !item.viaAlias && item.style !== 'block' && text.slice(item.start + q, item.end - q) === written;
  const at = item.start + q;
  const nameSpan = verbatim ? { start: at, end: at + name.length } : span;
  if (eq === -1) return { name: name.toUpperCase(), label: name, nameSpan, value: { kind: 'unknown', span, source: FROM_SHELL } };
  const inner = verbatim ? { start: at + eq + 1, end: item.end - q } : undefined;
  // Part of a larger string: findings land on the value's part when it can be told, and a quick fix may
  // replace that part (`inner`), never the item; when the part cannot be told, nothing is replaced.
  return { name: name.toUpperCase(), label: name, nameSpan, value: composeValue(written.slice(eq + 1), inner ?? span, !!inner, inner) };
}

/**
 * The first interpolation Compose would make in `s` (`$NAME`, `${…}`), as
 * written; undefined when there is none. `$$` is an escaped `$`; a `$` before
 * anything else is kept as is (Compose Specification, "Interpolation").
 */
export function interpolation(s: string): string | undefined {
  for (let i = s.indexOf('$'); i !== -1 && i < s.length - 1; i = s.indexOf('$', i + 1)) {
    const next = s[i + 1];
    if (next === '$') {
      i++;
      continue;
    }
    if (next === '{') {
      const close = s.indexOf('}', i + 2);
      return s.slice(i, close === -1 ? s.length : close + 1);
    }
    const m = /^[_a-zA-Z][_a-zA-Z0-9]*/.exec(s.slice(i + 1, i + 257));
    if (m) return `$${m[0]}`;
  }
  return undefined;
}

/** A key's characters without quotes when they spell it exactly, else the whole key. */
function keyCharacters(e: YEntry): Span {
  const { start, end } = e.keySpan;
  if (end - start === e.key.length) return e.keySpan;
  if (end - start === e.key.length + 2) return { start: start + 1, end: end - 1 };
  return e.keySpan;
}
