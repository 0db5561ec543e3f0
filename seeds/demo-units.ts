import type { EntityManager } from '@mikro-orm/postgresql';
import { kindOf, PROVINCES_2024 } from './province-names';

/**
 * Demo administrative units: five real provinces from the articles, with real names and GSO codes
 * (final pre-2025 list, units in force until 30/06/2025), and synthetic hamlets.
 *
 * - Quảng Nam (49): all 17 districts; Huyện Núi Thành (517) with all its 17 communes and towns.
 * - Đồng Nai (75): TP Biên Hòa; TP Long Khánh with Phường Xuân An; Huyện Trảng Bom with Xã Bắc Sơn.
 * - Sóc Trăng (94), Bình Dương (74), Cao Bằng (04): every district and commune.
 *
 * Hamlets are SYNTHETIC (there is no national hamlet list): numbered 'Thôn n' / 'Ấp n' / 'Khu phố n' / 'Xóm n',
 * with code `${communeCode}-${nn}`, a count and eligible citizens drawn from a PRNG seeded by the commune code.
 * Idempotent: units whose code already exists are left untouched (and reused as parents).
 */

export const DEMO_CODES = {
  quangNam: '49',
  nuiThanh: '517',
  tamTien: '20974',
  dongNai: '75',
  bienHoa: '731',
  longKhanh: '732',
  xuanAn: '26080',
  xuanAnKp3: '26080-03',
  trangBom: '737',
  bacSon: '26269',
  socTrang: '94',
  binhDuong: '74',
  caoBang: '04',
} as const;

const VALID_FROM = '2020-01-01';

/** [district code, official name, communes as 'code official name']. */
type DistrictData = readonly [code: string, name: string, communes: readonly string[]];

/** Hamlets of one commune: `word` 1..n with n in [min, max]; the kind is the lower-cased word. */
interface HamletRule {
  word: string;
  min: number;
  max: number;
}

interface DemoProvince {
  code: string;
  districts: readonly DistrictData[];
  hamlets: (communeName: string) => HamletRule;
}

const rule = (word: string, min: number, max = min): HamletRule => ({ word, min, max });
const isUrban = (communeName: string): boolean => /^(Phường|Thị trấn) /.test(communeName);

/** Communes whose hamlets the articles describe ("6 ấp" of xã Bắc Sơn; KP.3 of P. Xuân An). */
const HAMLET_OVERRIDES: Readonly<Record<string, HamletRule>> = {
  [DEMO_CODES.bacSon]: rule('Ấp', 6),
  [DEMO_CODES.xuanAn]: rule('Khu phố', 6),
};

const QUANG_NAM: readonly DistrictData[] = [
  ['502', 'Thành phố Tam Kỳ', []],
  ['503', 'Thành phố Hội An', []],
  ['504', 'Huyện Tây Giang', []],
  ['505', 'Huyện Đông Giang', []],
  ['506', 'Huyện Đại Lộc', []],
  ['507', 'Thị xã Điện Bàn', []],
  ['508', 'Huyện Duy Xuyên', []],
  ['509', 'Huyện Quế Sơn', []],
  ['510', 'Huyện Nam Giang', []],
  ['511', 'Huyện Phước Sơn', []],
  ['512', 'Huyện Hiệp Đức', []],
  ['513', 'Huyện Thăng Bình', []],
  ['514', 'Huyện Tiên Phước', []],
  ['515', 'Huyện Bắc Trà My', []],
  ['516', 'Huyện Nam Trà My', []],
  ['517', 'Huyện Núi Thành', [
    '20965 Thị trấn Núi Thành', '20968 Xã Tam Xuân I', '20971 Xã Tam Xuân II', '20974 Xã Tam Tiến', '20977 Xã Tam Sơn',
    '20980 Xã Tam Thạnh', '20983 Xã Tam Anh Bắc', '20984 Xã Tam Anh Nam', '20986 Xã Tam Hòa', '20989 Xã Tam Hiệp',
    '20992 Xã Tam Hải', '20995 Xã Tam Giang', '20998 Xã Tam Quang', '21001 Xã Tam Nghĩa', '21004 Xã Tam Mỹ Tây',
    '21005 Xã Tam Mỹ Đông', '21007 Xã Tam Trà',
  ]],
  ['518', 'Huyện Phú Ninh', []],
];

