// Keeps package.json's settings contribution in step with the rule catalog:
// `datadogWif.severity` lists every code. Run with --write to update;
// without it, exits 1 when package.json is out of date (the tests call it).

import * as fs from 'fs';
import * as path from 'path';
import { RULES } from '../server/src/service/catalog';

const root = path.resolve(__dirname, '..', '..');
const manifestPath = path.join(root, 'package.json');

export function configurationProperties(): Record<string, unknown> {
  const severityProperties: Record<string, unknown> = {};
  for (const r of RULES) {
    severityProperties[r.code] = { type: 'string', enum: ['error', 'warning', 'info', 'off'], description: `${r.summary} (default: ${r.severity})` };
  }
  return {
    'datadogWif.agentConfigFiles': {
      type: 'array',
      items: { type: 'string' },
      default: [],
      scope: 'resource',
      markdownDescription: 'Extra files to check as Datadog Agent configuration, as glob patterns (e.g. `**/agent/*.yaml`). `datadog.yaml` and `datadog.yml` are always checked.',
    },
    'datadogWif.severity': {
      type: 'object',
      default: {},
      scope: 'resource',
      markdownDescription: 'Severity of a diagnostic by its code: `error`, `warning`, `info` or `off`. A family may be set at once with `agent/*`, `arn/*` or `tf/*`. Example: `{ "agent/no-fallback-api-key": "off" }`.',
      properties: severityProperties,
      patternProperties: { '^(agent|arn|tf)/\\*$': { type: 'string', enum: ['error', 'warning', 'info', 'off'] } },
      additionalProperties: false,
    },
    'datadogWif.trace.server': {
      type: 'string',
      enum: ['off', 'messages', 'verbose'],
      default: 'off',
      scope: 'window',
      description: 'Traces the communication between VS Code and the Datadog WIF language server in the "Datadog WIF" output channel.',
    },
  };
}

export function manifestIsInSync(): boolean {
  const manifest = JSON.parse(fs.readFileSync(manifestPath, 'utf8'));
  return JSON.stringify(manifest.contributes.configuration.properties) === JSON.stringify(configurationProperties());
}

if (require.main === module) {
  if (process.argv.includes('--write')) {
    const manifest = JSON.parse(fs.readFileSync(manifestPath, 'utf8'));
    manifest.contributes.configuration.properties = configurationProperties();
    fs.writeFileSync(manifestPath, JSON.stringify(manifest, null, 2) + '\n');
    console.log('package.json settings updated from the rule catalog');
  } else if (!manifestIsInSync()) {
    console.error('package.json settings are out of date: run `npm run sync-manifest`');
    process.exit(1);
  }
}
