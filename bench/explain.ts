import { plainToInstance } from 'class-transformer';
import pg from 'pg';
import { DataSource, Logger } from 'typeorm';
import type { BrandsService } from '../src/brands/brands.service.js';
import type { Actor } from '../src/common/auth/actor.js';
import { dataSourceOptions } from '../src/database/data-source-options.js';
import { GasItemQueryDto } from '../src/inventory/dto/gas-item-query.dto.js';
import { InventoryService } from '../src/inventory/inventory.service.js';
import { CreateOrderDto, OrderQueryDto } from '../src/orders/dto/order.dto.js';
import { OrdersService } from '../src/orders/orders.service.js';
import type { PasswordHasher } from '../src/users/password-hasher.js';
import { UsersService } from '../src/users/users.service.js';
import { ActorCache } from '../src/users/actor-cache.js';
import type { BenchUser, Dataset } from './dataset.js';
import { AuditService } from '../src/audit/audit.service.js';
import type { AppSettings } from '../src/config/app.config.js';
import { PreparedStatements } from '../src/database/prepared-statements.js';
import { TransactionalConnection } from '../src/database/transactional-connection.js';
import { StockService } from '../src/inventory/stock.service.js';

interface Statement {
  sql: string;
  params: unknown[];
}

/** Records every statement TypeORM sends, so the bench explains the app's exact SQL, not a copy of it. */
class CapturingLogger implements Logger {
  statements: Statement[] = [];
  logQuery(sql: string, params?: unknown[]) {
    this.statements.push({ sql, params: params ?? [] });
  }
  logQueryError() {}
  logQuerySlow() {}
  logSchemaBuild() {}
  logMigration() {}
  log() {}
  take(): Statement[] {
    const taken = this.statements;
    this.statements = [];
    return taken;
  }
}

export interface ScanInfo {
  table: string;
  node: string;
  index?: string;
}

export interface ExplainCheck {
  label: string;
  sql: string;
  /** Why the statement could not be explained, when it could not (it then fails). */
  unchecked?: string;
  /** The plan for these parameter values (what an unnamed statement gets). */
  scans: ScanInfo[];
  /** The generic plan a prepared statement may switch to after five executions. */
  genericScans: ScanInfo[];
  /** Neither plan reads a big table sequentially. */
  usesIndex: boolean;
  /** The planner's estimate for the whole statement. */
  totalCost: number;
}

/** Tables big enough that a sequential scan of them in a request is a finding. */
const BIG_TABLES = new Set(['users', 'gas_inventory', 'orders', 'invoices', 'payments', 'ratings', 'refresh_tokens']);

function scansOf(plan: any, into: ScanInfo[] = []): ScanInfo[] {
  if (plan['Relation Name']) {
    let index: string | undefined = plan['Index Name'];
    if (!index && plan['Node Type'] === 'Bitmap Heap Scan') {
      const names: string[] = [];
      const walk = (p: any) => {
        if (p['Index Name']) names.push(p['Index Name']);
        for (const child of p.Plans ?? []) walk(child);
      };
      walk(plan);
      index = names.join(' + ');
    }
    into.push({ table: plan['Relation Name'], node: plan['Node Type'], index });
  }
  for (const child of plan.Plans ?? []) scansOf(child, into);
  return into;
}

const noSeqScanOfBigTable = (scans: ScanInfo[]) => scans.every((s) => !BIG_TABLES.has(s.table) || s.node !== 'Seq Scan');

/** A parameter written as an SQL literal, for `EXECUTE`. */
function literal(db: pg.Client, value: unknown): string {
  if (value === null || value === undefined) return 'NULL';
  if (Array.isArray(value)) return db.escapeLiteral(`{${value.map((v) => `"${String(v).replace(/["\\]/g, '\\$&')}"`).join(',')}}`);
  return db.escapeLiteral(value instanceof Date ? value.toISOString() : String(value));
}

/**
 * The generic plan of a statement: the app sends its busy reads as prepared
 * statements (`DB_PREPARED_STATEMENTS`), and PostgreSQL may run those with a
 * plan made without the parameters' values once it has seen five executions.
 */
