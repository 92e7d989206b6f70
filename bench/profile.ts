/**
 * `npm run bench:profile -- <scenario> [seconds]`: one bench scenario against
 * the built app started with `--cpu-prof`, then the hottest functions and
 * packages by self time. Measure here first, then change what it shows.
 *
 *   scenario: gas | myOrders | sellerOrders | place
 *   PROFILE_DB=<postgres url of a database the bench loaded> skips the load; it is vacuumed
 *   first, as the bench's load leaves it (placing orders updates items, which clears the
 *   visibility map the gas count's index-only scan reads: unvacuumed, it read 417 rows from the table)
 *   (BENCH_KEEP_DB=1 npm run bench keeps one); otherwise a fresh one is made and dropped.
 *   PROFILE_OFF=1 only measures (no profiler attached), for quick before/after figures.
 *   PROFILE_MAIN=<script> profiles another entry point than dist/src/main.js.
 *   PROFILE_NODE_FLAGS='<flags>' replaces the flags of `npm run start:prod` the app runs with.
 *   PROFILE_GC=1 also counts V8's scavenges and mark-compacts during the measured run
 *   (a `gc` PerformanceObserver preloaded into the app, bench/gc-observer.ts).
 *   PROFILE_JIT=1 reports instead how many functions V8 optimises in each 5 s of load
 *   (`--trace-opt`), from a cold start, for `seconds` in all: how long a warm-up must be
 *   before a run measures the steady state rather than the compiler.
 *   PROFILE_INSTRUCTIONS=<requests> counts instructions instead (valgrind's callgrind, all
 *   threads, GC and JIT compilation included): the app's instructions per request over that
 *   many requests at 8 connections, after PROFILE_WARMUP (default 200) unmeasured. Slow
 *   (~30 requests/s). After 200 requests V8 is still optimising (its compiler threads are
 *   a third of the count, which then repeats only to about 3 %); PROFILE_WARMUP=3000
 *   PROFILE_INSTRUCTIONS=1000 measures the steady state (README, Performance).
 */
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import pg from 'pg';
import { loadBenchConfig, productionNodeFlags } from './config.js';
import { scenarioDatabase } from './kept-database.js';
import { fire, LoadSpec, measure } from './load.js';
import { cpuMsOf, startServer, type Server } from './processes.js';
import type { GcTotals } from './gc-observer.js';
import { runScript } from './script.js';

const root = fileURLToPath(new URL('../..', import.meta.url));
const scenario = process.argv[2] ?? 'gas';
const seconds = Number(process.argv[3] ?? 10);
const config = loadBenchConfig();
const countedRequests = Number(process.env.PROFILE_INSTRUCTIONS ?? 0);
const warmupRequests = Number(process.env.PROFILE_WARMUP ?? 200);
const jit = Boolean(process.env.PROFILE_JIT);
const gc = Boolean(process.env.PROFILE_GC);
const profiling = !process.env.PROFILE_OFF && !countedRequests && !jit;
const nodeFlags = process.env.PROFILE_NODE_FLAGS?.split(/\s+/).filter(Boolean) ?? productionNodeFlags(root);

interface ProfileNode {
  id: number;
  callFrame: { functionName: string; url: string; lineNumber: number };
  children?: number[];
}
interface CpuProfile {
  nodes: ProfileNode[];
  samples: number[];
  timeDeltas: number[];
}

