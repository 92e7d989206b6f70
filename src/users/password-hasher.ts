import { Inject, Injectable } from '@nestjs/common';
import * as bcrypt from 'bcrypt';
import { appConfig, type AppSettings } from '../config/app.config.js';

@Injectable()
export class PasswordHasher {
  /** Compared against when the user does not exist, so both answers take as long. */
  private readonly decoy: Promise<string>;

  constructor(@Inject(appConfig.KEY) private readonly config: AppSettings) {
    this.decoy = bcrypt.hash('decoy-password-for-timing', config.bcryptCost);
  }

  hash(password: string): Promise<string> {
    return bcrypt.hash(password, this.config.bcryptCost);
  }

  async verify(password: string, hash: string | undefined): Promise<boolean> {
    if (!hash) {
      await bcrypt.compare(password, await this.decoy);
      return false;
    }
    return bcrypt.compare(password, hash);
  }
}
