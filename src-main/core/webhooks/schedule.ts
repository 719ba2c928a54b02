import { RETRY_DELAYS_SECONDS } from '../../../src-shared/contract/webhooks';

/** Up to a tenth either way, so receivers that failed together are not retried in lockstep. */
const JITTER = 0.1;

/**
 * The wait after the `failedInRound`-th failed attempt since the schedule (re)started, or null
 * when the schedule is used up and the delivery is dead. `random` is in [0, 1).
 */
export function retryDelayMs(failedInRound: number, random: number): number | null {
  const base = RETRY_DELAYS_SECONDS[failedInRound - 1];
  if (base === undefined) return null;
  return Math.round(base * 1000 * (1 - JITTER + 2 * JITTER * random));
}
