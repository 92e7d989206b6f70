/**
 * `npm run bench`: a fresh database with a realistic data set, the built app
 * and the bare reference server under autocannon, side by side.
 * See README.md, "Performance".
 */
import { randomBytes } from 'node:crypto';
import { existsSync, mkdirSync, writeFileSync } from 'node:fs';
import { cpus, loadavg, totalmem } from 'node:os';
import { fileURLToPath } from 'node:url';
import { BENCH_APP_ENV, loadBenchConfig, productionNodeFlags } from './config.js';
import { connectionSettings, createBenchDatabase, migrate, queryOnce } from './database.js';
import { BENCH_PASSWORD, loadDataset, SCARCE_STOCK, stockViolations, type Dataset } from './dataset.js';
import { explainScenarios } from './explain.js';
import { combineRuns, LoadSpec, measure, rotate, RunResult } from './load.js';
import { memoryOf, Server, startServer } from './processes.js';
import { explainTable, ScenarioReport, scenarioTable, TargetLine, targetTable } from './report.js';
import { GAS_QUERY, scenarioSpecs, SELLER_STATUS } from './scenarios.js';
import { runScript } from './script.js';
import { describeSteadiness, measureSteadiness, type Steadiness } from './steadiness.js';

const root = fileURLToPath(new URL('../..', import.meta.url));
const appMain = `${root}dist/src/main.js`;
const referenceMain = fileURLToPath(new URL('./reference-server.js', import.meta.url));

const config = loadBenchConfig();
/** How long the steadiness probe runs before anything starts (steadiness.ts). */
const STEADINESS_SECONDS = 5;

const nodeFlags = productionNodeFlags(root);
const log = (line = '') => console.log(line);

