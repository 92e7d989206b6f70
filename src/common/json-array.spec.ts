import fc from 'fast-check';
import { jsonArrayBytes } from './json-array.js';

describe('jsonArrayBytes', () => {
  it('writes an empty page as []', () => {
    expect(jsonArrayBytes([]).toString('utf8')).toBe('[]');
  });

  it('writes one item without a separator', () => {
    expect(jsonArrayBytes(['{"id":1}']).toString('utf8')).toBe('[{"id":1}]');
  });

  it('writes names outside ASCII as UTF-8, every byte of the buffer used', () => {
    const items = ['{"buyer_name":"Wanjikũ Mũthoni"}', '{"seller_name":"Ōtieno 🚚"}'];
    const bytes = jsonArrayBytes(items);
    expect(bytes.length).toBe(Buffer.byteLength(`[${items.join(',')}]`));
    expect(JSON.parse(bytes.toString('utf8'))).toEqual([{ buyer_name: 'Wanjikũ Mũthoni' }, { seller_name: 'Ōtieno 🚚' }]);
  });

  it('is the UTF-8 of the items joined into an array, for any items', () => {
    fc.assert(
      fc.property(fc.array(fc.jsonValue(), { maxLength: 60 }), (values) => {
        const items = values.map((value) => JSON.stringify(value));
        const bytes = jsonArrayBytes(items);
        expect(bytes.equals(Buffer.from(`[${items.join(',')}]`, 'utf8'))).toBe(true);
        expect(JSON.parse(bytes.toString('utf8'))).toEqual(JSON.parse(JSON.stringify(values)));
      }),
    );
  });
});