const DONG_NAI: readonly DistrictData[] = [
  ['731', 'Thành phố Biên Hòa', []],
  ['732', 'Thành phố Long Khánh', [
    '26080 Phường Xuân An',
  ]],
  ['737', 'Huyện Trảng Bom', [
    '26269 Xã Bắc Sơn',
  ]],
];

const SOC_TRANG: readonly DistrictData[] = [
  ['941', 'Thành phố Sóc Trăng', [
    '31498 Phường 5', '31501 Phường 7', '31504 Phường 8', '31507 Phường 6', '31510 Phường 2', '31516 Phường 4', '31519 Phường 3',
    '31522 Phường 1', '31525 Phường 10',
  ]],
  ['942', 'Huyện Châu Thành', [
    '31569 Thị trấn Châu Thành', '31570 Xã Hồ Đắc Kiện', '31573 Xã Phú Tâm', '31576 Xã Thuận Hòa', '31582 Xã Phú Tân',
    '31585 Xã Thiện Mỹ', '31594 Xã An Hiệp', '31600 Xã An Ninh',
  ]],
  ['943', 'Huyện Kế Sách', [
    '31528 Thị trấn Kế Sách', '31531 Thị trấn An Lạc Thôn', '31534 Xã Xuân Hòa', '31537 Xã Phong Nẫm', '31540 Xã An Lạc Tây',
    '31543 Xã Trinh Phú', '31546 Xã Ba Trinh', '31549 Xã Thới An Hội', '31552 Xã Nhơn Mỹ', '31555 Xã Kế Thành', '31558 Xã Kế An',
    '31561 Xã Đại Hải', '31564 Xã An Mỹ',
  ]],
  ['944', 'Huyện Mỹ Tú', [
    '31567 Thị trấn Huỳnh Hữu Nghĩa', '31579 Xã Long Hưng', '31588 Xã Hưng Phú', '31591 Xã Mỹ Hương', '31597 Xã Mỹ Tú',
    '31603 Xã Mỹ Phước', '31606 Xã Thuận Hưng', '31609 Xã Mỹ Thuận', '31612 Xã Phú Mỹ',
  ]],
  ['945', 'Huyện Cù Lao Dung', [
    '31615 Thị trấn Cù Lao Dung', '31618 Xã An Thạnh 1', '31621 Xã An Thạnh Tây', '31624 Xã An Thạnh Đông', '31627 Xã Đại Ân 1',
    '31630 Xã An Thạnh 2', '31633 Xã An Thạnh 3', '31636 Xã An Thạnh Nam',
  ]],
  ['946', 'Huyện Long Phú', [
    '31639 Thị trấn Long Phú', '31642 Xã Song Phụng', '31645 Thị trấn Đại Ngãi', '31648 Xã Hậu Thạnh', '31651 Xã Long Đức',
    '31654 Xã Trường Khánh', '31657 Xã Phú Hữu', '31660 Xã Tân Hưng', '31663 Xã Châu Khánh', '31666 Xã Tân Thạnh',
    '31669 Xã Long Phú',
  ]],
  ['947', 'Huyện Mỹ Xuyên', [
    '31684 Thị trấn Mỹ Xuyên', '31690 Xã Đại Tâm', '31693 Xã Tham Đôn', '31708 Xã Thạnh Phú', '31711 Xã Ngọc Đông',
    '31714 Xã Thạnh Quới', '31717 Xã Hòa Tú 1', '31720 Xã Gia Hòa 1', '31723 Xã Ngọc Tố', '31726 Xã Gia Hòa 2',
    '31729 Xã Hòa Tú II',
  ]],
  ['948', 'Thị xã Ngã Năm', [
    '31732 Phường 1', '31735 Phường 2', '31738 Xã Vĩnh Quới', '31741 Xã Tân Long', '31744 Xã Long Bình', '31747 Phường 3',
    '31750 Xã Mỹ Bình', '31753 Xã Mỹ Quới',
  ]],
  ['949', 'Huyện Thạnh Trị', [
    '31756 Thị trấn Phú Lộc', '31757 Thị trấn Hưng Lợi', '31759 Xã Lâm Tân', '31762 Xã Thạnh Tân', '31765 Xã Lâm Kiết',
    '31768 Xã Tuân Tức', '31771 Xã Vĩnh Thành', '31774 Xã Thạnh Trị', '31777 Xã Vĩnh Lợi', '31780 Xã Châu Hưng',
  ]],
  ['950', 'Thị xã Vĩnh Châu', [
    '31783 Phường 1', '31786 Xã Hòa Đông', '31789 Phường Khánh Hòa', '31792 Xã Vĩnh Hiệp', '31795 Xã Vĩnh Hải',
    '31798 Xã Lạc Hòa', '31801 Phường 2', '31804 Phường Vĩnh Phước', '31807 Xã Vĩnh Tân', '31810 Xã Lai Hòa',
  ]],
  ['951', 'Huyện Trần Đề', [
    '31672 Xã Đại Ân 2', '31673 Thị trấn Trần Đề', '31675 Xã Liêu Tú', '31678 Xã Lịch Hội Thượng',
    '31679 Thị trấn Lịch Hội Thượng', '31681 Xã Trung Bình', '31687 Xã Tài Văn', '31696 Xã Viên An', '31699 Xã Thạnh Thới An',
    '31702 Xã Thạnh Thới Thuận', '31705 Xã Viên Bình',
  ]],
];

