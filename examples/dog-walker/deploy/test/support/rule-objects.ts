import { readFileSync } from 'node:fs';
import { parse, stringify } from 'yaml';
import { deployPath } from './paths.js';

interface RuleFile {
  groups: Array<{ name: string; rules: Array<Record<string, unknown>> }>;
}

const RULE_FILES = ['recording.yml', 'alerts.yml'];

/** The groups of prometheus/rules/*.yml, in file order: the one source of every rule. */
export function ruleGroups(): RuleFile['groups'] {
  return RULE_FILES.flatMap(
    (file) => (parse(readFileSync(deployPath('prometheus', 'rules', file), 'utf8')) as RuleFile).groups,
  );
}

/**
 * Groups written for native histograms (`-native.` in their name): they return series only from a
 * Prometheus that reads native histograms, and nothing from one that does not.
 */
export function readsNativeHistograms(group: { name: string }): boolean {
  return group.name.includes('-native.');
}

const OPERATORS = {
  PrometheusRule: {
    apiVersion: 'monitoring.coreos.com/v1',
    operator: 'Prometheus operator',
    selection:
      '# Your Prometheus must select it (kube-prometheus-stack: its release label, or\n# ruleSelectorNilUsesHelmValues: false).',
  },
  VMRule: {
    apiVersion: 'operator.victoriametrics.com/v1beta1',
    operator: 'VictoriaMetrics operator',
    selection:
      '# vmalert evaluates it (the operator also converts PrometheusRule objects: apply one of the two).',
  },
} as const;

/**
 * The rule files wrapped in an operator's rule object, as YAML text. The checked-in
 * kubernetes/<operator>/*rule.yaml files must equal this, so they never drift from the rule files
 * that promtool checks and tests (`vitest run -u` rewrites them after a change of the rules).
 */
export function ruleObjectYaml(kind: keyof typeof OPERATORS): string {
  const { apiVersion, operator, selection } = OPERATORS[kind];
  const object = {
    apiVersion,
    kind,
    metadata: {
      name: 'dogwalker',
      namespace: 'dogwalker',
      labels: { 'app.kubernetes.io/name': 'dogwalker', 'app.kubernetes.io/part-of': 'dogwalker' },
    },
    spec: { groups: ruleGroups() },
  };
  const header = [
    `# The recording and alert rules of prometheus/rules/ for the ${operator}.`,
    '# Generated from those files by examples/dog-walker/deploy/test/support/rule-objects.ts: edit',
    '# the rule files, then run `pnpm exec vitest run examples/dog-walker/deploy -u`.',
    selection,
  ].join('\n');
  return `${header}\n${stringify(object, { lineWidth: 0 })}`;
}
