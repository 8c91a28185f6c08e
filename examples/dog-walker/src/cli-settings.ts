import type { Framework } from './frameworks.js';

/** What the command line and the environment settle on; read by cli.ts and cluster-mode.ts. */
export interface CliSettings {
  readonly framework: Framework;
  readonly port: number;
  readonly host: string;
  readonly simulator: boolean;
  readonly rate: number;
  readonly help: boolean;
}
