import { Migration } from '@mikro-orm/migrations';

/** The metric catalogue of DOMAIN.md: the account pipeline, CCCD, and the reasons people are not yet activated. */
const CATALOGUE: [code: string, vi: string, en: string, group: string, order: number | null, description: string][] = [
  ['eid.collected', 'Thu nhận hồ sơ định danh mức 2', 'Level-2 e-ID applications collected', 'PIPELINE', 1, 'Cumulative applications collected by police.'],
  ['eid.approved', 'Hồ sơ được phê duyệt', 'Applications approved', 'PIPELINE', 2, 'Cumulative level-2 applications approved.'],
  ['eid.activated', 'Tài khoản đã kích hoạt', 'Accounts activated', 'PIPELINE', 3, 'Cumulative accounts activated in the VNeID app.'],
  ['cccd.collected', 'Thu nhận hồ sơ CCCD', 'Citizen ID card applications collected', 'CCCD', null, 'Cumulative CCCD applications.'],
  ['reason.no_smartphone', 'Không có điện thoại thông minh', 'No smartphone', 'REASON', null, 'People not yet activated because they have no smartphone.'],
  ['reason.sim_not_own_name', 'Thuê bao không chính chủ', 'SIM not in own name', 'REASON', null, 'Phone number not registered in the citizen’s own name, or a data-only SIM.'],
  ['reason.working_away', 'Đi làm ăn xa', 'Working far away', 'REASON', null, 'Working away from home, e.g. in Ho Chi Minh City.'],
  ['reason.moved_away', 'Đã chuyển đi nơi khác', 'Moved away', 'REASON', null, 'Moved away without de-registering residence.'],
  ['reason.needs_home_visit', 'Người già, neo đơn, cần hỗ trợ tại nhà', 'Needs a home visit', 'REASON', null, 'Elderly or immobile; needs a home visit.'],
  ['reason.recollect_software_error', 'Phải thu nhận lại do lỗi phần mềm', 'Re-collect after a software error', 'REASON', null, 'Application lost in a software error.'],
  ['reason.approval_pending', 'Chờ phê duyệt', 'Approval pending or refused', 'REASON', null, 'Level-2 approval pending or refused.'],
  ['reason.no_network', 'Không có sóng', 'No network coverage', 'REASON', null, 'No mobile coverage (coastal and mountain communes).'],
  ['reason.other', 'Lý do khác', 'Other', 'REASON', null, 'Any other reason.'],
];

export class Migration20261123000200Metrics extends Migration {
  override async up(): Promise<void> {
    this.addSql(`create table "metric" (
      "code" text not null, "name_vi" text not null, "name_en" text not null, "description" text not null default '',
      "group" text check ("group" in ('PIPELINE', 'CCCD', 'REASON', 'SERVICE')) not null,
      "reporting_level" text check ("reporting_level" in ('PROVINCE', 'DISTRICT', 'COMMUNE', 'HAMLET')) not null default 'HAMLET',
      "pipeline_order" integer null, "created_at" timestamptz not null default now(),
      constraint "metric_pkey" primary key ("code"));`);
    for (const [code, vi, en, group, order, description] of CATALOGUE) {
      this.addSql(
        this.getKnex()
          .insert({ code, name_vi: vi, name_en: en, group, pipeline_order: order, description })
          .into('metric')
          .toString(),
      );
    }
  }
}
