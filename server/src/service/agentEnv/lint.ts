// Lints a file that configures Agents through their environment: read it
// (readers.ts), judge what was read (rules.ts). Raw findings, in order;
// suppressions, severities and the cap come with the sink.

import type { Document } from 'yaml';
import { FindingCollector } from '../common/filter';
import { TextIndex } from '../common/textIndex';
import type { Finding } from '../common/types';
import { byStart } from '../agent/lint';
import { readAgentEnv } from './readers';
import { judgeAgentEnv } from './rules';

export function lintAgentEnv(text: string, index = new TextIndex(text), docs?: readonly Document[], sink = new FindingCollector()): Finding[] {
  judgeAgentEnv(readAgentEnv(text, docs), index, sink);
  return sink.findings().sort(byStart);
}
