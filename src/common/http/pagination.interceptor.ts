import { CallHandler, ExecutionContext, Injectable, NestInterceptor } from '@nestjs/common';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { map, Observable } from 'rxjs';
import { BoundedMemo } from '../bounded-memo.js';
import { JsonPage, Page } from '../pagination.js';
import { clientUrlOf } from './url-aliases.js';

/**
 * Turns a `Page` or `JsonPage` result into a JSON array plus `X-Total-Count`
 * and `Link` headers. A `JsonPage`'s items are JSON already: they are sent as
 * they are, not serialised again.
 */
@Injectable()
export class PaginationInterceptor implements NestInterceptor {
  intercept(context: ExecutionContext, next: CallHandler): Observable<unknown> {
    return next.handle().pipe(
      map((result) => {
        if (!(result instanceof Page) && !(result instanceof JsonPage)) return result;
        const http = context.switchToHttp();
        const request = http.getRequest<FastifyRequest>();
        const reply = http.getResponse<FastifyReply>();
        reply.header('X-Total-Count', String(result.total));
        const links = this.links(request, result);
        if (links) reply.header('Link', links);
        if (result instanceof Page) return result.items;
        reply.type('application/json; charset=utf-8');
        return result.body();
      }),
    );
  }

  /** `origin + pathname` of the URLs lists are called at, by the request's base and path: parsed once each, not on every request. */
  private readonly bases = new BoundedMemo<string, string>(1000);

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
