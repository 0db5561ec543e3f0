import { Migration } from '@mikro-orm/migrations';

/** The version of shared data that cached answers are checked against (src/cache/data-version.ts). */
export class Migration20261130000500DataVersion extends Migration {
  override async up(): Promise<void> {
    this.addSql('create sequence if not exists "data_version_seq";');
    this.addSql("select nextval('data_version_seq');");
  }
}
