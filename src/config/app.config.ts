import { ConfigType, registerAs } from '@nestjs/config';
import { loadConfig } from './configuration.js';

/** The validated configuration as an injectable: `@Inject(appConfig.KEY) config: AppSettings`. */
export const appConfig = registerAs('app', () => loadConfig(process.env));
export type AppSettings = ConfigType<typeof appConfig>;
