// What each cloud-auth attribute of `provider "datadog"` means (PROTOCOL.md
// §6): read by hover and completion.

export interface ProviderAttribute {
  name: string;
  description: string;
  env: string[];
  sensitive?: boolean;
  /** The provider version that introduced it, when it is part of cloud auth. */
  since?: string;
}

export const PROVIDER_ATTRIBUTES: readonly ProviderAttribute[] = [
  {
    name: 'cloud_provider_type',
    description: 'Turns on cloud auth (Workload Identity Federation): the provider signs an AWS STS `GetCallerIdentity` request with AWS credentials and exchanges it with Datadog for a short-lived token. Only `"aws"`. Takes precedence over `api_key`/`app_key`, which are then ignored.',
    env: ['DD_CLOUD_PROVIDER_TYPE', 'DATADOG_CLOUD_PROVIDER_TYPE'],
    since: '3.70.0',
  },
  {
    name: 'cloud_provider_region',
    description: 'The AWS STS region the proof is signed for. Empty or unset: the global endpoint `sts.amazonaws.com`.',
    env: [],
    since: '3.70.0',
  },
  {
    name: 'org_uuid',
    description: 'The UUID of the Datadog organization to log in to (8-4-4-4-12 hex). Required with cloud auth unless `validate = false`; it is signed into the proof, binding it to this org.',
    env: ['DD_ORG_UUID', 'DATADOG_ORG_UUID'],
    since: '3.70.0',
  },
  { name: 'aws_access_key_id', description: 'AWS access key id used to sign the proof. Usually left out: the AWS credential chain (environment, profiles, instance roles) is used.', env: ['AWS_ACCESS_KEY_ID'], sensitive: true, since: '3.70.0' },
  { name: 'aws_secret_access_key', description: 'AWS secret access key used to sign the proof. Never write it in a file: use a variable or the environment.', env: ['AWS_SECRET_ACCESS_KEY'], sensitive: true, since: '3.70.0' },
  { name: 'aws_session_token', description: 'AWS session token of temporary credentials used to sign the proof.', env: ['AWS_SESSION_TOKEN'], sensitive: true, since: '3.70.0' },
  { name: 'api_key', description: 'Datadog API key. Ignored when `cloud_provider_type` is set (cloud auth, then `bearer_token`, then API/application keys).', env: ['DD_API_KEY', 'DATADOG_API_KEY'], sensitive: true },
  { name: 'app_key', description: 'Datadog application key. Ignored when `cloud_provider_type` is set.', env: ['DD_APP_KEY', 'DATADOG_APP_KEY'], sensitive: true },
  { name: 'api_url', description: 'The Datadog API URL, e.g. `https://api.datadoghq.eu/`. A proof is sent only to a genuine Datadog API host (or one allowed in user settings).', env: ['DD_HOST', 'DATADOG_HOST'] },
  { name: 'validate', description: 'Whether the provider validates its credentials at start. With `false`, `org_uuid` may be left out.', env: [] },
];

export const CLOUD_AUTH_ATTRIBUTES = PROVIDER_ATTRIBUTES.filter((a) => a.since);

export function providerAttribute(name: string): ProviderAttribute | undefined {
  return PROVIDER_ATTRIBUTES.find((a) => a.name === name);
}
