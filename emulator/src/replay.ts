// What Datadog does with a proof: send the signed request, exactly as signed,
// to STS, and believe the ARN STS answers with. Here "STS" is the emulator's
// own STS server on loopback; the Host header stays the one the proof signed
// (sts.amazonaws.com), so the region rules of the credential scope still hold.

import { request } from 'node:http';
import type { DecodedProof } from '../../server/src/cloud/proof';

export type ReplayResult =
  | { ok: true; arn: string; account: string; userId: string }
  /** STS answered with an error: the proof is not valid. */
  | { ok: false; rejected: true; status: number; code: string; message: string }
  /** STS could not be reached or answered nonsense. */
  | { ok: false; rejected: false; message: string };

export interface StsTarget {
  host: string;
  port: number;
  timeoutMs: number;
}

/** Headers a replay rebuilds rather than copies from the proof. */
const REBUILT = new Set(['content-length', 'transfer-encoding', 'connection']);

export function replayProof(proof: DecodedProof, target: StsTarget): Promise<ReplayResult> {
  const body = Buffer.from(proof.body, 'utf8');
  const headers: Record<string, string | string[]> = {};
  for (const [name, values] of Object.entries(proof.headers)) {
    if (!REBUILT.has(name.toLowerCase())) headers[name] = values.length === 1 ? values[0] : values;
  }
  if (!Object.keys(headers).some((n) => n.toLowerCase() === 'host')) headers['Host'] = new URL(proof.url).host;
  headers['Content-Length'] = String(body.length);
  const path = new URL(proof.url).pathname || '/';

  return new Promise((resolve) => {
    let req;
    try {
      req = request({ host: target.host, port: target.port, method: proof.method, path, headers, timeout: target.timeoutMs });
    } catch (err) {
      // Node refuses header names or values with invalid characters before anything is sent.
      resolve({ ok: false, rejected: true, status: 400, code: 'InvalidRequest', message: `the proof's headers cannot be sent: ${err instanceof Error ? err.message : String(err)}` });
      return;
    }
    req.on('timeout', () => req.destroy(new Error(`no answer within ${target.timeoutMs} ms`)));
    req.on('error', (err) => resolve({ ok: false, rejected: false, message: err.message }));
    req.on('response', (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (c: Buffer) => chunks.push(c));
      res.on('error', (err) => resolve({ ok: false, rejected: false, message: err.message }));
      res.on('end', () => resolve(readStsAnswer(res.statusCode ?? 0, Buffer.concat(chunks).toString('utf8'))));
    });
    req.end(body);
  });
}

function xmlField(xml: string, name: string): string | undefined {
  const m = new RegExp(`<${name}>([^<]*)</${name}>`).exec(xml);
  return m ? m[1].replace(/&lt;/g, '<').replace(/&gt;/g, '>').replace(/&quot;/g, '"').replace(/&apos;/g, "'").replace(/&amp;/g, '&') : undefined;
}

export function readStsAnswer(status: number, xml: string): ReplayResult {
  if (status === 200) {
    const arn = xmlField(xml, 'Arn');
    const account = xmlField(xml, 'Account');
    const userId = xmlField(xml, 'UserId');
    if (arn && account && userId) return { ok: true, arn, account, userId };
    return { ok: false, rejected: false, message: 'STS answered 200 without Arn, Account and UserId' };
  }
  const code = xmlField(xml, 'Code');
  if (status >= 400 && status < 500 && code) return { ok: false, rejected: true, status, code, message: xmlField(xml, 'Message') ?? '' };
  return { ok: false, rejected: false, message: `STS answered HTTP ${status}` };
}