function summarise(profile: CpuProfile): void {
  const byId = new Map(profile.nodes.map((n) => [n.id, n]));
  const self = new Map<number, number>();
  profile.samples.forEach((id, i) => self.set(id, (self.get(id) ?? 0) + (profile.timeDeltas[i] ?? 0)));
  const total = [...self.values()].reduce((a, b) => a + b, 0);
  const where = (url: string) => {
    const m = /node_modules\/((?:@[^/]+\/)?[^/]+)/.exec(url);
    if (m) return m[1];
    if (url.includes('/dist/src/')) return 'app: ' + url.split('/dist/src/')[1].split('/')[0];
    if (url.startsWith('node:')) return url;
    return url ? 'other' : '(native / gc / idle)';
  };
  const byPackage = new Map<string, number>();
  const byFunction = new Map<string, number>();
  for (const [id, us] of self) {
    const frame = byId.get(id)!.callFrame;
    byPackage.set(where(frame.url), (byPackage.get(where(frame.url)) ?? 0) + us);
    const fn = `${frame.functionName || '(anonymous)'} ${frame.url.replace(/^.*node_modules\//, '').replace(/^.*dist\//, '')}:${frame.lineNumber + 1}`;
    byFunction.set(fn, (byFunction.get(fn) ?? 0) + us);
  }
  const top = (m: Map<string, number>, n: number) =>
    [...m].sort((a, b) => b[1] - a[1]).slice(0, n).map(([k, v]) => `  ${((v / total) * 100).toFixed(1).padStart(5)} %  ${k}`).join('\n');
  console.log(`\nSelf time by package (${(total / 1e6).toFixed(1)} s sampled):\n${top(byPackage, 25)}`);
  console.log(`\nHottest functions:\n${top(byFunction, 40)}`);
}

/** Runs the app under callgrind, writing its counts into `dir`. */
function callgrind(dir: string) {
  return {
    command: ['valgrind', '--tool=callgrind', `--callgrind-out-file=${join(dir, 'callgrind.out')}`, '--smc-check=all-non-file', '--dump-instr=no'],
    readyWithinMs: 300_000,
  };
}

/** The app's instructions per request over PROFILE_INSTRUCTIONS requests, after a warm-up. */
async function countInstructions(app: Server, spec: LoadSpec, dir: string): Promise<void> {
  // callgrind_control finds the process by the HOST and USER it started with (startServer sets HOST).
  const control = (command: string) => execFileSync('callgrind_control', [command, String(app.pid)], { env: { ...process.env, HOST: '127.0.0.1' }, stdio: 'ignore' });
  await fire(app.baseUrl, spec, { requests: warmupRequests }, 8);
  control('-z');
  const result = await fire(app.baseUrl, spec, { requests: countedRequests }, 8);
  control('-d');
  const dump = readdirSync(dir).filter((f) => /^callgrind\.out\.\d+$/.test(f)).sort().pop();
  const total = dump && /^(?:summary|totals):\s+(\d+)/m.exec(readFileSync(join(dir, dump), 'utf8'))?.[1];
  if (!total) throw new Error('callgrind wrote no counts');
  const requests = result.requests.total;
  console.log(`${scenario}: ${(Number(total) / requests / 1e6).toFixed(2)} M instructions per request (callgrind, ${requests} requests, ${result['2xx']} 2xx, after ${warmupRequests} unmeasured)`);
}

/** V8's `--trace-opt` line for each function it finished optimising. */
const OPTIMISED = /^\[completed compiling /;

/** Functions optimised in each 5 s of load, from a cold start. */
async function countOptimisations(app: Server, spec: LoadSpec): Promise<void> {
  const phases: string[] = [];
  for (let start = 0; start < seconds; start += 5) {
    const before = app.counted(OPTIMISED);
    const result = await fire(app.baseUrl, spec, { seconds: 5 }, config.connections);
    phases.push(`  ${String(start).padStart(3)}-${start + 5} s: ${String(app.counted(OPTIMISED) - before).padStart(4)} optimised, ${result.requests.total} requests`);
  }
  console.log(`${scenario}: functions V8 optimised per 5 s of load (${config.connections} connections, from a cold start)\n${phases.join('\n')}`);
}

const LOCAL_HOSTS = new Set(['localhost', '127.0.0.1', '[::1]']);

/**
 * The server processes serving the app's connections to the database at
 * `url` (after the warm-up, its pool is open), when PostgreSQL runs on this
 * machine: their CPU over the measured run is PostgreSQL's share of a
 * request, which the app's own CPU figure leaves out. None on the embedded
 * database, which runs inside the app.
 */
async function localBackends(url: string, embedded: boolean): Promise<number[]> {
  if (embedded || !LOCAL_HOSTS.has(new URL(url).hostname)) return [];
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    const { rows } = await client.query<{ pid: number }>(
      `SELECT pid FROM pg_stat_activity WHERE datname = current_database() AND pid <> pg_backend_pid() AND backend_type = 'client backend'`,
    );
    return rows.map((r) => r.pid).filter((pid) => !Number.isNaN(cpuMsOf(pid)));
  } catch {
    return [];
  } finally {
    await client.end();
  }
}

