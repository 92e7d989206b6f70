import { applyDecorators, Type } from '@nestjs/common';
import { ApiExtraModels, ApiOkResponse, getSchemaPath } from '@nestjs/swagger';

/** Documents a paginated list: a JSON array plus the `X-Total-Count` and `Link` headers. */
export const ApiPaginated = (model: Type<unknown>) =>
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
