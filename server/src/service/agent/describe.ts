// How values and keys are named in messages: their YAML type, and their text
// shortened (a key or value may be a megabyte long) with secrets masked.

import { redact } from '../../shared/redact';
import { secretKind } from '../common/identifiers';
import { lastFour } from '../common/strings';
import type { YValue } from './yamlTree';

/** How a YAML value is named in messages: "a list", "a number", … */
export function describeYamlType(v: YValue): string {
  switch (v.kind) {
    case 'map':
      return 'a mapping';
    case 'seq':
      return 'a list';
    default:
      if (v.value === null) return 'empty';
      if (typeof v.value === 'number') return `a number (${shorten(v.source)})`;
      if (typeof v.value === 'boolean') return `a boolean (${shorten(v.source)})`;
      return 'a string';
  }
}

/**
 * A value as quoted in a message: shortened, and never a pasted API or
 * application key. Only the start of a long value is looked at, so a message
 * costs the same for a megabyte-long value as for a short one.
 */
export function shorten(text: string, max = 48): string {
  if (secretKind(text.trim())) return `${lastFour(text.trim())} (a key, hidden)`;
  // A key pasted inside a longer value (`DELA(<api key>, aws)`, `<key>,`) is
  // masked too. Enough past the cut is kept for a secret that straddles it to
  // be recognised whole (the longest pattern matched needs 100 characters).
  const head = text.length > max + 128 ? text.slice(0, max + 128) : text;
  const t = redact(head).replace(/\s+/g, ' ');
  return t.length > max ? `${t.slice(0, max - 1)}…` : t;
}
