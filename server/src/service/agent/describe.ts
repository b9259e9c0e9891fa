import type { YValue } from './yamlTree';

/** How a YAML value is named in messages: "a list", "a number", … */
export function describeYamlType(v: YValue): string {
  switch (v.kind) {
    case 'map':
      return 'a mapping';
    case 'seq':
      return 'a list';
    default:
      if (v.value === null) return 'empty';
      if (typeof v.value === 'number') return `a number (${v.source})`;
      if (typeof v.value === 'boolean') return `a boolean (${v.source})`;
      return 'a string';
  }
}
