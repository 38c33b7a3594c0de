// The conformance suite every protocol module must pass, whatever its protocol: probes are total and pure, sessions
// never throw on arbitrary or mutated bytes, raise only the anomaly codes they declare, always finish, and give the
// same events whether a stream arrives whole or cut into random pieces (the TCP reassembler may cut anywhere).
import { prng } from '../common/prng.js';
import type { Direction, FlowInfo, ProtocolEvent, ProtocolModule, Transport } from './protocol.js';

export interface ConversationChunk {
  readonly dir: Direction;
  readonly data: Uint8Array;
}

/** What one flow delivered to a session: ordered chunks of both directions. */
export interface Conversation {
  readonly transport: Transport;
  readonly chunks: readonly ConversationChunk[];
}

export interface SessionRun {
  events: string[];
  anomalies: string[];
  /** What escaped the session, if anything (a conformance failure). */
  thrown: string | null;
  ms: number;
}

const FLOW: FlowInfo = {
  id: 1,
  transport: 'tcp',
  client: { ip: '192.0.2.1', port: 49152 },
  server: { ip: '192.0.2.2', port: 1 },
  vlan: [0, 0],
  roleSource: 'handshake',
};

/**
 * Runs a conversation through a new session. With `rand`, each TCP chunk is cut into random pieces (1 byte upwards)
 * and consecutive chunks of one direction may be joined, as reassembly may deliver them; UDP datagrams stay whole.
 */
export function runConversation(module: ProtocolModule, conv: Conversation, rand?: () => number): SessionRun {
  const events: string[] = [];
  const anomalies: string[] = [];
  const started = performance.now();
  let thrown: string | null = null;
  try {
    const session = module.createSession({
      flow: { ...FLOW, transport: conv.transport },
      anomaly: (code) => anomalies.push(code),
      emit: (event: ProtocolEvent) => events.push(JSON.stringify(event, bigintSafe)),
    });
    for (const piece of pieces(conv, rand)) session.onData(piece.dir, piece.data, 1);
    session.onEnd(2);
  } catch (err) {
    thrown = err instanceof Error ? (err.stack ?? err.message) : String(err);
  }
  return { events, anomalies, thrown, ms: performance.now() - started };
}

function* pieces(conv: Conversation, rand?: () => number): Generator<ConversationChunk> {
  if (!rand || conv.transport === 'udp') {
    yield* conv.chunks;
    return;
  }
  // Join runs of one direction, then cut them anew at random points.
  let i = 0;
  while (i < conv.chunks.length) {
    const dir = conv.chunks[i].dir;
    const run: Uint8Array[] = [];
    while (i < conv.chunks.length && conv.chunks[i].dir === dir) run.push(conv.chunks[i++].data);
    const joined = concat(run);
    for (let off = 0; off < joined.length; ) {
      const n = 1 + Math.floor(rand() * Math.min(joined.length - off, rand() < 0.3 ? 4 : 600));
      yield { dir, data: joined.slice(off, off + n) };
      off += n;
    }
  }
}

export interface ConformanceOptions {
  seed?: number;
  /** Random conversations added to the given ones. */
  randomConversations?: number;
  /** Mutated copies made of each given conversation. */
  mutationsPerConversation?: number;
  /** A run slower than this counts as a hang. */
  maxMsPerRun?: number;
}

