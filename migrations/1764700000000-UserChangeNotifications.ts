import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * PostgreSQL announces every change to what an access token's user is (role,
 * username, active or not) and every deleted user on the `users_changed`
 * channel, with the user's id, once the change commits. Each app instance
 * listens and forgets the users it remembered (`ActorCache`), whichever
 * instance, script or console made the change.
 */
export class UserChangeNotifications1764700000000 implements MigrationInterface {
  name = 'UserChangeNotifications1764700000000';

  public async up(q: QueryRunner): Promise<void> {
    await q.query(
      `CREATE FUNCTION "notify_user_changed"() RETURNS trigger LANGUAGE plpgsql AS $$
       BEGIN
         PERFORM pg_notify('users_changed', OLD.id::text);
         RETURN NULL;
       END
       $$`,
    );
    await q.query(
      `CREATE TRIGGER "users_changed" AFTER UPDATE OF "role", "username", "is_active" OR DELETE ON "users"
       FOR EACH ROW EXECUTE FUNCTION "notify_user_changed"()`,
    );
  }

  public async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP TRIGGER "users_changed" ON "users"`);
    await q.query(`DROP FUNCTION "notify_user_changed"()`);
  }
}
