/** The engine's public face for the shells. Nothing here may import electron. */
export { createCore, type Core, type CoreDeps } from './create-core';
export { loadConfig, type Config, type ConfigFlags } from './config';
export { createLogger, type Logger } from './logging';
export { AppError } from './errors';
