export { writeFileAtomic } from './write-file-atomic';
export {
  DATA_DIR_PRIVATE_FILES,
  LOG_DIR_NAME,
  PRIVATE_DIR_MODE,
  PRIVATE_FILE_MODE,
  ensurePrivateDir,
  ensurePrivateFile,
  securePrivateDataDir,
  tightenFilesIn,
  tightenMode,
} from './private-files';
