import { Module } from '@nestjs/common';
import { GracefulShutdown } from './graceful-shutdown.js';

@Module({ providers: [GracefulShutdown] })
export class LifecycleModule {}
