// For the server's tests: log in through the API and get the headers a console request carries (the session cookie
// and the CSRF token).
import type { FastifyInstance } from 'fastify';
import { CSRF_HEADER, SESSION_COOKIE } from './app.js';

export async function login(app: FastifyInstance, username: string, password: string): Promise<Record<string, string>> {
  const r = await app.inject({ method: 'POST', url: '/api/auth/login', payload: { username, password } });
  const c = r.cookies.find((x) => x.name === SESSION_COOKIE);
  if (c === undefined) throw new Error(`login of ${username} failed: ${r.statusCode} ${r.body}`);
  return { cookie: `${SESSION_COOKIE}=${c.value}`, [CSRF_HEADER]: (r.json() as { csrf_token: string }).csrf_token };
}
