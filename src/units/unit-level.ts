import { registerEnumType } from 'type-graphql';

export enum UnitLevel {
  PROVINCE = 'PROVINCE',
  DISTRICT = 'DISTRICT',
  COMMUNE = 'COMMUNE',
  HAMLET = 'HAMLET',
}

registerEnumType(UnitLevel, {
  name: 'UnitLevel',
  description: 'Level in the administrative tree. Since July 2025 communes may sit directly under provinces.',
  valuesConfig: {
    PROVINCE: { description: 'Tỉnh / thành phố trực thuộc trung ương.' },
    DISTRICT: { description: 'Huyện / quận / thị xã / thành phố thuộc tỉnh (abolished in 2025).' },
    COMMUNE: { description: 'Xã / phường / thị trấn / đặc khu.' },
    HAMLET: { description: 'Thôn / ấp / khóm / bản / xóm / tổ dân phố / khu phố (no national code list).' },
  },
});

/** The parent levels each level may sit under; anything else is refused. */
export const ALLOWED_PARENT_LEVELS: Record<UnitLevel, (UnitLevel | null)[]> = {
  PROVINCE: [null],
  DISTRICT: [UnitLevel.PROVINCE],
  COMMUNE: [UnitLevel.DISTRICT, UnitLevel.PROVINCE],
  HAMLET: [UnitLevel.COMMUNE],
};

export const LEVEL_ORDER: Record<UnitLevel, number> = { PROVINCE: 1, DISTRICT: 2, COMMUNE: 3, HAMLET: 4 };
