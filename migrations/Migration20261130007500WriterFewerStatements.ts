import { Migration } from '@mikro-orm/migrations';

/*
 * The report writer in fewer statements (bench scenario 4: CPU per write). progress_report_write ran about 30 SQL
 * statements per changing report, most of them tiny: PostgreSQL's cost was mostly starting each one (executor
 * start-up, plan revalidation, locks on every relation of its plan), not running it. Now 7 (8 when the pipeline
 * needs its statement), with the same checks, writes, locks, errors and results (bench/writer-profile.ts: backend
 * CPU per call 1.32–1.46 → 1.12–1.22 ms):
 *
 * - the catalogue check and the identical-repeat check in one statement;
 * - each metric's catalogue entry, report of the day and neighbours in one statement for all metrics (was four
 *   per metric), the decrease checks then run on those arrays;
 * - the pipeline statement is skipped when its answer is plain: every pipeline stage is in the report, none has a
 *   later report (the day is the only one affected, every value in force is the one given) and the values do not
 *   rise from one stage to the next; otherwise it runs unchanged;
 * - rollup_apply inlined: the spread and the rollup_change upsert in one statement, then the rollup_total upsert
 *   (was an aggregation, four upserts and four trigger runs). Every writer still takes the rows in one order: the
 *   ancestors' change rows in (depth, unit, metric, day) order, then the unit's own (only writers holding its row
 *   lock touch those), then the totals likewise; the bulk import takes its own rows first, but a unit's own rows
 *   are only ever touched under its row lock, so the order among the shared rows is what counts, and it is the same;
 * - the live-figures items come from the upsert's RETURNING (the rows the trigger's transition tables held); the
 *   triggers of 20261130005000 skip while `vneid.figures_deferred` is on, which the function now sets in its SET
 *   clause for its own duration (no set_config statements, no trigger runs, no string round trip through a setting;
 *   notify_unit_figures() keeps its body of 20261130006400, whose deferral branch is no longer reached);
 * - the rows returned come from the upsert's RETURNING and the values read under the lock (no final read); the
 *   items to notify after the commit are one `notify` column on the first row, as a text[] literal the caller
 *   passes back unparsed (was the text[] on every row).
 *
 * rollup_apply stays (unused by the writer now). Other writers of rollup_change (imports, moves, restructuring)
 * notify from the trigger as before.
 */
export class Migration20261130007500WriterFewerStatements extends Migration {
  override async up(): Promise<void> {
    this.addSql(`drop trigger if exists rollup_change_notify_insert on rollup_change;`);
    this.addSql(`drop trigger if exists rollup_change_notify_update on rollup_change;`);
    this.addSql(`create trigger rollup_change_notify_insert after insert on rollup_change referencing new table as changed_rows for each statement
  when (current_setting('vneid.figures_deferred', true) is distinct from 'on') execute function notify_unit_figures();`);
    this.addSql(`create trigger rollup_change_notify_update after update on rollup_change referencing new table as changed_rows for each statement
  when (current_setting('vneid.figures_deferred', true) is distinct from 'on') execute function notify_unit_figures();`);
    this.addSql('drop function progress_report_write(int, date, text[], bigint[], text, text, int, text, bigint);');
    this.addSql(REPORT_WRITE);
  }
}

