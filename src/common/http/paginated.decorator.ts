import { applyDecorators, Type } from '@nestjs/common';
import { ApiExtraModels, ApiOkResponse, getSchemaPath } from '@nestjs/swagger';

/**
 * A paginated list, as the documentation shows it: the handler returns a
 * `Page` or `JsonPage`, the client gets a JSON array plus the `X-Total-Count`
 * and `Link` headers (sent by `usePageReplies`, page-replies.ts).
 */
export const Paginated = (model: Type<unknown>) =>
  applyDecorators(
    ApiExtraModels(model),
    ApiOkResponse({
      schema: { type: 'array', items: { $ref: getSchemaPath(model) } },
      headers: {
        'X-Total-Count': { description: 'Total number of items', schema: { type: 'integer' } },
        Link: { description: 'RFC 8288 links to the next, prev, first and last pages', schema: { type: 'string' } },
      },
    }),
  );
