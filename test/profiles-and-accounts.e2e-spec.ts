import { createAdmin, createItem, createUser, expectError, PASSWORD, placeOrder, TestUser, unique } from './support/factories.js';
import { createTestApp, TestApp } from './support/test-app.js';

describe('profiles and accounts', () => {
  let t: TestApp;
  let admin: TestUser;
  let seller: TestUser;
  let otherSeller: TestUser;
  let buyer: TestUser;
  let otherBuyer: TestUser;

  beforeAll(async () => {
    t = await createTestApp();
    admin = await createAdmin(t);
    seller = await createUser(t, 'SELLER', { phone_number: '+254722000001', address: 'Depot Road 1' });
    otherSeller = await createUser(t, 'SELLER');
    buyer = await createUser(t, 'BUYER', { phone_number: '+254733000001', address: 'Flat 4, Kisumu' });
    otherBuyer = await createUser(t, 'BUYER');
    const item = await createItem(t, seller);
    await placeOrder(t, buyer, item.id, 1);
  });
  afterAll(async () => {
    await t.close();
  });

  const profile = (viewer: TestUser, of: TestUser) => t.http.get(`/api/v1/profiles/${of.id}/`).set(viewer.auth);

  it("shows a buyer's contact details to the seller they ordered from, for delivery", async () => {
    const res = await profile(seller, buyer);
    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({ phone_number: '+254733000001', address: 'Flat 4, Kisumu', user: { email: buyer.email } });
  });

  it('shows them to the user and to admins', async () => {
    expect((await profile(buyer, buyer)).body.phone_number).toBe('+254733000001');
    expect((await profile(admin, buyer)).body.address).toBe('Flat 4, Kisumu');
  });

  it("shows a buyer only the name of a seller they ordered from, never the seller's contacts", async () => {
    const res = await profile(buyer, seller);
    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({ id: seller.id, phone_number: null, address: null, user: { username: seller.username, email: null } });
  });

  it('hides a profile entirely from anyone without an order between them', async () => {
    expectError(await profile(otherSeller, buyer), 404, 'not_found');
    expectError(await profile(otherBuyer, buyer), 404, 'not_found');
    expectError(await profile(otherBuyer, seller), 404, 'not_found');
    expectError(await profile(buyer, otherSeller), 404, 'not_found');
  });

  it("stops a deactivated user's tokens at once, and lets them back in when reactivated", async () => {
    const user = await createUser(t, 'BUYER');
    const off = await t.http.patch(`/api/v1/profiles/${user.id}/`).set(admin.auth).send({ is_active: false });
    expect(off.status).toBe(200);
    expect(off.body.is_active).toBe(false);
    expectError(await t.http.get('/api/v1/profiles/me/').set(user.auth), 401, 'not_authenticated');
    expectError(await t.http.post('/api/v1/token/refresh/').send({ refresh: user.refresh }), 401, 'not_authenticated');
    expectError(await t.http.post('/api/v1/login/').send({ username: user.username, password: PASSWORD }), 401, 'not_authenticated');

    await t.http.patch(`/api/v1/profiles/${user.id}/`).set(admin.auth).send({ is_active: true });
    const login = await t.http.post('/api/v1/login/').send({ username: user.username, password: PASSWORD });
    expect(login.status).toBe(200);
    // The refresh token from before the deactivation stays dead.
    expectError(await t.http.post('/api/v1/token/refresh/').send({ refresh: user.refresh }), 401, 'not_authenticated');

    const trail = await t.http.get('/api/v1/admin/audit/').query({ object_type: 'user', object_id: user.id }).set(admin.auth);
    expect(trail.body.map((e: { after: { is_active: boolean } }) => e.after.is_active)).toEqual([true, false]);
  });

  it('lets an admin change a role, which takes effect at the next request', async () => {
    const user = await createUser(t, 'BUYER');
    await t.http.patch(`/api/v1/profiles/${user.id}/`).set(admin.auth).send({ role: 'SELLER' });
    expect((await t.http.get('/api/v1/seller/inventory/').set(user.auth)).status).toBe(200);
    expectError(await t.http.get('/api/v1/orders/my_orders/').set(user.auth), 403, 'permission_denied');
  });

  it('does not let an admin lock themselves out, nor others change accounts', async () => {
    expectError(await t.http.patch(`/api/v1/profiles/${admin.id}/`).set(admin.auth).send({ is_active: false }), 409, 'invalid_transition');
    expectError(await t.http.patch(`/api/v1/profiles/${buyer.id}/`).set(seller.auth).send({ is_active: false }), 403, 'permission_denied');
    expectError(await t.http.patch(`/api/v1/profiles/${buyer.id}/`).set(admin.auth).send({ is_active: 'no' }), 400, 'validation_error');
    expect((await profile(buyer, buyer)).body.is_active).toBe(true);
  });

  it('refuses a password that is the username or the email', async () => {
    const name = unique('pw');
    for (const password of [name, `${name}@example.com`.toUpperCase()]) {
      const res = await t.http.post('/api/v1/register/').send({ username: name, email: `${name}@example.com`, password, role: 'BUYER' });
      expectError(res, 400, 'validation_error');
      expect(res.body.errors.password).toEqual(['password must not be the username or the email']);
    }
    expectError(
      await t.http.post('/api/v1/register/').send({ username: name, email: `${name}@example.com`, password: 'short', role: 'BUYER' }),
      400,
      'validation_error',
    );
  });
});
