// The one rule catalog (RULES.md). Every code is written here once; the
// diagnostics, the docs links, the SARIF rule list, the settings schema and
// completion of codes in suppression comments all read it.
// A code may be added; a code is never renamed or reused.

import type { Severity } from './common/types';
import { rulePageName } from './ruleHelp';

export interface RuleInfo {
  code: string;
  /** The default severity. Rules marked E/W in RULES.md pick per finding; this is the higher one. */
  severity: Severity;
  summary: string;
  /** The quick fixes the rule offers, in words (empty: none). */
  fixes: string[];
}

const rules: RuleInfo[] = [
  // ARN patterns
  { code: 'arn/not-an-arn', severity: 'error', summary: 'Not an ARN: it must start with `arn:` and have six `:`-separated fields.', fixes: [] },
  { code: 'arn/whitespace', severity: 'error', summary: 'White space in an ARN pattern.', fixes: ['Trim'] },
  { code: 'arn/unsupported-partition', severity: 'error', summary: 'Only the `aws` partition is supported.', fixes: [] },
  { code: 'arn/iam-role-arn', severity: 'error', summary: 'An IAM role ARN where the assumed-role ARN is needed.', fixes: ['Replace with the assumed-role pattern'] },
  { code: 'arn/wrong-service', severity: 'error', summary: 'Service must be `sts` (assumed-role, federated-user) or `iam`.', fixes: [] },
  { code: 'arn/region-not-empty', severity: 'error', summary: 'IAM and STS ARNs have an empty region field.', fixes: ['Remove the region'] },
  { code: 'arn/invalid-account', severity: 'error', summary: 'The account must be exactly 12 digits.', fixes: [] },
  { code: 'arn/wildcard-not-last', severity: 'error', summary: 'A wildcard may only be the final path segment.', fixes: [] },
  { code: 'arn/wildcard-without-resource', severity: 'error', summary: 'A wildcard needs a specific resource before it.', fixes: [] },
  { code: 'arn/partial-wildcard', severity: 'error', summary: 'The final segment mixes `*` with other characters.', fixes: ['Replace the segment with `*`'] },
  { code: 'arn/multiple-wildcards', severity: 'error', summary: 'At most one wildcard.', fixes: [] },
  { code: 'arn/missing-session', severity: 'warning', summary: 'An assumed-role pattern without a session part matches nothing.', fixes: ['Append `/*`'] },
  { code: 'arn/invalid-role-name', severity: 'error', summary: 'Role names are 1-64 of letters, digits and `+=,.@_-`.', fixes: [] },
  { code: 'arn/invalid-session-name', severity: 'error', summary: 'Session names are 2-64 of letters, digits and `+=,.@_-`.', fixes: [] },
  { code: 'arn/iam-user', severity: 'warning', summary: 'An IAM user ARN means long-lived keys; prefer a role.', fixes: [] },
  { code: 'arn/root', severity: 'error', summary: 'Never map the account root.', fixes: [] },
  { code: 'arn/overlapping-patterns', severity: 'warning', summary: 'Two mappings of the same kind can match the same caller.', fixes: [] },
  // datadog.yaml
  { code: 'agent/yaml-syntax', severity: 'error', summary: 'The file is not valid YAML.', fixes: [] },
  { code: 'agent/wrong-type', severity: 'error', summary: 'A `delegated_auth` key has the wrong YAML type.', fixes: [] },
  { code: 'agent/duplicate-key', severity: 'error', summary: 'A key appears twice in a `delegated_auth` section or one of its parents.', fixes: [] },
  { code: 'agent/unknown-key', severity: 'warning', summary: 'Unknown key inside `delegated_auth` or `delegated_auth.aws`.', fixes: ['Rename to the closest known key'] },
  { code: 'agent/legacy-key', severity: 'warning', summary: 'A key from pre-release builds (`enabled`, `aws_region`, `refresh_interval`).', fixes: ['Rename or remove'] },
  { code: 'agent/org-uuid-missing', severity: 'warning', summary: 'A `delegated_auth` section without `org_uuid`: the feature stays off.', fixes: ['Insert `org_uuid`', "In VS Code, with API keys (or a Test Login) stored for the file's site: set the org's own UUID"] },
  { code: 'agent/org-uuid-invalid', severity: 'error', summary: '`org_uuid` is not a UUID.', fixes: ["In VS Code, with API keys (or a Test Login) stored for the file's site: set the org's own UUID"] },
  { code: 'agent/secret-in-org-uuid', severity: 'error', summary: '`org_uuid` looks like an API or application key.', fixes: [] },
  { code: 'agent/provider-invalid', severity: 'error', summary: '`provider` must be `aws`.', fixes: ['Replace with `aws`'] },
  { code: 'agent/region-invalid', severity: 'error', summary: '`aws.region` is malformed (error) or not a known AWS region (warning).', fixes: ['The closest known region'] },
  { code: 'agent/refresh-interval-invalid', severity: 'error', summary: '`refresh_interval_mins` is not an integer (error) or not positive (warning).', fixes: [] },
  { code: 'agent/product-key-ignored', severity: 'warning', summary: 'Only `org_uuid` is read in a per-product section.', fixes: ['Move to the global section', 'Remove'] },
  { code: 'agent/unsupported-section', severity: 'error', summary: '`delegated_auth` under a section that does not read it.', fixes: [] },
  { code: 'agent/no-fallback-api-key', severity: 'info', summary: 'No API key to fall back on if the exchange fails.', fixes: [] },
  { code: 'agent/gov-site-unsupported', severity: 'error', summary: 'The Agent flow is not offered on the US1-FED / US2-FED sites.', fixes: [] },
  { code: 'agent/unknown-site', severity: 'warning', summary: '`site` is not a known Datadog site.', fixes: ['The closest known site'] },
  { code: 'agent/dela-directive-invalid', severity: 'error', summary: 'A malformed `DELA(…)` directive in `additional_endpoints`.', fixes: [] },
  { code: 'agent/version-unsupported', severity: 'error', summary: 'Delegated auth is configured and the Agent image is older than 7.78.0.', fixes: [] },
  { code: 'agent/helm-api-key-required', severity: 'error', summary: 'A Datadog chart values file configures delegated auth without `datadog.apiKey` or `datadog.apiKeyExistingSecret`: the chart deploys no node Agent.', fixes: [] },
  { code: 'agent/role-not-mapped', severity: 'warning', summary: 'The role an Agent workload runs as matches none of the intake mappings the workspace declares.', fixes: ['Add an intake mapping for the role'] },
  // Terraform
  { code: 'tf/hcl-syntax', severity: 'error', summary: 'The file does not parse as HCL.', fixes: [] },
  { code: 'tf/cloud-provider-type-invalid', severity: 'error', summary: '`cloud_provider_type` must be `"aws"`.', fixes: ['Replace with `"aws"`'] },
  { code: 'tf/org-uuid-missing', severity: 'warning', summary: 'Cloud auth without `org_uuid`.', fixes: ['Insert `org_uuid = var.datadog_org_uuid`', "In VS Code, with API keys (or a Test Login) stored for the file's site: set the org's own UUID"] },
  { code: 'tf/org-uuid-invalid', severity: 'error', summary: '`org_uuid` is not a UUID.', fixes: ["In VS Code, with API keys (or a Test Login) stored for the file's site: set the org's own UUID"] },
  { code: 'tf/secret-in-org-uuid', severity: 'error', summary: '`org_uuid` looks like an API or application key.', fixes: [] },
  { code: 'tf/cloud-auth-with-keys', severity: 'warning', summary: '`api_key` / `app_key` beside cloud auth are ignored.', fixes: ['Remove them'] },
  { code: 'tf/hardcoded-aws-credential', severity: 'error', summary: 'An AWS credential written as a literal.', fixes: ['Replace with a variable'] },
  { code: 'tf/aws-credentials-incomplete', severity: 'error', summary: 'An access key id without its secret, or the reverse.', fixes: [] },
  { code: 'tf/cloud-provider-region-invalid', severity: 'error', summary: '`cloud_provider_region` is malformed (error) or unknown (warning).', fixes: ['The closest known region'] },
  { code: 'tf/provider-version-too-old', severity: 'error', summary: 'Cloud auth needs provider 3.70.0 or later.', fixes: ['Raise the constraint to `>= 3.70.0`'] },
  { code: 'tf/unknown-api-url', severity: 'warning', summary: '`api_url` is not a known Datadog API host.', fixes: [] },
  { code: 'tf/account-identifier-invalid', severity: 'error', summary: '`account_identifier` is neither an email, a UUID nor a handle.', fixes: [] },
  // The org (opt-in live checks, `datadogWif.live`: the org's mappings as the editor listed them)
  { code: 'org/mapping-exists', severity: 'info', summary: 'The org already has a mapping of this kind with this pattern (its id is named): on a Terraform resource not yet in state, `terraform apply` is refused (409).', fixes: ['Insert an `import` block for the resource (Terraform)'] },
  { code: 'org/mapping-conflict', severity: 'warning', summary: 'The pattern overlaps an org mapping of the same kind with another pattern: the API refuses it (409).', fixes: [] },
  // Any file
  { code: 'lint/too-many-findings', severity: 'error', summary: 'More findings than one file shows: the rest are counted, not listed (as severe as the worst of them).', fixes: [] },
];

