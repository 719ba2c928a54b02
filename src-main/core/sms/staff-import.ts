import type { SmsImportResult } from '../../../src-shared/contract/admin';
import { AppError } from '../errors';
import { parseImport, type ImportedMessage } from './import-formats';
import type { SmsIngestor } from './ingest-sms';

/**
 * Staff paste or import: the same ingestion path as every other source, with source
 * `manual`, so a pasted SMS is marked as such everywhere it shows.
 */
export function importStaffSms(ingestor: SmsIngestor, arg: unknown, staffOrigin: string): SmsImportResult {
  if (typeof arg !== 'object' || arg === null) throw new AppError('validation_failed', 'Give {sender, body} or {format, content}.');
  const input = arg as Record<string, unknown>;
  let messages: ImportedMessage[];
  if ('format' in input || 'content' in input) {
    if (input.format !== 'csv' && input.format !== 'json') {
      throw new AppError('validation_failed', 'format must be "csv" or "json"', { hints: { field: 'format' } });
    }
    if (typeof input.content !== 'string' || input.content.length === 0) {
      throw new AppError('validation_failed', 'content must hold the export text', { hints: { field: 'content' } });
    }
    messages = parseImport(input.format, input.content);
  } else {
    messages = [{ sender: input.sender, body: input.body, received_at: input.received_at }];
  }
  const outcomes = ingestor.ingestBatch(messages, { source: 'manual', origin: staffOrigin, isTest: false });
  const results: SmsImportResult['results'] = outcomes.map((o, index) =>
    o.ok ? { index, ok: true as const, ...o.result } : { index, ok: false as const, code: o.error.code, message: o.error.message },
  );
  return {
    results,
    stored: results.filter((r) => r.ok && r.is_new).length,
    duplicates: results.filter((r) => r.ok && !r.is_new).length,
    rejected: results.filter((r) => !r.ok).length,
  };
}
