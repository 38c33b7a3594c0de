// Per-protocol parser throughput: the real conversations each module claims in the corpus, replayed through fresh
// sessions until about a second has passed; transactions per second and MB/s of session input, per protocol.
// `node dist/bench/protocols.js [--json]` (npm run bench runs it).
import { resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { CORPUS_PRESENT, readManifest } from '../src/common/corpus.js';
import { harvestConversations } from '../src/pipeline/harvest.js';
import type { Conversation } from '../src/protocols/conformance.js';
import type { FlowInfo, ProtocolModule } from '../src/protocols/protocol.js';
import { defaultRegistry } from '../src/protocols/registry.js';

export interface ProtocolBenchResult {
  protocol: string;
  conversations: number;
  bytes: number;
  transactions_per_s: number;
  mb_per_s: number;
}

const FLOW: FlowInfo = { id: 1, transport: 'tcp', client: { ip: '192.0.2.1', port: 49152 }, server: { ip: '192.0.2.2', port: 1 }, vlan: [0, 0], roleSource: 'handshake' };
const TARGET_SECONDS = 1;

function replay(m: ProtocolModule, conversations: readonly Conversation[]): { events: number; bytes: number } {
  let events = 0;
  let bytes = 0;
  for (const c of conversations) {
    const session = m.createSession({
      flow: { ...FLOW, transport: c.transport },
      anomaly: () => {},
      emit: (e) => {
        if (e.type === 'transaction') events++;
      },
    });
    for (const chunk of c.chunks) {
      session.onData(chunk.dir, chunk.data, 1);
      bytes += chunk.data.length;
    }
    session.onEnd(2);
  }
  return { events, bytes };
}

export async function benchProtocols(): Promise<ProtocolBenchResult[]> {
  if (!CORPUS_PRESENT) return [];
  const modules = defaultRegistry.modules;
  const seeds = await harvestConversations(modules, readManifest().map((r) => r.absPath), { flowsPerModule: 200, bytesPerFlow: 4 * 1024 * 1024 });
  const results: ProtocolBenchResult[] = [];
  for (const m of modules) {
    const convs = seeds.get(m.id) ?? [];
    if (convs.length === 0) continue;
    replay(m, convs); // warm-up
    let events = 0;
    let bytes = 0;
    const started = process.hrtime.bigint();
    let seconds: number;
    do {
      const r = replay(m, convs);
      events += r.events;
      bytes += r.bytes;
      seconds = Number(process.hrtime.bigint() - started) / 1e9;
    } while (seconds < TARGET_SECONDS);
    results.push({
      protocol: m.id,
      conversations: convs.length,
      bytes: convs.reduce((s, c) => s + c.chunks.reduce((t, ch) => t + ch.data.length, 0), 0),
      transactions_per_s: Math.round(events / seconds),
      mb_per_s: Math.round((bytes / 1e6 / seconds) * 10) / 10,
    });
  }
  return results;
}

if (process.argv[1] !== undefined && fileURLToPath(import.meta.url) === resolve(process.argv[1])) {
  const results = await benchProtocols();
  if (process.argv.includes('--json')) process.stdout.write(JSON.stringify(results) + '\n');
  else for (const r of results) process.stdout.write(`${r.protocol.padEnd(8)} ${r.transactions_per_s.toLocaleString('en-US').padStart(12)} transactions/s ${String(r.mb_per_s).padStart(8)} MB/s  (${r.conversations} corpus conversations, ${(r.bytes / 1e6).toFixed(1)} MB)\n`);
}