/** CPU ms of the processes together; NaN when there are none. */
function sumCpuMs(pids: number[]): number {
  return pids.length === 0 ? NaN : pids.reduce((sum, pid) => sum + cpuMsOf(pid), 0);
}

async function main(): Promise<void> {
  const db = await scenarioDatabase(config, scenario);
  const { url, spec } = db;
  try {
    const dir = mkdtempSync(join(tmpdir(), 'gas-profile-'));
    const main = process.env.PROFILE_MAIN ?? `${root}dist/src/main.js`;
    const app = await startServer('app', main, {
      ...db.appEnv,
      ...(gc ? { GC_OBSERVER_FILE: join(dir, 'gc.json') } : {}),
    }, '/health/ready', [
      ...nodeFlags,
      ...(gc ? ['--import', fileURLToPath(new URL('./gc-observer.js', import.meta.url))] : []),
      ...(profiling ? ['--cpu-prof', `--cpu-prof-dir=${dir}`] : []),
      ...(jit ? ['--trace-opt'] : []),
    ], countedRequests ? callgrind(dir) : undefined, jit ? [OPTIMISED] : []);
    if (jit) {
      try {
        await countOptimisations(app, spec);
      } finally {
        await app.stop();
        rmSync(dir, { recursive: true });
      }
      return;
    }
    if (countedRequests) {
      try {
        await countInstructions(app, spec, dir);
      } finally {
        await app.stop();
        rmSync(dir, { recursive: true });
      }
      return;
    }
    const gcTotals = (): GcTotals => JSON.parse(readFileSync(join(dir, 'gc.json'), 'utf8'));
    await fire(app.baseUrl, spec, { seconds: config.warmup }, config.connections);
    const gcBefore = gc ? gcTotals() : undefined;
    const backends = await localBackends(url, db.embedded);
    const backendsBefore = sumCpuMs(backends);
    const result = await measure(app.baseUrl, app.pid, spec, { seconds, warmup: 0, connections: config.connections });
    const backendsMs = sumCpuMs(backends) - backendsBefore;
    const gcAfter = gc ? gcTotals() : undefined;
    await app.stop();
    const database = Number.isNaN(backendsMs) ? '' : `, PostgreSQL ${(backendsMs / Math.max(1, result.total)).toFixed(2)} ms/req (${backends.length} backends)`;
    console.log(`${scenario} (node ${nodeFlags.join(' ')}): ${result.requestsPerSecond.toFixed(0)} req/s, p50 ${result.p50} ms, p99 ${result.p99} ms, CPU ${result.cpuMsPerRequest.toFixed(2)} ms/req${database}, load generator ${result.loadCpuMsPerRequest.toFixed(2)} ms/req, peak RSS ${result.peakRssMb.toFixed(0)} MB, statuses ${JSON.stringify(result.statusCounts)}`);
    if (gcBefore && gcAfter) {
      console.log(`GC in the measured ${seconds} s: ${gcAfter.scavenges - gcBefore.scavenges} scavenges (${(gcAfter.scavengeMs - gcBefore.scavengeMs).toFixed(0)} ms of the main thread), ` +
        `${gcAfter.markCompacts - gcBefore.markCompacts} mark-compacts (${(gcAfter.markCompactMs - gcBefore.markCompactMs).toFixed(0)} ms)`);
    }
    if (!profiling) return;
    const file = readdirSync(dir).find((f) => f.endsWith('.cpuprofile'));
    if (!file) throw new Error('the app wrote no .cpuprofile');
    summarise(JSON.parse(readFileSync(join(dir, file), 'utf8')));
    if (process.env.PROFILE_KEEP) console.log(`\nProfile: ${join(dir, file)}`);
    else rmSync(dir, { recursive: true });
  } finally {
    await db.drop();
  }
}

runScript(main);