async function main(): Promise<number> {
  if (!existsSync(appMain)) throw new Error(`${appMain} is missing: npm run bench builds it first`);
  log(`Bench: node ${process.version}, ${cpus().length} cores, ${(totalmem() / 2 ** 30).toFixed(0)} GiB; ` +
    `${config.connections} connections, ${config.warmup} s warm-up + ${config.duration} s per run; pool ${config.poolSize}; bcrypt cost ${config.bcryptCost}; ` +
    `load average ${loadavg()[0].toFixed(2)} before start`);
  const steadiness = await measureSteadiness(STEADINESS_SECONDS);
  log(`Machine steadiness (${STEADINESS_SECONDS} s, nothing else running): ${describeSteadiness(steadiness)}`);

  const db = await createBenchDatabase(config.serverUrl, config.keepDb);
  const servers: Server[] = [];
  try {
    log(`Database: ${db.description}`);
    const connection = connectionSettings(db.embedded, config.poolSize);
    config.poolSize = connection.poolSize;
    let t = Date.now();
    const migrations = await migrate(db.url);
    log(`Migrated (${migrations} migrations) in ${((Date.now() - t) / 1000).toFixed(1)} s`);
    const data = await loadDataset(db.url, config.bcryptCost);
    log(`Loaded in ${data.seconds.toFixed(1)} s (bcrypt hash ${data.hashSeconds.toFixed(2)} s): ` +
      Object.entries(data.counts).map(([k, v]) => `${v} ${k}`).join(', '));
    log(`Orders by status: ${Object.entries(data.ordersByStatus).map(([k, v]) => `${k} ${v}`).join(', ')}`);

    t = Date.now();
    const checks = await explainScenarios(db.url, data, GAS_QUERY, SELLER_STATUS, connection.preparedStatements);
    log(`\nEXPLAIN of the app's own SQL (captured from its services) on the bench data:`);
    log(explainTable(checks));

    const secret = randomBytes(48).toString('base64url');
    const specs = scenarioSpecs(secret, data);

    const appEnv = {
      ...BENCH_APP_ENV,
      DATABASE_URL: db.url,
      JWT_SECRET: secret,
      DB_POOL_SIZE: String(config.poolSize),
      DB_PREPARED_STATEMENTS: String(connection.preparedStatements),
      BCRYPT_COST: String(config.bcryptCost),
    };
    const app = await startServer('app', appMain, appEnv, '/health/ready', nodeFlags);
    servers.push(app);
    await new Promise((r) => setTimeout(r, 2000));
    const idleRssMb = memoryOf(app.pid)!.rssMb;
    log(`\nApp started as npm run start:prod does (node ${nodeFlags.join(' ')} dist/src/main.js, NODE_ENV=production, pid ${app.pid}): ` +
      `idle RSS ${idleRssMb.toFixed(0)} MB`);
    const reference = await startServer(
      'reference',
      referenceMain,
      {
        DATABASE_URL: db.url,
        JWT_SECRET: secret,
        DB_POOL_SIZE: String(config.poolSize),
        DB_PREPARED_STATEMENTS: appEnv.DB_PREPARED_STATEMENTS,
        MAX_OPEN_ORDERS_PER_BUYER: appEnv.MAX_OPEN_ORDERS_PER_BUYER,
      },
      '/health/ready',
    );
    servers.push(reference);

    // Same answers before measuring anything: status, shape and totals.
    const shapes = await compareShapes(app, reference, specs);
    for (const line of shapes.lines) log(line);

    const line = (name: string, result: RunResult) =>
      `${name.padEnd(9)} ${result.requestsPerSecond.toFixed(0).padStart(6)} req/s  p50 ${result.p50} ms  p99 ${result.p99} ms  ` +
      `CPU ${result.cpuMsPerRequest.toFixed(2)} ms/req (load generator ${result.loadCpuMsPerRequest.toFixed(2)})  statuses ${JSON.stringify(result.statusCounts)}`;
    /**
     * Each server's measured time is split into `config.rounds` rounds, the
     * two servers taking turns (app, reference, app, reference), so a change
     * in the machine's speed during the scenario falls on both rather than on
     * whichever ran in that window (docs/performance.md, seventeenth pass).
     * The first round of each warms up for BENCH_WARMUP, the later ones for
     * BENCH_REWARMUP; a scenario run without the reference is one round.
     */
    const measureTurns = async (servers: Server[], spec: LoadSpec): Promise<RunResult[]> => {
      const rounds = servers.length > 1 ? config.rounds : 1;
      const seconds = config.duration / rounds;
      const runs: RunResult[][] = servers.map(() => []);
      for (let round = 0; round < rounds; round++) {
        for (const [i, server] of servers.entries()) {
          const warmup = round === 0 ? config.warmup : config.rewarmup;
          const result = await measure(server.baseUrl, server.pid, spec, { seconds, warmup, connections: config.connections });
          if (rounds > 1) log(`    round ${round + 1}  ${line(server.name, result)}`);
          runs[i].push(result);
        }
      }
      return runs.map((each, i) => {
        const combined = combineRuns(each, seconds);
        log(`  ${line(servers[i].name, combined)}`);
        return combined;
      });
    };
    const scenarios: ScenarioReport[] = [];
    const scenario = async (id: string, title: string, spec: LoadSpec, withReference: boolean, targets: ScenarioReport['targets']) => {
      log(`\n${id} ${title}`);
      const [appResult, refResult] = await measureTurns(withReference ? [app, reference] : [app], spec);
      const report: ScenarioReport = {
        id,
        title,
        app: appResult,
        reference: refResult,
        ratio: refResult ? appResult.requestsPerSecond / refResult.requestsPerSecond : undefined,
        targets,
        notes: [],
      };
      scenarios.push(report);
      return report;
    };

    await scenario('1', 'GET gas/ brand+weight+location, page of 50', specs.gas, true, { ratioAtLeast: 0.6, p99AtMost: 50 });
    await scenario('2', 'GET orders/my_orders/ (buyer, 200 orders)', specs.myOrders, true, { ratioAtLeast: 0.6, p99AtMost: 50 });
    await scenario('3', `GET seller/orders/?status=${SELLER_STATUS} (seller, 2,000 orders)`, specs.sellerOrders, true, {
      ratioAtLeast: 0.6,
      p99AtMost: 50,
    });
    await scenario('4', 'POST orders/ (many buyers, ample stock)', specs.place, true, { ratioAtLeast: 0.5, p99AtMost: 100 });
    const race = await scenario('5', `POST orders/ (race for ${data.scarceItemIds.length} scarce items)`, specs.race, false, {});

    // Zero oversell: figures never negative, reserved = open orders, nothing sold beyond the stock.
    const stock = await checkScarceStock(db.url, data);
    const violations = await stockViolations(db.url);
    const expired = await expiredByTheApp(db.url);
    const expiredLine = `orders the app's expiry job cancelled during the run: ${expired} (a write load the reference does not carry; expected 0)`;
    race.notes.push(stock.line, `stock rule violations across all ${data.counts.gas_inventory} items: ${violations}`, expiredLine);
    log(`  ${stock.line}\n  stock rule violations across all items: ${violations}\n  ${expiredLine}`);

    log(`\nLogin (bcrypt cost ${config.bcryptCost}, ${config.loginConnections} connections, ${config.loginDuration} s)`);
    const users = rotate(data.placingBuyers.map((u) => u.username));
    const login = await measure(
      app.baseUrl,
      app.pid,
      {
        method: 'POST',
        path: '/api/v1/login/',
        next: () => ({ token: '', body: { username: users(), password: BENCH_PASSWORD } }),
      },
      { connections: config.loginConnections, seconds: config.loginDuration, warmup: 1 },
    );
    log(`  app       ${login.requestsPerSecond.toFixed(1)} req/s  p50 ${login.p50} ms  p99 ${login.p99} ms  statuses ${JSON.stringify(login.statusCounts)}`);

    const peakRssMb = memoryOf(app.pid)!.hwmMb;
    const finalChecks = { checks, stock, violations };
    return report({ data, db, scenarios, login, idleRssMb, peakRssMb, finalChecks, shapes: shapes.ok, steadiness });
  } finally {
    for (const server of servers.reverse()) await server.stop().catch(() => undefined);
    await db.drop().catch((error) => console.error(`Could not drop the bench database: ${error}`));
  }
}

