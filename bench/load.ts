import autocannon from 'autocannon';
import { cpuMsOf, sampleRss } from './processes.js';

/** One request shape; `next` may vary it per request (tokens, items). */
export interface LoadSpec {
  method: 'GET' | 'POST';
  path: string;
  /** Called for every request: the Authorization header and the JSON body to send. */
  next(): { token: string; body?: unknown };
  /** Statuses other than 2xx that this scenario expects (e.g. 409 when stock runs out). */
  expected?: number[];
}

export interface RunResult {
  requestsPerSecond: number;
  p50: number;
  p90: number;
  p99: number;
  max: number;
  total: number;
  ok2xx: number;
  /** Non-2xx responses the scenario expects (409 insufficient_stock in the race). */
  expectedErrors: number;
  /** Everything else: other non-2xx statuses, socket errors, timeouts. */
  unexpectedErrors: number;
  statusCounts: Record<string, number>;
  /** Highest RSS of the server during the measured run, in MB. */
  peakRssMb: number;
  /** The server process's CPU time per completed request: steadier than req/s on a busy machine. */
  cpuMsPerRequest: number;
  /** The load generator's own CPU time per completed request (this process: it shares the two cores with the servers). */
  loadCpuMsPerRequest: number;
}

/** Runs `spec` for a number of seconds, or for a number of requests. */
export function fire(
  baseUrl: string,
  spec: LoadSpec,
  length: { seconds: number } | { requests: number },
  connections: number,
  /** Leave the result unaggregated (`RawResult`), for `aggregateResult` to merge with others. */
  raw = false,
): Promise<autocannon.Result> {
  return autocannon({
    url: baseUrl,
    connections,
    ...('seconds' in length ? { duration: length.seconds } : { amount: length.requests }),
    pipelining: 1,
    timeout: 30,
    skipAggregateResult: raw,
    requests: [
      {
        method: spec.method,
        path: spec.path,
        setupRequest: (request) => {
          const { token, body } = spec.next();
          request.headers = { ...request.headers, authorization: `Bearer ${token}` };
          if (body !== undefined) {
            request.headers['content-type'] = 'application/json';
            request.body = JSON.stringify(body);
          }
          return request;
        },
      },
    ],
  });
}

/** An autocannon run's result before aggregation: its latencies as an encoded histogram. */
interface RawResult {
  totalCompletedRequests: number;
  /** Seconds the run lasted. */
  duration: number;
}

/**
 * Merges raw runs as autocannon merges its workers' (its exported `aggregateResult`,
 * which its types leave out): one latency histogram over all of them.
 */
const { aggregateResult } = autocannon as unknown as {
  aggregateResult(results: RawResult[], options: { url: string; connections: number }): autocannon.Result;
};

/** A server under load: where it listens and its process. */
export interface Target {
  baseUrl: string;
  pid: number;
}

/** One measured stretch of load on a server, with what it cost the server and this process. */
interface Stretch {
  raw: RawResult;
  serverCpuMs: number;
  loadCpuMs: number;
  peakRssMb: number;
}

async function stretch(target: Target, spec: LoadSpec, seconds: number, connections: number): Promise<Stretch> {
  const rss = sampleRss(target.pid);
  const cpuBefore = cpuMsOf(target.pid);
  const loadCpuBefore = process.cpuUsage();
  const raw = (await fire(target.baseUrl, spec, { seconds }, connections, true)) as unknown as RawResult;
  const loadCpu = process.cpuUsage(loadCpuBefore);
  return { raw, serverCpuMs: cpuMsOf(target.pid) - cpuBefore, loadCpuMs: (loadCpu.user + loadCpu.system) / 1000, peakRssMb: rss.stop() };
}

/** One server's stretches as one result. */
function summarise(target: Target, spec: LoadSpec, stretches: Stretch[], connections: number): RunResult {
  const result = aggregateResult(stretches.map((s) => s.raw), { url: target.baseUrl, connections });
  const requests = Math.max(1, result.requests.total);
  const seconds = stretches.reduce((sum, s) => sum + s.raw.duration, 0);
  const statusCounts: Record<string, number> = {};
  for (const [code, stat] of Object.entries(result.statusCodeStats ?? {})) {
    if (stat?.count) statusCounts[code] = Number(stat.count);
  }
  const expected = new Set((spec.expected ?? []).map(String));
  let expectedErrors = 0;
  let otherNon2xx = 0;
  for (const [code, count] of Object.entries(statusCounts)) {
    if (code.startsWith('2')) continue;
    if (expected.has(code)) expectedErrors += count;
    else otherNon2xx += count;
  }
  return {
    requestsPerSecond: result.requests.total / seconds,
    p50: result.latency.p50,
    p90: result.latency.p90,
    p99: result.latency.p99,
    max: result.latency.max,
    total: result.requests.total,
    ok2xx: result['2xx'],
    expectedErrors,
    unexpectedErrors: otherNon2xx + result.errors, // errors include timeouts
    statusCounts,
    peakRssMb: Math.max(...stretches.map((s) => s.peakRssMb)),
    cpuMsPerRequest: stretches.reduce((sum, s) => sum + s.serverCpuMs, 0) / requests,
    loadCpuMsPerRequest: stretches.reduce((sum, s) => sum + s.loadCpuMs, 0) / requests,
  };
}

/** A warm-up (not recorded), then the measured run, sampling the server's RSS throughout. */
export async function measure(
  baseUrl: string,
  pid: number,
  spec: LoadSpec,
  options: { seconds: number; warmup: number; connections: number },
): Promise<RunResult> {
  const target = { baseUrl, pid };
  if (options.warmup > 0) await fire(baseUrl, spec, { seconds: options.warmup }, options.connections);
  return summarise(target, spec, [await stretch(target, spec, options.seconds, options.connections)], options.connections);
}

/**
 * Two servers measured for the same time, in turns: each warmed up, then
 * half of each one's time, A B B A, each server's halves merged into one
 * result (one latency histogram). The machine's speed drifts; run one after
 * the other, ten seconds each, the app and the reference met different
 * machines, and a ratio missed where the machine slowed in the app's ten
 * seconds and not the reference's (docs/performance.md, fifteenth pass). In
 * turns, a steady drift falls on both alike.
 */
export async function measureInTurns(
  [first, second]: [Target, Target],
  spec: LoadSpec,
  options: { seconds: number; warmup: number; connections: number },
): Promise<[RunResult, RunResult]> {
  if (options.warmup > 0) {
    for (const target of [first, second]) await fire(target.baseUrl, spec, { seconds: options.warmup }, options.connections);
  }
  const half = options.seconds / 2;
  const a = [await stretch(first, spec, half, options.connections)];
  const b = [await stretch(second, spec, half, options.connections)];
  b.push(await stretch(second, spec, half, options.connections));
  a.push(await stretch(first, spec, half, options.connections));
  return [summarise(first, spec, a, options.connections), summarise(second, spec, b, options.connections)];
}

/** Cycles through a list. */
export function rotate<T>(values: readonly T[]): () => T {
  let i = 0;
  return () => values[i++ % values.length];
}
