/** A rule as Prometheus reports it once it has evaluated it. */
export interface LoadedRule {
  name: string;
  health: string;
  lastError?: string;
}

/** Every rule the Prometheus at `prometheusUrl` loaded, from its rules API. */
export async function loadedRules(prometheusUrl: string): Promise<LoadedRule[]> {
  const response = await fetch(`${prometheusUrl}/api/v1/rules`);
  const { data } = (await response.json()) as { data: { groups: Array<{ rules: LoadedRule[] }> } };
  return data.groups.flatMap((group) => group.rules);
}

/** The rules whose last evaluation failed, each with Prometheus' reason: empty when all are well. */
export function unhealthy(rules: LoadedRule[]): string[] {
  return rules
    .filter((rule) => rule.health !== 'ok')
    .map((rule) => `${rule.name}: ${rule.health} ${rule.lastError ?? ''}`);
}
