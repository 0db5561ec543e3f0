/**
 * The 63 provinces and centrally-governed cities of the final pre-2025 list (GSO codes, official full names),
 * in force until 30/06/2025. Hard-coded from the General Statistics Office list; the July 2025 reform
 * (34 provinces) is not reflected here.
 */
export const PROVINCES_2024: readonly (readonly [code: string, name: string])[] = [
  ['01', 'Thành phố Hà Nội'],
  ['02', 'Tỉnh Hà Giang'],
  ['04', 'Tỉnh Cao Bằng'],
  ['06', 'Tỉnh Bắc Kạn'],
  ['08', 'Tỉnh Tuyên Quang'],
  ['10', 'Tỉnh Lào Cai'],
  ['11', 'Tỉnh Điện Biên'],
  ['12', 'Tỉnh Lai Châu'],
  ['14', 'Tỉnh Sơn La'],
  ['15', 'Tỉnh Yên Bái'],
  ['17', 'Tỉnh Hoà Bình'],
  ['19', 'Tỉnh Thái Nguyên'],
  ['20', 'Tỉnh Lạng Sơn'],
  ['22', 'Tỉnh Quảng Ninh'],
  ['24', 'Tỉnh Bắc Giang'],
  ['25', 'Tỉnh Phú Thọ'],
  ['26', 'Tỉnh Vĩnh Phúc'],
  ['27', 'Tỉnh Bắc Ninh'],
  ['30', 'Tỉnh Hải Dương'],
  ['31', 'Thành phố Hải Phòng'],
  ['33', 'Tỉnh Hưng Yên'],
  ['34', 'Tỉnh Thái Bình'],
  ['35', 'Tỉnh Hà Nam'],
  ['36', 'Tỉnh Nam Định'],
  ['37', 'Tỉnh Ninh Bình'],
  ['38', 'Tỉnh Thanh Hóa'],
  ['40', 'Tỉnh Nghệ An'],
  ['42', 'Tỉnh Hà Tĩnh'],
  ['44', 'Tỉnh Quảng Bình'],
  ['45', 'Tỉnh Quảng Trị'],
  ['46', 'Thành phố Huế'],
  ['48', 'Thành phố Đà Nẵng'],
  ['49', 'Tỉnh Quảng Nam'],
  ['51', 'Tỉnh Quảng Ngãi'],
  ['52', 'Tỉnh Bình Định'],
  ['54', 'Tỉnh Phú Yên'],
  ['56', 'Tỉnh Khánh Hòa'],
  ['58', 'Tỉnh Ninh Thuận'],
  ['60', 'Tỉnh Bình Thuận'],
  ['62', 'Tỉnh Kon Tum'],
  ['64', 'Tỉnh Gia Lai'],
  ['66', 'Tỉnh Đắk Lắk'],
  ['67', 'Tỉnh Đắk Nông'],
  ['68', 'Tỉnh Lâm Đồng'],
  ['70', 'Tỉnh Bình Phước'],
  ['72', 'Tỉnh Tây Ninh'],
  ['74', 'Tỉnh Bình Dương'],
  ['75', 'Tỉnh Đồng Nai'],
  ['77', 'Tỉnh Bà Rịa - Vũng Tàu'],
  ['79', 'Thành phố Hồ Chí Minh'],
  ['80', 'Tỉnh Long An'],
  ['82', 'Tỉnh Tiền Giang'],
  ['83', 'Tỉnh Bến Tre'],
  ['84', 'Tỉnh Trà Vinh'],
  ['86', 'Tỉnh Vĩnh Long'],
  ['87', 'Tỉnh Đồng Tháp'],
  ['89', 'Tỉnh An Giang'],
  ['91', 'Tỉnh Kiên Giang'],
  ['92', 'Thành phố Cần Thơ'],
  ['93', 'Tỉnh Hậu Giang'],
  ['94', 'Tỉnh Sóc Trăng'],
  ['95', 'Tỉnh Bạc Liêu'],
  ['96', 'Tỉnh Cà Mau'],
];

/** The lower-case kind words the seeds use, as they appear (capitalised) at the start of official names. */
const KINDS = [
  'thành phố', 'thị xã', 'huyện', 'quận', 'tỉnh', 'thị trấn', 'phường', 'xã',
  'tổ dân phố', 'khu phố', 'thôn', 'khóm', 'bản', 'xóm', 'ấp',
];

/** The kind word of an official name from its type prefix: 'Huyện Núi Thành' → 'huyện', 'Thành phố Hà Nội' → 'thành phố'. */
export function kindOf(name: string): string {
  const lower = name.toLowerCase();
  const kind = KINDS.find((k) => lower.startsWith(k + ' '));
  if (!kind) throw new Error(`no kind prefix in unit name "${name}"`);
  return kind;
}
