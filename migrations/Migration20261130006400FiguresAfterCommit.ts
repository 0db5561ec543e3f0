import { Migration } from '@mikro-orm/migrations';

/*
 * Live figures of reportProgress are notified after the commit, not at it (issue 13).
 *
 * A transaction that has called pg_notify takes PostgreSQL's global notify lock at commit (PreCommit_Notify: one
 * lock for the whole cluster, so that the queue holds notifications in commit order) and holds it until its
 * commit record is flushed to disk. Every report notified (the rollup_change triggers of 20261130005000), so every
 * report's commit, WAL flush included, ran one at a time: under load writers queued on that lock ("Lock: object"
 * was the most sampled wait of bench scenario 4) and group commit could not share a flush between them.
 *
 * Now progress_report_write sets `vneid.figures_deferred` for its writes; the trigger then adds its items to
 * `vneid.figures_pending` instead of notifying, and the function returns them, as the trigger would have sent
 * them (distinct unit:metric:path items, at most 100 per payload), in a new result column `notify`. The caller
 * sends them once the write has committed (src/progress/report-write.repo.ts), in a transaction that writes no
 * WAL and so commits without waiting for a flush: the notify lock is held for microseconds. Listeners get the same
 * items, after the commit as before; one call's items come in one payload rather than one per statement. Every
 * other writer of rollup_change (imports, moves, restructuring) still notifies from the trigger, unchanged.
 *
 * The function is otherwise the one of 20261130001000 (checks, writes, lock order, errors, results), with the
 * generic plans of 20261130006300.
 */
export class Migration20261130006400FiguresAfterCommit extends Migration {
  override async up(): Promise<void> {
    this.addSql(NOTIFY_UNIT_FIGURES);
    this.addSql('drop function progress_report_write(int, date, text[], bigint[], text, text, int, text, bigint);');
    this.addSql(REPORT_WRITE);
  }
}

const NOTIFY_UNIT_FIGURES = `create or replace function notify_unit_figures() returns trigger language plpgsql as $$
  declare payload text;
  begin
    if current_setting('vneid.figures_deferred', true) = 'on' then
      perform set_config('vneid.figures_pending',
        concat_ws(',', nullif(current_setting('vneid.figures_pending', true), ''),
                  (select string_agg(distinct c.unit_id::text || ':' || c.metric || ':' || u.path::text, ',')
                     from changed_rows c join admin_unit u on u.id = c.unit_id)), true);
      return null;
    end if;
    for payload in
      select string_agg(item, ',') from (
        select item, (row_number() over (order by item) - 1) / 100 as chunk
          from (select distinct c.unit_id::text || ':' || c.metric || ':' || u.path::text as item
                  from changed_rows c join admin_unit u on u.id = c.unit_id) d
      ) numbered group by chunk
    loop
      perform pg_notify('vneid_unit_figures', payload);
    end loop;
    return null;
  end $$;`;

/*
 * progress_report_write of 20261130001000, changed only by: the `notify` column (null but on written rows), the
 * SET clause of 20261130006300, and the deferral around the writes (the lines after the problems' return).
 */
