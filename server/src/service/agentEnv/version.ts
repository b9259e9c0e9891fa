// The Agent's container image as a workload names it: which repository, which
// version. Delegated authentication needs Agent 7.78.0 or later (PROTOCOL.md
// §4; README "The Agent configured by environment"): an older image ignores
// the variables, so agent/version-unsupported says so. Only a tag that names
// a version is judged: `latest`, a bare major (`7`, `7-jmx`), a digest or a
// tag we cannot read tell nothing about what runs.

import type { ImageRef } from './settings';

/** The first Agent release that reads `delegated_auth`. */
export const MIN_AGENT_VERSION: readonly [number, number, number] = [7, 78, 0];

/**
 * Where Datadog publishes the Agent image (docs: "Changing Your Container
 * Registry", containers/guide/changing_container_registry): Docker Hub
 * (`datadog/agent`), the Datadog Container Registry, Google Artifact Registry
 * (also `eu.` and `asia.`), Amazon ECR Public and Azure ACR.
 */
export const AGENT_REPOSITORIES: readonly string[] = [
  'datadog/agent',
  'docker.io/datadog/agent',
  'index.docker.io/datadog/agent',
  'registry.datadoghq.com/agent',
  'gcr.io/datadoghq/agent',
  'eu.gcr.io/datadoghq/agent',
  'asia.gcr.io/datadoghq/agent',
  'public.ecr.aws/datadog/agent',
  'datadoghq.azurecr.io/agent',
];

export interface ParsedImage {
  /** Registry and path, lower case, without tag or digest: `gcr.io/datadoghq/agent`. */
  repository: string;
  tag?: string;
  digest?: string;
}

/** `gcr.io/datadoghq/agent:7.78.1-jmx@sha256:…` → its repository, tag and digest. A port (`host:5000/…`) is not a tag. */
export function parseImage(ref: string): ParsedImage {
  let rest = ref.trim();
  let digest: string | undefined;
  const at = rest.indexOf('@');
  if (at >= 0) {
    digest = rest.slice(at + 1);
    rest = rest.slice(0, at);
  }
  let tag: string | undefined;
  const colon = rest.lastIndexOf(':');
  if (colon > rest.lastIndexOf('/')) {
    tag = rest.slice(colon + 1);
    rest = rest.slice(0, colon);
  }
  return { repository: rest.toLowerCase(), ...(tag !== undefined ? { tag } : {}), ...(digest !== undefined ? { digest } : {}) };
}

/**
 * A repository of the Agent image: one Datadog publishes, or a mirror that
 * keeps its path after a prefix of its own (a pull-through cache such as
 * `123456789012.dkr.ecr.us-east-1.amazonaws.com/docker-hub/datadog/agent`).
 * The Cluster Agent (`cluster-agent`) and others are not the Agent.
 */
export function isAgentImage(repository: string): boolean {
  const r = repository.toLowerCase();
  return AGENT_REPOSITORIES.includes(r) || r.endsWith('/datadog/agent') || r.endsWith('/datadoghq/agent');
}

/** `7.78.1`, `7.78.1-jmx`, `7.60` → the numbers; undefined for `latest`, `7`, `7-jmx`, `main`, a digest… */
export function tagVersion(tag: string): [number, number, number | undefined] | undefined {
  const m = /^v?(\d{1,4})\.(\d{1,4})(?:\.(\d{1,6}))?(?:[-+].*)?$/.exec(tag.trim());
  if (!m) return undefined;
  return [Number(m[1]), Number(m[2]), m[3] === undefined ? undefined : Number(m[3])];
}

/** Whether a version is older than `min` (a version without its patch is compared by major and minor: `7.78` is any 7.78.x). */
export function isOlder(v: readonly [number, number, number | undefined], min: readonly [number, number, number] = MIN_AGENT_VERSION): boolean {
  if (v[0] !== min[0]) return v[0] < min[0];
  if (v[1] !== min[1]) return v[1] < min[1];
  return v[2] !== undefined && v[2] < min[2];
}

export interface AgentImageVersion {
  /** The tag as written, for messages. */
  tag: string;
  version: [number, number, number | undefined];
}

/**
 * The version an Agent image reference names, when it is an Agent image and
 * its tag names one; undefined otherwise (not an Agent, `latest`, a digest, a
 * value the file does not state). A reference without a repository is the
 * form's default Agent image with a tag given apart (Helm `agents.image.tag`).
 */
export function parseAgentImage(ref: ImageRef): AgentImageVersion | undefined {
  if (ref.unknown) return undefined;
  const parsed = ref.repository !== undefined ? parseImage(ref.repository) : undefined;
  if (parsed && !isAgentImage(parsed.repository)) return undefined;
  if (parsed?.digest !== undefined) return undefined;
  const tag = ref.tag ?? parsed?.tag;
  if (tag === undefined) return undefined;
  const version = tagVersion(tag);
  return version ? { tag, version } : undefined;
}

export function formatVersion(v: readonly [number, number, number | undefined]): string {
  return v[2] === undefined ? `${v[0]}.${v[1]}` : `${v[0]}.${v[1]}.${v[2]}`;
}
