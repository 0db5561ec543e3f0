import { Migration } from '@mikro-orm/migrations';

/*
 * The progress writer in the database (issue 13/14): one function call per report.
 *
 * - unit_paths_during(unit, from): the intervals of a unit's ancestry path that end after `from`. Today the tree
 *   is not dated, so it is the unit's current path forever; the dated tree replaces it (`create or replace`) over
 *   its history table. Every rollup write spreads a series change through it (see rollup_spread below).
 * - metric_catalogue: one row whose version moves with every change to `metric`, so API processes can cache the
 *   catalogue and the writer can tell them when their copy is stale.
 * - progress_report_write(...): the checks that need stored data (decreases, pipeline order on every day the
 *   write affects), the report upsert, its history rows, the rollup spread and the audit entries, in one call.
 */
export class Migration20261130001000ProgressWriter extends Migration {
  override async up(): Promise<void> {
    this.addSql(`create or replace function unit_paths_during(p_unit int, p_from date)
      returns table(path ltree, valid_from date, valid_to date)
      language sql stable as $fn$
        select u.path, '-infinity'::date, null::date from admin_unit u where u.id = p_unit
      $fn$;`);

    // A series change (unit, metric, day, change, reporters) as rollup rows: for every interval of the unit's
    // ancestry that ends after the day, +change on every unit of the path from the later of the interval's start
    // and the day, and -change where the interval ends. Inlined by the planner (one SELECT, STABLE).
    this.addSql(`create or replace function rollup_spread(p_unit int, p_day date, p_change bigint, p_reporters int)
      returns table(unit_id int, depth int, date date, change bigint, reporters int, opening boolean)
      language sql stable as $fn$
        select a.unit_id::int, a.depth::int, x.date, x.change, x.reporters, x.opening
          from unit_paths_during(p_unit, p_day) i
         cross join lateral unnest(string_to_array(i.path::text, '.')::int[]) with ordinality as a(unit_id, depth)
         cross join lateral (values (greatest(i.valid_from, p_day), p_change, p_reporters, true),
                                    (i.valid_to, -p_change, -p_reporters, false)) as x(date, change, reporters, opening)
         where (i.valid_to is null or i.valid_to > p_day) and x.date is not null
      $fn$;`);

    this.addSql(`create table "metric_catalogue" ("id" boolean not null default true, "version" bigint not null, constraint "metric_catalogue_pkey" primary key ("id"));`);
    this.addSql(`insert into "metric_catalogue" ("id", "version") values (true, 1);`);
    this.addSql(`create or replace function metric_catalogue_bump() returns trigger language plpgsql as $fn$
      begin update metric_catalogue set version = version + 1; return null; end $fn$;`);
    this.addSql(`create trigger metric_catalogue_bump after insert or update or delete or truncate on metric
      for each statement execute function metric_catalogue_bump();`);

    this.addSql(ROLLUP_APPLY);
    this.addSql(REPORT_WRITE);
  }
}

/*
 * Adds one reporting unit's series changes (metric, day, change, reporters; touched = a day written now) to
 * rollup_change and rollup_total: first the unit's own rows (only writers of this unit, who hold its row lock,
 * touch them), then every ancestor's change rows and then their totals, each in (depth, unit, metric, day) order.
 */