const BINH_DUONG: readonly DistrictData[] = [
  ['718', 'Thành phố Thủ Dầu Một', [
    '25741 Phường Hiệp Thành', '25744 Phường Phú Lợi', '25747 Phường Phú Cường', '25750 Phường Phú Hòa', '25753 Phường Phú Thọ',
    '25756 Phường Chánh Nghĩa', '25759 Phường Định Hoà', '25760 Phường Hoà Phú', '25762 Phường Phú Mỹ', '25763 Phường Phú Tân',
    '25765 Phường Tân An', '25768 Phường Hiệp An', '25771 Phường Tương Bình Hiệp', '25774 Phường Chánh Mỹ',
  ]],
  ['719', 'Huyện Bàu Bàng', [
    '25816 Xã Trừ Văn Thố', '25819 Xã Cây Trường II', '25822 Thị trấn Lai Uyên', '25825 Xã Tân Hưng', '25828 Xã Long Nguyên',
    '25831 Xã Hưng Hòa', '25834 Xã Lai Hưng',
  ]],
  ['720', 'Huyện Dầu Tiếng', [
    '25777 Thị trấn Dầu Tiếng', '25780 Xã Minh Hoà', '25783 Xã Minh Thạnh', '25786 Xã Minh Tân', '25789 Xã Định An',
    '25792 Xã Long Hoà', '25795 Xã Định Thành', '25798 Xã Định Hiệp', '25801 Xã An Lập', '25804 Xã Long Tân', '25807 Xã Thanh An',
    '25810 Xã Thanh Tuyền',
  ]],
  ['721', 'Thành phố Bến Cát', [
    '25813 Phường Mỹ Phước', '25837 Phường Chánh Phú Hòa', '25840 Phường An Điền', '25843 Phường An Tây', '25846 Phường Thới Hòa',
    '25849 Phường Hòa Lợi', '25852 Phường Tân Định', '25855 Xã Phú An',
  ]],
  ['722', 'Huyện Phú Giáo', [
    '25858 Thị trấn Phước Vĩnh', '25861 Xã An Linh', '25864 Xã Phước Sang', '25865 Xã An Thái', '25867 Xã An Long',
    '25870 Xã An Bình', '25873 Xã Tân Hiệp', '25876 Xã Tam Lập', '25879 Xã Tân Long', '25882 Xã Vĩnh Hoà', '25885 Xã Phước Hoà',
  ]],
  ['723', 'Thành phố Tân Uyên', [
    '25888 Phường Uyên Hưng', '25891 Phường Tân Phước Khánh', '25912 Phường Vĩnh Tân', '25915 Phường Hội Nghĩa',
    '25920 Phường Tân Hiệp', '25921 Phường Khánh Bình', '25924 Phường Phú Chánh', '25930 Xã Bạch Đằng',
    '25933 Phường Tân Vĩnh Hiệp', '25936 Phường Thạnh Phước', '25937 Xã Thạnh Hội', '25939 Phường Thái Hòa',
  ]],
  ['724', 'Thành phố Dĩ An', [
    '25942 Phường Dĩ An', '25945 Phường Tân Bình', '25948 Phường Tân Đông Hiệp', '25951 Phường Bình An',
    '25954 Phường Bình Thắng', '25957 Phường Đông Hòa', '25960 Phường An Bình',
  ]],
  ['725', 'Thành phố Thuận An', [
    '25963 Phường An Thạnh', '25966 Phường Lái Thiêu', '25969 Phường Bình Chuẩn', '25972 Phường Thuận Giao',
    '25975 Phường An Phú', '25978 Phường Hưng Định', '25981 Xã An Sơn', '25984 Phường Bình Nhâm', '25987 Phường Bình Hòa',
    '25990 Phường Vĩnh Phú',
  ]],
  ['726', 'Huyện Bắc Tân Uyên', [
    '25894 Xã Tân Định', '25897 Xã Bình Mỹ', '25900 Thị trấn Tân Bình', '25903 Xã Tân Lập', '25906 Thị trấn Tân Thành',
    '25907 Xã Đất Cuốc', '25908 Xã Hiếu Liêm', '25909 Xã Lạc An', '25918 Xã Tân Mỹ', '25927 Xã Thường Tân',
  ]],
];

