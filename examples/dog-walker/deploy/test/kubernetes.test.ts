import { PrometheusRule } from '@kubernetes-models/prometheus-operator/monitoring.coreos.com/v1/PrometheusRule';
import { ServiceMonitor } from '@kubernetes-models/prometheus-operator/monitoring.coreos.com/v1/ServiceMonitor';
import { Deployment } from 'kubernetes-models/apps/v1/Deployment';
import { CronJob } from 'kubernetes-models/batch/v1/CronJob';
import { Namespace } from 'kubernetes-models/v1/Namespace';
import { Secret } from 'kubernetes-models/v1/Secret';
import { Service } from 'kubernetes-models/v1/Service';
import { describe, expect, it } from 'vitest';
import { crdValidator } from './support/crd-schema.js';
import { loadManifests, type Manifest, only } from './support/manifests.js';
import { deployPath } from './support/paths.js';
import { ruleGroups, ruleObjectYaml } from './support/rule-objects.js';

const vmPodScrape = crdValidator(deployPath('test', 'schemas', 'vmpodscrape.v1beta1.schema.json'));
const vmRule = crdValidator(deployPath('test', 'schemas', 'vmrule.v1beta1.schema.json'));

/** kubernetes-models checks an object against the API's OpenAPI schema; it throws on errors. */
const modelCheck =
  (Model: new (data: never) => { validate(): void }) =>
  (object: unknown): string[] => {
    try {
      new Model(object as never).validate();
      return [];
    } catch (error) {
      return [(error as Error).message];
    }
  };

/** Every kind the manifests may hold, with the schema that checks it. */
const VALIDATORS: Record<string, (object: unknown) => string[]> = {
  'v1/Namespace': modelCheck(Namespace),
  'v1/Secret': modelCheck(Secret),
  'v1/Service': modelCheck(Service),
  'apps/v1/Deployment': modelCheck(Deployment),
  'batch/v1/CronJob': modelCheck(CronJob),
  'monitoring.coreos.com/v1/ServiceMonitor': modelCheck(ServiceMonitor),
  'monitoring.coreos.com/v1/PrometheusRule': modelCheck(PrometheusRule),
  'operator.victoriametrics.com/v1beta1/VMPodScrape': vmPodScrape,
  'operator.victoriametrics.com/v1beta1/VMRule': vmRule,
};

const withoutFile = ({ file: _file, ...object }: Manifest) => object;

type Labels = Record<string, string>;
type SecretKeySelector = { name: string; key: string };
type BasicAuth = { username: SecretKeySelector; password: SecretKeySelector };
interface PodSpec {
  containers: Array<{
    name: string;
    image: string;
    env?: Array<{ name: string; value?: string; valueFrom?: { secretKeyRef?: SecretKeySelector } }>;
    ports?: Array<{ name: string; containerPort: number }>;
    readinessProbe?: { httpGet: { port: string | number } };
    livenessProbe?: { httpGet: { port: string | number } };
  }>;
}
interface PodTemplate {
  metadata: { labels: Labels };
  spec: PodSpec;
}

const matches = (selector: Labels, labels: Labels | undefined) =>
  Object.entries(selector).every(([key, value]) => labels?.[key] === value);

