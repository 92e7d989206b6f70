import { createTestApp, type TestApp } from './support/test-app.js';

/**
 * Timestamps as the app's pool reads them (its own timestamptz parser) against
 * the instant the database itself computes, in zones with odd offsets.
 */
describe('timestamps read from the database', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await createTestApp();
  });
  afterAll(() => t.close());

  it.each(['UTC', 'Asia/Kathmandu', 'America/St_Johns', 'Pacific/Chatham', 'Europe/Amsterdam', 'America/Los_Angeles'])(
    'are the same instants as the database means in time zone %s',
    async (zone) => {
      const rows: { at: Date; epoch_ms: string; text: string }[] = await t.db.transaction(async (manager) => {
        await manager.query(`SELECT set_config('TimeZone', $1, true)`, [zone]);
        return manager.query(`
          SELECT at, CASE WHEN isfinite(at) THEN floor(extract(epoch FROM at) * 1000)::text END AS epoch_ms, at::text AS text
          FROM unnest(ARRAY[
            now(), '2026-11-29 06:27:47.123456+00', '2026-03-29 01:59:59.999999+00', '1900-01-01 00:00:00+00',
            '1850-06-01 12:00:00.5+00', '2000-02-29 23:59:59+00', 'infinity', '-infinity'
          ]::timestamptz[]) AS at`);
      });
      expect(rows).toHaveLength(8);
      for (const row of rows) {
        if (row.text.endsWith('infinity')) {
          expect(Number(row.at)).toBe(row.text === 'infinity' ? Infinity : -Infinity);
          continue;
        }
        expect(row.at).toBeInstanceOf(Date);
        // The database keeps microseconds; a Date holds milliseconds, cut, not rounded.
        expect(row.at.getTime()).toBe(Number(row.epoch_ms));
      }
    },
  );
});
