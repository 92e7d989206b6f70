/**
 * `npm run bench:duel -- <scenario> <before main.js> <after main.js> [rounds]`:
 * two builds of the app served at the same time, on one database, each under
 * its own half of the bench's connections, for `rounds` runs of
 * BENCH_DURATION seconds after one BENCH_WARMUP. On a machine whose speed
 * drifts between rounds and stops in bursts (docs/performance.md, fifteenth
 * pass), alternating rounds of two builds measure the machine as much as
 * the change; served at once, both get every burst and every drift, and each
 * round's CPU per request compares them.
 *
 *   scenario: gas | myOrders | sellerOrders | place
 *   main.js: a build's entry point, e.g. a copy of `dist/` made before the change
 *     (`cp -r dist dist-ab/before`, git-ignored) against `dist/src/main.js`.
 *   PROFILE_DB=<postgres url of a database the bench kept> reuses it (vacuumed first);
 *     otherwise a fresh one is loaded on DATABASE_URL's server and dropped after.
 */
import { resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { loadBenchConfig, productionNodeFlags } from './config.js';
import { scenarioDatabase } from './kept-database.js';
import { fire, type LoadSpec } from './load.js';
import { cpuMsOf, startServer, type Server } from './processes.js';
import { runScript } from './script.js';

const root = fileURLToPath(new URL('../..', import.meta.url));
const [scenario, before, after, roundsArg] = process.argv.slice(2);
const rounds = Number(roundsArg ?? 3);
const config = loadBenchConfig();

interface Sample {
  requestsPerSecond: number;
  p50: number;
  p99: number;
  cpuMsPerRequest: number;
}

/** One run of both servers at once: each one's requests/s, latency and CPU per request. */
async function together(servers: Server[], spec: LoadSpec, seconds: number): Promise<Sample[]> {
  const cpuBefore = servers.map((server) => cpuMsOf(server.pid));
  const connections = Math.max(1, Math.floor(config.connections / servers.length));
  const results = await Promise.all(servers.map((server) => fire(server.baseUrl, spec, { seconds }, connections)));
  return results.map((result, i) => ({
    requestsPerSecond: result.requests.average,
    p50: result.latency.p50,
    p99: result.latency.p99,
    cpuMsPerRequest: (cpuMsOf(servers[i].pid) - cpuBefore[i]) / Math.max(1, result.requests.total),
  }));
}

async function main(): Promise<void> {
  if (!scenario || !before || !after || !Number.isInteger(rounds) || rounds < 1) {
    throw new Error('usage: npm run bench:duel -- <gas|myOrders|sellerOrders|place> <before main.js> <after main.js> [rounds]');
  }
  const db = await scenarioDatabase(config, scenario);
  const { spec } = db;
  const servers: Server[] = [];
  try {
    for (const [name, main] of [['before', before], ['after', after]]) {
      servers.push(await startServer(name, resolve(main), db.appEnv, '/health/ready', productionNodeFlags(root)));
    }
    console.log(`${scenario}: ${before} (before) and ${after} (after) served at once, ${Math.floor(config.connections / 2)} connections each, ` +
      `${config.warmup} s warm-up, ${rounds} × ${config.duration} s`);
    if (config.warmup > 0) await together(servers, spec, config.warmup);
    const changes: number[] = [];
    for (let round = 1; round <= rounds; round++) {
      const [b, a] = await together(servers, spec, config.duration);
      const change = a.cpuMsPerRequest / b.cpuMsPerRequest - 1;
      changes.push(change);
      const show = (s: Sample) => `${s.requestsPerSecond.toFixed(0)} req/s, p50 ${s.p50} ms, p99 ${s.p99} ms, CPU ${s.cpuMsPerRequest.toFixed(3)} ms/req`;
      console.log(`  round ${round}: before ${show(b)} | after ${show(a)} | CPU per request ${(change * 100).toFixed(1)} %`);
    }
    const mean = changes.reduce((sum, c) => sum + c, 0) / changes.length;
    console.log(`CPU per request, after against before: ${(mean * 100).toFixed(1)} % on average ` +
      `(${(Math.min(...changes) * 100).toFixed(1)} to ${(Math.max(...changes) * 100).toFixed(1)} %)`);
  } finally {
    for (const server of servers) await server.stop().catch(() => undefined);
    await db.drop();
  }
}

runScript(main);
