export {
  Maintenance,
  PURGE_BATCH_ROWS,
  type MaintenanceDeps,
  type MaintenanceState,
  type OptimizeReport,
  type Prunable,
  type PurgeReport,
} from './maintenance';
