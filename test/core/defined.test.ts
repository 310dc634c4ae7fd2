import { describe, expect, it } from 'vitest';
import { defined } from '../../src/core/defined';

describe('defined', () => {
  it('drops the undefined properties only, keeping every other falsy value, and returns the same object', () => {
    const object = { a: 1, b: undefined, c: null, d: 0, e: '', f: false };
    const result = defined(object);
    expect(result).toBe(object);
    expect(Object.keys(result)).toEqual(['a', 'c', 'd', 'e', 'f']);
    expect('b' in result).toBe(false);
  });
});
