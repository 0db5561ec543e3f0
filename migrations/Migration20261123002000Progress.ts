import { Migration } from '@mikro-orm/migrations';

/** Progress reports, their history, and the rollup tables (see src/progress/rollup-plan.ts). */
export class Migration20261123002000Progress extends Migration {
  override async up(): Promise<void> {
    this.addSql(`create table "progress_report" ("id" bigserial primary key, "unit_id" int not null, "metric" text not null, "as_of" date not null,
      "value" bigint not null, "note" text null, "reported_by_id" int null, "reported_at" timestamptz not null default now());`);
    this.addSql('create index "progress_report_reported_by_id_index" on "progress_report" ("reported_by_id");');
    this.addSql('alter table "progress_report" add constraint "progress_report_unit_metric_as_of_unique" unique ("unit_id", "metric", "as_of");');
    this.addSql('alter table "progress_report" add constraint "progress_report_unit_id_foreign" foreign key ("unit_id") references "admin_unit" ("id") on update cascade on delete restrict;');
    this.addSql('alter table "progress_report" add constraint "progress_report_metric_foreign" foreign key ("metric") references "metric" ("code") on update cascade on delete restrict;');
    this.addSql('alter table "progress_report" add constraint "progress_report_reported_by_id_foreign" foreign key ("reported_by_id") references "principal" ("id") on update cascade on delete set null;');

    this.addSql(`create table "progress_history" ("id" bigserial primary key, "report_id" bigint not null, "unit_id" integer not null, "metric" text not null,
      "as_of" date not null, "old_value" bigint null, "new_value" bigint not null, "reason" text null, "principal_id" integer null,
      "at" timestamptz not null default now(), "request_id" text null);`);
    this.addSql('create index "progress_history_unit_metric_id" on "progress_history" ("unit_id", "metric", "id");');

    this.addSql(`create table "rollup_change" ("unit_id" integer not null, "metric" text not null, "date" date not null, "change" bigint not null default 0,
      "reporters" integer not null default 0, "last_report_at" timestamptz null, constraint "rollup_change_pkey" primary key ("unit_id", "metric", "date"));`);
    this.addSql(`create table "rollup_total" ("unit_id" integer not null, "metric" text not null, "value" bigint not null default 0,
      "reporters" integer not null default 0, "last_report_at" timestamptz null, constraint "rollup_total_pkey" primary key ("unit_id", "metric"));`);
  }
}