async function compareShapes(app: Server, reference: Server, specs: Record<string, LoadSpec>): Promise<{ ok: boolean; lines: string[] }> {
  const lines: string[] = ['', 'Same answers from app and reference:'];
  let ok = true;
  const keys = (value: unknown): string =>
    Array.isArray(value) ? `[${value.length ? keys(value[0]) : ''}]` : value && typeof value === 'object'
      ? `{${Object.keys(value).sort().map((k) => `${k}${typeof (value as any)[k] === 'object' && (value as any)[k] ? keys((value as any)[k]) : `:${typeof (value as any)[k]}`}`).join(',')}}`
      : typeof value;
  for (const name of ['gas', 'myOrders', 'sellerOrders', 'place'] as const) {
    const spec = specs[name];
    const answers = [];
    for (const server of [app, reference]) {
      const { token, body } = spec.next();
      const res = await fetch(server.baseUrl + spec.path, {
        method: spec.method,
        headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
        body: body === undefined ? undefined : JSON.stringify(body),
      });
      const json = await res.json();
      answers.push({ status: res.status, total: res.headers.get('x-total-count'), shape: keys(json), count: Array.isArray(json) ? json.length : 1 });
    }
    const same = answers[0].status === answers[1].status && answers[0].shape === answers[1].shape && answers[0].total === answers[1].total;
    ok &&= same;
    lines.push(`  ${name.padEnd(13)} ${same ? 'same' : 'DIFFERENT'}: status ${answers[0].status}, ${answers[0].count} item(s), X-Total-Count ${answers[0].total ?? '-'}` +
      (same ? '' : ` | reference: status ${answers[1].status}, X-Total-Count ${answers[1].total}, shape ${answers[1].shape} vs ${answers[0].shape}`));
  }
  return { ok, lines };
}

/** How many orders the app's expiry job cancelled (its audit rows): none, unless the data set has PENDING orders past the TTL. */
async function expiredByTheApp(url: string): Promise<number> {
  const [{ n }] = await queryOnce<{ n: number }>(url, `SELECT count(*)::int AS n FROM audit_log WHERE action = 'order.expire'`);
  return n;
}

/** The scarce items: nothing below zero, and every unit either still available or held by an order. */
async function checkScarceStock(url: string, data: Dataset): Promise<{ ok: boolean; line: string }> {
  const rows = await queryOnce<{ quantity: number; reserved_quantity: number; ordered: number }>(
    url,
    `SELECT g.quantity, g.reserved_quantity, COALESCE(SUM(o.quantity), 0)::int AS ordered
       FROM gas_inventory g LEFT JOIN orders o ON o.gas_inventory_id = g.id AND o.status IN ('PENDING', 'APPROVED')
      WHERE g.id = ANY($1) GROUP BY g.id`,
    [data.scarceItemIds],
  );
  const bad = rows.filter((r) => r.quantity < 0 || r.reserved_quantity !== r.ordered || r.quantity + r.reserved_quantity !== SCARCE_STOCK);
  const sold = rows.reduce((n, r) => n + r.ordered, 0);
  const line = `scarce items: ${sold} of ${rows.length * SCARCE_STOCK} units ordered, ` +
    `${rows.filter((r) => r.quantity === 0).length}/${rows.length} sold out, ${bad.length} with wrong figures (oversell ${bad.length === 0 ? 'none' : 'FOUND'})`;
  return { ok: bad.length === 0, line };
}