const ROLLUP_APPLY = `create or replace function rollup_apply(
    p_unit int, p_metric text[], p_day date[], p_change bigint[], p_reporters int[], p_touched boolean[])
  returns void language plpgsql volatile as $fn$
declare
  s_unit int[];
  s_depth int[];
  s_metric text[];
  s_date date[];
  s_change bigint[];
  s_reporters int[];
  s_touched boolean[];
begin
  select array_agg(x.unit_id order by x.depth, x.unit_id, x.metric, x.date), array_agg(x.depth order by x.depth, x.unit_id, x.metric, x.date),
         array_agg(x.metric order by x.depth, x.unit_id, x.metric, x.date), array_agg(x.date order by x.depth, x.unit_id, x.metric, x.date),
         array_agg(x.change order by x.depth, x.unit_id, x.metric, x.date), array_agg(x.reporters order by x.depth, x.unit_id, x.metric, x.date),
         array_agg(x.touched order by x.depth, x.unit_id, x.metric, x.date)
    into s_unit, s_depth, s_metric, s_date, s_change, s_reporters, s_touched
    from (select s.unit_id, s.depth, d.metric, s.date, sum(s.change)::bigint as change, sum(s.reporters)::int as reporters,
                 bool_or(s.opening and d.touched) as touched
            from unnest(p_metric, p_day, p_change, p_reporters, p_touched) as d(metric, day, change, reporters, touched)
            cross join lateral rollup_spread(p_unit, d.day, d.change, d.reporters) s
           group by s.unit_id, s.depth, d.metric, s.date) x;
  if s_unit is null then
    return;
  end if;

  insert into rollup_change as c (unit_id, metric, date, change, reporters, last_report_at)
  select s.unit_id, s.metric, s.date, s.change, s.reporters, case when s.touched then now() end
    from unnest(s_unit, s_metric, s_date, s_change, s_reporters, s_touched) with ordinality as s(unit_id, metric, date, change, reporters, touched, n)
   where s.unit_id = p_unit and (s.change <> 0 or s.reporters <> 0 or s.touched)
   order by s.n
  on conflict (unit_id, metric, date) do update
    set change = c.change + excluded.change, reporters = c.reporters + excluded.reporters,
        last_report_at = greatest(c.last_report_at, excluded.last_report_at);
  insert into rollup_total as t (unit_id, metric, value, reporters, last_report_at)
  select s.unit_id, s.metric, sum(s.change), sum(s.reporters), now()
    from unnest(s_unit, s_metric, s_change, s_reporters) as s(unit_id, metric, change, reporters)
   where s.unit_id = p_unit
   group by s.unit_id, s.metric order by s.metric
  on conflict (unit_id, metric) do update
    set value = t.value + excluded.value, reporters = t.reporters + excluded.reporters,
        last_report_at = greatest(t.last_report_at, excluded.last_report_at);

  insert into rollup_change as c (unit_id, metric, date, change, reporters, last_report_at)
  select s.unit_id, s.metric, s.date, s.change, s.reporters, case when s.touched then now() end
    from unnest(s_unit, s_metric, s_date, s_change, s_reporters, s_touched) with ordinality as s(unit_id, metric, date, change, reporters, touched, n)
   where s.unit_id <> p_unit and (s.change <> 0 or s.reporters <> 0 or s.touched)
   order by s.n
  on conflict (unit_id, metric, date) do update
    set change = c.change + excluded.change, reporters = c.reporters + excluded.reporters,
        last_report_at = greatest(c.last_report_at, excluded.last_report_at);
  insert into rollup_total as t (unit_id, metric, value, reporters, last_report_at)
  select s.unit_id, s.metric, sum(s.change), sum(s.reporters), now()
    from unnest(s_unit, s_depth, s_metric, s_change, s_reporters) as s(unit_id, depth, metric, change, reporters)
   where s.unit_id <> p_unit
   group by s.depth, s.unit_id, s.metric order by s.depth, s.unit_id, s.metric
  on conflict (unit_id, metric) do update
    set value = t.value + excluded.value, reporters = t.reporters + excluded.reporters,
        last_report_at = greatest(t.last_report_at, excluded.last_report_at);
end
$fn$;`;

/*
 * Returns either problem rows (idx = 0-based position in the input, problem = message; nothing written) or the
 * input's reports as stored now (changed = written by this call). idx -1 means the caller's metric catalogue is
 * stale: reload it and call again.
 *
 * Locks: an identical repeat takes none. Otherwise the reporting unit's row (FOR NO KEY UPDATE: serialises the
 * writers of one unit, and a move of the unit's subtree, which updates that row), then the unit's own rollup rows,
 * then the ancestors' rows in one statement per table in (depth, unit, metric, day) order: the order every writer,
 * the bulk import included, uses, so concurrent writers of one province queue on its rows but never deadlock, and
 * hold them only from that last statement to the commit.
 */
const REPORT_WRITE = `create or replace function progress_report_write(
    p_unit int, p_day date, p_metrics text[], p_values bigint[], p_note text, p_reason text,
    p_principal int, p_request text, p_catalogue bigint)
  returns table(idx int, problem text, report_id bigint, metric text, value bigint, note text, reported_at timestamptz, changed boolean)
  language plpgsql volatile as $fn$
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
begin
  if p_catalogue is distinct from (select c.version from metric_catalogue c) then
    return query select -1, 'stale metric catalogue'::text, null::bigint, null::text, null::bigint, null::text, null::timestamptz, null::boolean;
    return;
  end if;

  -- The same report again: every value is already stored, so answer from what is there and lock nothing.
  if not exists (
    select 1 from unnest(p_metrics, p_values) as w(m, v)
     where not exists (select 1 from progress_report r where r.unit_id = p_unit and r.metric = w.m and r.as_of = p_day and r.value = w.v)
  ) then
    return query select null::int, null::text, r.id, r.metric, r.value, r.note, r.reported_at, false
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
    return query select x.i, x.msg, null::bigint, null::text, null::bigint, null::text, null::timestamptz, null::boolean
      from unnest(p_idx, p_msg) as x(i, msg);
    return;
  end if;

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

  return query select null::int, null::text, r.id, r.metric, r.value, r.note, r.reported_at, r.metric = any(c_metric)
    from progress_report r where r.unit_id = p_unit and r.as_of = p_day and r.metric = any(p_metrics) order by r.metric;
end
$fn$;`;
