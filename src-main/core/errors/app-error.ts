import { ERROR_TABLE, isErrorCode, type ErrorBody, type ErrorCode } from '../../../src-shared/contract/errors';

export interface AppErrorOptions {
  cause?: unknown;
  /** Text safe for a customer; defaults to the code's neutral text. */
  publicMessage?: string;
  /** Programmatic hints that travel in the body beside the three fields (e.g. existing_session_id). */
  hints?: Record<string, unknown>;
}

/** The one error type the core throws on purpose. `message` is the operator-facing text. */
export class AppError extends Error {
  readonly code: ErrorCode;
  readonly publicMessage: string;
  readonly hints: Record<string, unknown>;

  constructor(code: ErrorCode, message?: string, options: AppErrorOptions = {}) {
    super(message ?? ERROR_TABLE[code].merchant, { cause: options.cause });
    this.name = 'AppError';
    this.code = code;
    this.publicMessage = options.publicMessage ?? ERROR_TABLE[code].error;
    this.hints = options.hints ?? {};
  }

  get status(): number {
    return ERROR_TABLE[this.code].status;
  }

  toBody(): ErrorBody {
    return { ...this.hints, error: this.publicMessage, merchant_message: this.message, code: this.code };
  }
}

/** Anything thrown that is not an AppError becomes `internal`: its details go to the log only. */
export function toAppError(err: unknown): AppError {
  if (err instanceof AppError) return err;
  return new AppError('internal', undefined, { cause: err });
}

export function errorBody(code: ErrorCode, merchantMessage?: string): ErrorBody {
  if (!isErrorCode(code)) return new AppError('internal').toBody();
  return new AppError(code, merchantMessage).toBody();
}
