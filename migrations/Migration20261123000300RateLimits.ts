import { Migration } from '@mikro-orm/migrations';

export class Migration20261123000300RateLimits extends Migration {
  override async up(): Promise<void> {
    this.addSql(`create table "rate_limit_counter" ("key" text not null, "window" bigint not null, "count" integer not null,
      constraint "rate_limit_counter_pkey" primary key ("key", "window"));`);
  }
}
