// Collects the real conversations each protocol module claims in a set of captures: the ordered chunks its sessions
// receive, per flow. Seeds for the conformance suite and the input of the per-protocol benchmark.
import { readCaptureFile } from '../capture/open-capture.js';
import type { Conversation, ConversationChunk } from '../protocols/conformance.js';
import type { ProtocolModule } from '../protocols/protocol.js';
import { ProtocolRegistry } from '../protocols/registry.js';
import { Pipeline } from './pipeline.js';

export interface HarvestOptions {
  /** Flows kept per module. */
  flowsPerModule: number;
  /** Bytes kept per flow (the rest of the flow is not recorded). */
  bytesPerFlow: number;
}

/** Runs every capture through a pipeline whose modules are wrapped to record what their sessions are given. */
export async function harvestConversations(
  modules: readonly ProtocolModule[],
  captures: readonly string[],
  options: HarvestOptions,
): Promise<Map<string, Conversation[]>> {
  const seeds = new Map<string, Conversation[]>(modules.map((m) => [m.id, []]));
  const wrapped = modules.map(
    (m): ProtocolModule => ({
      ...m,
      probe: (data, dir, transport) => (seeds.get(m.id)!.length >= options.flowsPerModule ? 'no_match' : m.probe(data, dir, transport)),
      createSession(ctx) {
        const chunks: ConversationChunk[] = [];
        let bytes = 0;
        seeds.get(m.id)!.push({ transport: ctx.flow.transport, chunks });
        return {
          onData(dir, data) {
            if (bytes + data.length <= options.bytesPerFlow) chunks.push({ dir, data: data.slice() });
            bytes += data.length;
          },
          onGap() {},
          onEnd() {},
        };
      },
    }),
  );
  const registry = new ProtocolRegistry(wrapped);
  for (const path of captures) {
    const pipeline = new Pipeline({ registry });
    try {
      await readCaptureFile(path, pipeline, pipeline.anomalies);
    } catch {
      continue; // not a capture: nothing to harvest
    }
    pipeline.finish();
  }
  return seeds;
}
