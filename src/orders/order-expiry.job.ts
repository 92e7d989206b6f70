import { Inject, Injectable, Logger, OnApplicationBootstrap, OnApplicationShutdown } from '@nestjs/common';
import { SchedulerRegistry } from '@nestjs/schedule';
import { appConfig, type AppSettings } from '../config/app.config.js';
import { OrdersService } from './orders.service.js';

const JOB = 'expire-pending-orders';

/** Every ORDER_EXPIRY_INTERVAL, cancels the PENDING orders older than ORDER_PENDING_TTL. */
@Injectable()
export class OrderExpiryJob implements OnApplicationBootstrap, OnApplicationShutdown {
  private readonly logger = new Logger('OrderExpiry');
  private running = false;

  constructor(
    private readonly orders: OrdersService,
    private readonly scheduler: SchedulerRegistry,
    @Inject(appConfig.KEY) private readonly config: AppSettings,
  ) {}

  onApplicationBootstrap(): void {
    const every = this.config.orders.expiryIntervalSeconds * 1000;
    this.scheduler.addInterval(JOB, setInterval(() => void this.tick(), every));
  }

  onApplicationShutdown(): void {
    if (this.scheduler.doesExist('interval', JOB)) this.scheduler.deleteInterval(JOB);
  }

  async tick(): Promise<void> {
    if (this.running) return;
    this.running = true;
    try {
      let expired = 0;
      for (let batch = await this.orders.expireStale(); batch > 0; batch = await this.orders.expireStale()) expired += batch;
      if (expired > 0) this.logger.log(`Cancelled ${expired} expired PENDING order(s)`);
    } catch (error) {
      this.logger.error(`Expiring orders failed: ${(error as Error).message}`);
    } finally {
      this.running = false;
    }
  }
}
