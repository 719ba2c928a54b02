import { ERROR_TABLE, type ErrorBody, type ErrorCode } from '../src-shared/contract/errors';

/**
 * A failure the cloud answers on purpose: a stable code from the shared ERROR_TABLE, an operator
 * message, and hints that ride along in the body (`field`, `waiting_for`). Anything else thrown
 * becomes `internal`, and its stack goes to the log only.
 */
export class CloudError extends Error {
  readonly code: ErrorCode;
  readonly hints: Record<string, unknown>;

  constructor(code: ErrorCode, merchantMessage?: string, hints: Record<string, unknown> = {}) {
    super(merchantMessage ?? ERROR_TABLE[code].merchant);
    this.name = 'CloudError';
    this.code = code;
    this.hints = hints;
  }

  get status(): number {
    return ERROR_TABLE[this.code].status;
  }

  /** The documented wire shape: `{error, merchant_message, code, ...hints}`. */
  toBody(): ErrorBody {
    return { ...this.hints, error: ERROR_TABLE[this.code].error, merchant_message: this.message, code: this.code };
  }
}
