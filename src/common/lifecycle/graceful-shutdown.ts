import { BeforeApplicationShutdown, Inject, Injectable, Logger, OnApplicationBootstrap } from '@nestjs/common';
import { HttpAdapterHost } from '@nestjs/core';
import type { IncomingMessage, Server, ServerResponse } from 'node:http';
import { appConfig, type AppSettings } from '../../config/app.config.js';

/**
 * Drains the HTTP server on shutdown (SIGTERM), before the database pool
 * closes: no new connections are accepted, idle keep-alive connections are
 * closed, requests in flight finish (their connections close after the
 * response), and after SHUTDOWN_TIMEOUT whatever is left is cut.
 */
@Injectable()
export class GracefulShutdown implements OnApplicationBootstrap, BeforeApplicationShutdown {
  private readonly logger = new Logger('Shutdown');
  private readonly inFlight = new Set<ServerResponse>();
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
      this.inFlight.add(res);
      res.once('close', () => {
        this.inFlight.delete(res);
        // A response whose headers went out before draining began leaves its connection open and idle.
        if (this.draining) setImmediate(() => this.server?.closeIdleConnections());
      });
      // A request that arrives on a kept-alive connection while draining is served, then the connection closes.
      if (this.draining) res.setHeader('Connection', 'close');
    });
  }

  async beforeApplicationShutdown(signal?: string): Promise<void> {
    const server = this.server;
    if (!server?.listening) return;
    this.draining = true;
    this.logger.log(`${signal ?? 'Shutdown'}: refusing new connections, finishing ${this.inFlight.size} request(s) in flight`);
    for (const res of this.inFlight) {
      if (!res.headersSent) res.setHeader('Connection', 'close');
    }
    const closed = new Promise<void>((resolve) => server.close(() => resolve()));
    let timer: NodeJS.Timeout | undefined;
    const timedOut = new Promise<true>((resolve) => {
      timer = setTimeout(() => resolve(true), this.config.http.shutdownTimeoutMs);
    });
    const expired = await Promise.race([closed, timedOut]);
    clearTimeout(timer);
    if (expired === true) {
      this.logger.warn(`Shutdown timeout: cutting ${this.inFlight.size} request(s) still in flight`);
      server.closeAllConnections();
      await closed;
    }
    this.logger.log('HTTP server closed');
  }
}
