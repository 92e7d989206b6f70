import 'reflect-metadata';
import { randomBytes } from 'node:crypto';
import { NestFactory } from '@nestjs/core';
import type { INestApplicationContext } from '@nestjs/common';
import { AppModule } from '../app.module.js';
import type { Actor } from '../common/auth/actor.js';
import { runInContext } from '../common/request-context.js';
import { loadConfig } from '../config/configuration.js';
import { TransactionalConnection } from '../database/transactional-connection.js';
import { InventoryService } from '../inventory/inventory.service.js';
import { InvoicesService } from '../invoices/invoices.service.js';
import type { OrderAction, OrderStatus } from '../orders/order-status.js';
import { OrdersService } from '../orders/orders.service.js';
import { PaymentsService } from '../payments/payments.service.js';
import { RatingsService } from '../ratings/ratings.service.js';
import type { Role } from '../users/role.js';
import { User } from '../users/user.entity.js';
import { UsersService } from '../users/users.service.js';
import { loadDotEnv, parseCommandLine, runCli, scriptLogger } from './cli.js';

/**
 * `npm run seed`: a small demo (sellers, buyers, stock, orders in every
 * status, invoices, payments, ratings) loaded through the real services, so
 * every figure, ledger row and audit row is what the API itself would write.
 * All of it commits in one transaction or not at all; when `demo_seller_1`
 * exists the demo is already there and nothing is done.
 */

const USAGE = `Usage:
  npm run seed [-- --allow-production]
  (without npm: node dist/src/scripts/seed.js [--allow-production])

  --allow-production  seed even when NODE_ENV is production (the demo users share a published password).`;

const DEMO_PASSWORD = 'demo-password-1';
const MARKER = 'demo_seller_1';
const DEMO_ADMIN = 'demo_admin';

interface DemoUser {
  username: string;
  first_name: string;
  last_name: string;
  phone_number: string;
  address: string;
}

const SELLERS: DemoUser[] = [
  { username: 'demo_seller_1', first_name: 'Amina', last_name: 'Wanjiru', phone_number: '+254700100001', address: 'Moi Avenue, Nairobi CBD' },
  { username: 'demo_seller_2', first_name: 'Brian', last_name: 'Otieno', phone_number: '+254700100002', address: 'Waiyaki Way, Westlands' },
  { username: 'demo_seller_3', first_name: 'Cynthia', last_name: 'Achieng', phone_number: '+254700100003', address: 'Oginga Odinga Street, Kisumu' },
];

const BUYERS: DemoUser[] = [
  { username: 'demo_buyer_1', first_name: 'David', last_name: 'Kamau', phone_number: '+254711200001', address: 'Kenyatta Avenue 12, Nairobi CBD' },
  { username: 'demo_buyer_2', first_name: 'Esther', last_name: 'Njeri', phone_number: '+254711200002', address: 'Parklands Road 4, Westlands' },
  { username: 'demo_buyer_3', first_name: 'Felix', last_name: 'Omondi', phone_number: '+254711200003', address: 'Milimani, Kisumu' },
  { username: 'demo_buyer_4', first_name: 'Grace', last_name: 'Mutua', phone_number: '+254711200004', address: 'Industrial Area, Mombasa Road' },
];

