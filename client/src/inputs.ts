// Validated inputs for the login commands: the org UUID, the Datadog site and
// the STS region, each prefilled with what the file said (when it said
// something unusable) and checked as the user types. Undefined = cancelled.
// The shapes are the language service's (identifiers, sites, regions): no
// rule is re-implemented here.

import * as vscode from 'vscode';
import { isUuid, secretKind } from '../../server/src/service/common/identifiers';
import { DATADOG_SITES, findSite } from '../../server/src/service/common/sites';
import { AWS_REGIONS, OTHER_PARTITION_REGIONS, isKnownRegion, isWellFormedRegion } from '../../server/src/service/common/awsRegions';

/** Why an org UUID is not usable, or undefined when it is. */
export function orgUuidProblem(value: string): string | undefined {
  const v = value.trim();
  if (!v) return 'The org UUID is required: find it in Datadog under Organization Settings.';
  const secret = secretKind(v);
  if (secret) return `This looks like a Datadog ${secret}, not an org UUID. Never paste keys here.`;
  if (!isUuid(v)) return 'An org UUID looks like 11111111-2222-3333-4444-555555555555 (8-4-4-4-12 hex digits).';
  return undefined;
}

/** Why a region is not usable ('' = global STS is fine), or undefined. */
export function regionProblem(value: string): string | undefined {
  const v = value.trim();
  if (v === '') return undefined;
  if (OTHER_PARTITION_REGIONS.includes(v)) return `${v} is not in the aws partition: Datadog WIF supports only the aws partition.`;
  if (!isWellFormedRegion(v)) return 'An AWS region looks like us-east-1 (leave empty for global STS).';
  return undefined;
}

export async function askOrgUuid(initial?: string, context?: string): Promise<string | undefined> {
  const value = await vscode.window.showInputBox({
    title: 'Datadog WIF: Datadog org UUID',
    prompt: `The UUID of the Datadog organization to log in to${context ? ` (${context})` : ''}.`,
    placeHolder: '11111111-2222-3333-4444-555555555555',
    value: initial && !secretKind(initial.trim()) ? initial : '',
    ignoreFocusOut: true,
    validateInput: (v) => orgUuidProblem(v),
  });
  return value === undefined ? undefined : value.trim();
}

interface SiteItem extends vscode.QuickPickItem {
  site: string;
}

/** A quick pick of the known sites; for the Agent flow, the sites without it are marked and refused. */
export async function askSite(flow: 'agent' | 'terraform', initial?: string): Promise<string | undefined> {
  const preselect = initial ? findSite(initial)?.site : undefined;
  const items: SiteItem[] = DATADOG_SITES.map((s) => ({
    label: s.site,
    description: s.label,
    detail: flow === 'agent' && s.agentFlow === 'no' ? 'The Agent flow is not available on this site (Terraform flow only)' : flow === 'agent' && s.agentFlow === 'not documented' ? 'The Agent flow is not documented on this site' : `API host ${s.apiHost}`,
    site: s.site,
    picked: s.site === preselect,
  }));
  if (preselect) items.sort((a, b) => (a.site === preselect ? -1 : b.site === preselect ? 1 : 0));
  for (;;) {
    const choice = await vscode.window.showQuickPick(items, {
      title: 'Datadog WIF: Datadog site',
      placeHolder: 'The site of the Datadog organization (where you log in to Datadog)',
      ignoreFocusOut: true,
      matchOnDescription: true,
    });
    if (!choice) return undefined;
    if (flow === 'agent' && findSite(choice.site)?.agentFlow === 'no') {
      void vscode.window.showWarningMessage(`The Agent flow is not available on ${choice.site}; use Test Login (Terraform) there.`);
      continue;
    }
    return choice.site;
  }
}

/** An input box for the STS region: empty means global STS (sts.amazonaws.com). */
export async function askRegion(initial?: string): Promise<string | undefined> {
  const value = await vscode.window.showInputBox({
    title: 'Datadog WIF: STS region',
    prompt: 'The AWS region whose STS endpoint signs the proof (e.g. us-east-1). Leave empty for global STS (sts.amazonaws.com).',
    placeHolder: 'empty = global STS',
    value: initial ?? '',
    ignoreFocusOut: true,
    validateInput: (v): string | vscode.InputBoxValidationMessage | undefined => {
      const problem = regionProblem(v);
      if (problem) return problem;
      const r = v.trim();
      if (r && !isKnownRegion(r)) return { message: `${r} is not a region this extension knows (known: ${AWS_REGIONS.slice(0, 4).join(', ')}, …). It will be used as typed.`, severity: vscode.InputBoxValidationSeverity.Warning };
      return undefined;
    },
  });
  return value === undefined ? undefined : value.trim();
}
