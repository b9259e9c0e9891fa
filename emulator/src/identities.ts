// The fixed cast of the emulator: AWS identities whose keys it knows, the
// Datadog org it pretends to be, and the API/application keys it accepts.
// Every secret here is fake on sight (it says EMULATOR) so that nobody ever
// mistakes it for a real credential, and a secret scanner never flags it.

/** An AWS caller the emulated STS recognises by its access key. */
export interface TestIdentity {
  /** A short label for messages and tests (`mappedRole`, …). */
  name: string;
  accessKeyId: string;
  secretAccessKey: string;
  /** Set for temporary credentials (ASIA… keys): STS then requires it. */
  sessionToken?: string;
  /** What GetCallerIdentity answers. */
  arn: string;
  userId: string;
  account: string;
}

/** The AWS account the emulated Datadog org has integrated. */
export const INTEGRATED_ACCOUNT = '123456789012';
/** An AWS account that is not integrated. */
export const OTHER_ACCOUNT = '210987654321';

export const TEST_IDENTITIES: {
  readonly mappedRole: TestIdentity;
  readonly unmappedRole: TestIdentity;
  readonly iamUser: TestIdentity;
  readonly otherAccountRole: TestIdentity;
} = {
  /** An assumed role the default identity and intake mappings match. */
  mappedRole: {
    name: 'mappedRole',
    accessKeyId: 'ASIAEMULATORMAPPED01',
    secretAccessKey: 'EMULATOR/fake/secret/mappedRole/00000000',
    sessionToken: 'EMULATOR-fake-session-token-mappedRole',
    arn: `arn:aws:sts::${INTEGRATED_ACCOUNT}:assumed-role/terraform-runner/i-0abc1234`,
    userId: 'AROAEMULATORMAPPED01:i-0abc1234',
    account: INTEGRATED_ACCOUNT,
  },
  /** An assumed role of the integrated account that no mapping matches. */
  unmappedRole: {
    name: 'unmappedRole',
    accessKeyId: 'ASIAEMULATORUNMAPD01',
    secretAccessKey: 'EMULATOR/fake/secret/unmappedRole/000000',
    sessionToken: 'EMULATOR-fake-session-token-unmappedRole',
    arn: `arn:aws:sts::${INTEGRATED_ACCOUNT}:assumed-role/unmapped-role/i-0def5678`,
    userId: 'AROAEMULATORUNMAPD01:i-0def5678',
    account: INTEGRATED_ACCOUNT,
  },
  /** An IAM user with a long-lived key: no session token. */
  iamUser: {
    name: 'iamUser',
    accessKeyId: 'AKIAEMULATORCIBOT001',
    secretAccessKey: 'EMULATOR/fake/secret/iamUser/00000000000',
    arn: `arn:aws:iam::${INTEGRATED_ACCOUNT}:user/ci-bot`,
    userId: 'AIDAEMULATORCIBOT001',
    account: INTEGRATED_ACCOUNT,
  },
  /** The same role name in an account that is not integrated. */
  otherAccountRole: {
    name: 'otherAccountRole',
    accessKeyId: 'ASIAEMULATOROTHER001',
    secretAccessKey: 'EMULATOR/fake/secret/otherAccountRole/00',
    sessionToken: 'EMULATOR-fake-session-token-otherAccountRole',
    arn: `arn:aws:sts::${OTHER_ACCOUNT}:assumed-role/terraform-runner/i-0aaa`,
    userId: 'AROAEMULATOROTHER001:i-0aaa',
    account: OTHER_ACCOUNT,
  },
};

/** The org the emulated Datadog is: proofs must be bound to it. */
export const EMULATOR_ORG_UUID = '0b0e6f8e-7d1c-4a2b-9c3d-5e6f7a8b9c0d';

/** The numeric org id intake-key answers carry. */
export const EMULATOR_ORG_ID = 1234567;

/** API key (32 hex) + application key (40 hex) pairs the mapping API accepts. */
export interface ApiKeyPair {
  apiKey: string;
  appKey: string;
}

export const EMULATOR_API_KEYS: { readonly readWrite: ApiKeyPair; readonly readOnly: ApiKeyPair } = {
  /** May read and write mappings. */
  readWrite: { apiKey: 'e0e0000000000000000000000000a001', appKey: 'e0e000000000000000000000000000000000a001' },
  /** May only read mappings (creating or deleting is refused with 403). */
  readOnly: { apiKey: 'e0e0000000000000000000000000b002', appKey: 'e0e000000000000000000000000000000000b002' },
};

/** The default identity and intake mapping: mappedRole's role, any session. */
export const DEFAULT_PATTERN = `arn:aws:sts::${INTEGRATED_ACCOUNT}:assumed-role/terraform-runner/*`;
export const DEFAULT_ACCOUNT_IDENTIFIER = 'terraform@example.com';