/** `seller` is an index into SELLERS. */
const ITEMS = [
  { seller: 0, brand: 'JIBU', weight_kg: 6, quantity: 40, unit_price: '1150.00', location: 'Nairobi CBD' },
  { seller: 0, brand: 'JIBU', weight_kg: 13, quantity: 25, unit_price: '2600.00', location: 'Nairobi CBD' },
  { seller: 0, brand: 'TOTAL', weight_kg: 50, quantity: 6, unit_price: '9800.00', location: 'Mombasa Road' },
  { seller: 1, brand: 'MERU', weight_kg: 6, quantity: 30, unit_price: '1100.00', location: 'Westlands' },
  { seller: 1, brand: 'MERU', weight_kg: 13, quantity: 20, unit_price: '2450.00', location: 'Westlands' },
  { seller: 1, brand: 'OTHER', weight_kg: 13, quantity: 12, unit_price: '2300.00', location: 'Westlands' },
  { seller: 2, brand: 'TOTAL', weight_kg: 6, quantity: 35, unit_price: '1200.00', location: 'Kisumu' },
  { seller: 2, brand: 'TOTAL', weight_kg: 13, quantity: 18, unit_price: '2700.00', location: 'Kisumu' },
  { seller: 2, brand: 'OTHER', weight_kg: 50, quantity: 4, unit_price: '9500.00', location: 'Mombasa Road' },
];

/**
 * Each order: who buys (index into BUYERS), which item (index into ITEMS),
 * how many, and the transitions that bring it to its status. `invoice` and
 * `rating` add what follows a delivery or an approval.
 */
const ORDERS: {
  buyer: number;
  item: number;
  quantity: number;
  steps: OrderAction[];
  reason?: string;
  invoice?: 'pending' | 'paid';
  rating?: { rating: number; comment: string };
}[] = [
  { buyer: 0, item: 1, quantity: 2, steps: [] },
  { buyer: 3, item: 8, quantity: 1, steps: [] },
  { buyer: 1, item: 3, quantity: 3, steps: ['approve'], invoice: 'pending' },
  { buyer: 2, item: 6, quantity: 1, steps: ['reject'], reason: 'Outside the delivery area this week.' },
  {
    buyer: 0,
    item: 2,
    quantity: 1,
    steps: ['approve', 'deliver'],
    invoice: 'paid',
    rating: { rating: 5, comment: 'Delivered the same afternoon, cylinder sealed.' },
  },
  { buyer: 2, item: 7, quantity: 2, steps: ['approve', 'deliver'], rating: { rating: 4, comment: 'Good price, a day late.' } },
  { buyer: 3, item: 5, quantity: 2, steps: ['cancel'] },
];

interface Services {
  db: TransactionalConnection;
  users: UsersService;
  inventory: InventoryService;
  orders: OrdersService;
  invoices: InvoicesService;
  payments: PaymentsService;
  ratings: RatingsService;
}

const actorOf = (user: User): Actor => ({ id: user.id, role: user.role, username: user.username });

async function seed(s: Services): Promise<string[]> {
  const register = async (user: DemoUser, role: Role) =>
    actorOf(await s.users.register(undefined, { ...user, email: `${user.username}@example.com`, password: DEMO_PASSWORD, role }));
  const sellers: Actor[] = [];
  for (const user of SELLERS) sellers.push(await register(user, 'SELLER'));
  const buyers: Actor[] = [];
  for (const user of BUYERS) buyers.push(await register(user, 'BUYER'));
  const admin = await demoAdmin(s);

  const items: number[] = [];
  for (const { seller, ...dto } of ITEMS) items.push((await s.inventory.create(sellers[seller]!, dto)).id);

  const statuses = new Map<OrderStatus, number>();
  let invoices = 0;
  let ratings = 0;
  for (const spec of ORDERS) {
    const buyer = buyers[spec.buyer]!;
    const seller = sellers[ITEMS[spec.item]!.seller]!;
    let order = await s.orders.place(buyer, {
      gas_inventory: items[spec.item]!,
      quantity: spec.quantity,
      delivery_address: BUYERS[spec.buyer]!.address,
      contact_phone: BUYERS[spec.buyer]!.phone_number,
    });
    for (const step of spec.steps) {
      const by = step === 'cancel' || step === 'withdraw' ? buyer : step === 'deliver' ? seller : admin;
      order = await s.orders.transition(by, order.id, step, step === 'reject' ? spec.reason : undefined);
    }
    statuses.set(order.status, (statuses.get(order.status) ?? 0) + 1);

    if (spec.invoice) {
      const invoice = await s.invoices.create(seller, order.id);
      if (spec.invoice === 'paid') {
        await s.invoices.approve(admin, invoice.id);
        await s.payments.markInvoicePaid(admin, invoice.id, { payment_method: 'M-Pesa', transaction_id: `DEMO${order.id}` });
      }
      invoices++;
    }
    if (spec.rating) {
      await s.ratings.create(buyer, { order: order.id, ...spec.rating });
      ratings++;
    }
  }

  // The demo admin only signs the demo's approvals: inactive, with a random password nobody knows.
  await s.db.getRepository(User).update({ id: admin.id }, { isActive: false });

  const counts = [...statuses].map(([status, n]) => `${status} ${n}`).join(', ');
  return [
    'Demo data loaded.',
    `  Users (every one's password: ${DEMO_PASSWORD}):`,
    `    sellers: ${SELLERS.map((u) => u.username).join(', ')}`,
    `    buyers:  ${BUYERS.map((u) => u.username).join(', ')}`,
    `  ${items.length} inventory items: JIBU, MERU, TOTAL, OTHER; 6, 13 and 50 kg; Nairobi CBD, Westlands, Kisumu, Mombasa Road`,
    `  ${ORDERS.length} orders: ${counts}`,
    `  ${invoices} invoices (one approved and paid, one awaiting approval), ${ratings} ratings`,
    `  Approvals are signed by ${DEMO_ADMIN}, an inactive admin without a usable password.`,
  ];
}

