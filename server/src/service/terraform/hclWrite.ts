// Writing HCL we generate (a quick fix's resource, `dd-wif mappings export`):
// the text of a quoted string and a resource name. Every value written comes
// from a file or a server, so a quoted string can end nothing, start no
// template and hold no control character: it is exactly the value, and only
// the value, whatever it holds.

const QUOTED_ESCAPES: Readonly<Record<string, string>> = { '\\': '\\\\', '"': '\\"', '\n': '\\n', '\r': '\\r', '\t': '\\t' };

/**
 * Characters written as `\uNNNN`: C0 and C1 controls, DEL, the line and
 * paragraph separators and the bidirectional controls (which can make the
 * file read differently from what Terraform parses), and a lone surrogate
 * (not text: it is written as U+FFFD, the only way UTF-8 can hold it).
 */
const ESCAPED = /[\u0000-\u001f\u007f-\u009f\u2028\u2029\u200e\u200f\u202a-\u202e\u2066-\u2069]|[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/g;

/**
 * The text between the quotes of an HCL quoted string whose value is `value`:
 * `\` and `"` escaped, `${` and `%{` written `$${` and `%%{` (no template),
 * control characters as escapes. Linear.
 */
export function hclQuoted(value: string): string {
  return value
    .replace(/[\\"\n\r\t]/g, (c) => QUOTED_ESCAPES[c])
    .replace(ESCAPED, (c) => (c.length === 1 && c >= '\ud800' && c <= '\udfff' ? '\\uFFFD' : `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`))
    .replace(/([$%])\{/g, '$1$1{');
}

/** Longest resource name made from a role (a role name has at most 64 characters; a pattern from a server may hold anything). */
const MAX_NAME = 64;

/** A resource name from a role name (`DatadogAgent-Prod` → `datadog_agent_prod`), not one of `taken`: a valid HCL identifier. */
export function resourceName(role: string, taken: ReadonlySet<string>): string {
  let base = role
    .slice(0, 4 * MAX_NAME)
    .replace(/([a-z0-9])([A-Z])/g, '$1_$2')
    .toLowerCase()
    .replace(/[^a-z0-9_]+/g, '_')
    .replace(/^_+|_+$/g, '')
    .slice(0, MAX_NAME)
    .replace(/_+$/, '');
  if (!/^[a-z_]/.test(base)) base = `role_${base}`.replace(/_+$/, '');
  if (!taken.has(base)) return base;
  for (let i = 2; ; i++) if (!taken.has(`${base}_${i}`)) return `${base}_${i}`;
}
