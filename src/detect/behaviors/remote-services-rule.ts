// Remote-service sessions (RDP, SSH, VNC, SMB, Telnet) into a controller zone: the rule shared by the internal and the
// external-client detections. A controller zone is the /24 (IPv4) or /64 (IPv6) of any host seen answering an
// industrial protocol: plants put a cell's PLCs, HMIs and engineering stations in one such subnet, so an interactive
// session into it reaches the hosts that command the controllers. Sessions inside the zone are its own work.
import type { FlowRecord } from '../../flow/flow.js';
import type { DetectContext, Finding } from '../types.js';
import { flowEvidence, isExternal, zoneOf, type ControllerFlowRule, type ControllerKnowledge } from './controller-flows.js';

/** Well-known TCP ports of interactive and file-sharing remote services. */
export const REMOTE_SERVICE_PORTS: ReadonlyMap<number, string> = new Map([
  [22, 'SSH'],
  [23, 'Telnet'],
  [445, 'SMB'],
  [3389, 'RDP'],
  [5900, 'VNC'],
  [5901, 'VNC'],
  [5902, 'VNC'],
  [5903, 'VNC'],
]);

export function remoteServiceOf(f: FlowRecord): string | null {
  if (f.transport !== 'tcp') return null;
  if (f.protocol === 'ssh') return 'SSH';
  return REMOTE_SERVICE_PORTS.get(f.server.port) ?? null;
}

/** The rule for clients inside (`external` false) or outside (true, a public address) the plant. */
export function remoteServicesRule(external: boolean, severity: (controller: boolean) => Finding['severity']): ControllerFlowRule {
  return {
    candidate(f: FlowRecord, known: ControllerKnowledge): boolean {
      // A session exchanged data both ways: a refused or unanswered SYN is a scan, not a use of the service.
      if (f.payloadBytesToServer === 0 || f.payloadBytesToClient === 0) return false;
      if (remoteServiceOf(f) === null) return false;
      if (isExternal(f.client.ip, f.server.ip, known) !== external) return false;
      return zoneOf(f.client.ip) !== zoneOf(f.server.ip);
    },
    judge(f: FlowRecord, ctx: DetectContext, known: ControllerKnowledge): Finding | null {
      const zone = zoneOf(f.server.ip);
      if (zone === null || !known.zones.has(zone)) return null;
      const service = remoteServiceOf(f)!;
      const controller = ctx.isIndustrialServer(f.server.ip);
      const target = controller ? `controller ${f.server.ip}` : `${f.server.ip} in controller zone ${zone}`;
      const from = external ? `internet address ${f.client.ip}` : f.client.ip;
      return {
        ts: f.lastTs,
        src: f.client.ip,
        dst: f.server.ip,
        protocol: f.protocol === 'unknown' || f.protocol === 'undecided' ? service.toLowerCase() : f.protocol,
        key: service,
        title: `${service} session from ${from} to ${target}`,
        severity: severity(controller),
        evidence: flowEvidence(f, `${service.toLowerCase()}_session`),
        facts: { service, port: f.server.port, controller_zone: zone, client_zone: zoneOf(f.client.ip), server_is_controller: controller, external_client: external },
      };
    },
  };
}
