import { Migration } from '@mikro-orm/migrations';

/** Field teams, their members and their assignments ("5 clear"); the foreign key from grant.team_id to team. */
export class Migration20261123003000Teams extends Migration {
  override async up(): Promise<void> {
    this.addSql(`create table "team" (
      "id" serial primary key, "unit_id" int not null, "name" text not null,
      "kind" text check ("kind" in ('POLICE', 'YOUTH_UNION', 'COMMUNITY_DIGITAL_TEAM', 'WOMEN_UNION', 'VETERANS_ASSOCIATION', 'OFFICIALS', 'OTHER')) not null,
      "active" boolean not null default true, "disbanded_at" timestamptz null,
      "created_at" timestamptz not null, "updated_at" timestamptz not null);`);
    this.addSql('create index "team_unit_id_index" on "team" ("unit_id");');

    this.addSql(`create table "team_member" (
      "id" serial primary key, "team_id" int not null, "full_name" text not null, "organisation" text not null default '',
      "role" text not null default '', "phone" text null, "is_leader" boolean not null default false, "principal_id" int null,
      "removed_at" timestamptz null, "created_at" timestamptz not null, "updated_at" timestamptz not null);`);
    this.addSql('create index "team_member_team_id_index" on "team_member" ("team_id");');

    this.addSql(`create table "team_assignment" (
      "id" serial primary key, "team_id" int not null, "hamlet_id" int not null, "campaign_id" int not null,
      "task" text not null, "responsible_member_id" int not null, "start_date" date not null, "due_date" date not null,
      "expected_results" jsonb not null default '[]',
      "status" text check ("status" in ('PLANNED', 'IN_PROGRESS', 'DONE', 'CANCELLED')) not null default 'PLANNED',
      "outcome_note" text null, "created_at" timestamptz not null, "updated_at" timestamptz not null);`);
    this.addSql('create index "team_assignment_team_id_index" on "team_assignment" ("team_id");');
    this.addSql('create index "team_assignment_hamlet_campaign_index" on "team_assignment" ("hamlet_id", "campaign_id");');
    this.addSql('create index "team_assignment_campaign_id_index" on "team_assignment" ("campaign_id");');

    this.addSql('alter table "team" add constraint "team_unit_id_foreign" foreign key ("unit_id") references "admin_unit" ("id") on update cascade on delete restrict;');
    this.addSql('alter table "team_member" add constraint "team_member_team_id_foreign" foreign key ("team_id") references "team" ("id") on update cascade on delete cascade;');
    this.addSql('alter table "team_member" add constraint "team_member_principal_id_foreign" foreign key ("principal_id") references "principal" ("id") on update cascade on delete set null;');
    this.addSql('alter table "team_assignment" add constraint "team_assignment_team_id_foreign" foreign key ("team_id") references "team" ("id") on update cascade on delete cascade;');
    this.addSql('alter table "team_assignment" add constraint "team_assignment_hamlet_id_foreign" foreign key ("hamlet_id") references "admin_unit" ("id") on update cascade on delete restrict;');
    this.addSql('alter table "team_assignment" add constraint "team_assignment_campaign_id_foreign" foreign key ("campaign_id") references "campaign" ("id") on update cascade on delete cascade;');
    this.addSql('alter table "team_assignment" add constraint "team_assignment_responsible_member_id_foreign" foreign key ("responsible_member_id") references "team_member" ("id") on update cascade on delete restrict;');
    this.addSql('alter table "grant" add constraint "grant_team_id_foreign" foreign key ("team_id") references "team" ("id") on update cascade on delete cascade;');
  }
}
