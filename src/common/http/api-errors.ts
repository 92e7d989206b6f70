import { applyDecorators } from '@nestjs/common';
import { ApiBadRequestResponse, ApiConflictResponse, ApiNotFoundResponse } from '@nestjs/swagger';
import { ErrorResponseDto } from '../dto/error-response.dto.js';

export const ApiValidationErrors = () =>
  ApiBadRequestResponse({ description: 'Malformed body, query or path value (validation_error).', type: ErrorResponseDto });

export const ApiNotFound = (what: string) =>
  ApiNotFoundResponse({ description: `${what} does not exist or is not visible to the caller.`, type: ErrorResponseDto });

export const ApiConflict = (codes: string) =>
  applyDecorators(ApiConflictResponse({ description: `Conflicts with the current state (${codes}).`, type: ErrorResponseDto }));
