import type { Dataset } from './dataset.js';
import { rotate, type LoadSpec } from './load.js';
import { mintAccessToken } from './tokens.js';

/** Scenario 1's filters: a brand, a weight and a city, one page of 50. */
export const GAS_QUERY = { brand: 'JIBU', weight: '13', location: 'nairobi', page_size: '50' };
export const SELLER_STATUS = 'DELIVERED';

export type ScenarioName = 'gas' | 'myOrders' | 'sellerOrders' | 'place' | 'race';

/**
 * The requests of the bench's scenarios (README, Performance), shared by
 * `npm run bench` and `npm run bench:profile`. Every token is minted here,
 * once: signing one per request would make the load generator, which shares
 * the machine's two cores with the servers, compete with them for CPU.
 */
export function scenarioSpecs(
  secret: string,
  data: Pick<Dataset, 'heavyBuyer' | 'heavySeller' | 'placingBuyers' | 'ampleItemIds' | 'scarceItemIds'>,
): Record<ScenarioName, LoadSpec> {
  const placing = data.placingBuyers.map((u) => mintAccessToken(secret, u));
  const heavyBuyer = mintAccessToken(secret, data.heavyBuyer);
  const heavySeller = mintAccessToken(secret, data.heavySeller);
  const orderBody = (items: number[]) => {
    const item = rotate(items);
    const token = rotate(placing);
    return () => ({
      token: token(),
      body: { gas_inventory: item(), quantity: 1, delivery_address: 'Plot 12, Moi Avenue, Nairobi', contact_phone: '+254711000111' },
    });
  };
  const buyers = rotate(placing);
  return {
    gas: { method: 'GET', path: `/api/v1/gas/?${new URLSearchParams(GAS_QUERY)}`, next: () => ({ token: buyers() }) },
    myOrders: { method: 'GET', path: '/api/v1/orders/my_orders/?page_size=50', next: () => ({ token: heavyBuyer }) },
    sellerOrders: { method: 'GET', path: `/api/v1/seller/orders/?status=${SELLER_STATUS}&page_size=50`, next: () => ({ token: heavySeller }) },
    place: { method: 'POST', path: '/api/v1/orders/', next: orderBody(data.ampleItemIds) },
    race: { method: 'POST', path: '/api/v1/orders/', next: orderBody(data.scarceItemIds), expected: [409] },
  };
}
