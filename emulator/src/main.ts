// `node dist/emulator.js [--api-port N] [--sts-port N] [--mapping-paths cloud_auth|wif|both] [--org-name NAME]`
// Starts the emulator for a user in another process: one JSON line on stdout
// (what a program reads), hints for a human on stderr, until SIGINT/SIGTERM.

import { EMULATOR_API_KEYS, startEmulator, TEST_IDENTITIES, type EmulatorOptions } from './index';

const USAGE = 'usage: node dist/emulator.js [--api-port N] [--sts-port N] [--mapping-paths cloud_auth|wif|both] [--org-name NAME]';

function parseArgs(argv: string[]): EmulatorOptions {
  const options: EmulatorOptions = {};
  const port = (flag: string, value: string | undefined) => {
    const n = Number(value);
    if (!value || !Number.isInteger(n) || n < 0 || n > 65535) throw new Error(`${flag} needs a port number (0-65535), not ${JSON.stringify(value ?? '')}`);
    return n;
  };
  for (let i = 0; i < argv.length; i++) {
    const [flag, inline] = argv[i].split(/=(.*)/s, 2);
    const value = () => (inline !== undefined ? inline : argv[++i]);
    switch (flag) {
      case '--api-port':
        options.apiPort = port(flag, value());
        break;
      case '--sts-port':
        options.stsPort = port(flag, value());
        break;
      case '--mapping-paths': {
        const v = value();
        if (v !== 'cloud_auth' && v !== 'wif' && v !== 'both') throw new Error(`--mapping-paths is cloud_auth, wif or both, not ${JSON.stringify(v ?? '')}`);
        options.mappingPaths = v;
        break;
      }
      case '--org-name': {
        const v = value();
        if (!v) throw new Error('--org-name needs a name');
        options.orgName = v;
        break;
      }
      case '--help':
      case '-h':
        process.stdout.write(`${USAGE}\n`);
        process.exit(0);
      // falls through (exit never returns)
      default:
        throw new Error(`unknown argument ${JSON.stringify(argv[i])}`);
    }
  }
  return options;
}

async function main(): Promise<void> {
  let options: EmulatorOptions;
  try {
    options = parseArgs(process.argv.slice(2));
  } catch (err) {
    process.stderr.write(`${err instanceof Error ? err.message : String(err)}\n${USAGE}\n`);
    process.exit(2);
  }
  const emulator = await startEmulator(options);
  // The environment of each fake identity (and the fake Datadog keys), for scripts such as the demo.
  const env = Object.fromEntries(
    Object.entries(TEST_IDENTITIES).map(([name, t]) => [
      name,
      { AWS_ACCESS_KEY_ID: t.accessKeyId, AWS_SECRET_ACCESS_KEY: t.secretAccessKey, ...(t.sessionToken ? { AWS_SESSION_TOKEN: t.sessionToken } : {}), AWS_ENDPOINT_URL_STS: emulator.stsUrl },
    ]),
  );
  const datadogKeys = { DD_API_KEY: EMULATOR_API_KEYS.readWrite.apiKey, DD_APP_KEY: EMULATOR_API_KEYS.readWrite.appKey };
  process.stdout.write(`${JSON.stringify({ apiUrl: emulator.apiUrl, stsUrl: emulator.stsUrl, orgUuid: emulator.orgUuid, env, datadogKeys })}\n`);

  // These keys are the emulator's fake ones (they say EMULATOR): printing them is the point.
  const id = TEST_IDENTITIES.mappedRole;
  const apiHost = new URL(emulator.apiUrl).host;
  process.stderr.write(
    [
      `Datadog WIF emulator: API ${emulator.apiUrl}, STS ${emulator.stsUrl}, org ${emulator.orgUuid}`,
      'For a login test as the mapped role (fake credentials known only to this emulator):',
      `  export AWS_ACCESS_KEY_ID=${id.accessKeyId}`,
      `  export AWS_SECRET_ACCESS_KEY=${id.secretAccessKey}`,
      `  export AWS_SESSION_TOKEN=${id.sessionToken}`,
      `  export AWS_ENDPOINT_URL_STS=${emulator.stsUrl}`,
      `  dd-wif whoami`,
      `  dd-wif login --flow terraform --org-uuid ${emulator.orgUuid} --api-url ${emulator.apiUrl} --allow-host ${apiHost}`,
      'For the mapping API:',
      `  export DD_API_KEY=${EMULATOR_API_KEYS.readWrite.apiKey} DD_APP_KEY=${EMULATOR_API_KEYS.readWrite.appKey}`,
      `  dd-wif mappings list --api-url ${emulator.apiUrl} --allow-host ${apiHost}`,
      `Faults and state: POST|DELETE ${emulator.apiUrl}/__emulator/faults, GET ${emulator.apiUrl}/__emulator/state, POST ${emulator.apiUrl}/__emulator/reset`,
      'Ctrl-C to stop.',
      '',
    ].join('\n'),
  );

  const stop = () => {
    void emulator.close().then(() => process.exit(0));
  };
  process.once('SIGINT', stop);
  process.once('SIGTERM', stop);
}

void main().catch((err: unknown) => {
  process.stderr.write(`emulator failed to start: ${err instanceof Error ? err.message : String(err)}\n`);
  process.exit(1);
});
