import { jest } from '@jest/globals';
import { SetMetadata } from '@nestjs/common';
import { Reflector } from '@nestjs/core';
import { RouteMetadata } from './route-metadata.js';

const Flag = Reflector.createDecorator<string>();

@SetMetadata('scope', 'class')
class Controller {
  @SetMetadata('scope', 'handler')
  @SetMetadata('roles', ['ADMIN'])
  @Flag('on')
  decorated() {}

  @SetMetadata('empty', null)
  plain() {}
}

const { decorated, plain } = Controller.prototype;

describe('RouteMetadata', () => {
  it('answers what Reflector answers, for keys that are set and keys that are not', () => {
    const reflector = new Reflector();
    const metadata = new RouteMetadata();
    const questions: Array<[unknown, Function]> = [
      ['scope', decorated],
      ['scope', plain],
      ['scope', Controller],
      ['roles', decorated],
      ['roles', plain],
      ['empty', plain],
      [Flag, decorated],
      [Flag, plain],
    ];
    for (const [key, target] of questions) {
      // Asked twice: the remembered answer is the same as the first.
      expect([metadata.get(key, target), metadata.get(key, target)]).toEqual([reflector.get(key, target), reflector.get(key, target)]);
    }
    expect(metadata.get('empty', plain)).toBeNull();
    expect(metadata.get(Flag, decorated)).toBe('on');
    expect(metadata.getAllAndOverride('scope', [decorated, Controller])).toBe('handler');
    expect(metadata.getAllAndOverride('scope', [plain, Controller])).toBe('class');
    expect(metadata.getAllAndOverride('roles', [plain, Controller])).toBeUndefined();
  });

  it('reads reflect-metadata once per target and key, a missing key included', () => {
    const metadata = new RouteMetadata();
    const lookups = jest.spyOn(Reflect, 'getMetadata');
    try {
      for (let i = 0; i < 5; i++) {
        metadata.getAllAndOverride('roles', [plain, Controller]);
        metadata.getAllAndOverride('roles', [decorated, Controller]);
      }
      // plain, Controller and decorated once each (decorated answers before its class).
      expect(lookups).toHaveBeenCalledTimes(3);
    } finally {
      lookups.mockRestore();
    }
  });
});
