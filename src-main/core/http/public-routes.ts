import { Router } from 'express';
import { PROVIDERS } from '../../../src-shared/providers';
import type { ProvidersResponse } from '../../../src-shared/contract/api';
import { checkoutRoutes } from './checkout-routes';
import { checkoutPageRoutes } from './checkout-page';
import { merchantRoutes } from './merchant-routes';
import { openApiRoutes } from './openapi-routes';
import type { PaymentsContext } from './payments-context';

/** The tunnel's target: what merchant sites and customers may reach. */
export function publicRoutes(ctx: PaymentsContext): Router {
  const router = Router();
  router.get('/api/providers', (_req, res) => {
    const body: ProvidersResponse = { providers: PROVIDERS.map((p) => ({ ...p })) };
    res.json(body);
  });
  merchantRoutes(ctx, router);
  router.use(checkoutRoutes(ctx));
  router.use(checkoutPageRoutes(ctx));
  router.use(openApiRoutes());
  return router;
}
