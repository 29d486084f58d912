import { stringify } from 'yaml';

/**
 * The one way generated YAML is written. Every map is sorted by key (the same rule
 * `kubectl get -o yaml` follows), so output never depends on the order a Dockfile was written in.
 * `compat: 'yaml-1.1'` quotes strings such as `on`, `yes` or `0755` that YAML 1.1 readers
 * (sigs.k8s.io/yaml, PyYAML) would otherwise turn into booleans or octal numbers, and
 * `aliasDuplicateObjects: false` keeps a label map used twice from becoming an anchor.
 */
export function toYaml(document: unknown): string {
  return stringify(document, {
    sortMapEntries: true,
    compat: 'yaml-1.1',
    aliasDuplicateObjects: false,
    lineWidth: 0,
    indentSeq: true,
  });
}
