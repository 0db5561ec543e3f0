import { Migration } from '@mikro-orm/migrations';

/*
 * A report without the unit's statement (bench scenario 4). The API read the reporting unit before every write (its
 * path for jurisdiction, its level and days of life for the input checks): one statement of four. It now keeps the
 * units it has read in a process-wide cache (src/progress/reporting-units.ts) and passes the unit's stamp with the
 * write; progress_report_write_stamped answers "stale unit" (idx -2, nothing written, nothing locked) when the unit
 * stands otherwise now (moved, renamed, retired, re-levelled, or gone), and the API then reads it again and starts
 * over. The check reads the unit unlocked, as the API's own read did (progress_report_write locks it).
 */
export class Migration20261201000000WriterUnitStamp extends Migration {
  override async up(): Promise<void> {
    this.addSql(UNIT_STAMP);
    this.addSql(WRITE_STAMPED);
  }

  override async down(): Promise<void> {
    this.addSql('drop function if exists progress_report_write_stamped(int, text, date, text[], bigint[], text, text, int, text, bigint);');
    this.addSql('drop function if exists admin_unit_stamp(admin_unit);');
  }
}

/** What the API's checks of a report read from the unit, as one text. */
const UNIT_STAMP = `create or replace function admin_unit_stamp(u admin_unit) returns text language sql stable as $fn$
  select concat_ws('|', u.code, u.path::text, u.level, to_char(u.valid_from, 'YYYY-MM-DD'), coalesce(to_char(u.valid_to, 'YYYY-MM-DD'), ''))
$fn$;`;

const WRITE_STAMPED = `create or replace function progress_report_write_stamped(
    p_unit int, p_stamp text, p_day date, p_metrics text[], p_values bigint[], p_note text, p_reason text,
    p_principal int, p_request text, p_catalogue bigint)
  returns table(idx int, problem text, report_id bigint, metric text, value bigint, note text, reported_at timestamptz, changed boolean, notify text)
  language plpgsql volatile as $fn$
begin
  if (select admin_unit_stamp(u) from admin_unit u where u.id = p_unit) is distinct from p_stamp then
    return query select -2, 'stale unit'::text, null::bigint, null::text, null::bigint, null::text, null::timestamptz, null::boolean, null::text;
    return;
  end if;
  return query select * from progress_report_write(p_unit, p_day, p_metrics, p_values, p_note, p_reason, p_principal, p_request, p_catalogue);
end
$fn$;`;
