// A local emulator of AWS STS and of the Datadog endpoints the product talks
// to: the proof exchanges and the mapping API. A test and demo tool, never
// shipped in the .vsix. Two HTTP servers on loopback: STS verifies SigV4 for
// real; the API replays proofs to that STS as Datadog replays them to AWS.
// It logs nothing, and records requests without headers or bodies.
//
// In process: `const emu = await startEmulator({...}); … await emu.close()`.
// Out of process: `node dist/emulator.js` (main.ts), then on the API server
//   POST   /__emulator/faults  {"path": "/api/v2/intake-key", "fault": {"kind": "status", "status": 429,
//                               "headers": {"Retry-After": "1"}}, "times": 2}   (times: null = unlimited)
//   DELETE /__emulator/faults
//   GET    /__emulator/state   {orgUuid, apiUrl, stsUrl, identityMappings, intakeMappings, requests, faults}
//   POST   /__emulator/reset   initial mappings, no faults, empty request log

import { randomBytes, randomUUID } from 'node:crypto';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo, Socket } from 'node:net';
import { type ApiKeyGrant, type Permission } from './access';
import { handleApi, type ApiContext } from './api';
import { CONTROL_PREFIX, handleControl } from './control';
import type { ExpiresFormat } from './proofExchange';
import { applyFault, type Fault, FaultTable } from './faults';
import { BodyTooLarge, HttpExchange, type RecordedRequest, sendErrorStrings, type ServerName } from './http';
import { DEFAULT_ACCOUNT_IDENTIFIER, DEFAULT_PATTERN, EMULATOR_API_KEYS, EMULATOR_ORG_ID, EMULATOR_ORG_UUID, INTEGRATED_ACCOUNT, TEST_IDENTITIES, type TestIdentity } from './identities';
import { identityRecord, intakeRecord, type MappingRecord, type PathFamily } from './mappings';
import { handleSts } from './sts';
import { DEFAULT_ORG_NAME } from './currentUser';
import { TokenIssuer } from './tokens';

export { TEST_IDENTITIES, EMULATOR_ORG_UUID, EMULATOR_API_KEYS, type TestIdentity, type ApiKeyPair } from './identities';
export type { Fault, PendingFault } from './faults';
export type { RecordedRequest } from './http';
export type { MappingRecord, MappingAttributes } from './mappings';
export type { ExpiresFormat } from './proofExchange';
export { DEFAULT_ORG_NAME } from './currentUser';
export { decodeJwtClaims, type TokenClaims } from './tokens';
export { verifySigV4, type ReceivedRequest, type Verdict } from './sigv4';

export interface EmulatorOptions {
  /** Default 127.0.0.1. */
  host?: string;
  /** Default 0 (a free port). */
  apiPort?: number;
  stsPort?: number;
  /** Default EMULATOR_ORG_UUID. */
  orgUuid?: string;
  /** The org's name `/api/v2/current_user` gives; default DEFAULT_ORG_NAME ('acme-prod'). */
  orgName?: string;
  /** The AWS callers STS knows; default all of TEST_IDENTITIES. */
  identities?: TestIdentity[];
  /** Default: mappedRole's `…:assumed-role/terraform-runner/*` → terraform@example.com. Not validated. */
  identityMappings?: { arn_pattern: string; account_identifier: string }[];
  /** Default: the same pattern. Not validated. */
  intakeMappings?: { arn_pattern: string }[];
  /** Default ['123456789012']. */
  integratedAccounts?: string[];
  /** Which path family answers; the other gives 404. Default 'both'. */
  mappingPaths?: PathFamily | 'both';
  /** Type strings in responses. Default 'cloud_auth'. */
  typeStrings?: PathFamily;
  /** How delegated-token writes `expires`. Default 'unix-string'. */
  expiresFormat?: ExpiresFormat;
  /** Default 900. */
  tokenLifetimeSeconds?: number;
  /** The clock (tests pin it); default real time. */
  now?: () => Date;
  /** Default: EMULATOR_API_KEYS.readWrite with read+write, readOnly with read. */
  apiKeys?: { apiKey: string; appKey: string; permissions: Permission[] }[];
}

export interface Emulator {
  /** http://127.0.0.1:PORT, no trailing slash: the Datadog API. */
  apiUrl: string;
  /** http://127.0.0.1:PORT2: AWS STS (AWS_ENDPOINT_URL_STS for the SDK). */
  stsUrl: string;
  orgUuid: string;
  /** What `/api/v2/current_user` names the org. */
  orgName: string;
  /** Live state, mutable: the servers read these very arrays. */
  identityMappings: MappingRecord[];
  intakeMappings: MappingRecord[];
  requests: RecordedRequest[];
  /** The next `times` (default 1; Infinity allowed) API requests whose path starts with `pathPrefix` get `fault` (`sts:/` aims at STS). */
  fault(pathPrefix: string, fault: Fault, times?: number): void;
  clearFaults(): void;
  /** Back to the initial mappings (same ids), no faults, an empty request log. */
  reset(): void;
  /** Stops both servers and ends held ('timeout') sockets. */
  close(): Promise<void>;
}

function listen(server: Server, port: number, host: string): Promise<number> {
  return new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, host, () => {
      server.off('error', reject);
      resolve((server.address() as AddressInfo).port);
    });
  });
}

function urlFor(host: string, port: number): string {
  return `http://${host.includes(':') ? `[${host}]` : host}:${port}`;
}

