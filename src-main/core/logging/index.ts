export { createLogger, silentLogger, type Logger, type LoggerHandle, type LoggerOptions } from './logger';
