import type { TestApp } from '../support/app';
import { insertUnits, type UnitSpec } from '../support/factories';
import { gql, ok } from '../support/client';

/** Xã and thị trấn of Huyện Núi Thành (GSO codes). */
export const NUI_THANH_COMMUNES = [
  '20965', '20968', '20971', '20974', '20977', '20980', '20983', '20984', '20986',
  '20989', '20992', '20995', '20998', '21001', '21004', '21005', '21007',
];

/**
 * Quảng Nam (49) → Huyện Núi Thành (517) → 17 communes; Huyện Phú Ninh (518) → 2 communes;
 * Đà Nẵng (48) → Huyện Hòa Vang (497) → one commune, as the "other province".
 */
export async function nuiThanhTree(t: TestApp): Promise<Record<string, number>> {
  const units: UnitSpec[] = [
    { code: '49', name: 'Tỉnh Quảng Nam', kind: 'tỉnh', level: 'PROVINCE' },
    { code: '48', name: 'Thành phố Đà Nẵng', kind: 'thành phố', level: 'PROVINCE' },
    { code: '517', name: 'Huyện Núi Thành', kind: 'huyện', level: 'DISTRICT', parent: '49' },
    { code: '518', name: 'Huyện Phú Ninh', kind: 'huyện', level: 'DISTRICT', parent: '49' },
    { code: '497', name: 'Huyện Hòa Vang', kind: 'huyện', level: 'DISTRICT', parent: '48' },
    ...NUI_THANH_COMMUNES.map((code, i) => ({ code, name: `Xã Núi Thành ${i + 1}`, kind: 'xã', level: 'COMMUNE' as const, parent: '517' })),
    { code: '20929', name: 'Xã Tam Dân', kind: 'xã', level: 'COMMUNE', parent: '518' },
    { code: '20932', name: 'Xã Tam Đàn', kind: 'xã', level: 'COMMUNE', parent: '518' },
    { code: '20314', name: 'Xã Hòa Bắc', kind: 'xã', level: 'COMMUNE', parent: '497' },
  ];
  return insertUnits(t, units);
}

export const unitGid = (id: number) => Buffer.from(`Unit:${id}`).toString('base64url');

export const CREATE = `mutation($input: CreateCampaignInput!) { createCampaign(input: $input) { campaign { id name status startDate deadline minTeamsPerHamlet scopeUnit { code } metrics { metric { code } countingMode allocationMode } } } }`;

export async function createCampaign(t: TestApp, token: string, scopeUnitId: number, extra: Record<string, unknown> = {}): Promise<string> {
  const input = {
    name: 'Chiến dịch cao điểm 90 ngày đêm',
    scopeUnitId: unitGid(scopeUnitId),
    startDate: '2023-09-01',
    deadline: '2023-11-30',
    metrics: [
      { metric: 'eid.activated', countingMode: 'CUMULATIVE', allocationMode: 'STRICT' },
      { metric: 'eid.collected', countingMode: 'SINCE_START', allocationMode: 'LENIENT' },
    ],
    ...extra,
  };
  return ok(await gql(t, CREATE, { input }, token)).createCampaign.campaign.id;
}
