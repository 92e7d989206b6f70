import { createTestApp, TestApp } from './support/test-app.js';
describe('x', () => {
  let t: TestApp;
  beforeAll(async () => { t = await createTestApp(); });
  afterAll(async () => { await t.close(); });
  it('prints', async () => {
    const doc = await t.http.get('/api/docs-json');
    const out: string[] = [];
    for (const [p, ops] of Object.entries(doc.body.paths as Record<string, Record<string, unknown>>)) for (const m of Object.keys(ops)) out.push(`${m.toUpperCase()} ${p}`);
    console.log(out.join('\n'));
  });
});
