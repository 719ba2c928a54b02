import { Router } from 'express';
import type { PaymentsContext } from '../payments-context';

/** The hosted checkout page `/pay/:session_id` (server-rendered; see render-checkout.ts). */
export function checkoutPageRoutes(_ctx: PaymentsContext): Router {
  return Router();
}
