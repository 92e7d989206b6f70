import { BeforeApplicationShutdown, Inject, Injectable, Logger, OnApplicationBootstrap } from '@nestjs/common';
import { HttpAdapterHost } from '@nestjs/core';
import type { FastifyInstance } from 'fastify';
import type { IncomingMessage, Server, ServerResponse } from 'node:http';
import { appConfig, type AppSettings } from '../../config/app.config.js';

/**
 * Drains the HTTP server on shutdown (SIGTERM), before the database pool
 * closes: no new connections are accepted, idle keep-alive connections are
 * closed, requests in flight finish (their connections close after the
 * response), and after SHUTDOWN_TIMEOUT whatever is left is cut.
 *
 * Requests in flight are counted, not kept: a Set that every response was
 * added to and deleted from kept about 5 KB of every request (its header
 * text, write buffers, request and response objects) alive past the young
 * generation's collections, into the old one, where that garbage brought a
 * full collection every two seconds under load (docs/performance.md,
 * fourteenth pass).
 */
@Injectable()
export class GracefulShutdown implements OnApplicationBootstrap, BeforeApplicationShutdown {
  private readonly logger = new Logger('Shutdown');
  private inFlight = 0;
  private draining = false;

  constructor(
    private readonly adapterHost: HttpAdapterHost,
    @Inject(appConfig.KEY) private readonly config: AppSettings,
  ) {}

  private get server(): Server | undefined {
    return this.adapterHost.httpAdapter?.getHttpServer() as Server | undefined;
  }

  onApplicationBootstrap(): void {
    this.server?.prependListener('request', (_req: IncomingMessage, res: ServerResponse) => {
      this.inFlight++;
      res.once('close', () => {
        this.inFlight--;
        // A response whose headers went out before draining began leaves its connection open and idle.
        if (this.draining) setImmediate(() => this.server?.closeIdleConnections());
      });
    });
    // While draining, every response whose headers have not gone out yet (in flight when draining
    // began, or arriving on a kept-alive connection since) ends its connection.
    const fastify = this.adapterHost.httpAdapter?.getInstance<FastifyInstance>();
    fastify?.addHook('onSend', (_request, reply, payload, done) => {
      if (this.draining) reply.header('Connection', 'close');
      done(null, payload);
    });
  }

  async beforeApplicationShutdown(signal?: string): Promise<void> {
    const server = this.server;
    if (!server?.listening) return;
    this.draining = true;
    this.logger.log(`${signal ?? 'Shutdown'}: refusing new connections, finishing ${this.inFlight} request(s) in flight`);
    const closed = new Promise<void>((resolve) => server.close(() => resolve()));
    let timer: NodeJS.Timeout | undefined;
    const timedOut = new Promise<true>((resolve) => {
      timer = setTimeout(() => resolve(true), this.config.http.shutdownTimeoutMs);
    });
    const expired = await Promise.race([closed, timedOut]);
    clearTimeout(timer);
    if (expired === true) {
      this.logger.warn(`Shutdown timeout: cutting ${this.inFlight} request(s) still in flight`);
      server.closeAllConnections();
      await closed;
    }
    this.logger.log('HTTP server closed');
  }
}
