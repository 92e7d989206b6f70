import { Global, Module } from '@nestjs/common';
import { TransactionalConnection } from './transactional-connection.js';

@Global()
@Module({
  providers: [TransactionalConnection],
  exports: [TransactionalConnection],
})
export class DatabaseConnectionModule {}
