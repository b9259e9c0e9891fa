// Shapes of the identifiers users paste into configuration.

const UUID = /^[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}$/;

export function isUuid(value: string): boolean {
  return UUID.test(value);
}

/** What a secret-looking value probably is, so a message can say which key was pasted. */
export function secretKind(value: string): 'API key' | 'application key' | undefined {
  if (/^[0-9a-fA-F]{32}$/.test(value)) return 'API key';
  if (/^[0-9a-fA-F]{40}$/.test(value)) return 'application key';
  return undefined;
}

/** A value the Agent resolves through its secrets backend (`ENC[handle]`): not ours to judge. */
export function isSecretHandle(value: string): boolean {
  return /^ENC\[.*\]$/.test(value.trim());
}

/** A shell-style reference (`${DD_ORG_UUID}`, `$DD_SITE`) that the Agent does not expand. */
export function isShellReference(value: string): boolean {
  return /^\$\{?[A-Za-z_][A-Za-z0-9_]*\}?$/.test(value.trim());
}

const EMAIL = /^[^\s@]+@[^\s@]+\.[^\s@]+$/;
const HANDLE = /^[A-Za-z0-9][A-Za-z0-9._+-]*$/;

/**
 * What an identity mapping's `account_identifier` is (PROTOCOL.md §3: a user's
 * email, a handle, or a service-account UUID): one judgement for the Terraform
 * rule, the CLI and the Create Identity Mapping input.
 */
export function accountIdentifierKind(value: string): 'email' | 'uuid' | 'handle' | 'pasted-key' | 'invalid' {
  const v = value.trim();
  if (secretKind(v)) return 'pasted-key';
  if (EMAIL.test(v)) return 'email';
  if (isUuid(v)) return 'uuid';
  if (HANDLE.test(v)) return 'handle';
  return 'invalid';
}
