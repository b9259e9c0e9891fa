// The cloud core's shared vocabulary: the proof exchange, credentials and the
// caller identity. Node only; never imports `vscode` (ARCHITECTURE.md).

/** AWS credentials as the SDK's providers resolve them. */
export interface AwsCredentials {
  accessKeyId: string;
  secretAccessKey: string;
  sessionToken?: string;
  expiration?: Date;
}

/** Resolves credentials afresh on every call (ARCHITECTURE: re-resolved on every command). */
export type CredentialsSource = () => Promise<AwsCredentials>;

/** `terraform` → `/api/v2/delegated-token`; `agent` → `/api/v2/intake-key` (PROTOCOL.md §2). */
export type LoginFlow = 'terraform' | 'agent';

export const FLOW_PATHS: Readonly<Record<LoginFlow, string>> = {
  terraform: '/api/v2/delegated-token',
  agent: '/api/v2/intake-key',
};

/** A signed, unsent STS GetCallerIdentity request, serialised as PROTOCOL.md §1 says. */
export interface Proof {
  /** `base64(body)|base64(headersJSON)|POST|base64(url)`: a bearer credential, never logged. */
  value: string;
  /** The STS URL that was signed (`https://sts.amazonaws.com` or `https://sts.<region>.amazonaws.com`). */
  stsUrl: string;
  /** The signed `Authorization` header (a secret too: it carries the signature). */
  authorization: string;
  /** The headers carried in the proof, canonical capitalisation, sorted. */
  headers: Readonly<Record<string, string>>;
}

/** What STS GetCallerIdentity says about the caller, plus what the engine makes of it. */
export interface CallerIdentity {
  account: string;
  arn: string;
  userId: string;
  /** The ARN engine's kind: `assumed-role`, `sso-assumed-role`, `iam-user`, `root`, … */
  kind: string;
  /** The pattern a mapping needs to match this caller (`…:assumed-role/<role>/*`). */
  suggestedPattern: string;
}

/** Why a cloud operation failed, in the words a user reads: what happened, then what to do next. */
export type CloudErrorCode =
  | 'credentials' // no AWS credentials, an expired SSO session, an unknown profile
  | 'host-refused' // the host policy refused to send a proof or a key there
  | 'usage' // an invalid input (org UUID, site, URL)
  | 'timeout'
  | 'network' // connection refused / reset, DNS, TLS
  | 'cancelled'
  | 'http'; // the server answered with an error status

export class CloudError extends Error {
  constructor(
    message: string,
    readonly code: CloudErrorCode,
    /** The next step, in words ("run `aws sso login --profile dev`"). */
    readonly nextStep?: string,
    /** The HTTP status, for `http`. */
    readonly status?: number,
  ) {
    super(message);
    this.name = 'CloudError';
  }
}
