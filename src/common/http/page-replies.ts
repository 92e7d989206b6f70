import type { NestFastifyApplication } from '@nestjs/platform-fastify';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { BoundedMemo } from '../bounded-memo.js';
import { JsonPage, Page } from '../pagination.js';
import { clientUrlOf } from './url-aliases.js';

/**
 * A `JsonPage`'s body: its items are JSON already, sent as they are rather
 * than serialised again, as bytes (Fastify sends a Buffer as it is; its types
 * only name the string a serializer usually returns).
 */
const jsonPageBody = (page: JsonPage<unknown>) => page.body() as unknown as string;

/**
 * Sends a handler's `Page` or `JsonPage` as a JSON array plus `X-Total-Count`
 * and `Link` headers (`@Paginated` documents it on the route). A Fastify
 * hook on the result rather than a Nest interceptor: an interceptor puts the
 * request through Nest's rxjs chain (observables, an async scope and more
 * promises per request), a measurable share of a busy list's CPU (docs/performance.md,
 * eighth pass).
 */
export function usePageReplies(app: NestFastifyApplication): void {
  const links = new PageLinks();
  app.getHttpAdapter().getInstance().addHook('preSerialization', (request, reply, payload, done) => {
    if (payload instanceof JsonPage) {
      links.setHeaders(request, reply, payload);
      reply.serializer(jsonPageBody);
      done(null, payload);
    } else if (payload instanceof Page) {
      links.setHeaders(request, reply, payload);
      done(null, payload.items);
    } else {
      done(null, payload);
    }
  });
}

/** `X-Total-Count` and the RFC 8288 `Link` header of a page. */
class PageLinks {
  /** `origin + pathname` of the URLs lists are called at, by the request's base and path: parsed once each, not on every request. */
  private readonly bases = new BoundedMemo<string, string>(1000);

  setHeaders(request: FastifyRequest, reply: FastifyReply, page: Page<unknown> | JsonPage<unknown>): void {
    reply.header('X-Total-Count', String(page.total));
    reply.header('Link', this.links(request, page));
  }

  /**
   * Absolute URLs as the client called them (an alias stays an alias), with
   * `page` and `page_size` moved to the end and set: the four links are built
   * from one string.
   */
  private links(request: FastifyRequest, page: Page<unknown> | JsonPage<unknown>): string {
    const lastPage = Math.max(1, Math.ceil(page.total / page.pageSize));
    const clientUrl = clientUrlOf(request.raw);
    const queryAt = clientUrl.indexOf('?');
    const params = new URLSearchParams(queryAt === -1 ? '' : clientUrl.slice(queryAt + 1));
    params.delete('page');
    params.delete('page_size');
    const kept = params.toString();
    const prefix = `${this.baseOf(request, queryAt === -1 ? clientUrl : clientUrl.slice(0, queryAt))}?${kept ? `${kept}&` : ''}page=`;
    const at = (n: number) => `${prefix}${n}&page_size=${page.pageSize}`;
    const parts: string[] = [];
    if (page.page < lastPage) parts.push(`<${at(page.page + 1)}>; rel="next"`);
    if (page.page > 1) parts.push(`<${at(Math.min(page.page - 1, lastPage))}>; rel="prev"`);
    parts.push(`<${at(1)}>; rel="first"`, `<${at(lastPage)}>; rel="last"`);
    return parts.join(', ');
  }

  /**
   * The link's origin and path, as the WHATWG URL parser writes them for the
   * path the client called; the path alone (a relative link) when the Host
   * header is no host, rather than failing the request.
   */
  private baseOf(request: FastifyRequest, path: string): string {
    const origin = `${request.protocol}://${request.headers.host ?? 'localhost'}`;
    return this.bases.get(`${origin} ${path}`, () => {
      const url = URL.parse(path, origin);
      return url ? `${url.origin}${url.pathname}` : new URL(path, 'http://localhost').pathname;
    });
  }
}
