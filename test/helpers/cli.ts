// What the in-process CLI tests share: running `main()` with captured output,
// the JSON shape of a finding, and temp folders made from a file map and
// removed when the test file ends.

import { after } from 'node:test';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { main } from '../../server/src/cli/main';
import type { HclRuntime } from '../../server/src/service/terraform/hcl';

export interface Run {
  code: number;
  stdout: string;
  stderr: string;
}

/** `dd-wif argv…` in this process; `hcl`: the HCL runtime (none: Terraform files are not checked). */
export async function runCli(argv: readonly string[], hcl?: HclRuntime): Promise<Run> {
  const out: string[] = [];
  const err: string[] = [];
  const code = await main(argv, { out: (t) => out.push(t), err: (t) => err.push(t) }, hcl);
  return { code, stdout: out.join('\n'), stderr: err.join('\n') };
}

/** One finding of `--format json` (CLI.md). */
export interface JsonFinding {
  file: string;
  range: { start: { line: number; character: number }; end: { line: number; character: number } };
  severity: 'error' | 'warning' | 'info';
  code: string;
  message: string;
}

export function jsonFindings(r: Run): JsonFinding[] {
  const parsed: unknown = JSON.parse(r.stdout);
  if (!Array.isArray(parsed)) throw new Error(`not one JSON array: ${r.stdout.slice(0, 200)}`);
  return parsed as JsonFinding[];
}

/** The non-empty lines of an output. */
export const nonEmptyLines = (s: string): string[] => s.split('\n').filter((l) => l !== '');

/**
 * A maker of temp folders from `{ 'a/datadog.yaml': text }` (`prefix` names
 * them in the temp directory); every folder it made is removed after the
 * calling test file. Call it at the top level of a test file.
 */
export function tempTrees(prefix: string): (files: Record<string, string | Buffer>) => string {
  const made: string[] = [];
  after(() => {
    for (const dir of made) fs.rmSync(dir, { recursive: true, force: true });
  });
  return (files) => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), `${prefix}-`));
    made.push(dir);
    for (const [name, content] of Object.entries(files)) {
      fs.mkdirSync(path.dirname(path.join(dir, name)), { recursive: true });
      fs.writeFileSync(path.join(dir, name), content);
    }
    return dir;
  };
}

/** An AWS identity's keys, as the emulator's TEST_IDENTITIES give them. */
export interface AwsKeys {
  accessKeyId: string;
  secretAccessKey: string;
  sessionToken?: string;
}

/**
 * The process environment of a run against the emulator's STS at `stsUrl`:
 * `home` as the home folder, no shared config or credentials file, no
 * metadata service, and `id`'s keys (none: no credentials at all).
 */
export function awsEnvironment(home: string, stsUrl: string, id: AwsKeys | undefined): Record<string, string> {
  return {
    HOME: home,
    USERPROFILE: home,
    AWS_CONFIG_FILE: path.join(home, 'no-config'),
    AWS_SHARED_CREDENTIALS_FILE: path.join(home, 'no-credentials'),
    AWS_EC2_METADATA_DISABLED: 'true',
    AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED: 'true',
    AWS_ENDPOINT_URL_STS: stsUrl,
    ...(id ? { AWS_ACCESS_KEY_ID: id.accessKeyId, AWS_SECRET_ACCESS_KEY: id.secretAccessKey, ...(id.sessionToken ? { AWS_SESSION_TOKEN: id.sessionToken } : {}) } : {}),
  };
}
