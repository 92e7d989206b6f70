import { Global, Module } from '@nestjs/common';
import { appConfig, type AppSettings } from '../config/app.config.js';
import { AccessTokenVerifier } from './access-token-verifier.js';

/** The app's one AccessTokenVerifier, for the rate limiter and the authentication guard. */
@Global()
@Module({
  providers: [{ provide: AccessTokenVerifier, inject: [appConfig.KEY], useFactory: (config: AppSettings) => new AccessTokenVerifier(config.jwt.secret) }],
  exports: [AccessTokenVerifier],
})
export class AccessTokenModule {}
