import type { ErrorRequestHandler, RequestHandler } from 'express';
import { CloudError } from '../errors';
import { describeError, type Log } from '../log';

/** What express.json raises before a route runs, mapped to the stable codes the counter uses. */
function fromBodyParser(err: unknown): CloudError | null {
  if (typeof err !== 'object' || err === null) return null;
  const { type, status, expose } = err as { type?: string; status?: number; expose?: boolean };
  if (type === 'entity.parse.failed') return new CloudError('malformed_json', 'The request body is not valid JSON.');
  if (type === 'entity.too.large') return new CloudError('payload_too_large');
  if (type === 'encoding.unsupported' || type === 'charset.unsupported')
    return new CloudError('unsupported_media_type', 'Send the body as UTF-8 JSON.');
  if (expose === true && typeof status === 'number' && status >= 400 && status < 500) {
    return new CloudError('bad_request', 'The request body could not be read.');
  }
  return null;
}

export function notFound(): RequestHandler {
  return (req, _res, next) => next(new CloudError('not_found', `No route ${req.method} ${req.path} on the cloud.`));
}

/** Every failure leaves as `{error, merchant_message, code}`; stacks go to the log, never to the client. */
export function errorHandler(log: Log): ErrorRequestHandler {
  return (err, req, res, _next) => {
    let known =
      err instanceof CloudError
        ? err
        : (fromBodyParser(err) ?? (err instanceof URIError ? new CloudError('bad_request', 'The path is not valid URL encoding.') : null));
    if (!known) {
      log('error', 'request failed', { method: req.method, path: req.path, ...describeError(err) });
      known = new CloudError('internal');
    }
    if (res.headersSent) {
      res.end();
      return;
    }
    res.status(known.status).json(known.toBody());
  };
}
