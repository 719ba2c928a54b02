import type { RequestHandler, Response } from 'express';
import type { Db } from '../db';
import { AppError } from '../errors';
import { authenticateKey } from '../shop';

const STAFF_TOKEN = 'staffToken';

/**
 * Staff token check for the admin API. The token comes as a Bearer header; EventSource
 * cannot set headers, so the event stream alone also accepts it as `?token=`.
 * The accepted token stays on `res.locals` so a long-lived response (the event stream)
 * can check it again later: see staffTokenStillValid.
 */
export function requireStaff(db: Db): RequestHandler {
  return (req, res, next) => {
    const header = req.headers.authorization;
    let presented: string | undefined;
    if (typeof header === 'string' && header.startsWith('Bearer ')) presented = header.slice(7).trim();
    else if (req.baseUrl + req.path === '/api/admin/events' && typeof req.query.token === 'string') {
      presented = req.query.token;
    }
    if (!authenticateKey(db, presented, ['admin_token'])) {
      return next(new AppError('unauthorized', 'Missing or invalid staff token (Authorization: Bearer <admin_token>).'));
    }
    (res.locals as Record<string, unknown>)[STAFF_TOKEN] = presented;
    next();
  };
}

/**
 * Whether the token this response was authorised with is still an active admin_token.
 * Reads the database, so a rotation by another process (the CLI) counts at once.
 * False when the database is closed or unreadable: a stream never outlives its doubt.
 */
export function staffTokenStillValid(db: Db, res: Response): boolean {
  const token = (res.locals as Record<string, unknown>)[STAFF_TOKEN];
  if (!db.open) return false;
  try {
    return authenticateKey(db, token, ['admin_token']) !== null;
  } catch {
    return false;
  }
}
