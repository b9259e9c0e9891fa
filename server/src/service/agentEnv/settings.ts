// One model of the Agent's delegated-auth settings as the Agent reads them from
// its environment: what each reader (Kubernetes pod templates, Helm values of
// the Datadog chart, the Operator's DatadogAgent, docker-compose, ECS task
// definitions in JSON or Terraform) fills, and all the `agent/*` rules of
// agentEnv/rules.ts look at. A rule never asks where a setting came from:
// it sees a name, a value (literal or unknown) and where both are written.
//
// Offsets are into the text of the file the reader was given (for Terraform,
// the .tf file's text), so findings, hovers and quick fixes land on the exact
// characters the user wrote.

import type { Span } from '../agent/yamlTree';

/** How a literal is written where it sits: what a quick fix must write to replace it. */
export type ValueSyntax = 'yaml' | 'json' | 'hcl';

/** A value the file states: the Agent reads exactly `text`. */
export interface LiteralValue {
  kind: 'literal';
  /** The value as the Agent receives it (quotes removed, escapes resolved). */
  text: string;
  /** The characters of the value in the file, quotes included. */
  span: Span;
  syntax: ValueSyntax;
  /**
   * A quick fix may replace `span` with a new literal of `syntax`: false when
   * the value is not written here (an alias, a merged map) or is part of a
   * larger string (a compose `KEY=value` list item).
   */
  replaceable: boolean;
  /** For a `KEY=value` item: the value's part of the item (replace this instead of `span`). */
  inner?: Span;
}

/**
 * A value the file does not state: a Kubernetes `valueFrom`
 * (`secretKeyRef`, `configMapKeyRef`, `fieldRef`), an ECS `secrets` entry, a
 * compose `${VAR}` or a bare pass-through, a Terraform reference or
 * interpolation, a Helm template. Never judged; present all the same (an API
 * key from a Secret is an API key).
 */
export interface UnknownValue {
  kind: 'unknown';
  span: Span;
  /** For hovers and messages: "from Secret `datadog-secret`", "`${DD_API_KEY}` from the shell". */
  source: string;
  /**
   * Added for Kubernetes `secretKeyRef` / `configMapKeyRef`: the key it
   * names, so that a Secret or ConfigMap declared in the same file can
   * supply the value (readers.ts resolves it).
   */
  ref?: KeyRef;
}

/** A key of a Secret or ConfigMap, by name (and namespace, when known). */
export interface KeyRef {
  kind: 'Secret' | 'ConfigMap';
  name: string;
  key: string;
  namespace?: string;
}

export type SettingValue = LiteralValue | UnknownValue;

/** One variable the Agent receives (or a form's own key that becomes one, like the chart's `datadog.site`). */
export interface EnvSetting {
  /** The variable as the Agent reads it, upper case: `DD_DELEGATED_AUTH_ORG_UUID`, `DD_SITE`. */
  name: string;
  /**
   * What the user wrote, for messages and hovers: the variable name, or the
   * form's own key (`datadog.site`, `spec.global.site`, `datadog.apiKeyExistingSecret`).
   */
  label: string;
  /** The name's characters (for a form's own key, the key). */
  nameSpan: Span;
  value: SettingValue;
}

/** An Agent container image as written (`gcr.io/datadoghq/agent:7.78.1-jmx`), with a tag given apart if the form has one. */
export interface ImageRef {
  /** The repository (and tag, if written together) as the file states it; undefined when only a tag is given (chart default repository). */
  repository?: string;
  /** The tag, when written apart from the repository (Helm `agents.image.tag`, Operator `image.tag`); else taken from `repository`. */
  tag?: string;
  /** The characters a finding about the version lands on (the tag's, if apart). */
  span: Span;
  /** Helm `agents.image.tagSuffix` (`jmx`), Operator `image.jmxEnabled`, …: informative only. */
  suffix?: string;
  /** Set when the value is not literal (a template, a variable): not judged. */
  unknown?: boolean;
}

/** Where an Agent workload gets its AWS identity. */
export interface RoleRef {
  /** `irsa`: `eks.amazonaws.com/role-arn` on the ServiceAccount; `pod-identity`: an `aws_eks_pod_identity_association`; `ecs-task-role`: the task definition's task role. */
  via: 'irsa' | 'pod-identity' | 'ecs-task-role';
  /** The role ARN when the file states it literally. */
  arn?: string;
  /** The role's name when only that is known (a Terraform `aws_iam_role` whose `name` is literal). */
  roleName?: string;
  /** A Terraform reference (`aws_iam_role.agent.arn`) to resolve against the workspace's `aws_iam_role` resources. */
  reference?: string;
  /** Where the role is written (the annotation's value, `taskRoleArn`'s value, …); findings land here. */
  span: Span;
  /** For IRSA: the ServiceAccount the pod runs as, resolved across the workspace by role-not-mapped. */
  serviceAccount?: { name: string; namespace?: string };
}

export type WorkloadForm = 'kubernetes' | 'helm' | 'operator' | 'compose' | 'ecs' | 'terraform-ecs';

/** One Agent process's configuration: a container of a pod template, a chart component, a compose service, an ECS container. */
export interface AgentWorkload {
  form: WorkloadForm;
  /** For messages: "container `agent` of DaemonSet `datadog`", "service `datadog-agent`", "the chart's node Agent". */
  label: string;
  /** Where findings about the workload as a whole go (the container's name, the service's key, …). */
  anchor: Span;
  /** In the order the Agent reads them: for a name given twice, the later one wins. */
  settings: EnvSetting[];
  /**
   * Sources of further variables the file does not show (Kubernetes
   * `envFrom`, compose `env_file`): a variable missing from `settings` may
   * come from one of them, so "missing" rules stay quiet when there are any.
   */
  opaqueSources: { span: Span; what: string }[];
  images: ImageRef[];
  role?: RoleRef;
}

/** A Kubernetes ServiceAccount the file declares (manifests, chart `agents.rbac.serviceAccountAnnotations`, Operator overrides). */
export interface ServiceAccountDecl {
  name: string;
  namespace?: string;
  /** The `eks.amazonaws.com/role-arn` annotation, when present. */
  roleArn?: SettingValue;
  span: Span;
}

/** What one file says about Agents configured by environment. */
export interface AgentEnvFile {
  workloads: AgentWorkload[];
  serviceAccounts: ServiceAccountDecl[];
  /**
   * Added for Kubernetes: the keys the file's Secrets (`stringData`, `data`)
   * and ConfigMaps (`data`) state, for the `ref`s of unknown values to be
   * resolved against (readers.ts).
   */
  keyValues?: { ref: KeyRef; value: LiteralValue }[];
}

export function emptyAgentEnvFile(): AgentEnvFile {
  return { workloads: [], serviceAccounts: [] };
}
