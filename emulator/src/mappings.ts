// The mapping management API of PROTOCOL.md §3: identity (persona) and intake
// mappings under both path families, with the validation and the two error
// shapes the real API answers with. The records are live arrays the emulator
// and its tests share: a test may push or splice them directly.

import { createHash, randomUUID } from 'node:crypto';
import { lintArnPattern, overlaps, parseArn } from '../../server/src/service/arn/index';
import { type ApiKeyGrant, PERMISSION_NAMES, type Permission, permissionsOf } from './access';
import { type ApiErrorObject, type HttpExchange, errorObject, sendErrorObjects, sendErrorStrings } from './http';
import type { TokenIssuer } from './tokens';

export type MappingKind = 'identity' | 'intake';
export type PathFamily = 'cloud_auth' | 'wif';

/** The type strings each family's spec uses; either is accepted on create. */
export const TYPE_STRINGS: Readonly<Record<PathFamily, Readonly<Record<MappingKind, string>>>> = {
  cloud_auth: { identity: 'aws_cloud_auth_config', intake: 'aws_cloud_auth_intake_mapping' },
  wif: { identity: 'aws_wif_config', intake: 'aws_wif_intake_mapping' },
};

export interface MappingAttributes {
  arn_pattern: string;
  /** Identity mappings: who the caller acts as (an email or a service-account UUID). */
  account_identifier?: string;
  /** Identity mappings: read-only, the Datadog account's UUID. */
  account_uuid?: string;
  /** Intake mappings. */
  par_enrollment_enabled?: boolean;
}

export interface MappingRecord {
  id: string;
  type: string;
  attributes: MappingAttributes;
}

const EMAIL = /^[^\s@]+@[^\s@]+\.[^\s@]+$/;
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
export const NOT_INTEGRATED = 'AWS Account Id is not integrated with this Datadog account';

/** A stable UUID for a Datadog account named by email: the same identifier always gets the same account. */
function accountUuidFor(identifier: string): string {
  if (UUID.test(identifier)) return identifier.toLowerCase();
  const h = createHash('sha256').update(`datadog-account:${identifier.toLowerCase()}`).digest('hex');
  return `${h.slice(0, 8)}-${h.slice(8, 12)}-5${h.slice(13, 16)}-a${h.slice(17, 20)}-${h.slice(20, 32)}`;
}

export function identityRecord(arnPattern: string, accountIdentifier: string, family: PathFamily): MappingRecord {
  return {
    id: randomUUID(),
    type: TYPE_STRINGS[family].identity,
    attributes: { arn_pattern: arnPattern, account_identifier: accountIdentifier, account_uuid: accountUuidFor(accountIdentifier) },
  };
}

export function intakeRecord(arnPattern: string, family: PathFamily, parEnrollmentEnabled = false): MappingRecord {
  return { id: randomUUID(), type: TYPE_STRINGS[family].intake, attributes: { arn_pattern: arnPattern, par_enrollment_enabled: parEnrollmentEnabled } };
}

export interface MappingRoute {
  family: PathFamily;
  kind: MappingKind;
  /** Undefined for the collection. */
  id?: string;
}

/** `/api/v2/{cloud_auth|wif}/aws/{persona_mapping|intake_mapping}[/{id}]`, or undefined. */
export function routeMapping(path: string): MappingRoute | undefined {
  const m = /^\/api\/v2\/(cloud_auth|wif)\/aws\/(persona_mapping|intake_mapping)(?:\/([^/]+))?$/.exec(path);
  if (!m) return undefined;
  let id: string | undefined;
  try {
    id = m[3] === undefined ? undefined : decodeURIComponent(m[3]);
  } catch {
    id = m[3];
  }
  return { family: m[1] as PathFamily, kind: m[2] === 'persona_mapping' ? 'identity' : 'intake', id };
}

export interface MappingContext {
  identityMappings: MappingRecord[];
  intakeMappings: MappingRecord[];
  integratedAccounts: readonly string[];
  /** The family whose type strings new records get. */
  typeStrings: PathFamily;
  /** Which families answer; the other gives 404. */
  mappingPaths: PathFamily | 'both';
  apiKeys: readonly ApiKeyGrant[];
  tokens: TokenIssuer;
}

const NOUN: Record<MappingKind, string> = { identity: 'identity mapping', intake: 'intake mapping' };