/** Checks a module against the contract; returns the problems found (empty when it conforms). */
export function checkConformance(module: ProtocolModule, seeds: readonly Conversation[], options: ConformanceOptions = {}): string[] {
  const rand = prng(options.seed ?? 0x5eed);
  const problems: string[] = [];
  const declared = new Set(module.anomalies.map((d) => d.code));
  const maxMs = options.maxMsPerRun ?? 2000;
  const note = (p: string) => {
    if (problems.length < 50) problems.push(`${module.id}: ${p}`);
  };

  // Probes: total and pure over random bytes and over the first bytes of every seed.
  const probeInputs: Uint8Array[] = [];
  for (let i = 0; i < 300; i++) probeInputs.push(randomBytes(rand, Math.floor(rand() * 300)));
  for (const c of seeds) for (const chunk of c.chunks.slice(0, 4)) probeInputs.push(chunk.data);
  for (const transport of module.transports) {
    for (const data of probeInputs) {
      for (const dir of [0, 1] as const) {
        let first: string;
        let second: string;
        try {
          first = module.probe(data, dir, transport);
          second = module.probe(data, dir, transport);
        } catch (err) {
          note(`probe threw on ${data.length} bytes: ${String(err)}`);
          continue;
        }
        if (first !== 'match' && first !== 'no_match' && first !== 'need_more') note(`probe returned ${String(first)}`);
        if (first !== second) note('probe is not pure: two answers for the same bytes');
      }
    }
  }

  const conversations: Conversation[] = [...seeds];
  for (const seed of seeds) for (let m = 0; m < (options.mutationsPerConversation ?? 8); m++) conversations.push(mutate(seed, rand));
  for (let i = 0; i < (options.randomConversations ?? 50); i++) {
    const transport = module.transports[i % module.transports.length];
    const chunks: ConversationChunk[] = [];
    const n = 1 + Math.floor(rand() * 6);
    for (let k = 0; k < n; k++) chunks.push({ dir: (k & 1) as Direction, data: randomBytes(rand, Math.floor(rand() * 400)) });
    conversations.push({ transport, chunks });
  }

  for (const [index, conv] of conversations.entries()) {
    const whole = runConversation(module, conv);
    const split = runConversation(module, conv, rand);
    const what = index < seeds.length ? `seed ${index}` : `conversation ${index}`;
    for (const run of [whole, split]) {
      if (run.thrown !== null) note(`${what}: session threw: ${run.thrown.split('\n')[0]}`);
      if (run.ms > maxMs) note(`${what}: took ${Math.round(run.ms)} ms (hang?)`);
      for (const code of run.anomalies) if (!declared.has(code)) note(`${what}: undeclared anomaly code ${code}`);
    }
    if (whole.thrown === null && split.thrown === null && JSON.stringify(whole.events) !== JSON.stringify(split.events)) {
      note(`${what}: events differ when the stream is split (${whole.events.length} whole, ${split.events.length} split)`);
    }
  }
  return problems;
}

function mutate(conv: Conversation, rand: () => number): Conversation {
  const chunks = conv.chunks.map((c) => ({ dir: c.dir, data: c.data.slice() }));
  if (chunks.length === 0) return conv;
  const target = chunks[Math.floor(rand() * chunks.length)];
  const d = target.data;
  switch (Math.floor(rand() * 4)) {
    case 0: // flip bytes
      for (let k = 0; k < 1 + Math.floor(rand() * 4) && d.length > 0; k++) d[Math.floor(rand() * d.length)] ^= 1 + Math.floor(rand() * 255);
      break;
    case 1: // a length-like byte made huge or zero
      if (d.length > 0) d[Math.floor(rand() * Math.min(d.length, 16))] = rand() < 0.5 ? 0xff : 0;
      break;
    case 2: // truncate
      chunks[chunks.indexOf(target)] = { dir: target.dir, data: d.slice(0, Math.floor(rand() * d.length)) };
      break;
    default: // drop or duplicate a chunk
      if (rand() < 0.5) chunks.splice(Math.floor(rand() * chunks.length), 1);
      else chunks.splice(Math.floor(rand() * chunks.length), 0, target);
  }
  return { transport: conv.transport, chunks };
}

function randomBytes(rand: () => number, n: number): Uint8Array {
  const b = new Uint8Array(n);
  for (let i = 0; i < n; i++) b[i] = Math.floor(rand() * 256);
  return b;
}

function concat(parts: Uint8Array[]): Uint8Array {
  if (parts.length === 1) return parts[0];
  const out = new Uint8Array(parts.reduce((s, p) => s + p.length, 0));
  let off = 0;
  for (const p of parts) {
    out.set(p, off);
    off += p.length;
  }
  return out;
}

function bigintSafe(_key: string, value: unknown): unknown {
  if (typeof value === 'bigint') return value.toString();
  if (value instanceof Uint8Array) return Array.from(value);
  return value;
}
