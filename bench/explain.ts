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

const asActor = (user: BenchUser): Actor => ({ id: user.id, role: user.role, username: user.username });

/**
 * Runs the app's own service code for scenarios 1-4 on a DataSource that
 * records the SQL, then EXPLAINs each SELECT, and placing an order's SELECTs
 * and the UPDATE that reserves stock, with the same parameters and as a
 * generic plan. A statement passes when neither plan reads a big table by a
 * sequential scan.
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
    keep('4 place order', (s) => /^\s*(SELECT|UPDATE)\b/i.test(s.sql));
  } finally {
    await ds.destroy();
  }

  const db = new pg.Client({ connectionString: url });
  await db.connect();
  try {
    const checks: ExplainCheck[] = [];
    for (const { label, statement } of captured) {
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
