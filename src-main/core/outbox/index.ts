export { enqueueSessionChange, enqueueTransactionReversed, type ReversalReport } from './enqueue';
