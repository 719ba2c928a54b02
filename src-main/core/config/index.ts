export { configSchema, DEVICE_SMS_JSON_LIMIT_BYTES, type Config } from './schema';
export { loadConfig, mergeLayers, CONFIG_FILE_NAME, type ConfigFlags } from './load-config';
export { defaultDataDir } from './default-data-dir';
