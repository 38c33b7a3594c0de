// A controller (a host answering an industrial protocol) opening connections to an internet (public) address.
import type { FlowRecord } from '../../flow/flow.js';
import type { DetectContext, Finding } from '../types.js';
import { controllerFlowDetection, flowEvidence, isExternal, type ControllerKnowledge } from './controller-flows.js';

export const controllerExternal = controllerFlowDetection(
  {
    id: 'behavior.controller_external',
    title: 'Controller talks to an internet address',
    kind: 'behavior',
    severity: 'high',
    confidence: 0.8,
    // Outbound traffic from a controller is command and control until explained: over a standard application protocol
    // (HTTP, TLS, DNS, an industrial protocol) and on a commonly allowed port, as the flows show.
    techniques: ['T0869', 'T0885'],
    playbook: {
      meaning:
        'A PLC, RTU or other host answering an industrial protocol opened a connection to a public internet address. Controllers have no reason to reach the internet: this is a misrouted or misconfigured device (an NTP or DNS server set to a public one, a vendor cloud service), or a compromised controller or gateway calling out to its operator.',
      check: [
        'Which service does it reach (port, protocol, the address\'s owner)? A vendor cloud or time service explains it; an unknown address on 80/443 does not.',
        'Was this traffic there before (a baseline), and did it start after a firmware update, a program download or a remote session?',
        'Which firewall or router let it out of the control network?',
      ],
      respond: [
        'Block outbound internet access from the controller zone at the boundary; allow named services only.',
        'If the destination is unknown: keep the capture, check the controller\'s firmware and program against known-good copies.',
      ],
    },
  },
  {
    candidate: (f: FlowRecord, known: ControllerKnowledge) => f.packetsToServer > 0 && isExternal(f.server.ip, f.client.ip, known),
    judge(f: FlowRecord, ctx: DetectContext): Finding | null {
      if (!ctx.isIndustrialServer(f.client.ip)) return null;
      const service = `${f.transport}/${f.server.port}${f.protocol !== null && f.protocol !== 'unknown' && f.protocol !== 'undecided' ? `, ${f.protocol}` : ''}`;
      const answered = f.packetsToClient > 0;
      return {
        ts: f.lastTs,
        src: f.client.ip,
        dst: f.server.ip,
        protocol: f.protocol,
        key: `${f.transport}/${f.server.port}`,
        title: `Controller ${f.client.ip} connects to internet address ${f.server.ip} (${service})${answered ? '' : ', unanswered'}`,
        evidence: flowEvidence(f, 'outbound_flow'),
        facts: { direction: 'outbound', controller: f.client.ip, external: f.server.ip, transport: f.transport, port: f.server.port, answered },
      };
    },
  },
);
