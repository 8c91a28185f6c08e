// What other code (tests, a cluster primary, a batch job) builds the dog walker from.
export { type AppOptions, createApp, type DogWalkerApp } from './app.js';
export { main, parseSettings, USAGE } from './cli.js';
export { resolveMetricsCredentials } from './credentials.js';
export { DEFAULT_DATABASE_URL, locateDatabase } from './database/database-url.js';
export { type Database, migrateDatabase, openDatabase } from './database/open-database.js';
export { FRAMEWORKS, type Framework } from './frameworks.js';
export { createBusinessMetrics, INVALID_WALK_REASONS } from './metrics/business-metrics.js';
export { type RunningServer, type ServerOptions, startServer } from './server.js';
export { type Simulator, type SimulatorOptions, startSimulator } from './simulator.js';