export const RULES: readonly RuleInfo[] = rules;
const byCode = new Map(rules.map((r) => [r.code, r]));

export function ruleInfo(code: string): RuleInfo | undefined {
  return byCode.get(code);
}

export function isKnownCode(code: string): boolean {
  return byCode.has(code);
}

/** The families a severity setting may name at once (`arn/*`): the rules' code prefixes (`lint/` is the host's own). */
export const SEVERITY_FAMILIES = ['agent', 'arn', 'tf', 'org'] as const;

/** `agent/*`, `arn/*`, `tf/*`, `org/*`: one setting for every code of the family (`datadogWif.severity`, `--severity`). */
export function isSeverityFamily(code: string): boolean {
  return (SEVERITY_FAMILIES as readonly string[]).some((family) => code === `${family}/*`);
}

/**
 * Where the docs live: the package that ships this code. A rule's link opens
 * its page, docs/rules/<code>.md (scripts/rule-docs.ts writes them from this
 * catalog and the README's rule sections); any other heading opens the
 * README.md at that section. The service reads no files, so the host
 * (server, CLI) that knows where it runs from sets the README's URI with
 * setDocsLocation; until then links are relative to the package root.
 */
let docsLocation = 'README.md';

export function setDocsLocation(readmeUri: string): void {
  docsLocation = readmeUri;
}

/** The README itself. */
export function docsHome(): string {
  return docsLocation;
}

/** GitHub's heading anchor for the README section titled with the code in backticks. */
export function docsAnchor(code: string): string {
  return code.toLowerCase().replace(/[^a-z0-9 _-]/g, '').replace(/ /g, '-');
}

/** A rule's page (its code) or a section of the README (another heading's title). */
export function docsUrl(heading: string): string {
  if (byCode.has(heading)) return `${docsLocation.replace(/README\.md$/, '')}docs/rules/${rulePageName(heading)}`;
  return `${docsLocation}#${docsAnchor(heading)}`;
}

/** The name shown as the diagnostic's `source`. */
export { DIAGNOSTIC_SOURCE } from '../shared/diagnosticSource';
