// Writes src/exposition/metrics-descriptor.ts, the descriptor of Prometheus' metrics.proto
// (proto/, from prometheus/client_model, Apache-2.0) that the protobuf writer loads.
// Run after updating proto/metrics.proto: node packages/core/scripts/generate-metrics-descriptor.mjs
// test/protobuf-page.test.ts fails when the committed descriptor and the .proto disagree.
import { writeFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { metricsDescriptorSource } from './metrics-descriptor-source.mjs';

const target = fileURLToPath(new URL('../src/exposition/metrics-descriptor.ts', import.meta.url));
writeFileSync(target, metricsDescriptorSource());
console.log(`wrote ${target}`);
