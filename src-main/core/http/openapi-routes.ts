import { Router } from 'express';
import { openApiJson } from './openapi/build-document';

/** `GET /api/openapi.json`: the public API's OpenAPI 3.1 document (built once, then served from memory). */
export function openApiRoutes(): Router {
  const router = Router();
  router.get('/api/openapi.json', (_req, res) => {
    res.type('application/json').send(openApiJson());
  });
  return router;
}
