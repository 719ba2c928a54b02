/**
 * CSV as RFC 4180 writes it: CRLF after every record, a field quoted when it holds a comma, a
 * quote, CR or LF, and a quote inside doubled. A cell that a spreadsheet would read as a formula
 * (it starts with = + - @, a tab or a CR: OWASP "CSV Injection") gets a leading single quote, so
 * an order id or a payer's name from outside can never run in the shop's spreadsheet.
 */
export type CsvCell = string | number | boolean | null;

const FORMULA_START = /^[=+\-@\t\r]/;
const NEEDS_QUOTES = /[",\r\n]/;

export function csvCell(value: CsvCell): string {
  if (value === null) return '';
  let text = String(value);
  if (FORMULA_START.test(text)) text = `'${text}`;
  return NEEDS_QUOTES.test(text) ? `"${text.replace(/"/g, '""')}"` : text;
}

export function toCsv(header: readonly string[], rows: readonly (readonly CsvCell[])[]): string {
  return [header, ...rows].map((row) => `${row.map(csvCell).join(',')}\r\n`).join('');
}
