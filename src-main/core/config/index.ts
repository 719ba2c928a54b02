export { configSchema, type Config } from './schema';
export { loadConfig, mergeLayers, CONFIG_FILE_NAME, type ConfigFlags } from './load-config';
export { defaultDataDir } from './default-data-dir';