const CAO_BANG: readonly DistrictData[] = [
  ['040', 'Thành phố Cao Bằng', [
    '01267 Phường Sông Hiến', '01270 Phường Sông Bằng', '01273 Phường Hợp Giang', '01276 Phường Tân Giang',
    '01279 Phường Ngọc Xuân', '01282 Phường Đề Thám', '01285 Phường Hoà Chung', '01288 Phường Duyệt Trung', '01693 Xã Vĩnh Quang',
    '01705 Xã Hưng Đạo', '01720 Xã Chu Trinh',
  ]],
  ['042', 'Huyện Bảo Lâm', [
    '01290 Thị trấn Pác Miầu', '01291 Xã Đức Hạnh', '01294 Xã Lý Bôn', '01296 Xã Nam Cao', '01297 Xã Nam Quang',
    '01300 Xã Vĩnh Quang', '01303 Xã Quảng Lâm', '01304 Xã Thạch Lâm', '01309 Xã Vĩnh Phong', '01312 Xã Mông Ân',
    '01315 Xã Thái Học', '01316 Xã Thái Sơn', '01318 Xã Yên Thổ',
  ]],
  ['043', 'Huyện Bảo Lạc', [
    '01321 Thị trấn Bảo Lạc', '01324 Xã Cốc Pàng', '01327 Xã Thượng Hà', '01330 Xã Cô Ba', '01333 Xã Bảo Toàn',
    '01336 Xã Khánh Xuân', '01339 Xã Xuân Trường', '01342 Xã Hồng Trị', '01343 Xã Kim Cúc', '01345 Xã Phan Thanh',
    '01348 Xã Hồng An', '01351 Xã Hưng Đạo', '01352 Xã Hưng Thịnh', '01354 Xã Huy Giáp', '01357 Xã Đình Phùng',
    '01359 Xã Sơn Lập', '01360 Xã Sơn Lộ',
  ]],
  ['045', 'Huyện Hà Quảng', [
    '01363 Thị trấn Thông Nông', '01366 Xã Cần Yên', '01367 Xã Cần Nông', '01372 Xã Lương Thông', '01375 Xã Đa Thông',
    '01378 Xã Ngọc Động', '01381 Xã Yên Sơn', '01384 Xã Lương Can', '01387 Xã Thanh Long', '01392 Thị trấn Xuân Hòa',
    '01393 Xã Lũng Nặm', '01399 Xã Trường Hà', '01402 Xã Cải Viên', '01411 Xã Nội Thôn', '01414 Xã Tổng Cọt', '01417 Xã Sóc Hà',
    '01420 Xã Thượng Thôn', '01429 Xã Hồng Sỹ', '01432 Xã Quý Quân', '01435 Xã Mã Ba', '01438 Xã Ngọc Đào',
  ]],
  ['047', 'Huyện Trùng Khánh', [
    '01447 Thị trấn Trà Lĩnh', '01453 Xã Tri Phương', '01456 Xã Quang Hán', '01462 Xã Xuân Nội', '01465 Xã Quang Trung',
    '01468 Xã Quang Vinh', '01471 Xã Cao Chương', '01477 Thị trấn Trùng Khánh', '01480 Xã Ngọc Khê', '01481 Xã Ngọc Côn',
    '01483 Xã Phong Nậm', '01489 Xã Đình Phong', '01495 Xã Đàm Thuỷ', '01498 Xã Khâm Thành', '01501 Xã Chí Viễn',
    '01504 Xã Lăng Hiếu', '01507 Xã Phong Châu', '01516 Xã Trung Phúc', '01519 Xã Cao Thăng', '01522 Xã Đức Hồng',
    '01525 Xã Đoài Dương',
  ]],
  ['048', 'Huyện Hạ Lang', [
    '01534 Xã Minh Long', '01537 Xã Lý Quốc', '01540 Xã Thắng Lợi', '01543 Xã Đồng Loan', '01546 Xã Đức Quang',
    '01549 Xã Kim Loan', '01552 Xã Quang Long', '01555 Xã An Lạc', '01558 Thị trấn Thanh Nhật', '01561 Xã Vinh Quý',
    '01564 Xã Thống Nhất', '01567 Xã Cô Ngân', '01573 Xã Thị Hoa',
  ]],
  ['049', 'Huyện Quảng Hòa', [
    '01474 Xã Quốc Toản', '01576 Thị trấn Quảng Uyên', '01579 Xã Phi Hải', '01582 Xã Quảng Hưng', '01594 Xã Độc Lập',
    '01597 Xã Cai Bộ', '01603 Xã Phúc Sen', '01606 Xã Chí Thảo', '01609 Xã Tự Do', '01615 Xã Hồng Quang', '01618 Xã Ngọc Động',
    '01624 Xã Hạnh Phúc', '01627 Thị trấn Tà Lùng', '01630 Xã Bế Văn Đàn', '01636 Xã Cách Linh', '01639 Xã Đại Sơn',
    '01645 Xã Tiên Thành', '01648 Thị trấn Hoà Thuận', '01651 Xã Mỹ Hưng',
  ]],
  ['051', 'Huyện Hoà An', [
    '01654 Thị trấn Nước Hai', '01657 Xã Dân Chủ', '01660 Xã Nam Tuấn', '01666 Xã Đại Tiến', '01669 Xã Đức Long',
    '01672 Xã Ngũ Lão', '01675 Xã Trương Lương', '01687 Xã Hồng Việt', '01696 Xã Hoàng Tung', '01699 Xã Nguyễn Huệ',
    '01702 Xã Quang Trung', '01708 Xã Bạch Đằng', '01711 Xã Bình Dương', '01714 Xã Lê Chung', '01723 Xã Hồng Nam',
  ]],
  ['052', 'Huyện Nguyên Bình', [
    '01726 Thị trấn Nguyên Bình', '01729 Thị trấn Tĩnh Túc', '01732 Xã Yên Lạc', '01735 Xã Triệu Nguyên', '01738 Xã Ca Thành',
    '01744 Xã Vũ Nông', '01747 Xã Minh Tâm', '01750 Xã Thể Dục', '01756 Xã Mai Long', '01762 Xã Vũ Minh', '01765 Xã Hoa Thám',
    '01768 Xã Phan Thanh', '01771 Xã Quang Thành', '01774 Xã Tam Kim', '01777 Xã Thành Công', '01780 Xã Thịnh Vượng',
    '01783 Xã Hưng Đạo',
  ]],
  ['053', 'Huyện Thạch An', [
    '01786 Thị trấn Đông Khê', '01789 Xã Canh Tân', '01792 Xã Kim Đồng', '01795 Xã Minh Khai', '01801 Xã Đức Thông',
    '01804 Xã Thái Cường', '01807 Xã Vân Trình', '01810 Xã Thụy Hùng', '01813 Xã Quang Trọng', '01816 Xã Trọng Con',
    '01819 Xã Lê Lai', '01822 Xã Đức Long', '01828 Xã Lê Lợi', '01831 Xã Đức Xuân',
  ]],
];

