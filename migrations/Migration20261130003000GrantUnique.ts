import { Migration } from '@mikro-orm/migrations';

/**
 * A principal holds a role at a unit (and team) at most once. Duplicates that concurrent grantRole calls could
 * create before this constraint are folded into the oldest grant first. NULLS NOT DISTINCT: two national grants
 * (no unit) of the same role are duplicates too.
 */
export class Migration20261130003000GrantUnique extends Migration {
  override async up(): Promise<void> {
    this.addSql(`delete from "grant" g using "grant" d
      where d.principal_id = g.principal_id and d.role = g.role
        and d.unit_id is not distinct from g.unit_id and d.team_id is not distinct from g.team_id and d.id < g.id;`);
    this.addSql(`create unique index "grant_principal_role_unit_team_unique" on "grant" ("principal_id", "role", "unit_id", "team_id") nulls not distinct;`);
  }
}
