import type { MigrationInterface, QueryRunner } from 'typeorm';
import { createMessagingTables, dropMessagingTables } from '@okc/messaging';

/** The transactional outbox, its lanes and the idempotent inbox (libs/messaging). */
export class MessagingTables1764028800000 implements MigrationInterface {
  name = 'MessagingTables1764028800000';

  async up(queryRunner: QueryRunner): Promise<void> {
    await createMessagingTables(queryRunner);
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await dropMessagingTables(queryRunner);
  }
}