/** Where this process reaches a server bound to `host` (a wildcard bind is reached on loopback). */
function connectHost(host: string): string {
  return host === '0.0.0.0' ? '127.0.0.1' : host === '::' ? '::1' : host;
}

export async function startEmulator(options: EmulatorOptions = {}): Promise<Emulator> {
  const host = options.host ?? '127.0.0.1';
  const now = options.now ?? (() => new Date());
  const orgUuid = options.orgUuid ?? EMULATOR_ORG_UUID;
  const typeStrings = options.typeStrings ?? 'cloud_auth';
  const identities = new Map((options.identities ?? Object.values(TEST_IDENTITIES)).map((i) => [i.accessKeyId, i]));
  const apiKeys: ApiKeyGrant[] = options.apiKeys ?? [
    { ...EMULATOR_API_KEYS.readWrite, permissions: ['read', 'write'] },
    { ...EMULATOR_API_KEYS.readOnly, permissions: ['read'] },
  ];
  const initialIdentity = (options.identityMappings ?? [{ arn_pattern: DEFAULT_PATTERN, account_identifier: DEFAULT_ACCOUNT_IDENTIFIER }]).map((m) =>
    identityRecord(m.arn_pattern, m.account_identifier, typeStrings),
  );
  const initialIntake = (options.intakeMappings ?? [{ arn_pattern: DEFAULT_PATTERN }]).map((m) => intakeRecord(m.arn_pattern, typeStrings));

  const identityMappings = structuredClone(initialIdentity);
  const intakeMappings = structuredClone(initialIntake);
  const requests: RecordedRequest[] = [];
  const faults = new FaultTable();
  const held = new Set<Socket>();
  const hold = (socket: Socket) => {
    held.add(socket);
    socket.once('close', () => held.delete(socket));
  };

  const stsServer = createServer();
  const apiServer = createServer();
  const stsPort = await listen(stsServer, options.stsPort ?? 0, host);
  let apiPort: number;
  try {
    apiPort = await listen(apiServer, options.apiPort ?? 0, host);
  } catch (err) {
    stsServer.close();
    throw err;
  }
  const apiUrl = urlFor(host, apiPort);
  const stsUrl = urlFor(host, stsPort);

  const ctx: ApiContext = {
    orgUuid,
    orgName: options.orgName ?? DEFAULT_ORG_NAME,
    sts: { host: connectHost(host), port: stsPort, timeoutMs: 10_000 },
    identityMappings,
    intakeMappings,
    tokens: new TokenIssuer(now, options.tokenLifetimeSeconds ?? 900),
    expiresFormat: options.expiresFormat ?? 'unix-string',
    intakeKey: { id: randomUUID(), apiKey: randomBytes(16).toString('hex'), orgId: EMULATOR_ORG_ID },
    integratedAccounts: options.integratedAccounts ?? [INTEGRATED_ACCOUNT],
    typeStrings,
    mappingPaths: options.mappingPaths ?? 'both',
    apiKeys,
  };

  const reset = () => {
    identityMappings.splice(0, identityMappings.length, ...structuredClone(initialIdentity));
    intakeMappings.splice(0, intakeMappings.length, ...structuredClone(initialIntake));
    requests.length = 0;
    faults.clear();
  };
  const control = {
    faults,
    reset,
    state: () => ({ orgUuid, apiUrl, stsUrl, identityMappings, intakeMappings, requests, faults: faults.list() }),
  };

  /** Every request: the fault table first, then its handler; an unexpected error is a 500, never a hang. */
  const serve = (server: ServerName, handler: (ex: HttpExchange) => Promise<void>) => (req: IncomingMessage, res: ServerResponse) => {
    const ex = new HttpExchange(server, req, res, requests);
    const isControl = server === 'api' && ex.path.startsWith(CONTROL_PREFIX);
    if (isControl) {
      // Control requests are not part of what a test observes: answered on a throwaway log.
      void run(new HttpExchange(server, req, res, []), (e) => handleControl(e, control));
      return;
    }
    const fault = faults.take(server, ex.path);
    if (fault) applyFault(ex, fault, hold);
    else void run(ex, handler);
  };
  const run = async (ex: HttpExchange, handler: (ex: HttpExchange) => Promise<void>) => {
    try {
      await handler(ex);
    } catch (err) {
      if (ex.isAnswered || ex.res.headersSent) return;
      if (err instanceof BodyTooLarge) sendErrorStrings(ex, 413, err.message);
      else sendErrorStrings(ex, 500, `emulator error: ${err instanceof Error ? err.message : String(err)}`);
    }
  };
  stsServer.on('request', serve('sts', (ex) => handleSts(ex, { lookup: (id) => identities.get(id), now })));
  apiServer.on('request', serve('api', (ex) => handleApi(ex, ctx)));

  let closing: Promise<void> | undefined;
  return {
    apiUrl,
    stsUrl,
    orgUuid,
    orgName: ctx.orgName,
    identityMappings,
    intakeMappings,
    requests,
    fault: (pathPrefix, fault, times = 1) => faults.add(pathPrefix, fault, times),
    clearFaults: () => faults.clear(),
    reset,
    close: () =>
      (closing ??= (async () => {
        for (const socket of held) socket.destroy();
        held.clear();
        const stop = (server: Server) =>
          new Promise<void>((resolve) => {
            server.close(() => resolve());
            server.closeAllConnections();
          });
        await Promise.all([stop(apiServer), stop(stsServer)]);
      })()),
  };
}