function report(r: {
  data: Dataset;
  db: { description: string; embedded: boolean };
  scenarios: ScenarioReport[];
  login: RunResult;
  idleRssMb: number;
  peakRssMb: number;
  finalChecks: { checks: Awaited<ReturnType<typeof explainScenarios>>; stock: { ok: boolean; line: string }; violations: number };
  shapes: boolean;
  steadiness: Steadiness;
}): number {
  log('\n=== Results ===');
  log(`Database: ${r.db.description}`);
  log(scenarioTable(r.scenarios));
  log(`login (bcrypt cost ${config.bcryptCost}, ${config.loginConnections} connections): ${r.login.requestsPerSecond.toFixed(1)} req/s, p50 ${r.login.p50} ms, p99 ${r.login.p99} ms, ` +
    `unexpected ${r.login.unexpectedErrors}`);
  log(`load average at the end: ${loadavg().map((n) => n.toFixed(2)).join(' ')} (anything above ~1 before the start is other work on this machine)`);
  log(`app RSS: idle ${r.idleRssMb.toFixed(0)} MB after start, peak ${r.peakRssMb.toFixed(0)} MB (VmHWM over the whole run)`);
  log(`machine steadiness before the run: ${describeSteadiness(r.steadiness)}`);

  const targets: TargetLine[] = [];
  for (const s of r.scenarios) {
    if (s.targets.ratioAtLeast !== undefined && s.ratio !== undefined) {
      targets.push({ what: `${s.id} req/s vs reference`, target: `>= ${s.targets.ratioAtLeast * 100} %`, measured: `${(s.ratio * 100).toFixed(0)} %`, holds: s.ratio >= s.targets.ratioAtLeast });
    }
    if (s.targets.p99AtMost !== undefined) {
      // The reference's own p99 beside the app's: over the target too, it is the machine's tail (steadiness.ts).
      const reference = s.reference ? ` (reference ${s.reference.p99})` : '';
      targets.push({ what: `${s.id} p99`, target: `<= ${s.targets.p99AtMost} ms`, measured: `${s.app.p99} ms${reference}`, holds: s.app.p99 <= s.targets.p99AtMost });
    }
    targets.push({ what: `${s.id} unexpected errors`, target: '0', measured: String(s.app.unexpectedErrors), holds: s.app.unexpectedErrors === 0 });
  }
  const race = r.scenarios.find((s) => s.id === '5')!;
  targets.push({ what: '5 no 5xx', target: '0', measured: String(Object.entries(race.app.statusCounts).filter(([c]) => c.startsWith('5')).reduce((n, [, v]) => n + v, 0)), holds: !Object.keys(race.app.statusCounts).some((c) => c.startsWith('5')) });
  targets.push({ what: '5 stock exactly right', target: 'no oversell', measured: r.finalChecks.stock.ok && r.finalChecks.violations === 0 ? 'right' : 'WRONG', holds: r.finalChecks.stock.ok && r.finalChecks.violations === 0 });
  targets.push({ what: 'peak RSS under load', target: '<= 250 MB', measured: `${r.peakRssMb.toFixed(0)} MB`, holds: r.peakRssMb <= 250 });
  targets.push({ what: 'idle RSS', target: '<= 150 MB', measured: `${r.idleRssMb.toFixed(0)} MB`, holds: r.idleRssMb <= 150 });
  const indexOk = r.finalChecks.checks.every((c) => c.usesIndex);
  targets.push({ what: 'EXPLAIN: every lookup uses an index', target: 'all', measured: `${r.finalChecks.checks.filter((c) => c.usesIndex).length}/${r.finalChecks.checks.length}`, holds: indexOk });
  targets.push({ what: 'app and reference answer alike', target: 'same', measured: r.shapes ? 'same' : 'DIFFERENT', holds: r.shapes });
  log('');
  log(targetTable(targets));
  if (r.db.embedded) log('\nNote: on the embedded PGlite every statement runs one at a time, and it has no auto_explain to show the ' +
    'statements inside placing an order; compare figures and EXPLAIN from a PostgreSQL server only.');

  const stamp = new Date().toISOString().replace(/[:.]/g, '-');
  const dir = `${root}bench/results`;
  mkdirSync(dir, { recursive: true });
  const file = `${dir}/${stamp}.json`;
  writeFileSync(
    file,
    JSON.stringify(
      {
        at: new Date().toISOString(),
        machine: { node: process.version, cores: cpus().length, cpu: cpus()[0]?.model, memoryGiB: totalmem() / 2 ** 30, loadAverageAtEnd: loadavg(), steadiness: r.steadiness },
        database: r.db.description,
        config: { ...config, serverUrl: config.serverUrl ? new URL(config.serverUrl).host : 'embedded', appNodeFlags: nodeFlags },
        dataset: { counts: r.data.counts, ordersByStatus: r.data.ordersByStatus, loadSeconds: r.data.seconds },
        scenarios: r.scenarios,
        login: { bcryptCost: config.bcryptCost, ...r.login },
        rss: { idleMb: r.idleRssMb, peakMb: r.peakRssMb },
        explain: r.finalChecks.checks,
        stock: { scarce: r.finalChecks.stock, violations: r.finalChecks.violations },
        targets,
      },
      null,
      2,
    ),
  );
  log(`\nWritten to bench/results/${stamp}.json`);
  return 0;
}

runScript(main);
