// The emulated AWS STS: GetCallerIdentity, verified for real (sigv4.ts), and
// answered in the XML AWS uses, success and errors alike, so that both the
// AWS SDK and the emulated Datadog's replay read it as they would read AWS.

import { randomUUID } from 'node:crypto';
import type { HttpExchange } from './http';
import type { TestIdentity } from './identities';
import { verifySigV4 } from './sigv4';

const XMLNS = 'https://sts.amazonaws.com/doc/2011-06-15/';

export interface StsContext {
  lookup: (accessKeyId: string) => TestIdentity | undefined;
  now: () => Date;
}

function xmlEscape(s: string): string {
  return s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;').replace(/'/g, '&apos;');
}

export function callerIdentityXml(identity: TestIdentity, requestId: string): string {
  return (
    `<GetCallerIdentityResponse xmlns="${XMLNS}">\n` +
    `  <GetCallerIdentityResult>\n` +
    `    <Arn>${xmlEscape(identity.arn)}</Arn>\n` +
    `    <UserId>${xmlEscape(identity.userId)}</UserId>\n` +
    `    <Account>${xmlEscape(identity.account)}</Account>\n` +
    `  </GetCallerIdentityResult>\n` +
    `  <ResponseMetadata>\n` +
    `    <RequestId>${requestId}</RequestId>\n` +
    `  </ResponseMetadata>\n` +
    `</GetCallerIdentityResponse>\n`
  );
}

export function errorXml(code: string, message: string, requestId: string, type: 'Sender' | 'Receiver' = 'Sender'): string {
  return (
    `<ErrorResponse xmlns="${XMLNS}">\n` +
    `  <Error>\n` +
    `    <Type>${type}</Type>\n` +
    `    <Code>${xmlEscape(code)}</Code>\n` +
    `    <Message>${xmlEscape(message)}</Message>\n` +
    `  </Error>\n` +
    `  <RequestId>${requestId}</RequestId>\n` +
    `</ErrorResponse>\n`
  );
}

/** Answers one request to the STS server. */
export async function handleSts(ex: HttpExchange, ctx: StsContext): Promise<void> {
  const requestId = randomUUID();
  const xml = (status: number, body: string) => ex.send(status, body, { 'content-type': 'text/xml', 'x-amzn-requestid': requestId });
  const body = await ex.readBody();
  const verdict = await verifySigV4({ method: ex.method, target: ex.target, headers: ex.req.headers, body }, ctx);
  if (!verdict.ok) {
    xml(verdict.status, errorXml(verdict.code, verdict.message, requestId));
    return;
  }
  // The action may come in the form body (POST, as the SDK and proofs send it) or the query (GET).
  const q = ex.target.indexOf('?');
  const params = new URLSearchParams(q < 0 ? '' : ex.target.slice(q + 1));
  for (const [k, v] of new URLSearchParams(body.toString('utf8'))) params.set(k, v);
  const action = params.get('Action') ?? '';
  if (action !== 'GetCallerIdentity') {
    xml(400, errorXml('InvalidAction', `Could not find operation ${action} for version ${params.get('Version') ?? 'NO_VERSION_SPECIFIED'}`, requestId));
    return;
  }
  xml(200, callerIdentityXml(verdict.identity, requestId));
}
