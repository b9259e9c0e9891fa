// A short wrong/right pair per rule of the catalog, for the rule pages
// (docs/rules/, written by scripts/rule-docs.ts) and SARIF's rule help. Each
// is a whole file of the kind named, so a test lints both: the wrong one
// fires the rule, the right one does not (multi-file rules say so with
// `alone: false` and are shown, not linted).

export interface RuleExample {
  /** The file name the snippet is linted as: its kind (datadog.yaml, main.tf, a Helm values file…). */
  file: string;
  wrong: string;
  right: string;
  /** false: the rule needs other files (or a thousand findings); the pair illustrates it and is not linted alone. */
  alone?: false;
  /**
   * What a placeholder of the shown text stands for when it is linted: a value shaped like a key.
   * The pages and SARIF show the placeholder, since every output of ours redacts what looks like a key.
   */
  placeholders?: Readonly<Record<string, string>>;
}

/** The text of an example as it is linted: its placeholders filled in. */
export function exampleText(example: RuleExample, which: 'wrong' | 'right'): string {
  let text = example[which];
  for (const [placeholder, value] of Object.entries(example.placeholders ?? {})) text = text.split(placeholder).join(value);
  return text;
}

const API_KEY_PLACEHOLDER = '<an API key, 32 hex digits>';
// Shaped like an API key, for the linter; never shown (see placeholders).
const API_KEY_SHAPE = { [API_KEY_PLACEHOLDER]: ['7f3c9e1a', '2b4d6f80', '91a3c5e7', 'd9b1f2a4'].join('') };
const KEY_ID_PLACEHOLDER = '<an access key id, AKIA…>';
const KEY_ID_SHAPE = { [KEY_ID_PLACEHOLDER]: ['AKIA', 'IOSFODNN7', 'EXAMPLE'].join('') };

const ARN = (pattern: string) => `intake_mappings:\n  - arn_pattern: "${pattern}"\n`;
const AGENT = (body: string) => `api_key: <API_KEY>\ndelegated_auth:\n${body}`;
const ORG = '  org_uuid: 3f8a1c2e-9b4d-4e6f-a1b2-c3d4e5f6a7b8\n';
const PROVIDER = (body: string) => `provider "datadog" {\n  cloud_provider_type = "aws"\n  org_uuid            = var.datadog_org_uuid\n${body}}\n`;
const GOOD_ROLE = 'arn:aws:sts::123456789012:assumed-role/datadog-agent/*';

