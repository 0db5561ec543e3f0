import { Migration } from '@mikro-orm/migrations';

/*
 * The report writer plans once per connection (issue 13). PL/pgSQL runs its statements as cached plans, and the
 * plan cache keeps re-planning a statement (a custom plan for each call) while its generic plan looks dearer than
 * the custom ones: with the input arrays known, a custom plan counts their 3 elements, the generic plan the
 * default 10 per unnest. The rollup spread (rollup_apply's first statement, rollup_spread and unit_paths_during
 * inlined) and the pipeline check of progress_report_write were planned afresh on every call: 0.5 ms each,
 * about 40 % of the writer's CPU. Their generic plans are the same index lookups by unit (measured with
 * bench/writer-profile.ts: auto_explain of both), so the two functions force them. Bodies, results, locks and
 * errors are unchanged; `reset plan_cache_mode` undoes it.
 */
export class Migration20261130006300WriterGenericPlans extends Migration {
  override async up(): Promise<void> {
    this.addSql('alter function rollup_apply(int, text[], date[], bigint[], int[], boolean[]) set plan_cache_mode = force_generic_plan;');
    this.addSql('alter function progress_report_write(int, date, text[], bigint[], text, text, int, text, bigint) set plan_cache_mode = force_generic_plan;');
  }

  override async down(): Promise<void> {
    this.addSql('alter function rollup_apply(int, text[], date[], bigint[], int[], boolean[]) reset plan_cache_mode;');
    this.addSql('alter function progress_report_write(int, date, text[], bigint[], text, text, int, text, bigint) reset plan_cache_mode;');
  }
}
