import { Router } from 'express';

/** The shop LAN: the forwarder APK and forwarder apps. Their endpoints arrive with the devices work. */
export function deviceRoutes(): Router {
  return Router();
}
