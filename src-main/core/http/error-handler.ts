import type { ErrorRequestHandler, RequestHandler } from 'express';
import type { Logger } from '../logging';
import { AppError, toAppError } from '../errors';

interface BodyParserError {
  type?: string;
  status?: number;
}

/** Failures raised by express.json before our code runs, mapped to stable codes. */
function fromBodyParser(err: unknown): AppError | null {
  if (typeof err !== 'object' || err === null) return null;
  const type = (err as BodyParserError).type;
  if (type === 'entity.parse.failed') return new AppError('malformed_json', 'The request body is not valid JSON.');
  if (type === 'entity.too.large') return new AppError('payload_too_large');
  if (type === 'encoding.unsupported' || type === 'charset.unsupported') {
    return new AppError('unsupported_media_type', 'Send the body as UTF-8 JSON.');
  }
  if (type === 'request.aborted' || type === 'request.size.invalid' || type === 'stream.encoding.set') {
    return new AppError('bad_request', 'The request body could not be read.');
  }
  // Any other client error the body reader raises (a body that claims gzip but is not, say).
  const { status, expose } = err as BodyParserError & { expose?: boolean };
  if (expose === true && typeof status === 'number' && status >= 400 && status < 500) {
    return new AppError('bad_request', 'The request body could not be read.');
  }
  return null;
}

/** Express throws URIError for a path whose %-escapes do not decode: the client's mistake, not ours. */
function fromRouting(err: unknown): AppError | null {
  if (err instanceof URIError) return new AppError('bad_request', 'The request path is not valid URL encoding.');
  return null;
}

export function notFoundHandler(): RequestHandler {
  return (req, _res, next) => {
    next(new AppError('not_found', `No route ${req.method} ${req.path} on this listener`));
  };
}

/** Every failure leaves in the documented shape; stacks go to the log, never to the client. */
export function errorHandler(logger: Logger): ErrorRequestHandler {
  return (err, req, res, _next) => {
    const appError = fromBodyParser(err) ?? fromRouting(err) ?? toAppError(err);
    if (appError.code === 'internal') {
      logger.error({ err: appError.cause ?? err, method: req.method, path: req.path }, 'request failed');
    } else {
      logger.debug({ code: appError.code, method: req.method, path: req.path }, appError.message);
    }
    if (res.headersSent) {
      res.end();
      return;
    }
    res.status(appError.status).json(appError.toBody());
  };
}