const REPORT_WRITE = `create or replace function progress_report_write(
    p_unit int, p_day date, p_metrics text[], p_values bigint[], p_note text, p_reason text,
    p_principal int, p_request text, p_catalogue bigint)
  returns table(idx int, problem text, report_id bigint, metric text, value bigint, note text, reported_at timestamptz, changed boolean, notify text)
  language plpgsql volatile
  set plan_cache_mode = force_generic_plan
  set vneid.figures_deferred = 'on' as $fn$
#variable_conflict use_column
declare
  v_stale boolean;
  v_same boolean;
  v_code text;
  v_path ltree;
  -- per input metric (input order), read once the unit is locked
  l_group text[];
  l_order int[];
  l_id bigint[];
  l_old bigint[];
  l_note text[];
  l_at timestamptz[];
  l_prev bigint[];
  l_prev_day date[];
  l_next bigint[];
  l_next_day date[];
  v_all_stages boolean;
  v_pipeline_checked boolean;
  j int;
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
  w_id bigint[];
  w_metric text[];
  w_value bigint[];
  w_note text[];
  w_at timestamptz[];
  t_unit int[];
  t_metric text[];
  t_change bigint[];
  t_reporters int[];
  v_notify text[];
begin
  select p_catalogue is distinct from (select c.version from metric_catalogue c),
         not exists (
           select 1 from unnest(p_metrics, p_values) as w(m, v)
            where not exists (select 1 from progress_report r where r.unit_id = p_unit and r.metric = w.m and r.as_of = p_day and r.value = w.v))
    into v_stale, v_same;
  if v_stale then
    return query select -1, 'stale metric catalogue'::text, null::bigint, null::text, null::bigint, null::text, null::timestamptz, null::boolean, null::text;
    return;
  end if;

  -- The same report again: every value is already stored, so answer from what is there and lock nothing.
  if v_same then
    return query select null::int, null::text, r.id, r.metric, r.value, r.note, r.reported_at, false, null::text
      from progress_report r where r.unit_id = p_unit and r.as_of = p_day and r.metric = any(p_metrics) order by r.metric;
    return;
  end if;

  select u.code, u.path into v_code, v_path from admin_unit u where u.id = p_unit for no key update;

  -- Every metric's catalogue entry, its report of the day and its neighbours, in one statement.
  select array_agg(m."group" order by w.n), array_agg(m.pipeline_order order by w.n),
         array_agg(o.id order by w.n), array_agg(o.value order by w.n), array_agg(o.note order by w.n), array_agg(o.reported_at order by w.n),
         array_agg(pv.value order by w.n), array_agg(pv.as_of order by w.n), array_agg(nx.value order by w.n), array_agg(nx.as_of order by w.n),
         count(distinct w.m) filter (where m.pipeline_order is not null) = (select count(*) from metric p where p.pipeline_order is not null)
    into l_group, l_order, l_id, l_old, l_note, l_at, l_prev, l_prev_day, l_next, l_next_day, v_all_stages
    from unnest(p_metrics) with ordinality as w(m, n)
    left join metric m on m.code = w.m
    left join progress_report o on o.unit_id = p_unit and o.metric = w.m and o.as_of = p_day
    left join lateral (select r.as_of, r.value from progress_report r
                        where r.unit_id = p_unit and r.metric = w.m and r.as_of < p_day order by r.as_of desc limit 1) pv on true
    left join lateral (select r.as_of, r.value from progress_report r
                        where r.unit_id = p_unit and r.metric = w.m and r.as_of > p_day order by r.as_of limit 1) nx on true;

  for i in 1 .. coalesce(array_length(p_metrics, 1), 0) loop
    if l_old[i] is not distinct from p_values[i] then
      continue;
    end if;

    -- Cumulative totals never fall without a reason: not below the previous report, not below the value already
    -- stored for the day, and not above the next report (the series would fall there).
    if l_group[i] <> 'REASON' and p_reason is null then
      if p_values[i] < l_prev[i] then
        p_idx := p_idx || (i - 1);
        p_msg := p_msg || format('%s is a cumulative total: %s is lower than the previous report (%s on %s); give a correctionReason to lower it.',
                                 p_metrics[i], p_values[i], l_prev[i], to_char(l_prev_day[i], 'YYYY-MM-DD'));
      elsif p_values[i] < l_old[i] then
        p_idx := p_idx || (i - 1);
        p_msg := p_msg || format('%s is a cumulative total: %s is lower than the value already reported for %s (%s); give a correctionReason to lower it.',
                                 p_metrics[i], p_values[i], to_char(p_day, 'YYYY-MM-DD'), l_old[i]);
      elsif p_values[i] > l_next[i] then
        p_idx := p_idx || (i - 1);
        p_msg := p_msg || format('%s is a cumulative total: %s is higher than the next report (%s on %s), so the total would fall; give a correctionReason to report it.',
                                 p_metrics[i], p_values[i], l_next[i], to_char(l_next_day[i], 'YYYY-MM-DD'));
      end if;
    end if;

    c_metric := c_metric || p_metrics[i];
    c_value := c_value || p_values[i];
    c_old := c_old || l_old[i];
    c_pipeline := c_pipeline or l_order[i] is not null;
    -- The change at the day moves by the difference with what the series held that day; the next report's
    -- change by the opposite. A series that had no report up to the day starts here (one more reporter),
    -- and no longer at its former first report.
    v_change := p_values[i] - coalesce(l_old[i], l_prev[i], 0);
    v_reporters := case when l_old[i] is null and l_prev[i] is null then 1 else 0 end;
    d_metric := d_metric || p_metrics[i];
    d_day := d_day || p_day;
    d_change := d_change || v_change;
    d_reporters := d_reporters || v_reporters;
    d_touched := d_touched || true;
    if l_next_day[i] is not null and (v_change <> 0 or v_reporters <> 0) then
      d_metric := d_metric || p_metrics[i];
      d_day := d_day || l_next_day[i];
      d_change := d_change || -v_change;
      d_reporters := d_reporters || -v_reporters;
      d_touched := d_touched || false;
    end if;
  end loop;

  -- collected >= approved >= activated on every day a changed value is in force (from the day to the next report
  -- of its series), against the unit's other pipeline values in force those days. A pipeline metric the unit
  -- never reported is not compared; one it reports counts 0 before its first report. The later stage written
  -- here is blamed, else the earlier one.
  -- Without the statement when the answer is plain: every stage is reported here, none has a later report (so
  -- the day is the only one affected and every value in force is the one given), and the values do not rise
  -- from one stage to the next.
  if c_pipeline and v_all_stages then
    v_pipeline_checked := true;
    for i in 1 .. array_length(p_metrics, 1) loop
      if l_order[i] is not null and l_next_day[i] is not null then
        v_pipeline_checked := false;
      end if;
      for j in 1 .. array_length(p_metrics, 1) loop
        if l_order[i] < l_order[j] and p_values[i] < p_values[j] then
          v_pipeline_checked := false;
        end if;
      end loop;
    end loop;
    c_pipeline := not v_pipeline_checked;
  end if;

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
    return query select x.i, x.msg, null::bigint, null::text, null::bigint, null::text, null::timestamptz, null::boolean, null::text
      from unnest(p_idx, p_msg) as x(i, msg);
    return;
  end if;

  with up as (
    insert into progress_report as r (unit_id, metric, as_of, value, note, reported_by_id, reported_at)
    select p_unit, c.m, p_day, c.v, p_note, p_principal, now() from unnest(c_metric, c_value) as c(m, v) order by c.m
    on conflict (unit_id, metric, as_of) do update
      set value = excluded.value, note = coalesce(excluded.note, r.note), reported_by_id = excluded.reported_by_id, reported_at = excluded.reported_at
    returning r.id, r.metric, r.value, r.note, r.reported_at),
  written as (select up.id, up.metric, up.value, c.old from up join unnest(c_metric, c_old) as c(m, old) on c.m = up.metric),
  history as (
    insert into progress_history (report_id, unit_id, metric, as_of, old_value, new_value, reason, principal_id, request_id)
    select x.id, p_unit, x.metric, p_day, x.old, x.value, p_reason, p_principal, p_request from written x),
  audit as (
    insert into audit_entry (principal_id, action, object_type, object_id, unit_path, before, after, request_id)
    select p_principal, case when x.old is null then 'progress.report' else 'progress.correct' end, 'ProgressReport', x.id::text, v_path,
           case when x.old is null then null else jsonb_build_object('value', x.old) end,
           jsonb_build_object('unitCode', v_code, 'metric', x.metric, 'asOf', to_char(p_day, 'YYYY-MM-DD'), 'value', x.value, 'reason', p_reason),
           p_request
      from written x order by x.metric)
  select array_agg(up.id), array_agg(up.metric), array_agg(up.value), array_agg(up.note), array_agg(up.reported_at)
    into w_id, w_metric, w_value, w_note, w_at
    from up;

  -- The series changes spread through the unit's ancestry in force on each day (rollup_spread), then added to
  -- rollup_change in (depth, unit, metric, day) order: the ancestors' rows, then the unit's own (only writers
  -- holding its row lock touch those). Returns what rollup_total gets and the live-figures items of the rows written.
  with s as materialized (
    select s.unit_id, s.depth, d.metric, s.date, sum(s.change)::bigint as change, sum(s.reporters)::int as reporters,
           bool_or(s.opening and d.touched) as touched
      from unnest(d_metric, d_day, d_change, d_reporters, d_touched) as d(metric, day, change, reporters, touched)
      cross join lateral rollup_spread(p_unit, d.day, d.change, d.reporters) s
     group by s.unit_id, s.depth, d.metric, s.date),
  ch as (
    insert into rollup_change as c (unit_id, metric, date, change, reporters, last_report_at)
    select s.unit_id, s.metric, s.date, s.change, s.reporters, case when s.touched then now() end
      from s where s.change <> 0 or s.reporters <> 0 or s.touched
     order by s.depth, s.unit_id, s.metric, s.date
    on conflict (unit_id, metric, date) do update
      set change = c.change + excluded.change, reporters = c.reporters + excluded.reporters,
          last_report_at = greatest(c.last_report_at, excluded.last_report_at)
    returning c.unit_id, c.metric),
  t as (
    select s.unit_id, s.metric, sum(s.change)::bigint as change, sum(s.reporters)::int as reporters, min(s.depth) as depth
      from s group by s.unit_id, s.metric, case when s.unit_id = p_unit then null else s.depth end),
  items as (
    select x.item, (row_number() over (order by x.item) - 1) / 100 as chunk
      from (select distinct ch.unit_id::text || ':' || ch.metric || ':' || (select u.path::text from admin_unit u where u.id = ch.unit_id) as item from ch) x)
  select array_agg(t.unit_id order by t.unit_id = p_unit, t.depth, t.unit_id, t.metric),
         array_agg(t.metric order by t.unit_id = p_unit, t.depth, t.unit_id, t.metric),
         array_agg(t.change order by t.unit_id = p_unit, t.depth, t.unit_id, t.metric),
         array_agg(t.reporters order by t.unit_id = p_unit, t.depth, t.unit_id, t.metric),
         (select array_agg(n.payload order by n.chunk)
            from (select items.chunk, string_agg(items.item, ',' order by items.item) as payload from items group by items.chunk) n)
    into t_unit, t_metric, t_change, t_reporters, v_notify
    from t;

  -- Then the totals in the same order (all change rows before any total, as every writer takes them).
  insert into rollup_total as t (unit_id, metric, value, reporters, last_report_at)
  select x.unit_id, x.metric, x.change, x.reporters, now()
    from unnest(t_unit, t_metric, t_change, t_reporters) with ordinality as x(unit_id, metric, change, reporters, n)
   order by x.n
  on conflict (unit_id, metric) do update
    set value = t.value + excluded.value, reporters = t.reporters + excluded.reporters,
        last_report_at = greatest(t.last_report_at, excluded.last_report_at);

  return query
    select null::int, null::text, coalesce(u.id, l.id), l.m, coalesce(u.value, l.old),
           case when u.id is null then l.note else u.note end, coalesce(u.at, l.at), u.id is not null,
           case when row_number() over (order by l.m) = 1 then v_notify::text end
      from unnest(p_metrics, l_id, l_old, l_note, l_at) as l(m, id, old, note, at)
      left join unnest(w_id, w_metric, w_value, w_note, w_at) as u(id, m, value, note, at) on u.m = l.m
     where u.id is not null or l.id is not null
     order by l.m;
end
$fn$;`;
