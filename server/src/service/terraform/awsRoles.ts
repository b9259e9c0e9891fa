// What a Terraform file says about the AWS roles Agents run as, for
// agent/role-not-mapped (workspace/roleMapping.ts): the IAM roles it declares
// (`aws_iam_role`, and `data "aws_iam_role"`, whose literal `name` resolves a
// reference like `aws_iam_role.agent.arn`), its EKS Pod Identity associations
// (which ServiceAccount runs as which role), and its `data
// "aws_caller_identity"` blocks (an account a new mapping can name when the
// role's own account is not known).
//
// Read from the blocks the model extraction already reads (model.ts asks
// `isAwsIdentityHeader` which headers are worth it): no second walk of the
// tree, and nothing kept that refers to it.

import type { Span } from './hcl';
import { readBody, type RawBlock } from './recovery';
import type { HclAttribute, HclLabel } from './values';

/** An IAM role the file declares (a resource, or a data source reading one). */
export interface TfIamRole {
  /** `aws_iam_role.agent`, `data.aws_iam_role.agent`: what a reference names, without its attribute. */
  address: string;
  /** The block's label that names it (`"agent"`). */
  label: HclLabel;
  /** `name`: the role's name when a literal (else the role's name is not known here). */
  name?: HclAttribute;
  /** From the block type to its closing brace. */
  span: Span;
}

/** `resource "aws_eks_pod_identity_association"`: pods of `namespace` using `service_account` get `role_arn`'s credentials. */
export interface TfPodIdentityAssociation {
  /** `aws_eks_pod_identity_association.agent`. */
  address: string;
  label: HclLabel;
  namespace?: HclAttribute;
  serviceAccount?: HclAttribute;
  roleArn?: HclAttribute;
  /**
   * The role chained to `role_arn` (cross-account Pod Identity): when set,
   * the pod's credentials are this role's, not `role_arn`'s.
   */
  targetRoleArn?: HclAttribute;
  span: Span;
}

export interface TfAwsIdentity {
  iamRoles: TfIamRole[];
  podIdentityAssociations: TfPodIdentityAssociation[];
  /** The names of the file's `data "aws_caller_identity" "<name>"` blocks. */
  callerIdentities: string[];
}

export function emptyAwsIdentity(): TfAwsIdentity {
  return { iamRoles: [], podIdentityAssociations: [], callerIdentities: [] };
}

const RESOURCE_TYPES = new Set(['aws_iam_role', 'aws_eks_pod_identity_association']);
const DATA_TYPES = new Set(['aws_iam_role', 'aws_caller_identity']);

/** Whether a top-level block with this header (`resource "aws_iam_role"`) is one `readAwsIdentityBlock` reads. */
export function isAwsIdentityHeader(blockType: string, firstLabel: string | undefined): boolean {
  if (firstLabel === undefined) return false;
  return (blockType === 'resource' && RESOURCE_TYPES.has(firstLabel)) || (blockType === 'data' && DATA_TYPES.has(firstLabel));
}

/** Adds what `b` declares to `into`; a block of another kind is ignored. */
export function readAwsIdentityBlock(b: RawBlock, text: string, into: TfAwsIdentity): void {
  const [typeLabel, nameLabel] = b.labels;
  if (!typeLabel || !nameLabel || !isAwsIdentityHeader(b.type, typeLabel.value)) return;
  const prefix = b.type === 'data' ? 'data.' : '';
  const address = `${prefix}${typeLabel.value}.${nameLabel.value}`;
  if (typeLabel.value === 'aws_caller_identity') {
    into.callerIdentities.push(nameLabel.value);
    return;
  }
  const body = readBody(b.items, text);
  if (typeLabel.value === 'aws_iam_role') {
    into.iamRoles.push({ address, label: nameLabel, name: lastNamed(body.attributes, 'name'), span: b.span });
    return;
  }
  into.podIdentityAssociations.push({
    address,
    label: nameLabel,
    namespace: lastNamed(body.attributes, 'namespace'),
    serviceAccount: lastNamed(body.attributes, 'service_account'),
    roleArn: lastNamed(body.attributes, 'role_arn'),
    targetRoleArn: lastNamed(body.attributes, 'target_role_arn'),
    span: b.span,
  });
}

/**
 * The address of the IAM role a reference to its ARN names
 * (`aws_iam_role.agent.arn`, `aws_iam_role.agent[0].arn`,
 * `data.aws_iam_role.agent.arn` → `aws_iam_role.agent` / `data.aws_iam_role.agent`),
 * or undefined for any other expression.
 */
export function iamRoleArnReference(source: string): string | undefined {
  const m = /^\s*(data\.)?aws_iam_role\.([A-Za-z_][A-Za-z0-9_-]*)(?:\[[^\]\r\n]*\])?\.arn\s*$/.exec(source);
  return m ? `${m[1] ?? ''}aws_iam_role.${m[2]}` : undefined;
}

/** The last attribute of that name, as Terraform would read a duplicate (model.ts's attributeNamed, which imports this module). */
function lastNamed(attributes: readonly HclAttribute[], name: string): HclAttribute | undefined {
  for (let i = attributes.length - 1; i >= 0; i--) if (attributes[i].name === name) return attributes[i];
  return undefined;
}
