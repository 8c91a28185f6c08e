/** How figures are written in the report, the targets and the log: a missing value says so. */
export const num = (value, digits = 2) => (Number.isFinite(value) ? value.toFixed(digits) : 'n/a');
export const int = (value) => (Number.isFinite(value) ? Math.round(value).toLocaleString('en-US') : 'n/a');
export const mib = (bytes) => (bytes / 2 ** 20).toFixed(1);
