import { applyDecorators, Type, UseInterceptors } from '@nestjs/common';
import { ApiExtraModels, ApiOkResponse, getSchemaPath } from '@nestjs/swagger';
import { PaginationInterceptor } from './pagination.interceptor.js';

/**
 * A paginated list: the handler returns a `Page`, the client gets a JSON
 * array plus the `X-Total-Count` and `Link` headers (PaginationInterceptor),
 * and the documentation says so. The interceptor is on these routes only:
 * the others skip the interceptor chain altogether (README, Performance).
 */
export const Paginated = (model: Type<unknown>) =>
  applyDecorators(
    UseInterceptors(PaginationInterceptor),
    ApiExtraModels(model),
    ApiOkResponse({
      schema: { type: 'array', items: { $ref: getSchemaPath(model) } },
      headers: {
        'X-Total-Count': { description: 'Total number of items', schema: { type: 'integer' } },
        Link: { description: 'RFC 8288 links to the next, prev, first and last pages', schema: { type: 'string' } },
      },
    }),
  );
