import { Injectable, type Type } from '@nestjs/common';
import { Reflector } from '@nestjs/core';

/**
 * The Reflector the global guards read a route's metadata with (`@Public()`,
 * `@Roles()`, the throttler's settings). Decorators write a route's metadata
 * once, when its class is defined, so each answer, a missing key included, is
 * looked up in reflect-metadata on the first request and remembered: every
 * request asked it about 25 times, the throttler alone 22 (docs/performance.md,
 * fourteenth pass). The targets are the app's controllers and their handlers,
 * a fixed set, so the memo needs no bound. One instance serves the app
 * (`routeMetadata`, provided as `RouteMetadata`): the guards get it injected,
 * the throttler's `skipIf` functions, which are not providers, import it.
 */
@Injectable()
export class RouteMetadata extends Reflector {
  private readonly byTarget = new Map<Type | Function, Map<unknown, unknown>>();

  override get(metadataKeyOrDecorator: any, target: Type | Function): any {
    let known = this.byTarget.get(target);
    if (!known) this.byTarget.set(target, (known = new Map()));
    if (known.has(metadataKeyOrDecorator)) return known.get(metadataKeyOrDecorator);
    const value: unknown = super.get(metadataKeyOrDecorator, target);
    known.set(metadataKeyOrDecorator, value);
    return value;
  }
}

/** The app's one `RouteMetadata` (see above). */
export const routeMetadata = new RouteMetadata();
