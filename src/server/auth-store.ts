// What the API's security needs from the store: users, sessions, API tokens and the audit log. The embedded store
// implements it; `MemoryAuthStore` serves tests and stays the reference of the expected behaviour.

export const ROLES = ['viewer', 'analyst', 'admin'] as const;
export type Role = (typeof ROLES)[number];

/** True when `role` may do what `needed` may. */
export function roleAtLeast(role: Role, needed: Role): boolean {
  return ROLES.indexOf(role) >= ROLES.indexOf(needed);
}

export interface UserRecord {
  id: number;
  name: string;
  role: Role;
  password_hash: string;
  created: number;
}

export interface SessionRecord {
  /** SHA-256 of the session secret (the cookie holds the secret). */
  digest: string;
  user_id: number;
  created: number;
  expires: number;
}

export interface TokenRecord {
  digest: string;
  user_id: number;
  name: string;
  created: number;
}

export interface AuditRecord {
  ts: number;
  actor: string;
  action: string;
  target: string;
  detail?: Record<string, unknown>;
}

export interface AuthStore {
  countUsers(): number;
  createUser(user: Omit<UserRecord, 'id'>): UserRecord;
  getUser(id: number): UserRecord | undefined;
  getUserByName(name: string): UserRecord | undefined;
  putSession(session: SessionRecord): void;
  getSession(digest: string): SessionRecord | undefined;
  deleteSession(digest: string): void;
  putToken(token: TokenRecord): void;
  getToken(digest: string): TokenRecord | undefined;
  appendAudit(record: AuditRecord): void;
  listAudit(limit: number): AuditRecord[];
}

export class MemoryAuthStore implements AuthStore {
  private readonly users: UserRecord[] = [];
  private readonly sessions = new Map<string, SessionRecord>();
  private readonly tokens = new Map<string, TokenRecord>();
  private readonly audit: AuditRecord[] = [];

  countUsers(): number {
    return this.users.length;
  }

  createUser(user: Omit<UserRecord, 'id'>): UserRecord {
    if (this.getUserByName(user.name) !== undefined) throw new Error(`user ${user.name} exists`);
    const u = { ...user, id: this.users.length + 1 };
    this.users.push(u);
    return u;
  }

  getUser(id: number): UserRecord | undefined {
    return this.users.find((u) => u.id === id);
  }

  getUserByName(name: string): UserRecord | undefined {
    return this.users.find((u) => u.name === name);
  }

  putSession(session: SessionRecord): void {
    this.sessions.set(session.digest, session);
  }

  getSession(digest: string): SessionRecord | undefined {
    return this.sessions.get(digest);
  }

  deleteSession(digest: string): void {
    this.sessions.delete(digest);
  }

  putToken(token: TokenRecord): void {
    this.tokens.set(token.digest, token);
  }

  getToken(digest: string): TokenRecord | undefined {
    return this.tokens.get(digest);
  }

  appendAudit(record: AuditRecord): void {
    this.audit.push(record);
  }

  listAudit(limit: number): AuditRecord[] {
    return this.audit.slice(-limit).reverse();
  }
}
