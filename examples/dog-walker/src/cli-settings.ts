import type { Framework } from './frameworks.js';

/** What the command line and the environment settle on; read by cli.ts and cluster-mode.ts. */
export interface CliSettings {
  readonly framework: Framework;
  readonly port: number;
  readonly host: string;
  readonly simulator: boolean;
  readonly rate: number;
  /** --native-histograms: native histograms beside the classic ones (HTTP and walk distance). */
  readonly nativeHistograms: boolean;
  /** --exemplars: a tracer in the app, and its trace ids on the latency buckets. */
  readonly exemplars: boolean;
  readonly help: boolean;
}
