// The ARN engine: parser, rules, matcher and overlap test. It serves the YAML
// and Terraform rules, hover, the mapping commands' input boxes and the CLI.

export { parseArn, interpolationSpans, KIND_LABELS, type ArnKind, type ArnPart, type Interpolations, type ParsedArn } from './parse';
export { lintArnPattern, type ArnFinding, type ArnFix } from './rules';
export { matches, overlaps, overlapWitness, findOverlaps, wildcardPrefix, MAX_LISTED_OVERLAPS, type Overlap } from './match';
export { describeArn } from './describe';
export { explainLogin, callerArnProblem, type ExplainableMapping, type ExplainOptions, type LoginExplanation, type NearMiss, type NearMissReason } from './explain';

import { lintArnPattern } from './rules';

/**
 * For an input box's live validation: the first error-level problem of a
 * pattern, in words, or undefined when it may be used.
 */
export function validateArnPatternInput(value: string): string | undefined {
  const error = lintArnPattern(value).find((f) => f.severity === 'error');
  return error ? `${error.message} (${error.code})` : undefined;
}

/** The pattern that maps a caller ARN: an assumed-role ARN with its session replaced by `*`. */
export function suggestedPattern(callerArn: string): string {
  // (Trimmed: `aws sts get-caller-identity --output text` ends with a newline.)
  const arn = callerArn.trim();
  const m = /^(arn:[^:]+:sts::\d{12}:assumed-role\/[^/]+\/)[^/]+$/.exec(arn);
  return m ? `${m[1]}*` : arn;
}