describe('the Kubernetes manifests', () => {
  const manifests = loadManifests();

  it('are each valid against the schema of their kind', () => {
    const errors = manifests.flatMap((manifest) => {
      const validate = VALIDATORS[`${manifest.apiVersion}/${manifest.kind}`];
      if (!validate) return [`${manifest.file}: no schema for ${manifest.apiVersion} ${manifest.kind}`];
      return validate(withoutFile(manifest)).map((error) => `${manifest.file}: ${error}`);
    });
    expect(errors).toEqual([]);
    expect(manifests.map((m) => m.kind).sort()).toEqual([
      'CronJob',
      'Deployment',
      'Deployment',
      'Namespace',
      'PrometheusRule',
      'Secret',
      'Secret',
      'Service',
      'Service',
      'ServiceMonitor',
      'ServiceMonitor',
      'VMPodScrape',
      'VMPodScrape',
      'VMRule',
    ]);
  });

  it('are checked strictly enough to catch a secretKeyRef inside basicAuth', () => {
    const misplaced = {
      username: { secretKeyRef: { name: 'dogwalker-metrics', key: 'username' } },
      password: { secretKeyRef: { name: 'dogwalker-metrics', key: 'password' } },
    };
    const monitor = withoutFile(only(manifests, 'ServiceMonitor', 'dogwalker')) as unknown as {
      spec: { endpoints: object[] };
    };
    const badMonitor = {
      ...monitor,
      spec: { ...monitor.spec, endpoints: [{ ...monitor.spec.endpoints[0], basicAuth: misplaced }] },
    };
    expect(VALIDATORS['monitoring.coreos.com/v1/ServiceMonitor']!(badMonitor).join('\n')).toMatch(
      /basicAuth\/username must have required property key/,
    );
    const scrape = withoutFile(only(manifests, 'VMPodScrape', 'dogwalker')) as unknown as {
      spec: { podMetricsEndpoints: object[] };
    };
    const badScrape = {
      ...scrape,
      spec: {
        ...scrape.spec,
        podMetricsEndpoints: [{ ...scrape.spec.podMetricsEndpoints[0], basicAuth: misplaced }],
      },
    };
    expect(vmPodScrape(badScrape)).toEqual(
      expect.arrayContaining([
        "/spec/podMetricsEndpoints/0/basicAuth/username must have required property 'key'",
        '/spec/podMetricsEndpoints/0/basicAuth/username must NOT have additional properties (secretKeyRef)',
      ]),
    );
    // A field the CRD does not know, such as Prometheus' own snake_case, is refused too.
    const snakeCase = { ...scrape, spec: { ...scrape.spec, scrape_timeout: '10s' } };
    expect(vmPodScrape(snakeCase)).toEqual(['/spec must NOT have additional properties (scrape_timeout)']);
  });

  it('all live in the namespace that the Namespace creates', () => {
    const namespace = only(manifests, 'Namespace').metadata.name;
    const others = manifests.filter((m) => m.kind !== 'Namespace');
    expect(others.map((m) => `${m.kind} ${m.metadata.namespace}`)).toEqual(
      others.map((m) => `${m.kind} ${namespace}`),
    );
    const scrapeObjects = manifests.filter((m) => m.kind === 'ServiceMonitor' || m.kind === 'VMPodScrape');
    const selectors = scrapeObjects.map(
      (m) => (m.spec as { namespaceSelector: { matchNames: string[] } }).namespaceSelector.matchNames,
    );
    expect(selectors).toEqual(scrapeObjects.map(() => [namespace]));
  });

  describe('refer to each other consistently', () => {
    const deployment = only(manifests, 'Deployment', 'dogwalker');
    const { selector, template } = deployment.spec as {
      selector: { matchLabels: Labels };
      template: PodTemplate;
    };
    const container = template.spec.containers[0]!;
    const portNames = (container.ports ?? []).map((port) => port.name);
    const service = only(manifests, 'Service', 'dogwalker');
    const serviceSpec = service.spec as {
      selector: Labels;
      ports: Array<{ name: string; targetPort: string }>;
    };
    const monitor = only(manifests, 'ServiceMonitor', 'dogwalker').spec as {
      selector: { matchLabels: Labels };
      endpoints: Array<{ port: string; basicAuth: BasicAuth }>;
    };
    const scrape = only(manifests, 'VMPodScrape', 'dogwalker').spec as {
      selector: { matchLabels: Labels };
      podMetricsEndpoints: Array<{ port: string; basicAuth: BasicAuth }>;
    };
    const secret = only(manifests, 'Secret', 'dogwalker-metrics');
    const secretKeys = Object.keys({ ...(secret.stringData as Labels), ...(secret.data as Labels) });

    it('the Deployment selects its own pods, and the Service selects them too', () => {
      expect(matches(selector.matchLabels, template.metadata.labels)).toBe(true);
      expect(matches(serviceSpec.selector, template.metadata.labels)).toBe(true);
    });

    it('the Service, the probes and both scrape objects name ports the container has', () => {
      expect(portNames).toEqual(['http', 'metrics']);
      expect(serviceSpec.ports.map((port) => port.targetPort)).toEqual(['http', 'metrics']);
      expect([container.readinessProbe?.httpGet.port, container.livenessProbe?.httpGet.port]).toEqual([
        'http',
        'http',
      ]);
      // A ServiceMonitor's port is the Service's port name; a VMPodScrape's is the container's.
      expect(monitor.endpoints.map((endpoint) => endpoint.port)).toEqual(['metrics']);
      expect(serviceSpec.ports.map((port) => port.name)).toContain('metrics');
      expect(scrape.podMetricsEndpoints.map((endpoint) => endpoint.port)).toEqual(['metrics']);
    });

    it('the ServiceMonitor selects the Service, and the VMPodScrape the pods', () => {
      expect(matches(monitor.selector.matchLabels, service.metadata.labels)).toBe(true);
      expect(matches(scrape.selector.matchLabels, template.metadata.labels)).toBe(true);
      // Not the CronJob's pods: they serve no /metrics.
      const cronJob = only(manifests, 'CronJob').spec as {
        jobTemplate: { spec: { template: PodTemplate } };
      };
      expect(matches(scrape.selector.matchLabels, cronJob.jobTemplate.spec.template.metadata.labels)).toBe(
        false,
      );
    });

    it('the app and both scrape objects read the same keys of the one Secret', () => {
      const fromSecret = Object.fromEntries(
        (container.env ?? []).flatMap((variable) =>
          variable.valueFrom?.secretKeyRef ? [[variable.name, variable.valueFrom.secretKeyRef]] : [],
        ),
      );
      const credentials = {
        username: { name: secret.metadata.name, key: 'username' },
        password: { name: secret.metadata.name, key: 'password' },
      };
      expect(fromSecret).toMatchObject({
        PROMENADE_METRICS_USERNAME: credentials.username,
        PROMENADE_METRICS_PASSWORD: credentials.password,
      });
      expect(monitor.endpoints[0]!.basicAuth).toEqual(credentials);
      expect(scrape.podMetricsEndpoints[0]!.basicAuth).toEqual(credentials);
      expect(secretKeys.sort()).toEqual(['password', 'username']);
    });

    it('the app and the report job read the same database URL from its Secret', () => {
      const database = only(manifests, 'Secret', 'dogwalker-database');
      expect(Object.keys(database.stringData as Labels)).toEqual(['url']);
      const cronJob = only(manifests, 'CronJob').spec as { jobTemplate: { spec: { template: PodTemplate } } };
      const batch = cronJob.jobTemplate.spec.template.spec.containers[0]!;
      for (const env of [container.env, batch.env]) {
        const url = env?.find((variable) => variable.name === 'DATABASE_URL');
        expect(url?.valueFrom?.secretKeyRef).toEqual({ name: 'dogwalker-database', key: 'url' });
      }
    });

    it('the CronJob runs the same image and pushes to a Pushgateway', () => {
      const cronJob = only(manifests, 'CronJob').spec as { jobTemplate: { spec: { template: PodTemplate } } };
      const batch = cronJob.jobTemplate.spec.template.spec.containers[0]!;
      expect(batch.image).toBe(container.image);
      const gateway = batch.env?.find((variable) => variable.name === 'PROMENADE_PUSHGATEWAY_URL')?.value;
      expect(gateway).toMatch(/^http:\/\/[a-z0-9.-]+:9091$/);
    });
  });

  describe('the walk-event consumer', () => {
    const consumer = only(manifests, 'Deployment', 'dogwalker-consumer').spec as {
      selector: { matchLabels: Labels };
      template: PodTemplate;
    };
    const container = consumer.template.spec.containers[0]!;
    const app = (only(manifests, 'Deployment', 'dogwalker').spec as { template: PodTemplate }).template.spec
      .containers[0]!;
    const service = only(manifests, 'Service', 'dogwalker-consumer');
    const monitor = only(manifests, 'ServiceMonitor', 'dogwalker-consumer').spec as {
      selector: { matchLabels: Labels };
      endpoints: Array<{ port: string; basicAuth: BasicAuth }>;
    };
    const scrape = only(manifests, 'VMPodScrape', 'dogwalker-consumer').spec as {
      selector: { matchLabels: Labels };
      podMetricsEndpoints: Array<{ port: string; basicAuth: BasicAuth }>;
    };
    const env = (c: typeof container, name: string) => c.env?.find((variable) => variable.name === name);

    it('runs the app image, reads the Redis the app publishes to, with the same credentials', () => {
      expect(container.image).toBe(app.image);
      expect(env(container, 'REDIS_URL')?.value).toBe(env(app, 'REDIS_URL')?.value);
      for (const name of ['PROMENADE_METRICS_USERNAME', 'PROMENADE_METRICS_PASSWORD']) {
        expect(env(container, name)?.valueFrom).toEqual(env(app, name)?.valueFrom);
      }
      expect(monitor.endpoints[0]!.basicAuth).toEqual(scrape.podMetricsEndpoints[0]!.basicAuth);
    });

    it("is scraped on its metrics port by both operators, and the app's scrape objects leave it out", () => {
      expect((container.ports ?? []).map((port) => port.name)).toEqual(['metrics']);
      expect(matches(consumer.selector.matchLabels, consumer.template.metadata.labels)).toBe(true);
      expect(matches(monitor.selector.matchLabels, service.metadata.labels)).toBe(true);
      expect(matches(scrape.selector.matchLabels, consumer.template.metadata.labels)).toBe(true);
      expect(monitor.endpoints.map((endpoint) => endpoint.port)).toEqual(['metrics']);
      const appScrape = only(manifests, 'VMPodScrape', 'dogwalker').spec as {
        selector: { matchLabels: Labels };
      };
      expect(matches(appScrape.selector.matchLabels, consumer.template.metadata.labels)).toBe(false);
    });
  });

  it('carry the rule files unchanged in the PrometheusRule and the VMRule', async () => {
    await expect(ruleObjectYaml('PrometheusRule')).toMatchFileSnapshot(
      '../kubernetes/prometheus-operator/prometheusrule.yaml',
    );
    await expect(ruleObjectYaml('VMRule')).toMatchFileSnapshot(
      '../kubernetes/victoriametrics-operator/vmrule.yaml',
    );
    for (const kind of ['PrometheusRule', 'VMRule'] as const) {
      expect((only(manifests, kind).spec as { groups: unknown }).groups).toEqual(ruleGroups());
    }
  });
});