/** The admin the demo's approvals are recorded under; an existing non-admin of that name is an error, not promoted. */
async function demoAdmin(s: Services): Promise<Actor> {
  const existing = await s.db.getRepository(User).findOneBy({ username: DEMO_ADMIN });
  if (existing) {
    if (existing.role !== 'ADMIN') throw new Error(`A non-admin user named ${DEMO_ADMIN} already exists; rename it or seed another database.`);
    return actorOf(existing);
  }
  const { user } = await s.users.createOrPromoteAdmin({
    username: DEMO_ADMIN,
    email: `${DEMO_ADMIN}@example.com`,
    password: randomBytes(24).toString('base64url'),
  });
  return actorOf(user);
}

const ADMIN_HINT = [
  'To log in as an admin, create one:',
  "  npm run create-admin -- --username admin --email admin@example.com --password '<a long password>'",
];

async function main(argv: string[]): Promise<void> {
  const { values } = parseCommandLine(argv, { 'allow-production': { type: 'boolean' } });
  loadDotEnv();
  const config = loadConfig(); // a configuration error reads better here than from inside Nest's start-up
  if (config.nodeEnv === 'production' && !values['allow-production']) {
    throw new Error('NODE_ENV is production: the demo adds users with a published password. Pass --allow-production to seed anyway.');
  }
  const app = await NestFactory.createApplicationContext(AppModule, { logger: scriptLogger, abortOnError: false });
  try {
    const s = services(app);
    if (await s.db.getRepository(User).existsBy({ username: MARKER })) {
      console.log('Demo data already present; nothing to do.');
    } else {
      // One transaction: a failure half-way leaves nothing behind, so the next run starts clean.
      const lines = await runInContext({ requestId: `seed-${Date.now()}` }, () => s.db.transaction(() => seed(s)));
      console.log(lines.join('\n'));
    }
    console.log(ADMIN_HINT.join('\n'));
  } finally {
    await app.close();
  }
}

function services(app: INestApplicationContext): Services {
  return {
    db: app.get(TransactionalConnection),
    users: app.get(UsersService),
    inventory: app.get(InventoryService),
    orders: app.get(OrdersService),
    invoices: app.get(InvoicesService),
    payments: app.get(PaymentsService),
    ratings: app.get(RatingsService),
  };
}

runCli({ name: 'Seed', usage: USAGE }, () => main(process.argv.slice(2)));
