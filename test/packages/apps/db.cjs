// The SQLite wrapper from CommonJS, served by core's metrics server.
const Database = require('better-sqlite3');
const { startMetricsServer } = require('@promenade/core');
const { instrumentBetterSqlite3 } = require('@promenade/db');

const db = instrumentBetterSqlite3(new Database(':memory:'), { alias: 'cjs' });
db.prepare('SELECT 1').get();
startMetricsServer({ port: Number(process.env.PORT) });
