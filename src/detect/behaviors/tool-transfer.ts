// A bulk transfer into or out of a controller over a protocol that is not an industrial one: a tool, an executable
// or a payload copied onto a PLC/RTU host, or a controller host used as a staging point (Lateral Tool Transfer).
// Seen when the running flow's payload in one direction passes TRANSFER_BYTES, not when the connection ends.
import { INDUSTRIAL_PROTOCOLS } from '../../common/vocabulary.js';
import type { Detection, DetectContext, FlowVolume } from '../types.js';

/**
 * Payload bytes in one direction that make a transfer: the first volume mark of the flow table (64 KiB). Industrial
 * polls and replies stay far below it per connection-minute, and the smallest useful implant or tool is larger.
 */
export const TRANSFER_BYTES = 64 * 1024;

const INDUSTRIAL: ReadonlySet<string> = new Set(INDUSTRIAL_PROTOCOLS);

export const toolTransfer: Detection = {
  id: 'behavior.tool_transfer',
  title: 'Bulk transfer to or from a controller over a non-industrial protocol',
  kind: 'behavior',
  severity: 'high',
  confidence: 0.6,
  techniques: ['T0867'],
  playbook: {
    meaning:
      'Tens of kilobytes or more moved over a protocol other than the industrial ones, and a controller (a host answering an industrial protocol) received them, or sent them as the client. Controllers exchange small, regular industrial messages; a file-sized transfer over an unknown or IT protocol is a tool, an executable or a firmware image being copied onto a controller host, or a controller host used to stage an attack.',
    check: [
      'Which protocol and port carried it (facts)? An unknown protocol on a high port (4444, 8080, 1337) is a remote-access tool; HTTP, FTP or TFTP may be a firmware or web-interface upload under a work order.',
      'Which side sent the data and how much (facts.bytes, and the flow when it ends)? Is the sender an engineering workstation, a vendor laptop or another controller?',
      'What did the receiving host do next: new connections, program downloads, mode changes, writes to other controllers?',
    ],
    respond: [
      'If not expected: isolate the receiving host from the control network, keep the capture (the transferred file can be carved from it) and compare the controller\'s firmware and program with known-good copies.',
      'If it is a sanctioned update path: suppress it for that pair and protocol, with the work order as the reason.',
    ],
  },
  create: () => ({
    flowVolume(v: FlowVolume, ctx: DetectContext) {
      // Each later mark (1 MiB, 16 MiB...) is a finding on the same alert: its title and facts give the size reached.
      if (v.bytes < TRANSFER_BYTES) return;
      const f = v.flow;
      const protocol = f.protocol ?? f.transport;
      if (INDUSTRIAL.has(protocol)) return;
      const sender = v.toServer ? f.client.ip : f.server.ip;
      const receiver = v.toServer ? f.server.ip : f.client.ip;
      // Into a controller, or out of a controller that opened the connection (it initiated the transfer).
      const into = ctx.isIndustrialServer(receiver);
      const outOf = v.toServer && ctx.isIndustrialServer(sender);
      if (!into && !outOf) return;
      const service = `${f.transport}/${f.server.port}${protocol !== f.transport && protocol !== 'unknown' && protocol !== 'undecided' ? `, ${protocol}` : ''}`;
      const kib = Math.round(v.bytes / 1024);
      ctx.raise(toolTransfer, {
        ts: v.ts,
        src: sender,
        dst: receiver,
        protocol,
        key: `${f.transport}/${f.server.port}`,
        title: into ? `${kib} KiB sent to controller ${receiver} by ${sender} over ${service}` : `Controller ${sender} sends ${kib} KiB to ${receiver} over ${service}`,
        evidence: { ts: v.ts, flow: f.id, protocol, what: 'bulk_transfer', target: { bytes: v.bytes, direction: v.toServer ? 'to_server' : 'to_client', port: f.server.port }, note: `${kib} KiB of payload in one direction` },
        facts: { sender, receiver, bytes: v.bytes, transport: f.transport, port: f.server.port, protocol, controller: into ? receiver : sender },
      });
    },
  }),
};