export const RULE_EXAMPLES: Readonly<Record<string, RuleExample>> = {
  'arn/not-an-arn': { file: 'datadog.yaml', wrong: ARN('sts::123456789012:assumed-role/datadog-agent/*'), right: ARN(GOOD_ROLE) },
  'arn/whitespace': { file: 'datadog.yaml', wrong: ARN(` ${GOOD_ROLE}`), right: ARN(GOOD_ROLE) },
  'arn/unsupported-partition': { file: 'datadog.yaml', wrong: ARN('arn:aws-cn:sts::123456789012:assumed-role/datadog-agent/*'), right: ARN(GOOD_ROLE) },
  'arn/iam-role-arn': { file: 'datadog.yaml', wrong: ARN('arn:aws:iam::123456789012:role/datadog-agent'), right: ARN(GOOD_ROLE) },
  'arn/wrong-service': { file: 'datadog.yaml', wrong: ARN('arn:aws:s3:::datadog-agent-bucket'), right: ARN(GOOD_ROLE) },
  'arn/region-not-empty': { file: 'datadog.yaml', wrong: ARN('arn:aws:sts:us-east-1:123456789012:assumed-role/datadog-agent/*'), right: ARN(GOOD_ROLE) },
  'arn/invalid-account': { file: 'datadog.yaml', wrong: ARN('arn:aws:sts::12345:assumed-role/datadog-agent/*'), right: ARN(GOOD_ROLE) },
  'arn/wildcard-not-last': { file: 'datadog.yaml', wrong: ARN('arn:aws:sts::123456789012:assumed-role/*/ci'), right: ARN(GOOD_ROLE) },
  'arn/wildcard-without-resource': { file: 'datadog.yaml', wrong: ARN('arn:aws:sts::123456789012:assumed-role/*'), right: ARN(GOOD_ROLE) },
  'arn/partial-wildcard': { file: 'datadog.yaml', wrong: ARN('arn:aws:sts::123456789012:assumed-role/datadog-agent/run-*'), right: ARN(GOOD_ROLE) },
  'arn/multiple-wildcards': { file: 'datadog.yaml', wrong: ARN('arn:aws:sts::*:assumed-role/datadog-agent/*'), right: ARN(GOOD_ROLE) },
  'arn/missing-session': { file: 'datadog.yaml', wrong: ARN('arn:aws:sts::123456789012:assumed-role/datadog-agent'), right: ARN(GOOD_ROLE) },
  'arn/invalid-role-name': { file: 'datadog.yaml', wrong: ARN('arn:aws:sts::123456789012:assumed-role/datadog!agent/*'), right: ARN(GOOD_ROLE) },
  'arn/invalid-session-name': { file: 'datadog.yaml', wrong: ARN('arn:aws:sts::123456789012:assumed-role/datadog-agent/i'), right: ARN('arn:aws:sts::123456789012:assumed-role/datadog-agent/i-0abc') },
  'arn/iam-user': { file: 'datadog.yaml', wrong: ARN('arn:aws:iam::123456789012:user/ci-bot'), right: ARN('arn:aws:sts::123456789012:assumed-role/ci-deployer/*') },
  'arn/root': { file: 'datadog.yaml', wrong: ARN('arn:aws:iam::123456789012:root'), right: ARN(GOOD_ROLE) },
  'arn/overlapping-patterns': {
    file: 'datadog.yaml',
    wrong: `intake_mappings:\n  - arn_pattern: "${GOOD_ROLE}"\n  - arn_pattern: "arn:aws:sts::123456789012:assumed-role/datadog-agent/i-0abc"\n`,
    right: `intake_mappings:\n  - arn_pattern: "${GOOD_ROLE}"\n  - arn_pattern: "arn:aws:sts::123456789012:assumed-role/datadog-cluster-agent/*"\n`,
  },
  'agent/yaml-syntax': { file: 'datadog.yaml', wrong: AGENT(`  org_uuid: [3f8a1c2e\n`), right: AGENT(ORG) },
  'agent/wrong-type': { file: 'datadog.yaml', wrong: AGENT(ORG + '  aws: us-east-1\n'), right: AGENT(ORG + '  aws:\n    region: us-east-1\n') },
  'agent/duplicate-key': { file: 'datadog.yaml', wrong: AGENT(ORG + ORG), right: AGENT(ORG) },
  'agent/unknown-key': { file: 'datadog.yaml', wrong: AGENT(ORG + '  refresh_interval_min: 30\n'), right: AGENT(ORG + '  refresh_interval_mins: 30\n') },
  'agent/legacy-key': { file: 'datadog.yaml', wrong: AGENT(ORG + '  aws_region: us-east-1\n'), right: AGENT(ORG + '  aws:\n    region: us-east-1\n') },
  'agent/org-uuid-missing': { file: 'datadog.yaml', wrong: AGENT('  provider: aws\n'), right: AGENT(ORG + '  provider: aws\n') },
  'agent/org-uuid-invalid': { file: 'datadog.yaml', wrong: AGENT('  org_uuid: my-org\n'), right: AGENT(ORG) },
  'agent/secret-in-org-uuid': { file: 'datadog.yaml', wrong: AGENT(`  org_uuid: ${API_KEY_PLACEHOLDER}\n`), right: AGENT(ORG), placeholders: API_KEY_SHAPE },
  'agent/provider-invalid': { file: 'datadog.yaml', wrong: AGENT(ORG + '  provider: gcp\n'), right: AGENT(ORG + '  provider: aws\n') },
  'agent/region-invalid': { file: 'datadog.yaml', wrong: AGENT(ORG + '  aws:\n    region: us-east-9\n'), right: AGENT(ORG + '  aws:\n    region: us-east-1\n') },
  'agent/refresh-interval-invalid': { file: 'datadog.yaml', wrong: AGENT(ORG + '  refresh_interval_mins: soon\n'), right: AGENT(ORG + '  refresh_interval_mins: 30\n') },
  'agent/product-key-ignored': {
    file: 'datadog.yaml',
    wrong: AGENT(ORG) + 'logs_config:\n  api_key: <API_KEY>\n  delegated_auth:\n  ' + ORG + '    provider: aws\n',
    right: AGENT(ORG + '  provider: aws\n') + 'logs_config:\n  api_key: <API_KEY>\n  delegated_auth:\n  ' + ORG,
  },
  'agent/unsupported-section': {
    file: 'datadog.yaml',
    wrong: AGENT(ORG) + 'apm_config:\n  delegated_auth:\n  ' + ORG,
    right: AGENT(ORG) + 'evp_proxy_config:\n  api_key: <API_KEY>\n  delegated_auth:\n  ' + ORG,
  },
  'agent/no-fallback-api-key': { file: 'datadog.yaml', wrong: `delegated_auth:\n${ORG}`, right: AGENT(ORG) },
  'agent/gov-site-unsupported': { file: 'datadog.yaml', wrong: 'site: ddog-gov.com\n' + AGENT(ORG), right: 'site: datadoghq.com\n' + AGENT(ORG) },
  'agent/unknown-site': { file: 'datadog.yaml', wrong: 'site: datadoghq.cm\n' + AGENT(ORG), right: 'site: datadoghq.com\n' + AGENT(ORG) },
  'agent/dela-directive-invalid': {
    file: 'datadog.yaml',
    wrong: AGENT(ORG) + 'additional_endpoints:\n  "https://app.datadoghq.eu":\n    - DELA(my-org, aws)\n',
    right: AGENT(ORG) + 'additional_endpoints:\n  "https://app.datadoghq.eu":\n    - DELA(3f8a1c2e-9b4d-4e6f-a1b2-c3d4e5f6a7b8, aws)\n',
  },
  'agent/version-unsupported': {
    file: 'values.yaml',
    wrong: 'datadog:\n  apiKey: <API_KEY>\n  env:\n    - name: DD_DELEGATED_AUTH_ORG_UUID\n      value: 3f8a1c2e-9b4d-4e6f-a1b2-c3d4e5f6a7b8\nagents:\n  image:\n    tag: 7.70.0\n',
    right: 'datadog:\n  apiKey: <API_KEY>\n  env:\n    - name: DD_DELEGATED_AUTH_ORG_UUID\n      value: 3f8a1c2e-9b4d-4e6f-a1b2-c3d4e5f6a7b8\nagents:\n  image:\n    tag: 7.78.0\n',
  },
  'agent/helm-api-key-required': {
    file: 'values.yaml',
    wrong: 'datadog:\n  env:\n    - name: DD_DELEGATED_AUTH_ORG_UUID\n      value: 3f8a1c2e-9b4d-4e6f-a1b2-c3d4e5f6a7b8\n',
    right: 'datadog:\n  apiKeyExistingSecret: datadog-secret\n  env:\n    - name: DD_DELEGATED_AUTH_ORG_UUID\n      value: 3f8a1c2e-9b4d-4e6f-a1b2-c3d4e5f6a7b8\n',
  },
  'agent/role-not-mapped': {
    file: 'main.tf',
    wrong: `# The Agent's task role is "datadog-agent"; the workspace maps only:\nresource "datadog_aws_wif_intake_mapping" "ci" {\n  arn_pattern = "arn:aws:sts::123456789012:assumed-role/ci-deployer/*"\n}\n`,
    right: `resource "datadog_aws_wif_intake_mapping" "agents" {\n  arn_pattern = "${GOOD_ROLE}"\n}\n`,
    alone: false,
  },
  'tf/hcl-syntax': { file: 'main.tf', wrong: PROVIDER('  api_url = "https://api.datadoghq.eu/"\n').replace(/\}\n$/, ''), right: PROVIDER('  api_url = "https://api.datadoghq.eu/"\n') },
  'tf/cloud-provider-type-invalid': {
    file: 'main.tf',
    wrong: 'provider "datadog" {\n  cloud_provider_type = "gcp"\n  org_uuid            = var.datadog_org_uuid\n}\n',
    right: PROVIDER(''),
  },
  'tf/org-uuid-missing': { file: 'main.tf', wrong: 'provider "datadog" {\n  cloud_provider_type = "aws"\n}\n', right: PROVIDER('') },
  'tf/org-uuid-invalid': { file: 'main.tf', wrong: 'provider "datadog" {\n  cloud_provider_type = "aws"\n  org_uuid            = "my-org"\n}\n', right: PROVIDER('') },
  'tf/secret-in-org-uuid': {
    file: 'main.tf',
    wrong: `provider "datadog" {\n  cloud_provider_type = "aws"\n  org_uuid            = "${API_KEY_PLACEHOLDER}"\n}\n`,
    right: PROVIDER(''),
    placeholders: API_KEY_SHAPE,
  },
  'tf/cloud-auth-with-keys': { file: 'main.tf', wrong: PROVIDER('  api_key             = var.datadog_api_key\n'), right: PROVIDER('') },
  'tf/hardcoded-aws-credential': {
    file: 'main.tf',
    wrong: PROVIDER(`  aws_access_key_id     = "${KEY_ID_PLACEHOLDER}"\n  aws_secret_access_key = var.aws_secret_access_key\n`),
    right: PROVIDER('  aws_access_key_id     = var.aws_access_key_id\n  aws_secret_access_key = var.aws_secret_access_key\n'),
    placeholders: KEY_ID_SHAPE,
  },
  'tf/aws-credentials-incomplete': {
    file: 'main.tf',
    wrong: PROVIDER('  aws_access_key_id = var.aws_access_key_id\n'),
    right: PROVIDER('  aws_access_key_id     = var.aws_access_key_id\n  aws_secret_access_key = var.aws_secret_access_key\n'),
  },
  'tf/cloud-provider-region-invalid': { file: 'main.tf', wrong: PROVIDER('  cloud_provider_region = "us-east-9"\n'), right: PROVIDER('  cloud_provider_region = "us-east-1"\n') },
  'tf/provider-version-too-old': {
    file: 'main.tf',
    wrong: 'terraform {\n  required_providers {\n    datadog = {\n      source  = "DataDog/datadog"\n      version = "~> 3.40"\n    }\n  }\n}\n' + PROVIDER(''),
    right: 'terraform {\n  required_providers {\n    datadog = {\n      source  = "DataDog/datadog"\n      version = ">= 3.70.0"\n    }\n  }\n}\n' + PROVIDER(''),
  },
  'tf/unknown-api-url': { file: 'main.tf', wrong: PROVIDER('  api_url = "https://api.datadoghq.cm/"\n'), right: PROVIDER('  api_url = "https://api.datadoghq.eu/"\n') },
  'tf/account-identifier-invalid': {
    file: 'main.tf',
    wrong: `resource "datadog_aws_wif_identity_mapping" "ci" {\n  arn_pattern        = "arn:aws:sts::123456789012:assumed-role/ci-deployer/*"\n  account_identifier = "ci bot"\n}\n`,
    right: `resource "datadog_aws_wif_identity_mapping" "ci" {\n  arn_pattern        = "arn:aws:sts::123456789012:assumed-role/ci-deployer/*"\n  account_identifier = "ci-bot@example.com"\n}\n`,
  },
  'org/mapping-exists': {
    file: 'main.tf',
    wrong: `# The org already has this intake mapping (id 3b7c2a10-5d4e-4f6a-8b9c-0d1e2f3a4b5c):\nresource "datadog_aws_wif_intake_mapping" "agents" {\n  arn_pattern = "${GOOD_ROLE}"\n}\n`,
    right: `resource "datadog_aws_wif_intake_mapping" "agents" {\n  arn_pattern = "${GOOD_ROLE}"\n}\n\nimport {\n  to = datadog_aws_wif_intake_mapping.agents\n  id = "3b7c2a10-5d4e-4f6a-8b9c-0d1e2f3a4b5c"\n}\n`,
    alone: false,
  },
  'org/mapping-conflict': {
    file: 'main.tf',
    wrong: `# The org has an intake mapping (id b2c3d4e5-…) for arn:aws:sts::123456789012:assumed-role/ci-deployer/run-1:\nresource "datadog_aws_wif_intake_mapping" "ci" {\n  arn_pattern = "arn:aws:sts::123456789012:assumed-role/ci-deployer/*"\n}\n`,
    right: `resource "datadog_aws_wif_intake_mapping" "ci" {\n  arn_pattern = "arn:aws:sts::123456789012:assumed-role/ci-deployer/run-1"\n}\n\nimport {\n  to = datadog_aws_wif_intake_mapping.ci\n  id = "b2c3d4e5-0000-4000-8000-000000000002"\n}\n`,
    alone: false,
  },
  'lint/too-many-findings': {
    file: 'datadog.yaml',
    wrong: `intake_mappings:\n  - arn_pattern: "not an arn"\n  # … 1,000 more broken patterns\n`,
    right: `intake_mappings:\n  - arn_pattern: "${GOOD_ROLE}"\n`,
    alone: false,
  },
};

/** The language of a fenced block for the example's file. */
export function exampleLanguage(file: string): 'yaml' | 'hcl' {
  return /\.tf$/.test(file) ? 'hcl' : 'yaml';
}
