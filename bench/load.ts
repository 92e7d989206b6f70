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
): Promise<autocannon.Result> {
  return autocannon({
    url: baseUrl,
    connections,
    ...('seconds' in length ? { duration: length.seconds } : { amount: length.requests }),
    pipelining: 1,
    timeout: 30,
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

/** A warm-up (not recorded), then the measured run, sampling the server's RSS throughout. */
export async function measure(
  baseUrl: string,
  pid: number,
  spec: LoadSpec,
  options: { seconds: number; warmup: number; connections: number },
): Promise<RunResult> {
  if (options.warmup > 0) await fire(baseUrl, spec, { seconds: options.warmup }, options.connections);
  const rss = sampleRss(pid);
  const cpuBefore = cpuMsOf(pid);
  const loadCpuBefore = process.cpuUsage();
  const result = await fire(baseUrl, spec, { seconds: options.seconds }, options.connections);
  const loadCpu = process.cpuUsage(loadCpuBefore);
  const requests = Math.max(1, result.requests.total);
  const cpuMsPerRequest = (cpuMsOf(pid) - cpuBefore) / requests;
  const loadCpuMsPerRequest = (loadCpu.user + loadCpu.system) / 1000 / requests;
  const peakRssMb = rss.stop();

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
    requestsPerSecond: result.requests.average,
    p50: result.latency.p50,
    p90: result.latency.p90,
    p99: result.latency.p99,
    max: result.latency.max,
    total: result.requests.total,
    ok2xx: result['2xx'],
    expectedErrors,
    unexpectedErrors: otherNon2xx + result.errors, // errors include timeouts
    statusCounts,
    peakRssMb,
    cpuMsPerRequest,
    loadCpuMsPerRequest,
  };
}

/**
 * Several runs of one server taken as one: requests/s over their whole time,
 * CPU per request over all their requests, p50 and p90 weighted by each
 * run's requests, and the worst p99 and max (a run's percentiles cannot be
 * merged exactly without its histogram; the highest p99 is the harsher figure).
 */
export function combineRuns(runs: readonly RunResult[], secondsEach: number): RunResult {
  if (runs.length === 1) return runs[0];
  const total = runs.reduce((sum, r) => sum + r.total, 0);
  const weighted = (pick: (r: RunResult) => number) => runs.reduce((sum, r) => sum + pick(r) * r.total, 0) / Math.max(1, total);
  const sum = (pick: (r: RunResult) => number) => runs.reduce((acc, r) => acc + pick(r), 0);
  const statusCounts: Record<string, number> = {};
  for (const run of runs) for (const [code, count] of Object.entries(run.statusCounts)) statusCounts[code] = (statusCounts[code] ?? 0) + count;
  return {
    requestsPerSecond: total / (secondsEach * runs.length),
    p50: Math.round(weighted((r) => r.p50)),
    p90: Math.round(weighted((r) => r.p90)),
    p99: Math.max(...runs.map((r) => r.p99)),
    max: Math.max(...runs.map((r) => r.max)),
    total,
    ok2xx: sum((r) => r.ok2xx),
    expectedErrors: sum((r) => r.expectedErrors),
    unexpectedErrors: sum((r) => r.unexpectedErrors),
    statusCounts,
    peakRssMb: Math.max(...runs.map((r) => r.peakRssMb)),
    cpuMsPerRequest: weighted((r) => r.cpuMsPerRequest),
    loadCpuMsPerRequest: weighted((r) => r.loadCpuMsPerRequest),
  };
}

/** Cycles through a list. */
export function rotate<T>(values: readonly T[]): () => T {
  let i = 0;
  return () => values[i++ % values.length];
}
