import { BoundedMemo } from './bounded-memo.js';

describe('BoundedMemo', () => {
  it('computes a key once while it is remembered', () => {
    const memo = new BoundedMemo<string, string>(3);
    const seen: string[] = [];
    const upper = (key: string) => (seen.push(key), key.toUpperCase());
    expect([memo.get('a', upper), memo.get('a', upper), memo.get('b', upper), memo.get('a', upper)]).toEqual(['A', 'A', 'B', 'A']);
    expect(seen).toEqual(['a', 'b']);
  });

  it('starts over when full, so client-chosen keys cannot grow it without bound', () => {
    const memo = new BoundedMemo<number, number>(2);
    let calls = 0;
    const square = (n: number) => (calls++, n * n);
    memo.get(1, square);
    memo.get(2, square);
    memo.get(3, square); // full: forgets 1 and 2
    expect(calls).toBe(3);
    expect(memo.get(3, square)).toBe(9);
    expect(calls).toBe(3);
    expect(memo.get(1, square)).toBe(1);
    expect(calls).toBe(4);
  });

  it('keeps values computed elsewhere (remember) until full, and finds them', () => {
    const memo = new BoundedMemo<string, number>(2);
    expect(memo.find('a')).toBeUndefined();
    memo.remember('a', 1);
    memo.remember('b', 2);
    expect([memo.find('a'), memo.find('b')]).toEqual([1, 2]);
    memo.remember('c', 3); // full: forgets a and b
    expect([memo.find('a'), memo.find('b'), memo.find('c')]).toEqual([undefined, undefined, 3]);
  });
});
