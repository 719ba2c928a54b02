export { AppError, toAppError, errorBody, type AppErrorOptions } from './app-error';
export { parseOrThrow } from './parse-input';
