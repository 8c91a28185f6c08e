// Business metrics and the metrics server from CommonJS, without a web framework.
const { counter, startMetricsServer } = require('@promenade/core');

counter({ name: 'kennel_dogs_admitted_total', help: 'Dogs admitted.' }).inc();
startMetricsServer({ port: Number(process.env.PORT) }).then((server) => {
  console.log(`Metrics at ${server.url}`);
});