export async function handleMappings(ex: HttpExchange, route: MappingRoute, ctx: MappingContext): Promise<void> {
  if (ctx.mappingPaths !== 'both' && ctx.mappingPaths !== route.family) {
    sendErrorStrings(ex, 404, 'Not found');
    return;
  }
  const allowed = route.id === undefined ? ['GET', 'POST'] : ['GET', 'DELETE'];
  if (!allowed.includes(ex.method)) {
    sendErrorObjects(ex, 405, `${ex.method} is not allowed here: ${allowed.join(' or ')}`);
    return;
  }
  const permissions = permissionsOf(ex, ctx.apiKeys, ctx.tokens);
  if (!permissions) {
    sendErrorStrings(ex, 403, 'Forbidden');
    return;
  }
  const need: Permission = ex.method === 'GET' ? 'read' : 'write';
  if (!permissions.has(need)) {
    sendErrorObjects(ex, 403, `Forbidden: this key is missing the permission ${PERMISSION_NAMES[need]}`);
    return;
  }

  const records = route.kind === 'identity' ? ctx.identityMappings : ctx.intakeMappings;
  if (route.id === undefined) {
    if (ex.method === 'GET') ex.json(200, { data: records });
    else await create(ex, route.kind, records, ctx);
    return;
  }
  const index = records.findIndex((r) => r.id === route.id);
  if (index < 0) {
    sendErrorObjects(ex, 404, `${NOUN[route.kind]} ${route.id} not found`);
    return;
  }
  if (ex.method === 'GET') {
    ex.json(200, { data: records[index] });
  } else {
    records.splice(index, 1);
    ex.send(204);
  }
}

function isObject(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

async function create(ex: HttpExchange, kind: MappingKind, records: MappingRecord[], ctx: MappingContext): Promise<void> {
  const bad = (detail: string, pointer?: string) => sendErrorObjects(ex, 400, detail, pointer);
  let body: unknown;
  try {
    body = JSON.parse((await ex.readBody()).toString('utf8'));
  } catch {
    bad('the request body is not valid JSON');
    return;
  }
  const data = isObject(body) ? body.data : undefined;
  if (!isObject(data)) return bad('a JSON:API document with a "data" object is required', '/data');
  const types = [TYPE_STRINGS.cloud_auth[kind], TYPE_STRINGS.wif[kind]];
  if (typeof data.type !== 'string' || !types.includes(data.type)) return bad(`"type" must be ${types.join(' or ')}`, '/data/type');
  const attributes = data.attributes;
  if (!isObject(attributes)) return bad('"attributes" is required', '/data/attributes');
  const pattern = attributes.arn_pattern;
  if (typeof pattern !== 'string' || pattern === '') return bad('arn_pattern is required', '/data/attributes/arn_pattern');
  const errors: ApiErrorObject[] = lintArnPattern(pattern)
    .filter((f) => f.severity === 'error')
    .map((f) => errorObject(400, `Invalid arn_pattern: ${f.message} (${f.code})`, '/data/attributes/arn_pattern'));
  if (errors.length > 0) {
    ex.json(400, { errors });
    return;
  }

  let record: MappingRecord;
  if (kind === 'identity') {
    const identifier = attributes.account_identifier;
    if (typeof identifier !== 'string' || identifier === '') return bad('account_identifier is required', '/data/attributes/account_identifier');
    if (!EMAIL.test(identifier) && !UUID.test(identifier)) {
      return bad('account_identifier must be a user email or a service account UUID', '/data/attributes/account_identifier');
    }
    record = identityRecord(pattern, identifier, ctx.typeStrings);
  } else {
    const par = attributes.par_enrollment_enabled;
    if (par !== undefined && typeof par !== 'boolean') return bad('par_enrollment_enabled must be a boolean', '/data/attributes/par_enrollment_enabled');
    record = intakeRecord(pattern, ctx.typeStrings, par ?? false);
  }

  const account = parseArn(pattern).account?.text;
  if (account === undefined || !ctx.integratedAccounts.includes(account)) {
    sendErrorStrings(ex, 400, NOT_INTEGRATED);
    return;
  }
  const other = records.find((r) => overlaps(r.attributes.arn_pattern, pattern));
  if (other) {
    sendErrorObjects(ex, 409, `arn_pattern ${pattern} conflicts with the existing ${NOUN[kind]} ${other.attributes.arn_pattern} (id ${other.id})`);
    return;
  }
  records.push(record);
  ex.json(201, { data: record });
}
