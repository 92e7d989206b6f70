import 'reflect-metadata';
import { existsSync, writeFileSync } from 'node:fs';
import { dirname, join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';
import { DataSource } from 'typeorm';
import { dataSourceOptions } from '../database/data-source-options.js';
import { openEmbeddedPostgres, type EmbeddedPostgres } from '../database/embedded-postgres.js';
import { loadConfigWithoutSecret, loadDotEnv, runCli, UsageError } from './cli.js';

/**
 * `npm run migration:run | migration:revert | migration:generate -- <Name>`
 * (in the container: `node dist/src/scripts/migrate.js run`). Uses
 * DATABASE_URL when set, else the embedded database under PGLITE_DATA_DIR
 * (through the running server when it has that database open).
 */

const USAGE = `Usage:
  npm run migration:run                 apply every pending migration
  npm run migration:revert              undo the last applied migration
  npm run migration:generate -- <Name>  draft migrations/<timestamp>-<Name>.ts from entity changes
(without npm: node dist/src/scripts/migrate.js run | revert | generate <Name>)`;

const MIGRATIONS_TABLE = 'typeorm_migrations';

/** One statement of TypeORM's schema diff. */
interface Query {
  query: string;
  parameters?: unknown[];
}

async function main(argv: string[]): Promise<void> {
  const [command, name] = argv;
  if (command !== 'run' && command !== 'revert' && command !== 'generate') {
    throw new UsageError(command ? `Unknown command "${command}".` : 'No command given.');
  }
  if (command === 'generate') validateName(name);

  loadDotEnv();
  const config = loadConfigWithoutSecret();

  let embedded: EmbeddedPostgres | undefined;
  let url = config.databaseUrl;
  if (!url) {
    // PGlite is single-process: when the server already has the database open,
    // this connects through it instead of opening the files a second time.
    embedded = await openEmbeddedPostgres(config.pgliteDataDir, 3);
    url = embedded.url;
    console.log(
      embedded.shared
        ? `No DATABASE_URL: using the embedded PostgreSQL in ${config.pgliteDataDir} through the running server.`
        : `No DATABASE_URL: opened the embedded PostgreSQL in ${config.pgliteDataDir}.\n` +
            '(PGlite is single-process: start the server only after this finishes, or it would connect through this short-lived process.)',
    );
  }

  // One connection on the embedded database, as the server uses (see
  // DatabaseLocation.poolSize). No query timeout: building an index on a large
  // table may rightly take longer than DB_QUERY_TIMEOUT, meant for API requests.
  const poolSize = embedded ? 1 : 2;
  const dataSource = new DataSource(dataSourceOptions(url, poolSize, false, { connectMs: config.dbConnectTimeoutMs, queryMs: 0 }));
  try {
    await dataSource.initialize();
    if (command === 'run') await run(dataSource);
    else if (command === 'revert') await revert(dataSource);
    else await generate(dataSource, name!);
  } finally {
    if (dataSource.isInitialized) await dataSource.destroy();
    await embedded?.stop();
  }
}

async function run(dataSource: DataSource): Promise<void> {
  const applied = await dataSource.runMigrations({ transaction: 'each' });
  if (applied.length === 0) {
    console.log('No pending migrations.');
    return;
  }
  for (const migration of applied) console.log(`Applied ${migration.name}`);
  console.log(`${applied.length} migration(s) applied.`);
}

async function revert(dataSource: DataSource): Promise<void> {
  const [last] = await executedMigrations(dataSource);
  if (!last) {
    console.log('No applied migrations: nothing to revert.');
    return;
  }
  await dataSource.undoLastMigration({ transaction: 'each' });
  console.log(`Reverted ${last}`);
}

/**
 * Drafts a migration from the difference between the entities and the
 * database. The schema has hand-written expression and partial indexes that
 * entity metadata cannot describe, so the draft may propose dropping them:
 * it is a starting point to review, never something to apply unread.
 */
async function generate(dataSource: DataSource, rawName: string): Promise<void> {
  const root = projectRoot();
  const known = dataSource.migrations.map((m) => m.name ?? m.constructor.name);
  const executed = new Set(await executedMigrations(dataSource));
  const pending = known.filter((m) => !executed.has(m));
  if (pending.length > 0) {
    throw new Error(
      `The database has pending migrations (${pending.join(', ')}). Run them first (npm run migration:run): ` +
        'generate compares the entities with the database as it is now.',
    );
  }

  const sql = await dataSource.driver.createSchemaBuilder().log();
  if (sql.upQueries.length === 0) {
    console.log('The entities match the database: no migration needed.');
    return;
  }

  const timestamp = Date.now();
  const name = rawName[0]!.toUpperCase() + rawName.slice(1);
  const className = `${name}${timestamp}`;
  const fileBase = `${timestamp}-${name}`;
  const file = join(root, 'migrations', `${fileBase}.ts`);
  writeFileSync(file, migrationSource(className, sql.upQueries, [...sql.downQueries].reverse()), { flag: 'wx' });

  console.log(`Wrote ${relative(process.cwd(), file) || file} (${sql.upQueries.length} statement(s) up, ${sql.downQueries.length} down).`);
  console.log('');
  const drops = sql.upQueries.filter((q) => /\bDROP\b/i.test(q.query));
  console.log('WARNING: review this file by hand before using it. The schema is written by hand:');
  console.log('expression and partial indexes (case-insensitive unique usernames and emails, the');
  console.log('"available stock" indexes, ...), CHECK constraints, named foreign keys and defaults');
  console.log('that the entities do not describe, so the draft proposes dropping or renaming them.');
  if (drops.length > 0) {
    console.log(`${drops.length} of its ${sql.upQueries.length} "up" statements drop something; delete every one that`);
    console.log('is not part of the change you made (and its counterpart in "down").');
  }
  console.log('');
  console.log('Then register it in migrations/index.ts:');
  console.log(`  import { ${className} } from './${fileBase}.js';`);
  console.log(`  and append ${className} to the MIGRATIONS array.`);
}

function migrationSource(className: string, up: Query[], down: Query[]): string {
  // JSON string literals: no backtick or ${ in the SQL can break the generated file.
  const lines = (queries: Query[]) =>
    queries
      .map((q) =>
        q.parameters && q.parameters.length > 0
          ? `    await q.query(${JSON.stringify(q.query)}, ${JSON.stringify(q.parameters)});`
          : `    await q.query(${JSON.stringify(q.query)});`,
      )
      .join('\n');
  return `import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Generated by \`npm run migration:generate\`. TODO: describe the change, and
 * review every statement (see the warning the generator printed).
 */
export class ${className} implements MigrationInterface {
  name = '${className}';

  public async up(q: QueryRunner): Promise<void> {
${lines(up)}
  }

  public async down(q: QueryRunner): Promise<void> {
${lines(down)}
  }
}
`;
}

/** Names of the applied migrations, newest first; empty when the table does not exist yet. */
async function executedMigrations(dataSource: DataSource): Promise<string[]> {
  const [{ exists }] = await dataSource.query(`SELECT to_regclass($1) IS NOT NULL AS exists`, [MIGRATIONS_TABLE]);
  if (!exists) return [];
  const rows: { name: string }[] = await dataSource.query(`SELECT name FROM "${MIGRATIONS_TABLE}" ORDER BY id DESC`);
  return rows.map((r) => r.name);
}

function validateName(name: string | undefined): void {
  if (!name) throw new UsageError('generate needs a migration name, e.g. npm run migration:generate -- AddDeliveryNotes');
  if (!/^[A-Za-z][A-Za-z0-9]{0,79}$/.test(name)) {
    throw new UsageError(`"${name}" is not a valid migration name: use PascalCase letters and digits, e.g. AddDeliveryNotes.`);
  }
}

/** The folder holding package.json and migrations/index.ts, found upwards from this file (src/ or dist/src/). */
function projectRoot(): string {
  let dir = dirname(fileURLToPath(import.meta.url));
  for (;;) {
    if (existsSync(join(dir, 'package.json')) && existsSync(join(dir, 'migrations', 'index.ts'))) return dir;
    const parent = dirname(dir);
    if (parent === dir) {
      throw new Error('generate needs the source tree (migrations/index.ts was not found); run it from a checkout, not from the production image.');
    }
    dir = parent;
  }
}

runCli({ name: 'Migration', usage: USAGE }, () => main(process.argv.slice(2)));
