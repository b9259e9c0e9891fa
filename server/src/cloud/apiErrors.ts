// Datadog API error bodies (PROTOCOL.md §3): `{"errors":["text", …]}` and
// `{"errors":[{"status","title","detail","source":{"pointer"}}]}`, even mixed
// in one array. A body that is not JSON (an HTML page from a proxy, a load
// balancer's text) yields nothing: the raw body is never echoed.

import { redactKnown } from '../shared/redact';

export interface ApiError {
  status?: string;
  title?: string;
  detail?: string;
  pointer?: string;
}

const MAX_ERRORS = 10;
const MAX_TEXT = 500;
/** How much of one text is redacted before the cap (bounds the work on a huge body). */
const REDACT_WINDOW = 4 * MAX_TEXT;

/**
 * One line of server text, safe to show: control characters removed, secrets
 * redacted, length capped. Redacted BEFORE the cap, on whole secrets: a cut
 * through an echoed key or token would leave a fragment no rule (and no exact
 * match) recognises. `known`: secrets of this request, scrubbed exactly.
 */
function clean(text: string, known: readonly (string | undefined)[]): string {
  let oneLine = text.replace(/[\u0000-\u001f\u007f-\u009f\u2028\u2029]+/g, ' ').replace(/\s+/g, ' ').trim();
  const long = oneLine.length > REDACT_WINDOW;
  if (long) {
    // Cut at a space: no secret has one, so none is cut here either.
    const head = oneLine.slice(0, REDACT_WINDOW);
    const space = head.lastIndexOf(' ');
    oneLine = space > 0 ? head.slice(0, space) : head;
  }
  const safe = redactKnown(oneLine, known);
  return safe.length > MAX_TEXT ? `${safe.slice(0, MAX_TEXT)}…` : long ? `${safe}…` : safe;
}

function str(v: unknown, known: readonly (string | undefined)[]): string | undefined {
  if (typeof v === 'string' && v.trim()) return clean(v, known);
  if (typeof v === 'number' && Number.isFinite(v)) return String(v);
  return undefined;
}

/**
 * The `errors` array of a JSON:API error body, both shapes; undefined when the
 * body is not such JSON. `known`: the secrets sent with the request (keys,
 * token, proof), scrubbed exactly besides the shape rules.
 */
export function parseApiErrors(bodyText: string | undefined, known: readonly (string | undefined)[] = []): ApiError[] | undefined {
  if (typeof bodyText !== 'string' || !bodyText.trim()) return undefined;
  let body: unknown;
  try {
    body = JSON.parse(bodyText);
  } catch {
    return undefined;
  }
  if (typeof body !== 'object' || body === null || Array.isArray(body)) return undefined;
  const errors = (body as { errors?: unknown }).errors;
  if (!Array.isArray(errors)) return undefined;
  const out: ApiError[] = [];
  for (const e of errors.slice(0, MAX_ERRORS)) {
    if (typeof e === 'string') {
      const detail = str(e, known);
      if (detail) out.push({ detail });
    } else if (typeof e === 'object' && e !== null && !Array.isArray(e)) {
      const o = e as Record<string, unknown>;
      const source = typeof o.source === 'object' && o.source !== null ? (o.source as Record<string, unknown>) : undefined;
      const item: ApiError = {};
      const status = str(o.status, known);
      const title = str(o.title, known);
      const detail = str(o.detail, known);
      const pointer = str(source?.pointer, known) ?? str(source?.parameter, known);
      if (status) item.status = status;
      if (title) item.title = title;
      if (detail) item.detail = detail;
      if (pointer) item.pointer = pointer;
      if (title || detail) out.push(item);
    }
  }
  return out;
}

/** The server's explanations, one string an error (`detail`, else `title`, with the JSON pointer), redacted. */
export function errorDetails(bodyText: string | undefined, known: readonly (string | undefined)[] = []): string[] {
  const errors = parseApiErrors(bodyText, known) ?? [];
  return errors.map((e) => {
    const text = e.detail ?? e.title ?? '';
    const withTitle = e.detail && e.title && !e.detail.toLowerCase().startsWith(e.title.toLowerCase()) ? `${e.title}: ${e.detail}` : text;
    return e.pointer ? `${withTitle} (at ${e.pointer})` : withTitle;
  });
}
