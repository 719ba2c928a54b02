import type { Response } from 'express';

/**
 * What `res.status(status).json(body)` sends (the same status, body bytes and headers, HEAD
 * answered without a body by Node), without express's per-call work: app settings looked up,
 * the Content-Type re-parsed for its charset, a MIME lookup, a freshness check for an ETag the
 * listeners never set. For the routes merchants poll; everything else keeps res.json.
 */
export function sendJson(res: Response, body: unknown, status = 200): void {
  const text = JSON.stringify(body);
  res.statusCode = status;
  res.setHeader('Content-Type', 'application/json; charset=utf-8');
  res.setHeader('Content-Length', Buffer.byteLength(text));
  res.end(text);
}