async function genericPlanOf(db: pg.Client, { sql, params }: Statement): Promise<any> {
  await db.query('SET plan_cache_mode = force_generic_plan');
  await db.query(`PREPARE bench_generic AS ${sql}`);
  try {
    const args = params.length ? `(${params.map((p) => literal(db, p)).join(', ')})` : '';
    const { rows } = await db.query(`EXPLAIN (FORMAT JSON) EXECUTE bench_generic${args}`);
    return rows[0]['QUERY PLAN'][0].Plan;
  } finally {
    await db.query('DEALLOCATE bench_generic');
    await db.query('RESET plan_cache_mode');
  }
}

/**
 * The plans of the statements a function runs, as PostgreSQL runs them: the
 * call's own EXPLAIN shows a Function Scan only. auto_explain (a contrib
 * module of PostgreSQL, loaded into this session only; it needs a superuser
 * or a server that preloads it) logs each nested statement's plan, and at
 * `client_min_messages = log` the log reaches this client. The call runs in a
 * transaction that is rolled back, so it changes nothing.
 */
async function nestedPlansOf(db: pg.Client, { sql, params }: Statement, generic: boolean): Promise<{ sql: string; plan: any }[]> {
  const plans: { sql: string; plan: any }[] = [];
  const onNotice = (notice: { message?: string }) => {
    const json = notice.message?.match(/plan:\s*(\{[\s\S]*\})\s*$/)?.[1];
    if (!json) return;
    const logged = JSON.parse(json);
    const text = String(logged['Query Text']).replace(/\s+/g, ' ').trim();
    if (text !== sql.replace(/\s+/g, ' ').trim()) plans.push({ sql: text, plan: logged.Plan });
  };
  db.on('notice', onNotice);
  try {
    await db.query('BEGIN');
    await db.query(`LOAD 'auto_explain'`);
    for (const setting of ['auto_explain.log_min_duration = 0', 'auto_explain.log_nested_statements = on', 'auto_explain.log_format = json', 'client_min_messages = log']) {
      await db.query(`SET LOCAL ${setting}`);
    }
    if (generic) await db.query('SET LOCAL plan_cache_mode = force_generic_plan');
    await db.query(sql, params);
  } finally {
    await db.query('ROLLBACK').catch(() => undefined);
    db.off('notice', onNotice);
  }
  return plans;
}

