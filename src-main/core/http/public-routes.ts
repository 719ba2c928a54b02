import { Router } from 'express';
import { PROVIDERS } from '../../../src-shared/providers';
import type { ProvidersResponse } from '../../../src-shared/contract/api';

/** The tunnel's target: what merchant sites and customers may reach. */
export function publicRoutes(): Router {
  const router = Router();
  router.get('/api/providers', (_req, res) => {
    const body: ProvidersResponse = { providers: PROVIDERS.map((p) => ({ ...p })) };
    res.json(body);
  });
  return router;
}