const REPORT_WRITE = `create or replace function progress_report_write(
    p_unit int, p_day date, p_metrics text[], p_values bigint[], p_note text, p_reason text,
    p_principal int, p_request text, p_catalogue bigint)
  returns table(idx int, problem text, report_id bigint, metric text, value bigint, note text, reported_at timestamptz, changed boolean, notify text[])
  language plpgsql volatile set plan_cache_mode = force_generic_plan as $fn$
#variable_conflict use_column
declare
  v_code text;
  v_path ltree;
  v_group text;
  v_order int;
  v_old bigint;
  v_prev bigint;
  v_prev_day date;
  v_next bigint;
  v_next_day date;
  v_change bigint;
  v_reporters int;
  i int;
  c_metric text[] := '{}';
  c_value bigint[] := '{}';
  c_old bigint[] := '{}';
  c_pipeline boolean := false;
  d_metric text[] := '{}';
  d_day date[] := '{}';
  d_change bigint[] := '{}';
  d_reporters int[] := '{}';
  d_touched boolean[] := '{}';
  p_idx int[] := '{}';
  p_msg text[] := '{}';
  v_notify text[];
begin
  if p_catalogue is distinct from (select c.version from metric_catalogue c) then
    return query select -1, 'stale metric catalogue'::text, null::bigint, null::text, null::bigint, null::text, null::timestamptz, null::boolean, null::text[];
    return;
  end if;

  -- The same report again: every value is already stored, so answer from what is there and lock nothing.
  if not exists (
    select 1 from unnest(p_metrics, p_values) as w(m, v)
     where not exists (select 1 from progress_report r where r.unit_id = p_unit and r.metric = w.m and r.as_of = p_day and r.value = w.v)
  ) then
    return query select null::int, null::text, r.id, r.metric, r.value, r.note, r.reported_at, false, null::text[]
      from progress_report r where r.unit_id = p_unit and r.as_of = p_day and r.metric = any(p_metrics) order by r.metric;
    return;
  end if;

  select u.code, u.path into v_code, v_path from admin_unit u where u.id = p_unit for no key update;

  for i in 1 .. coalesce(array_length(p_metrics, 1), 0) loop
    select m."group", m.pipeline_order into v_group, v_order from metric m where m.code = p_metrics[i];
    select r.value into v_old from progress_report r where r.unit_id = p_unit and r.metric = p_metrics[i] and r.as_of = p_day;
    if v_old is not distinct from p_values[i] then
      continue;
    end if;
    select r.as_of, r.value into v_prev_day, v_prev from progress_report r
     where r.unit_id = p_unit and r.metric = p_metrics[i] and r.as_of < p_day order by r.as_of desc limit 1;
    select r.as_of, r.value into v_next_day, v_next from progress_report r
     where r.unit_id = p_unit and r.metric = p_metrics[i] and r.as_of > p_day order by r.as_of limit 1;

    -- Cumulative totals never fall without a reason: not below the previous report, not below the value already
    -- stored for the day, and not above the next report (the series would fall there).
    if v_group <> 'REASON' and p_reason is null then
      if p_values[i] < v_prev then
        p_idx := p_idx || (i - 1);
        p_msg := p_msg || format('%s is a cumulative total: %s is lower than the previous report (%s on %s); give a correctionReason to lower it.',
                                 p_metrics[i], p_values[i], v_prev, to_char(v_prev_day, 'YYYY-MM-DD'));
      elsif p_values[i] < v_old then
        p_idx := p_idx || (i - 1);
        p_msg := p_msg || format('%s is a cumulative total: %s is lower than the value already reported for %s (%s); give a correctionReason to lower it.',
                                 p_metrics[i], p_values[i], to_char(p_day, 'YYYY-MM-DD'), v_old);
      elsif p_values[i] > v_next then
        p_idx := p_idx || (i - 1);
        p_msg := p_msg || format('%s is a cumulative total: %s is higher than the next report (%s on %s), so the total would fall; give a correctionReason to report it.',
                                 p_metrics[i], p_values[i], v_next, to_char(v_next_day, 'YYYY-MM-DD'));
      end if;
    end if;

    c_metric := c_metric || p_metrics[i];
    c_value := c_value || p_values[i];
    c_old := c_old || v_old;
    c_pipeline := c_pipeline or v_order is not null;
    -- The change at the day moves by the difference with what the series held that day; the next report's
    -- change by the opposite. A series that had no report up to the day starts here (one more reporter),
    -- and no longer at its former first report.
    v_change := p_values[i] - coalesce(v_old, v_prev, 0);
    v_reporters := case when v_old is null and v_prev is null then 1 else 0 end;
    d_metric := d_metric || p_metrics[i];
    d_day := d_day || p_day;
    d_change := d_change || v_change;
    d_reporters := d_reporters || v_reporters;
    d_touched := d_touched || true;
    if v_next_day is not null and (v_change <> 0 or v_reporters <> 0) then
      d_metric := d_metric || p_metrics[i];
      d_day := d_day || v_next_day;
      d_change := d_change || -v_change;
      d_reporters := d_reporters || -v_reporters;
      d_touched := d_touched || false;
    end if;
  end loop;

  -- collected >= approved >= activated on every day a changed value is in force (from the day to the next report
  -- of its series), against the unit's other pipeline values in force those days. A pipeline metric the unit
  -- never reported is not compared; one it reports counts 0 before its first report. The later stage written
  -- here is blamed, else the earlier one.
  if c_pipeline then
    with pm as (select m.code, m.pipeline_order as ord from metric m where m.pipeline_order is not null),
    w as (select w.m, w.v, w.m = any(c_metric) as changed,
                 (select min(r.as_of) from progress_report r where r.unit_id = p_unit and r.metric = w.m and r.as_of > p_day) as next_day
            from unnest(p_metrics, p_values) as w(m, v) join pm on pm.code = w.m),
    lim as (select coalesce(max(coalesce(w.next_day, 'infinity'::date)), p_day) as hi from w where w.changed),
    days as (select p_day as day
             union
             select r.as_of from progress_report r, lim
              where r.unit_id = p_unit and r.metric in (select pm.code from pm) and r.as_of > p_day and r.as_of < lim.hi),
    eff as (
      select d.day, pm.code, pm.ord,
             coalesce(w.changed and d.day < coalesce(w.next_day, 'infinity'::date), false) as written,
             case when w.m is not null and d.day < coalesce(w.next_day, 'infinity'::date) then w.v
                  else coalesce((select r.value from progress_report r where r.unit_id = p_unit and r.metric = pm.code and r.as_of <= d.day
                                  order by r.as_of desc limit 1),
                                case when w.m is not null or exists (select 1 from progress_report r where r.unit_id = p_unit and r.metric = pm.code) then 0 end)
             end as value
        from days d cross join pm left join w on w.m = pm.code),
    bad as (
      select distinct on (blamed) case when b.written then b.code else a.code end as blamed, a.day, a.code as a_code, a.value as a_value, b.code as b_code, b.value as b_value
        from eff a join eff b on b.day = a.day and b.ord > a.ord
       where a.value < b.value and (a.written or b.written)
       order by blamed, a.day)
    select p_idx || coalesce(array_agg(array_position(p_metrics, bad.blamed) - 1 order by bad.blamed), '{}'),
           p_msg || coalesce(array_agg(format('on %s %s (%s) would exceed %s (%s) for unit %s; the pipeline is collected ≥ approved ≥ activated.',
                                     to_char(bad.day, 'YYYY-MM-DD'), bad.b_code, bad.b_value, bad.a_code, bad.a_value, v_code) order by bad.blamed), '{}')
      into p_idx, p_msg
      from bad;
  end if;

  if coalesce(array_length(p_idx, 1), 0) > 0 then
    return query select x.i, x.msg, null::bigint, null::text, null::bigint, null::text, null::timestamptz, null::boolean, null::text[]
      from unnest(p_idx, p_msg) as x(i, msg);
    return;
  end if;

  -- The live-figures trigger of rollup_change collects its items for this call instead of notifying: the caller
  -- sends them after the commit (see the migration's comment).
  perform set_config('vneid.figures_deferred', 'on', true), set_config('vneid.figures_pending', '', true);

  with up as (
    insert into progress_report as r (unit_id, metric, as_of, value, note, reported_by_id, reported_at)
    select p_unit, c.m, p_day, c.v, p_note, p_principal, now() from unnest(c_metric, c_value) as c(m, v) order by c.m
    on conflict (unit_id, metric, as_of) do update
      set value = excluded.value, note = coalesce(excluded.note, r.note), reported_by_id = excluded.reported_by_id, reported_at = excluded.reported_at
    returning r.id, r.metric, r.value),
  written as (select up.id, up.metric, up.value, c.old from up join unnest(c_metric, c_old) as c(m, old) on c.m = up.metric),
  history as (
    insert into progress_history (report_id, unit_id, metric, as_of, old_value, new_value, reason, principal_id, request_id)
    select x.id, p_unit, x.metric, p_day, x.old, x.value, p_reason, p_principal, p_request from written x)
  insert into audit_entry (principal_id, action, object_type, object_id, unit_path, before, after, request_id)
  select p_principal, case when x.old is null then 'progress.report' else 'progress.correct' end, 'ProgressReport', x.id::text, v_path,
         case when x.old is null then null else jsonb_build_object('value', x.old) end,
         jsonb_build_object('unitCode', v_code, 'metric', x.metric, 'asOf', to_char(p_day, 'YYYY-MM-DD'), 'value', x.value, 'reason', p_reason),
         p_request
    from written x order by x.metric;

  perform rollup_apply(p_unit, d_metric, d_day, d_change, d_reporters, d_touched);

  -- The collected items as the trigger would have sent them: distinct, at most 100 per payload.
  select array_agg(n.payload order by n.chunk) into v_notify
    from (select d.chunk, string_agg(d.item, ',' order by d.item) as payload
            from (select x.item, (row_number() over (order by x.item) - 1) / 100 as chunk
                    from (select distinct u.item from unnest(string_to_array(nullif(current_setting('vneid.figures_pending', true), ''), ',')) as u(item)) x) d
           group by d.chunk) n;
  perform set_config('vneid.figures_deferred', 'off', true), set_config('vneid.figures_pending', '', true);

  return query select null::int, null::text, r.id, r.metric, r.value, r.note, r.reported_at, r.metric = any(c_metric), v_notify
    from progress_report r where r.unit_id = p_unit and r.as_of = p_day and r.metric = any(p_metrics) order by r.metric;
end
$fn$;`;
