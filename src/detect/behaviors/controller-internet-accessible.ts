// A controller (a host answering an industrial protocol) answering a host with an internet (public) address.
import type { FlowRecord } from '../../flow/flow.js';
import type { DetectContext, Finding } from '../types.js';
import { controllerFlowDetection, flowEvidence, isExternal, type ControllerKnowledge } from './controller-flows.js';

/**
 * Protocol ids of the registry's industrial category (detections do not load the registry): an external client speaking
 * one of them to a controller is reading or commanding it.
 */
const INDUSTRIAL_PROTOCOLS = new Set(['modbus', 's7comm', 'enip', 'dnp3', 'iec104', 'bacnet', 'opcua']);

export const controllerInternetAccessible = controllerFlowDetection(
  {
    id: 'behavior.controller_internet_accessible',
    title: 'Controller reachable from the internet',
    kind: 'behavior',
    severity: 'high',
    confidence: 0.85,
    techniques: ['T0883'],
    playbook: {
      meaning:
        'A host with a public internet address reached a PLC, RTU or other host answering an industrial protocol, and the controller answered. The controller is exposed to the internet (directly, through a port forward or a cellular router): internet scanners find such devices within hours, and industrial protocols obey whoever connects.',
      check: [
        'Is the public address a known remote site, vendor or monitoring service over a planned link (a VPN would normally hide the public address)?',
        'What did it do: an industrial protocol session (reads, writes, program transfers: see the other alerts for the same source) or a web or management page?',
        'Which device forwards the traffic (firewall rule, NAT, cellular modem)?',
      ],
      respond: [
        'Remove the exposure: close the port forward or firewall rule, or put the device behind a VPN gateway.',
        'If writes or program transfers came from the address: treat the controller as tampered with, verify its program and setpoints.',
      ],
    },
  },
  {
    candidate: (f: FlowRecord, known: ControllerKnowledge) => (f.payloadBytesToClient > 0 || (f.transport !== 'tcp' && f.packetsToClient > 0)) && isExternal(f.client.ip, f.server.ip, known),
    judge(f: FlowRecord, ctx: DetectContext): Finding | null {
      if (!ctx.isIndustrialServer(f.server.ip)) return null;
      const industrial = f.protocol !== null && INDUSTRIAL_PROTOCOLS.has(f.protocol);
      const service = `${f.transport}/${f.server.port}${f.protocol !== null && f.protocol !== 'unknown' && f.protocol !== 'undecided' ? `, ${f.protocol}` : ''}`;
      return {
        ts: f.lastTs,
        src: f.client.ip,
        dst: f.server.ip,
        protocol: f.protocol,
        key: `${f.transport}/${f.server.port}`,
        title: `Controller ${f.server.ip} answers internet address ${f.client.ip} (${service})`,
        severity: industrial ? 'critical' : undefined,
        evidence: flowEvidence(f, 'inbound_flow'),
        facts: { direction: 'inbound', controller: f.server.ip, external: f.client.ip, transport: f.transport, port: f.server.port, industrial_protocol: industrial },
      };
    },
  },
);
