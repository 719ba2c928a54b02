import { AppError } from '../errors';

/** Staff imports: a paste, or an export from an SMS backup app, as CSV or JSON. */
export const MAX_IMPORT_ROWS = 5_000;

const ALIASES: Record<'sender' | 'body' | 'received_at', readonly string[]> = {
  sender: ['sender', 'address', 'from', 'number', 'originator', 'phone'],
  body: ['body', 'message', 'text', 'content', 'sms', 'msg'],
  received_at: ['received_at', 'date', 'timestamp', 'time', 'received', 'datetime'],
};

export interface ImportedMessage {
  sender: unknown;
  body: unknown;
  received_at?: unknown;
}

/** RFC 4180: quoted fields may hold commas, quotes ("") and line breaks. */
export function parseCsv(text: string): string[][] {
  const rows: string[][] = [];
  let row: string[] = [];
  let field = '';
  let quoted = false;
  for (let i = 0; i < text.length; i += 1) {
    const ch = text[i];
    if (quoted) {
      if (ch === '"' && text[i + 1] === '"') {
        field += '"';
        i += 1;
      } else if (ch === '"') quoted = false;
      else field += ch;
    } else if (ch === '"' && field === '') quoted = true;
    else if (ch === ',') {
      row.push(field);
      field = '';
    } else if (ch === '\n' || ch === '\r') {
      if (ch === '\r' && text[i + 1] === '\n') i += 1;
      row.push(field);
      field = '';
      if (row.some((f) => f !== '')) rows.push(row);
      row = [];
    } else field += ch;
  }
  if (quoted) throw new AppError('validation_failed', 'CSV has an unterminated quoted field');
  row.push(field);
  if (row.some((f) => f !== '')) rows.push(row);
  return rows;
}

function pick(record: Record<string, unknown>, key: keyof typeof ALIASES): unknown {
  const lower = new Map(Object.entries(record).map(([k, v]) => [k.trim().toLowerCase(), v]));
  for (const alias of ALIASES[key]) if (lower.has(alias)) return lower.get(alias);
  return undefined;
}

/** Backup apps write epoch seconds or milliseconds as text. */
function normaliseTime(value: unknown): unknown {
  if (typeof value === 'string' && /^\d{10}$/.test(value.trim())) return Number(value.trim()) * 1000;
  if (typeof value === 'string' && /^\d{13}$/.test(value.trim())) return Number(value.trim());
  return value === '' ? undefined : value;
}

function fromRecord(record: Record<string, unknown>): ImportedMessage {
  return { sender: pick(record, 'sender'), body: pick(record, 'body'), received_at: normaliseTime(pick(record, 'received_at')) };
}

export function parseImport(format: 'csv' | 'json', content: string): ImportedMessage[] {
  let records: Record<string, unknown>[];
  if (format === 'json') {
    let parsed: unknown;
    try {
      parsed = JSON.parse(content);
    } catch {
      throw new AppError('validation_failed', 'The JSON export is not valid JSON.', { hints: { field: 'content' } });
    }
    const list = Array.isArray(parsed) ? parsed : (parsed as { messages?: unknown })?.messages;
    if (!Array.isArray(list)) {
      throw new AppError('validation_failed', 'The JSON export must be an array of messages (or {"messages": [...]}).', {
        hints: { field: 'content' },
      });
    }
    records = list.map((item) => (typeof item === 'object' && item !== null ? (item as Record<string, unknown>) : {}));
  } else {
    const rows = parseCsv(content);
    const header = rows.shift();
    if (!header) throw new AppError('validation_failed', 'The CSV export is empty.', { hints: { field: 'content' } });
    records = rows.map((cells) => Object.fromEntries(header.map((name, i) => [name, cells[i] ?? ''])));
    if (records.length > 0 && pick(records[0] as Record<string, unknown>, 'body') === undefined) {
      throw new AppError('validation_failed', `The CSV header needs a sender and a body column (got: ${header.join(', ')}).`, {
        hints: { field: 'content' },
      });
    }
  }
  if (records.length > MAX_IMPORT_ROWS) {
    throw new AppError('validation_failed', `An import holds at most ${MAX_IMPORT_ROWS} messages.`, { hints: { field: 'content' } });
  }
  return records.map(fromRecord);
}
