import type { RequestHandler } from 'express';
import type { Db } from '../db';
import { AppError } from '../errors';
import { authenticateKey } from '../shop';

/**
 * Staff token check for the admin API. The token comes as a Bearer header; EventSource
 * cannot set headers, so the event stream alone also accepts it as `?token=`.
 */
export function requireStaff(db: Db): RequestHandler {
  return (req, _res, next) => {
    const header = req.headers.authorization;
    let presented: string | undefined;
    if (typeof header === 'string' && header.startsWith('Bearer ')) presented = header.slice(7).trim();
    else if (req.baseUrl + req.path === '/api/admin/events' && typeof req.query.token === 'string') {
      presented = req.query.token;
    }
    if (!authenticateKey(db, presented, ['admin_token'])) {
      return next(new AppError('unauthorized', 'Missing or invalid staff token (Authorization: Bearer <admin_token>).'));
    }
    next();
  };
}
