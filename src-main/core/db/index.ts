export {
  openDatabase,
  closeDatabase,
  writeTransaction,
  verifyPragmas,
  databasePath,
  DatabaseFromFutureError,
  DATABASE_FILE_NAME,
  REQUIRED_PRAGMAS,
  type Db,
} from './open-database';
export { migrate, readUserVersion, latestVersion } from './migrate';
export { MIGRATIONS, type Migration } from './migrations';
