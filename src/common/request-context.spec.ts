import { EventEmitter } from 'node:events';
import { setImmediate as tick } from 'node:timers/promises';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { currentContext, openContexts, requestContext, runInContext } from './request-context.js';

/** A request as the preHandler hook sees it, and a response that can be closed. */
function exchange(method: string) {
  const raw = new EventEmitter();
  return {
    request: { method, id: `req-${method}` } as FastifyRequest,
    reply: { raw } as unknown as FastifyReply,
    close: () => raw.emit('close'),
  };
}

describe('request context', () => {
  afterEach(() => expect(openContexts()).toBe(0));

  it('holds a context across awaits, and closes it when the work is done', async () => {
    const seen = await runInContext({ requestId: 'a' }, async () => {
      const before = currentContext()?.requestId;
      await tick();
      const nested = await runInContext({ ...currentContext(), requestId: 'b' }, async () => {
        await tick();
        return currentContext()?.requestId;
      });
      await tick();
      return [before, nested, currentContext()?.requestId, openContexts()];
    });
    expect(seen).toEqual(['a', 'b', 'a', 1]);
    expect(currentContext()).toBeUndefined();
  });

  it('closes a context whose work throws or rejects', async () => {
    expect(() => runInContext({ requestId: 'x' }, () => {
      throw new Error('thrown');
    })).toThrow('thrown');
    await expect(runInContext({ requestId: 'y' }, async () => {
      await tick();
      throw new Error('rejected');
    })).rejects.toThrow('rejected');
    expect(runInContext({ requestId: 'z' }, () => currentContext()?.requestId)).toBe('z');
  });

  it('opens a context for a write request until its response closes, and none for a read', async () => {
    const write = exchange('POST');
    let inWrite: string | undefined;
    requestContext(write.request, write.reply, () => {
      void tick().then(() => (inWrite = currentContext()?.requestId));
    });
    await tick();
    await tick();
    expect(inWrite).toBe('req-POST');
    expect(openContexts()).toBe(1);

    for (const method of ['GET', 'HEAD', 'OPTIONS']) {
      const read = exchange(method);
      let inRead: unknown = 'not run';
      requestContext(read.request, read.reply, () => (inRead = currentContext()));
      expect(inRead).toBeUndefined();
      expect(openContexts()).toBe(1);
    }
    write.close();
    expect(openContexts()).toBe(0);
  });
});
