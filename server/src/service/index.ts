// The language service's public surface.
export * from './common/types';
export { LanguageService, overlaps as rangesOverlap, type ServiceSettings, type SourceDocument } from './languageService';
export { FileClassifier, baseName } from './fileKinds';
export { RULES, ruleInfo, isKnownCode, isSeverityFamily, SEVERITY_FAMILIES, docsUrl, docsHome, setDocsLocation, DIAGNOSTIC_SOURCE, type RuleInfo } from './catalog';
export { rulePageName, ruleHelpMarkdown, ruleHelpText } from './ruleHelp';
export { isSeverityLevel, type SeverityOverrides } from './common/filter';
export type { LoginTarget, LoginTargetFlow } from './loginTargets';
