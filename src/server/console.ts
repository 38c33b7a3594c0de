// Serves the web console (the Vite build in web/dist) from the API's process: hashed files (static/) cached for good, every
// other GET outside /api answered with index.html so the console's routes survive a reload. Security headers on all.
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import type { FastifyInstance, FastifyReply } from 'fastify';
import fastifyStatic from '@fastify/static';

/** The console loads only its own scripts and styles, talks only to its origin, and is never framed. */
const CSP = "default-src 'self'; img-src 'self' data:; style-src 'self'; connect-src 'self'; frame-ancestors 'none'; base-uri 'none'; form-action 'self'; object-src 'none'";

/** Registers the console; returns what answers a GET for a console route (index.html), or null when not built. */
export async function registerConsole(app: FastifyInstance, webRoot: string | null): Promise<((reply: FastifyReply) => FastifyReply) | null> {
  app.addHook('onSend', async (_req, reply) => {
    reply.header('x-content-type-options', 'nosniff');
    reply.header('referrer-policy', 'no-referrer');
    reply.header('x-frame-options', 'DENY');
    if (String(reply.getHeader('content-type') ?? '').startsWith('text/html')) reply.header('content-security-policy', CSP);
  });
  if (webRoot === null || !existsSync(join(webRoot, 'index.html'))) {
    app.get('/', { schema: { hide: true } }, async (_req, reply) =>
      reply.type('text/plain; charset=utf-8').send('The web console is not built: run `npm run build:web` (npm install does it), then restart. The API is at /api.\n'),
    );
    return null;
  }
  const assets = join(webRoot, 'static');
  await app.register(fastifyStatic, {
    root: webRoot,
    wildcard: false,
    index: false,
    setHeaders: (reply, path) => reply.header('cache-control', path.startsWith(assets) ? 'public, max-age=31536000, immutable' : 'no-cache'),
  });
  const index = (reply: FastifyReply) => reply.header('cache-control', 'no-cache').sendFile('index.html');
  app.get('/', { schema: { hide: true } }, async (_req, reply) => index(reply));
  return index;
}

/** Files the build writes (web/dist/static): a miss among them is a 404, not the console. */
const STATIC_FILE = /\.(js|mjs|css|map|html|png|svg|ico|txt|json|woff2?)$/;

/** A console route: a GET outside /api that does not ask for a built file (asset ids contain dots: ip:10.0.0.5). */
export function isConsoleRoute(method: string, url: string): boolean {
  const path = url.split('?')[0];
  return method === 'GET' && !path.startsWith('/api/') && !path.startsWith('/static/') && !STATIC_FILE.test(path);
}
