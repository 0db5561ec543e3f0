import { Migration } from '@mikro-orm/migrations';

/** Campaigns with their metrics, quotas assigned down the hierarchy, and the history of every quota change. */
export class Migration20261123001000Campaigns extends Migration {
  override async up(): Promise<void> {
    this.addSql(`create table "campaign" (
      "id" serial primary key, "name" text not null, "description" text not null default '', "scope_unit_id" int null,
      "start_date" date not null, "deadline" date not null,
      "status" text check ("status" in ('DRAFT', 'ACTIVE', 'CLOSED')) not null default 'DRAFT',
      "min_teams_per_hamlet" integer not null default 5, "created_by_id" int null,
      "created_at" timestamptz not null, "updated_at" timestamptz not null);`);
    this.addSql('create index "campaign_status_dates_index" on "campaign" ("status", "start_date", "deadline");');
    this.addSql('create index "campaign_scope_unit_id_index" on "campaign" ("scope_unit_id");');

    this.addSql(`create table "campaign_metric" (
      "campaign_id" int not null, "metric_code" text not null,
      "counting_mode" text check ("counting_mode" in ('CUMULATIVE', 'SINCE_START')) not null,
      "allocation_mode" text check ("allocation_mode" in ('STRICT', 'LENIENT')) not null,
      constraint "campaign_metric_pkey" primary key ("campaign_id", "metric_code"));`);

    this.addSql(`create table "quota" (
      "id" serial primary key, "campaign_id" int not null, "unit_id" int not null, "metric_code" text not null,
      "target" integer not null, "assigned_by_id" int null, "assigned_at" timestamptz not null);`);
    this.addSql('create index "quota_unit_id_index" on "quota" ("unit_id");');
    this.addSql('alter table "quota" add constraint "quota_campaign_unit_metric_unique" unique ("campaign_id", "unit_id", "metric_code");');

    this.addSql(`create table "quota_history" (
      "id" bigserial primary key, "campaign_id" int not null, "unit_id" int not null, "metric_code" text not null,
      "old_target" integer null, "new_target" integer not null, "changed_by_id" int null, "changed_at" timestamptz not null,
      "request_id" text null);`);
    this.addSql('create index "quota_history_lookup_index" on "quota_history" ("campaign_id", "unit_id", "metric_code", "changed_at");');

    this.addSql('alter table "campaign" add constraint "campaign_scope_unit_id_foreign" foreign key ("scope_unit_id") references "admin_unit" ("id") on update cascade on delete restrict;');
    this.addSql('alter table "campaign" add constraint "campaign_created_by_id_foreign" foreign key ("created_by_id") references "principal" ("id") on update cascade on delete set null;');
    this.addSql('alter table "campaign_metric" add constraint "campaign_metric_campaign_id_foreign" foreign key ("campaign_id") references "campaign" ("id") on update cascade on delete cascade;');
    this.addSql('alter table "campaign_metric" add constraint "campaign_metric_metric_code_foreign" foreign key ("metric_code") references "metric" ("code") on update cascade on delete restrict;');
    this.addSql('alter table "quota" add constraint "quota_campaign_id_foreign" foreign key ("campaign_id") references "campaign" ("id") on update cascade on delete cascade;');
    this.addSql('alter table "quota" add constraint "quota_unit_id_foreign" foreign key ("unit_id") references "admin_unit" ("id") on update cascade on delete restrict;');
    this.addSql('alter table "quota" add constraint "quota_metric_code_foreign" foreign key ("metric_code") references "metric" ("code") on update cascade on delete restrict;');
    this.addSql('alter table "quota" add constraint "quota_assigned_by_id_foreign" foreign key ("assigned_by_id") references "principal" ("id") on update cascade on delete set null;');
    this.addSql('alter table "quota_history" add constraint "quota_history_campaign_id_foreign" foreign key ("campaign_id") references "campaign" ("id") on update cascade on delete cascade;');
    this.addSql('alter table "quota_history" add constraint "quota_history_unit_id_foreign" foreign key ("unit_id") references "admin_unit" ("id") on update cascade on delete restrict;');
    this.addSql('alter table "quota_history" add constraint "quota_history_metric_code_foreign" foreign key ("metric_code") references "metric" ("code") on update cascade on delete restrict;');
    this.addSql('alter table "quota_history" add constraint "quota_history_changed_by_id_foreign" foreign key ("changed_by_id") references "principal" ("id") on update cascade on delete set null;');
  }
}
