// A login outcome in plain words, for a notification and for the CLI. Built
// only from the outcome's own fields (which never carry a secret), and
// redacted once more on the way out.
//
// Node only; never imports `vscode`.

import type { LoginOutcome } from './login';
import { mappingKindFor } from './login';
import { suggestedPattern } from '../service/arn/index';
import { redact } from '../shared/redact';

export type LoginAction = 'createMapping' | 'showCallerIdentity' | 'openLogs' | 'retry' | 'copyArn';

export interface LoginDescription {
  severity: 'info' | 'warning' | 'error';
  title: string;
  /** What happened (and what Datadog said); never what to do, which is `nextStep`'s alone. */
  detail: string;
  /** What to do: said once, here (every surface prints it beside the detail). */
  nextStep?: string;
  actions: LoginAction[];
  /** The ARN pattern a mapping needs to match the caller (on a 403). */
  pattern?: string;
}

const FLOW_LABEL = { terraform: 'Terraform (delegated token)', agent: 'Agent (managed API key)' } as const;

/** "2026-08-05 12:49:56 UTC". */
export function formatTime(iso: string): string {
  const d = new Date(iso);
  if (Number.isNaN(d.getTime())) return iso;
  return `${d.toISOString().slice(0, 19).replace('T', ' ')} UTC`;
}

/** Who a token is for, from its unverified claims: an email, else a subject. */
export function tokenSubject(claims: Record<string, unknown> | undefined): string | undefined {
  if (!claims) return undefined;
  for (const k of ['email', 'user_email', 'preferred_username', 'sub', 'user_handle', 'handle']) {
    const v = claims[k];
    if (typeof v === 'string' && v.trim()) return v.trim().slice(0, 200);
  }
  return undefined;
}

/** Capitalised, with a final full stop. */
function sentence(s: string): string {
  const t = s.trim();
  if (!t) return t;
  const cap = t[0].toUpperCase() + t.slice(1);
  return /[.?!]$/.test(cap) ? cap : `${cap}.`;
}

/** Our words first, then what the server said (its errors[].detail, already redacted). */
function withDetails(lead: string, details: readonly string[]): string {
  const server = details.map((d) => d.trim()).filter(Boolean).slice(0, 5);
  return server.length ? `${sentence(lead)} Datadog said: "${server.join('"; "')}".` : sentence(lead);
}

export function describeLoginOutcome(o: LoginOutcome): LoginDescription {
  const d = describe(o);
  return {
    ...d,
    title: redact(d.title),
    detail: redact(d.detail),
    ...(d.nextStep !== undefined ? { nextStep: redact(d.nextStep) } : {}),
  };
}

function describe(o: LoginOutcome): LoginDescription {
  const flowLabel = FLOW_LABEL[o.flow] ?? o.flow;
  const caller = o.callerArn ? ` Caller: ${o.callerArn}.` : '';
  if (o.ok) {
    const actions: LoginAction[] = o.callerArn ? ['copyArn'] : [];
    if (o.flow === 'terraform') {
      const who = tokenSubject(o.claims);
      const expires = o.expiresAt ? ` that expires at ${formatTime(o.expiresAt)}` : '';
      const detail = who
        ? `Login succeeded: Datadog issued a token for ${who}${expires} (claims decoded from the JWT, unverified).${caller}`
        : `Login succeeded: Datadog issued a token${expires}.${caller}`;
      return { severity: 'info', title: `Login succeeded: ${flowLabel}`, detail, actions };
    }
    const last4 = o.apiKeyLast4 ? ` ending in …${o.apiKeyLast4}` : '';
    const org = o.orgId !== undefined ? ` (org ${o.orgId})` : '';
    return {
      severity: 'info',
      title: `Login succeeded: ${flowLabel}`,
      detail: `Login succeeded: Datadog issued the org's managed API key${last4}${org}.${caller}`,
      actions,
    };
  }

  const status = o.status !== undefined ? ` (${o.status})` : '';
  const title = `Login failed: ${flowLabel}`;
  const base = { title, nextStep: o.nextStep };
  switch (o.kind) {
    case 'unauthorized':
      return {
        ...base,
        severity: 'error',
        detail: withDetails(`Datadog rejected the proof${status}`, o.details) + caller,
        actions: ['showCallerIdentity', 'retry', 'openLogs'],
      };
    case 'forbidden': {
      const pattern = o.callerArn ? suggestedPattern(o.callerArn) : undefined;
      const kind = mappingKindFor(o.flow);
      const lead = o.callerArn ? `no ${kind} matches ${o.callerArn}` : `no ${kind} matches the verified identity`;
      // Which mapping to create (with the pattern) is the next step's to say.
      return {
        ...base,
        severity: 'error',
        detail: withDetails(lead, o.details),
        actions: o.callerArn ? ['createMapping', 'copyArn', 'showCallerIdentity'] : ['createMapping', 'showCallerIdentity'],
        ...(pattern ? { pattern } : {}),
      };
    }
    case 'rate-limited':
      // When to try again is the next step's to say.
      return { ...base, severity: 'warning', detail: withDetails(`Datadog is rate limiting these requests${status}`, o.details), actions: ['retry'] };
    case 'server':
      return { ...base, severity: 'error', detail: withDetails(`Datadog had a problem${status}`, o.details), actions: ['retry', 'openLogs'] };
    case 'redirect':
      return { ...base, severity: 'error', detail: sentence(o.reason), actions: ['openLogs'] };
    case 'malformed':
      return { ...base, severity: 'error', detail: sentence(o.reason), actions: ['openLogs'] };
    case 'network':
    case 'timeout':
      return { ...base, severity: 'error', detail: sentence(o.reason), actions: ['retry', 'openLogs'] };
    case 'cancelled':
      return { ...base, severity: 'info', title: `Login test cancelled: ${flowLabel}`, detail: sentence(o.reason), actions: ['retry'] };
    case 'credentials':
      return { ...base, severity: 'error', detail: sentence(o.reason), actions: ['retry'] };
    case 'host-refused':
    case 'usage':
      return { ...base, severity: 'error', detail: sentence(o.reason), actions: [] };
    default:
      return { ...base, severity: 'error', detail: withDetails(o.reason, o.details) + caller, actions: ['retry', 'openLogs'] };
  }
}
