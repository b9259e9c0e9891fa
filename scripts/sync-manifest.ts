// Keeps package.json's settings contribution in step with the rule catalog:
// `datadogWif.severity` lists every code. Run with --write to update;
// without it, exits 1 when package.json is out of date (the tests call it).

import * as fs from 'fs';
import * as path from 'path';
import { RULES, SEVERITY_FAMILIES } from '../server/src/service/catalog';

const root = path.resolve(__dirname, '..', '..');
const manifestPath = path.join(root, 'package.json');

export function configurationProperties(): Record<string, unknown> {
  const severityProperties: Record<string, unknown> = {};
  const families = SEVERITY_FAMILIES.map((f) => `\`${f}/*\``);
  const familyList = `${families.slice(0, -1).join(', ')} or ${families[families.length - 1]}`;
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
    'datadogWif.scope': {
      type: 'string',
      enum: ['workspace', 'openFiles'],
      enumDescriptions: [
        'Check every file of ours in the workspace folders in the background, open or not: datadog.yaml, Terraform, and YAML/JSON files that configure the Agent through its environment. A closed file keeps its findings in Problems.',
        'Check open files only; closing a file clears its findings.',
      ],
      default: 'workspace',
      scope: 'window',
      markdownDescription:
        'Which files the language server checks. With `workspace`, the language server (started once a file of ours is open) walks the workspace folders, skipping `node_modules`, `.git`, `.terraform`, `#files.exclude#` and `#datadogWif.exclude#`, and keeps every file\'s findings current as files change on disk.',
    },
    'datadogWif.exclude': {
      type: 'array',
      items: { type: 'string' },
      default: [],
      scope: 'window',
      markdownDescription:
        'Files and folders the workspace check leaves out, as glob patterns, besides `#files.exclude#`, `node_modules`, `.git` and `.terraform`. A pattern without `/` is a name anywhere (`vendor`, `*.generated.yaml`); one with `/` a path below any folder (`deploy/old/**`).',
    },
    'datadogWif.severity': {
      type: 'object',
      default: {},
      scope: 'resource',
      markdownDescription: `Severity of a diagnostic by its code: \`error\`, \`warning\`, \`info\` or \`off\`. A family may be set at once with ${familyList}. Example: \`{ "agent/no-fallback-api-key": "off" }\`.`,
      properties: severityProperties,
      patternProperties: { [`^(${SEVERITY_FAMILIES.join('|')})/\\*$`]: { type: 'string', enum: ['error', 'warning', 'info', 'off'] } },
      additionalProperties: false,
    },
    'datadogWif.trace.server': {
      type: 'string',
      enum: ['off', 'messages', 'verbose'],
      default: 'off',
      scope: 'window',
      description: 'Traces the communication between VS Code and the Datadog WIF language server in the "Datadog WIF" output channel.',
    },
    // Where a proof may go: user settings only (scope application, and the
    // client reads only the user-level value even if a workspace sets one).
    'datadogWif.apiUrl': {
      type: 'string',
      default: '',
      scope: 'application',
      markdownDescription:
        'Send login tests (and mapping calls) to this API base URL instead of `https://api.<site>`, e.g. a proxy or the local emulator (`http://127.0.0.1:PORT`). Its host must be a Datadog API host or be listed in `#datadogWif.allowedApiHosts#`. User settings only: a workspace or folder value is ignored.',
    },
    'datadogWif.allowedApiHosts': {
      type: 'array',
      items: { type: 'string', pattern: '^(\\[[0-9A-Fa-f:.]+\\]|[A-Za-z0-9.-]+)(:[0-9]{1,5})?$', patternErrorMessage: 'A host or host:port, without scheme or path' },
      default: [],
      scope: 'application',
      markdownDescription:
        'Hosts (`host` or `host:port`) that may receive a login proof besides Datadog\'s own API hosts: a proxy, or a test server on loopback (plain `http://` only for 127.0.0.1, ::1 or localhost). A proof is a bearer credential for about 15 minutes: list only hosts you control. User settings only: a workspace or folder value is ignored.',
    },
    'datadogWif.requestTimeoutSeconds': {
      type: 'number',
      default: 30,
      minimum: 1,
      maximum: 600,
      scope: 'application',
      description: 'How long a login test, a caller identity check or a mapping call may take, AWS credential resolution included, before it gives up.',
    },
    // Which path family the mapping API is called under ([drift]); changes no host, so any scope may set it.
    'datadogWif.mappingApiPaths': {
      type: 'string',
      enum: ['auto', 'cloud_auth', 'wif'],
      enumDescriptions: [
        'Try /api/v2/cloud_auth/aws/… first; on a 404 try /api/v2/wif/aws/… once and remember which one answered.',
        'Always /api/v2/cloud_auth/aws/persona_mapping and …/intake_mapping.',
        'Always /api/v2/wif/aws/persona_mapping and …/intake_mapping (the newest API reference).',
      ],
      default: 'auto',
      scope: 'window',
      markdownDescription: 'Which path family the mapping commands and the Workload Identity Federation view call: Datadog has published the mapping API under both `/api/v2/cloud_auth/aws/…` and `/api/v2/wif/aws/…`.',
    },
    'datadogWif.codeLens.enabled': {
      type: 'boolean',
      default: true,
      scope: 'window',
      markdownDescription: 'Show a "Test Login" code lens on each `delegated_auth` section of a `datadog.yaml` and each `provider "datadog"` block of a Terraform file.',
    },
    'datadogWif.mappings.compareWithCode': {
      type: 'boolean',
      default: true,
      scope: 'window',
      markdownDescription:
        'Compare each site\'s mappings in the Workload Identity Federation view with those the workspace declares (Terraform mapping resources, YAML/JSON `arn_pattern` lists): each mapping is marked "declared in FILE:LINE" or "not in code", and the mappings only in code are listed under the site. Starts the language server if it is not running. Off: no comparison, no marks.',
    },
    // Opt-in: it lists the org's mappings with the stored credentials (trusted workspaces only).
    'datadogWif.live': {
      type: 'boolean',
      default: false,
      scope: 'window',
      markdownDescription:
        'Check mapping patterns against the org while you type: in a trusted workspace, the mappings of each site with stored credentials are listed (on start, **Refresh Mappings**, after a create or delete, a credential or settings change, and every 15 minutes while the window has focus) and handed to the language server, which reports `org/mapping-exists` (the pattern already exists, with its id; an `import` block quick fix in Terraform) and `org/mapping-conflict` (it overlaps an org mapping of the same kind: `terraform apply` would get a 409). Only the mappings go to the server, never a key.',
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
