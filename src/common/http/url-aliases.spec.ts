import type { IncomingMessage } from 'node:http';
import { canonicalPath, clientUrlOf, rewriteAliases } from './url-aliases.js';

describe('seed-compatible paths', () => {
  it.each([
    ['POST', '/api/token/', '/api/v1/login/'],
    ['POST', '/api/token', '/api/v1/login/'],
    ['POST', '/api/token/refresh/', '/api/v1/token/refresh/'],
    ['GET', '/api/inventory/', '/api/v1/gas/'],
    ['POST', '/api/inventory/', '/api/v1/inventory/'],
    ['GET', '/api/inventory/7/', '/api/v1/inventory/7/'],
    ['GET', '/api/inventory/my_inventory/', '/api/v1/seller/inventory/'],
    ['POST', '/api/v1/seller/inventory/', '/api/v1/inventory/'],
    ['POST', '/api/seller/inventory/', '/api/v1/inventory/'],
    ['GET', '/api/seller/inventory/', '/api/v1/seller/inventory/'],
    ['GET', '/api/inventory/0x1/', '/api/v1/inventory/0x1/'],
    ['GET', '/api/v1/seller/inventory/', '/api/v1/seller/inventory/'],
    ['GET', '/api/orders/seller_orders/', '/api/v1/seller/orders/'],
    ['GET', '/api/orders/my_orders/', '/api/v1/orders/my_orders/'],
    ['POST', '/api/orders/3/approve/', '/api/v1/orders/3/approve/'],
    ['POST', '/api/invoices/', '/api/v1/seller/invoice/'],
    ['GET', '/api/invoices/', '/api/v1/invoices/'],
    ['POST', '/api/ratings/', '/api/v1/feedback/'],
    ['GET', '/api/ratings/', '/api/v1/ratings/'],
    ['GET', '/api/docs', '/api/docs'],
    ['GET', '/api/docs-json', '/api/docs-json'],
    ['GET', '/api/v1/orders/', '/api/v1/orders/'],
    ['GET', '/health/live', '/health/live'],
  ])('%s %s is served as %s', (method, path, canonical) => {
    expect(canonicalPath(method, path)).toBe(canonical);
  });

  it('keeps the query string when it rewrites a path, leaves other URLs alone, and remembers what the client sent', () => {
    const req = (url: string) => ({ method: 'GET', url }) as IncomingMessage;
    const alias = req('/api/inventory/?brand=JIBU&page=2');
    expect(rewriteAliases(alias)).toBe('/api/v1/gas/?brand=JIBU&page=2');
    expect(clientUrlOf(alias)).toBe('/api/inventory/?brand=JIBU&page=2');
    expect(rewriteAliases(req('/api/v1/gas/?q=/api/inventory/'))).toBe('/api/v1/gas/?q=/api/inventory/');
  });
});
