import { randomString } from '../secrets';

/** 20 base62 characters (~119 bits): unguessable, so a checkout URL is its own capability. */
export function newSessionId(): string {
  return randomString(20);
}
