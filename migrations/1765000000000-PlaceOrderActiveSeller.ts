import { MigrationInterface, QueryRunner } from 'typeorm';
import { placeOrderFunction } from './1764800000000-PlaceOrderFunction.js';

/**
 * `place_order` refuses the stock of a seller an admin deactivated, as an
 * item that is not there (404): a buyer could reserve units from a seller who
 * can no longer log in to deliver them. One primary-key lookup of the seller
 * inside the reserving UPDATE.
 */
export class PlaceOrderActiveSeller1765000000000 implements MigrationInterface {
  name = 'PlaceOrderActiveSeller1765000000000';

  public async up(q: QueryRunner): Promise<void> {
    await q.query(placeOrderFunction({ replace: true, sellerMustBeActive: true }));
  }

  public async down(q: QueryRunner): Promise<void> {
    await q.query(placeOrderFunction({ replace: true, sellerMustBeActive: false }));
  }
}
