import { bearerToken } from './access-token-verifier.js';

describe('bearerToken', () => {
  it('reads the token of a Bearer authorization header, the scheme in any case', () => {
    expect(bearerToken('Bearer abc.def.ghi')).toBe('abc.def.ghi');
    expect(bearerToken('bearer abc.def.ghi')).toBe('abc.def.ghi');
    expect(bearerToken('  BEARER   abc.def.ghi  ')).toBe('abc.def.ghi');
  });

  it('reads nothing from other schemes, missing tokens or extra words', () => {
    for (const header of [undefined, '', 'Bearer', 'Bearer ', 'Basic dXNlcjpwYXNz', 'Token abc', 'Bearer abc def', ['Bearer abc']]) {
      expect(bearerToken(header)).toBeUndefined();
    }
  });
});