const DEMO_PROVINCES: readonly DemoProvince[] = [
  { code: DEMO_CODES.quangNam, districts: QUANG_NAM, hamlets: () => rule('Thôn', 6, 9) },
  { code: DEMO_CODES.dongNai, districts: DONG_NAI, hamlets: (name) => (isUrban(name) ? rule('Khu phố', 4, 8) : rule('Ấp', 4, 8)) },
  { code: DEMO_CODES.socTrang, districts: SOC_TRANG, hamlets: () => rule('Ấp', 4, 8) },
  { code: DEMO_CODES.binhDuong, districts: BINH_DUONG, hamlets: (name) => (isUrban(name) ? rule('Khu phố', 4, 8) : rule('Ấp', 4, 8)) },
  { code: DEMO_CODES.caoBang, districts: CAO_BANG, hamlets: () => rule('Xóm', 4, 8) },
];

export type SeedLevel = 'PROVINCE' | 'DISTRICT' | 'COMMUNE' | 'HAMLET';

/** One unit to insert; `parent` is the parent's code (null for a province). */
export interface SeedUnit {
  code: string;
  name: string;
  kind: string;
  parent: string | null;
  elig: number | null;
}

/** mulberry32 seeded with the FNV-1a hash of `seed`: deterministic and independent of insertion order. */
function prng(seed: string): () => number {
  let h = 0x811c9dc5;
  for (let i = 0; i < seed.length; i++) h = Math.imul(h ^ seed.charCodeAt(i), 0x01000193);
  return () => {
    h = (h + 0x6d2b79f5) | 0;
    let t = Math.imul(h ^ (h >>> 15), 1 | h);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const between = (rand: () => number, min: number, max: number): number => min + Math.floor(rand() * (max - min + 1));

function hamletsOf(communeCode: string, r: HamletRule): SeedUnit[] {
  const rand = prng(communeCode);
  const n = between(rand, r.min, r.max);
  return Array.from({ length: n }, (_, i) => ({
    code: `${communeCode}-${String(i + 1).padStart(2, '0')}`,
    name: `${r.word} ${i + 1}`,
    kind: r.word.toLowerCase(),
    parent: communeCode,
    elig: between(rand, 300, 1500),
  }));
}

/** All demo units by level, parents before children. A commune's eligible citizens are the sum of its hamlets'. */
export function demoUnits(): Record<SeedLevel, SeedUnit[]> {
  const out: Record<SeedLevel, SeedUnit[]> = { PROVINCE: [], DISTRICT: [], COMMUNE: [], HAMLET: [] };
  for (const p of DEMO_PROVINCES) {
    const name = PROVINCES_2024.find(([code]) => code === p.code)?.[1];
    if (!name) throw new Error(`unknown province ${p.code}`);
    out.PROVINCE.push({ code: p.code, name, kind: kindOf(name), parent: null, elig: null });
    for (const [dCode, dName, communes] of p.districts) {
      out.DISTRICT.push({ code: dCode, name: dName, kind: kindOf(dName), parent: p.code, elig: null });
      for (const c of communes) {
        const [cCode, cName] = [c.slice(0, 5), c.slice(6)];
        const hamlets = hamletsOf(cCode, HAMLET_OVERRIDES[cCode] ?? p.hamlets(cName));
        const elig = hamlets.reduce((sum, h) => sum + (h.elig ?? 0), 0);
        out.COMMUNE.push({ code: cCode, name: cName, kind: kindOf(cName), parent: dCode, elig });
        out.HAMLET.push(...hamlets);
      }
    }
  }
  return out;
}

/**
 * Inserts the units of one level in a single statement and returns how many were created. Codes that already
 * exist are skipped; parents are looked up by code. Ids are drawn from the serial sequence up front (in code order)
 * so that `path` (parent's path + own id, or the id alone for a root) is written by the insert itself, without an update.
 * A parent code that does not exist leaves `path` null, so the statement fails (NOT NULL) instead of making a root.
 */
export async function insertUnits(em: EntityManager, level: SeedLevel, units: readonly SeedUnit[]): Promise<number> {
  if (units.length === 0) return 0;
  const [row] = await em.execute<{ created: number }[]>(
    `with v as (
       select v.code, v.name, v.kind, v.elig, v.parent, p.id as parent_id, p.path as parent_path
       from jsonb_to_recordset(?::jsonb) as v(code text, name text, kind text, parent text, elig int)
       left join admin_unit p on p.code = v.parent
       where not exists (select 1 from admin_unit x where x.code = v.code)
     ), n as materialized (
       select nextval(pg_get_serial_sequence('admin_unit', 'id')) as id, v.* from v order by v.code
     ), ins as (
       insert into admin_unit (id, code, name, kind, level, parent_id, path, eligible_citizens, valid_from, created_at, updated_at)
       select id, code, name, kind, ?, parent_id, case when parent is null then text2ltree(id::text) else parent_path || id::text end,
         elig, ?, now(), now()
       from n
       on conflict (code) do nothing
       returning 1
     )
     select count(*)::int as created from ins`,
    [JSON.stringify(units), level, VALID_FROM],
  );
  return row?.created ?? 0;
}

/** Loads the demo units (idempotent). Runs in the caller's transaction, if any. */
export async function seedDemoUnits(em: EntityManager): Promise<{ created: number }> {
  const units = demoUnits();
  let created = 0;
  for (const level of ['PROVINCE', 'DISTRICT', 'COMMUNE', 'HAMLET'] as const) {
    created += await insertUnits(em, level, units[level]);
  }
  return { created };
}
