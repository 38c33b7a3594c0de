// The API's security records (AuthStore) kept in the embedded store.
import type { AuditRecord, AuthStore, Role, SessionRecord, TokenRecord, UserRecord } from './auth-store.js';
import { ROLES } from './auth-store.js';
import type { Store } from '../store/store.js';

const asRole = (r: string): Role => ((ROLES as readonly string[]).includes(r) ? (r as Role) : 'viewer');

export class StoreAuth implements AuthStore {
  constructor(private readonly store: Store) {}

  countUsers(): number {
    return this.store.countUsers();
  }

  createUser(user: Omit<UserRecord, 'id'>): UserRecord {
    const id = this.store.createUser(user);
    return { ...user, id };
  }

  getUser(id: number): UserRecord | undefined {
    const u = this.store.getUser(id);
    return u === null || u.disabled ? undefined : { id: u.id, name: u.name, role: asRole(u.role), password_hash: u.password_hash, created: u.created };
  }

  getUserByName(name: string): UserRecord | undefined {
    const u = this.store.getUserByName(name);
    return u === null || u.disabled ? undefined : { id: u.id, name: u.name, role: asRole(u.role), password_hash: u.password_hash, created: u.created };
  }

  putSession(s: SessionRecord): void {
    this.store.putSession({ id: s.digest, user_id: s.user_id, created: s.created, expires: s.expires });
  }

  getSession(digest: string): SessionRecord | undefined {
    const s = this.store.getSession(digest);
    return s === null ? undefined : { digest: s.id, user_id: s.user_id, created: s.created, expires: s.expires };
  }

  deleteSession(digest: string): void {
    this.store.deleteSession(digest);
  }

  putToken(t: TokenRecord): void {
    this.store.putApiToken({ id: t.digest, user_id: t.user_id, name: t.name, created: t.created, expires: null });
  }

  getToken(digest: string): TokenRecord | undefined {
    const t = this.store.getApiToken(digest);
    return t === null || (t.expires !== null && t.expires <= Date.now() / 1000) ? undefined : { digest: t.id, user_id: t.user_id, name: t.name, created: t.created };
  }

  appendAudit(a: AuditRecord): void {
    this.store.appendAudit({ ts: a.ts, user: a.actor, action: a.action, target: a.target, detail: a.detail ?? null });
  }

  listAudit(limit: number): AuditRecord[] {
    return this.store.listAudit({ limit }).items.map((a) => ({ ts: a.ts, actor: a.user ?? 'lantern', action: a.action, target: a.target ?? '', ...(a.detail ? { detail: a.detail } : {}) }));
  }
}
