export { AppError, toAppError, errorBody, type AppErrorOptions } from './app-error';
