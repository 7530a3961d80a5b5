/**
 * Each legacy system writes dates its own way. The population holds ISO `YYYY-MM-DD`; these turn an ISO
 * date into the system's format (and pass `null` through).
 */
type Format = (iso: string) => string;

function nullable(format: Format) {
  return (iso: string | null): string | null => (iso === null ? null : format(iso));
}

/** `DD-MM-YYYY` (school administration). */
export const dayMonthYearDashed: Format = (iso) => `${iso.slice(8, 10)}-${iso.slice(5, 7)}-${iso.slice(0, 4)}`;
/** `DD.MM.YYYY` (social services). */
export const dayMonthYearDotted: Format = (iso) => `${iso.slice(8, 10)}.${iso.slice(5, 7)}.${iso.slice(0, 4)}`;
/** `YYYYMMDD` (jobcenter). */
export const compactDate: Format = (iso) => iso.replaceAll('-', '');
/** `YYYY-MM-DD` (UU). */
export const isoDate: Format = (iso) => iso;
/** `YYYY-MM-DDT00:00:00Z` (benefits office). */
export const isoDateTime: Format = (iso) => `${iso}T00:00:00Z`;

export const formats = {
  dayMonthYearDashed: nullable(dayMonthYearDashed),
  dayMonthYearDotted: nullable(dayMonthYearDotted),
  compactDate: nullable(compactDate),
  isoDate: nullable(isoDate),
  isoDateTime: nullable(isoDateTime),
};

/** Danish amount as the benefits office writes it: `6.118,00`. */
export function danishAmount(amount: number): string {
  const [whole, cents] = Math.abs(amount).toFixed(2).split('.') as [string, string];
  const grouped = whole.replace(/\B(?=(\d{3})+(?!\d))/g, '.');
  return `${amount < 0 ? '-' : ''}${grouped},${cents}`;
}
