/** Number formats shared by the report's sections. */
export const n = (x: number, digits = 1) =>
  x.toLocaleString('en-US', { maximumFractionDigits: digits, minimumFractionDigits: digits });
export const kb = (bytes: number) => `${n(bytes / 1024, 0)} KB`;
