// Users and API tokens in the settings: admins list users and change their role or disable them (which ends their
// sessions); everyone lists and revokes their own tokens (admins anyone's). Tokens are named by the SHA-256 of their
// secret, which says nothing of the secret itself.
import type { FastifyInstance } from 'fastify';
import { ApiError } from './errors.js';
import { ROLES, roleAtLeast } from './auth-store.js';
import type { Store } from '../store/store.js';
import { ERROR_RESPONSES, type AuditFn } from './routes-data.js';

const USER = { type: 'object', required: ['name', 'role', 'created', 'disabled'], properties: { name: { type: 'string' }, role: { type: 'string' }, created: { type: 'number' }, disabled: { type: 'boolean' } } } as const;
const TOKEN = { type: 'object', required: ['id', 'name', 'user', 'created'], properties: { id: { type: 'string' }, name: { type: 'string' }, user: { type: 'string' }, created: { type: 'number' } } } as const;
const errors = ERROR_RESPONSES;

export function registerUserRoutes(app: FastifyInstance, store: Store, audit: AuditFn): void {
  app.get('/api/users', { config: { role: 'admin' }, schema: { summary: 'Users (admin)', response: { 200: { type: 'array', items: USER }, ...errors } } }, async () =>
    store.listUsers().map((u) => ({ name: u.name, role: u.role, created: u.created, disabled: u.disabled })),
  );

  app.patch(
    '/api/users/:name',
    {
      config: { role: 'admin' },
      schema: {
        summary: "Change a user's role, or disable or enable the account (admin)",
        params: { type: 'object', properties: { name: { type: 'string', maxLength: 64 } } },
        body: { type: 'object', additionalProperties: false, minProperties: 1, properties: { role: { type: 'string', enum: ROLES }, disabled: { type: 'boolean' } } },
        response: { 200: USER, ...errors },
      },
    },
    async (req) => {
      const name = (req.params as { name: string }).name;
      const patch = req.body as { role?: string; disabled?: boolean };
      const user = store.getUserByName(name);
      if (user === null) throw new ApiError('not_found', 'no such user');
      if (user.id === req.caller!.user.id) throw new ApiError('conflict', 'an admin cannot change or disable their own account');
      store.updateUser(user.id, patch);
      audit(req, 'user.update', name, { ...patch });
      const after = store.getUserByName(name)!;
      return { name: after.name, role: after.role, created: after.created, disabled: after.disabled };
    },
  );

  app.get('/api/tokens', { config: { role: 'viewer' }, schema: { summary: "The caller's API tokens (an admin's: everyone's)", response: { 200: { type: 'array', items: TOKEN }, ...errors } } }, async (req) => {
    const caller = req.caller!.user;
    const names = new Map(store.listUsers().map((u) => [u.id, u.name]));
    const tokens = roleAtLeast(caller.role, 'admin') ? store.listApiTokens() : store.listApiTokens(caller.id);
    return tokens.map((t) => ({ id: t.id, name: t.name, user: names.get(t.user_id) ?? '?', created: t.created }));
  });

  app.delete(
    '/api/tokens/:id',
    { config: { role: 'viewer' }, schema: { summary: 'Revoke an API token (its owner or an admin)', params: { type: 'object', properties: { id: { type: 'string', maxLength: 128 } } }, response: { 204: { type: 'null' }, ...errors } } },
    async (req, reply) => {
      const id = (req.params as { id: string }).id;
      const caller = req.caller!.user;
      const token = store.getApiToken(id);
      if (token === null || (token.user_id !== caller.id && !roleAtLeast(caller.role, 'admin'))) throw new ApiError('not_found', 'no such token');
      store.deleteApiToken(id);
      audit(req, 'token.revoke', token.name);
      return reply.code(204).send();
    },
  );
}
