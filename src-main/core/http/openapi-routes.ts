import { Router } from 'express';

/** `GET /api/openapi.json`: the public API's OpenAPI 3.1 document. */
export function openApiRoutes(): Router {
  return Router();
}