/** Statements that call a function whose statements are explained instead: placing an order's `place_order`. */
const callsFunction = (sql: string) => /^\s*SELECT \* FROM place_order\(/i.test(sql);

/** One check per statement the function runs, each with its plan for these parameters and its generic plan. */
async function explainInside(db: pg.Client, statement: Statement): Promise<ExplainCheck[]> {
  let custom: { sql: string; plan: any }[];
  let generic: { sql: string; plan: any }[];
  try {
    custom = await nestedPlansOf(db, statement, false);
    generic = await nestedPlansOf(db, statement, true);
  } catch (error) {
    const unchecked = `not checked: ${(error as Error).message}`;
    return [{ label: '', sql: statement.sql, unchecked, scans: [], genericScans: [], usesIndex: false, totalCost: 0 }];
  }
  return custom.map(({ sql, plan }) => {
    const scans = scansOf(plan);
    const genericScans = scansOf(generic.find((g) => g.sql === sql)?.plan ?? plan);
    return {
      label: '',
      sql,
      scans,
      genericScans,
      usesIndex: noSeqScanOfBigTable(scans) && noSeqScanOfBigTable(genericScans),
      totalCost: plan['Total Cost'],
    };
  });
}

const asActor = (user: BenchUser): Actor => ({ id: user.id, role: user.role, username: user.username });

/**
 * Runs the app's own service code for scenarios 1-4 on a DataSource that
 * records the SQL, then EXPLAINs each SELECT with the same parameters and as a
 * generic plan; placing an order is one call of `place_order`, whose own
 * statements are explained as it runs them (`nestedPlansOf`), for an order
 * placed and one refused. A statement passes when neither plan reads a big
 * table by a sequential scan.
 */
export async function explainScenarios(
  url: string,
  data: Dataset,
  scenario1: Record<string, string>,
  scenario3Status: string,
  /** As the app sends them (`DB_PREPARED_STATEMENTS`); off on the embedded database, whose one session all clients share. */
  prepared: boolean,
): Promise<ExplainCheck[]> {
  const logger = new CapturingLogger();
  const ds = new DataSource({ ...dataSourceOptions(url, 1), logger });
  await ds.initialize();
  const captured: { label: string; statement: Statement }[] = [];
  const keep = (label: string, filter: (s: Statement) => boolean) => {
    const statements = logger.take().filter(filter);
    statements.forEach((statement, i) => captured.push({ label: statements.length > 1 ? `${label} [${i + 1}/${statements.length}]` : label, statement }));
  };
  const isSelect = (s: Statement) => /^\s*SELECT/i.test(s.sql);
  try {
    const db = new TransactionalConnection(ds, new PreparedStatements(prepared));
    // A cache that never listens: the lookup reads the database, as it does on each user's first request.
    const users = new UsersService(db, {} as PasswordHasher, {} as AuditService, new ActorCache({ maxAgeMs: 0 }, console));
    const inventory = new InventoryService(db, {} as BrandsService, {} as StockService, {} as AuditService);
    const limits = { orders: { maxQuantity: 1_000_000, maxOpenPerBuyer: 1_000_000 } } as AppSettings;
    const orders = new OrdersService(db, new StockService(db), new AuditService(db), limits);
    logger.take();

    await users.findActor(data.heavyBuyer.id);
    keep('auth: user by id (not yet remembered)', isSelect);
    await inventory.browse(asActor(data.placingBuyers[0]), plainToInstance(GasItemQueryDto, scenario1));
    keep('1 gas list', isSelect);
    await orders.list(asActor(data.heavyBuyer), plainToInstance(OrderQueryDto, { page_size: '50' }));
    keep('2 my_orders', isSelect);
    await orders.list(asActor(data.heavySeller), plainToInstance(OrderQueryDto, { status: scenario3Status, page_size: '50' }));
    keep('3 seller/orders', isSelect);
    await orders.place(
      asActor(data.placingBuyers[0]),
      plainToInstance(CreateOrderDto, { gas_inventory: data.ampleItemIds[0], quantity: 1, delivery_address: 'Bench', contact_phone: '+254700000000' }),
    );
    keep('4 place order', (s) => callsFunction(s.sql));
    // A refused order: place_order then looks up how many units are left.
    await orders
      .place(
        asActor(data.placingBuyers[0]),
        plainToInstance(CreateOrderDto, { gas_inventory: data.scarceItemIds[0], quantity: 1_000_000, delivery_address: 'Bench', contact_phone: '+254700000000' }),
      )
      .catch(() => undefined);
    keep('4 place order, refused', (s) => callsFunction(s.sql));
  } finally {
    await ds.destroy();
  }

  const db = new pg.Client({ connectionString: url });
  await db.connect();
  try {
    const checks: ExplainCheck[] = [];
    for (const { label, statement } of captured) {
      if (callsFunction(statement.sql)) {
        // A refused order's statements that a placed one ran too are not listed twice.
        const inside = (await explainInside(db, statement)).filter((c) => c.unchecked || !checks.some((done) => done.sql === c.sql));
        // PostgreSQL checks each foreign key of a new row with a statement of its own.
        const what = (c: ExplainCheck) => (/^SELECT 1 FROM ONLY /.test(c.sql) ? ', foreign key' : '');
        inside.forEach((c, i) => checks.push({ ...c, label: `${inside.length > 1 ? `${label} [${i + 1}/${inside.length}]` : label}${what(c)}` }));
        continue;
      }
      const { rows } = await db.query(`EXPLAIN (FORMAT JSON) ${statement.sql}`, statement.params);
      const plan = rows[0]['QUERY PLAN'][0].Plan;
      const scans = scansOf(plan);
      const genericScans = scansOf(await genericPlanOf(db, statement));
      checks.push({
        label,
        sql: statement.sql.replace(/\s+/g, ' ').trim(),
        scans,
        genericScans,
        usesIndex: noSeqScanOfBigTable(scans) && noSeqScanOfBigTable(genericScans),
        totalCost: plan['Total Cost'],
      });
    }
    return checks;
  } finally {
    await db.end();
  }
}
