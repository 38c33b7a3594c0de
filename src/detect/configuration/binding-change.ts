// An address answered by a new MAC for good: the device at that address was replaced or re-addressed. Told apart from
// ARP poisoning (behavior.adversary_in_the_middle) by two facts: the old MAC does not come back within SETTLE_SEC, and
// the new MAC is not an existing host that also keeps its own address.
import type { ArpObservation, Detection, DetectionInfo, DetectContext } from '../types.js';
import type { HintRecord } from '../../pipeline/events.js';
import { ArpBindings, isLearnable, isVirtualRouterMac, vlanOf, type Binding } from '../behaviors/arp-bindings.js';

/**
 * The new MAC must hold the address this long with the old one silent: a genuine owner still on the wire refreshes
 * its neighbours' caches within 15 to 60 s (Windows ReachableTime 15-45 s, Linux 30 s), so after two minutes the old
 * device is gone. Changes younger than this at the end of a capture are not reported.
 */
export const SETTLE_SEC = 120;
const MAX_PENDING = 4_096;
const MAX_LEASES = 10_000;
/** A DHCP lease this recent explains a new binding. */
const LEASE_RECENT_SEC = 600;

const info: DetectionInfo = {
  id: 'configuration.binding_change',
  title: 'Address moved to a new MAC',
  kind: 'configuration',
  severity: 'low',
  confidence: 0.8,
  // A device swap or a re-addressing is a configuration change with no ATT&CK for ICS technique of its own; when it is
  // hostile (a rogue device standing in for a controller) the poisoning detection and the identity detections say so.
  techniques: [],
  playbook: {
    meaning:
      'A different network card (MAC) now answers for this address, and the previous one has gone quiet: the device was replaced (a spare PLC, a new network module, a new PC), or another device was given this address. Asset records, firewall rules keyed on MACs and port security may now be wrong.',
    check: [
      'Was a device replaced or re-addressed at this time (work order, maintenance log)? The new MAC\'s vendor prefix (OUI) tells whose network card it is.',
      'For a controller: does the new device report the expected model, serial and firmware (configuration.identity_change and configuration.firmware_change alerts for the same address)?',
      'DHCP networks: a lease handed to a new client (facts.dhcp_lease) explains the change.',
    ],
    respond: ['If expected: update the asset record and any MAC-based rules, then resolve the alert.', 'If not: find the new MAC\'s switch port and identify the device before it is trusted with control traffic.'],
  },
};

class Pending {
  constructor(
    readonly binding: Binding,
    readonly oldMac: string,
    readonly oldSince: number,
    readonly newMac: string,
    readonly ts: number,
  ) {}
}

export const bindingChange: Detection = {
  ...info,
  create() {
    const bindings = new ArpBindings();
    /** Changes waiting to settle, by binding. */
    const pending = new Map<Binding, Pending>();
    /** `address|mac` → when a DHCP server leased that address to that client (oldest first). */
    const leases = new Map<string, number>();

    const settle = (p: Pending, ctx: DetectContext): void => {
      const b = p.binding;
      const leased = leases.get(`${b.ip}|${p.newMac}`);
      const dhcp = leased !== undefined && Math.abs(p.ts - leased) <= LEASE_RECENT_SEC;
      const controller = ctx.isIndustrialServer(b.ip);
      ctx.raise(info, {
        ts: p.ts,
        src: null,
        dst: b.ip,
        protocol: 'arp',
        key: p.newMac,
        title: `${b.ip} moved from MAC ${p.oldMac} to ${p.newMac}${controller ? ' (a controller)' : ''}${dhcp ? ' after a DHCP lease' : ''}`,
        severity: controller && !dhcp ? 'medium' : undefined,
        evidence: { ts: p.ts, flow: null, protocol: 'arp', what: 'mac_change', target: { ip: b.ip, old_mac: p.oldMac, new_mac: p.newMac, vlan: b.vlan } },
        facts: { ip: b.ip, old_mac: p.oldMac, new_mac: p.newMac, old_mac_since: p.oldSince, changed_at: p.ts, dhcp_lease: dhcp, vlan: b.vlan },
      });
    };

    return {
      arp(a: ArpObservation) {
        if (!isLearnable(a)) return;
        const before = bindings.binding(a.senderIp, vlanOf(a));
        const oldSince = before?.since ?? a.ts;
        const s = bindings.observe(a);
        if (s === null) return;
        const b = s.binding;
        const waiting = pending.get(b);
        if (waiting !== undefined) {
          // Moved again before settling: back to the old MAC (alternation, the poisoning detection's) or on to a third.
          pending.delete(b);
          if (s.newMac === waiting.oldMac) return;
        }
        if (isVirtualRouterMac(s.oldMac) && isVirtualRouterMac(s.newMac)) return;
        if (s.returning || s.otherIp !== null) return;
        if (pending.size < MAX_PENDING) pending.set(b, new Pending(b, s.oldMac, oldSince, s.newMac, s.ts));
      },
      hint(h: HintRecord) {
        if (h.protocol !== 'dhcp' || h.subject?.ip === undefined || h.subject.mac === undefined) return;
        const k = `${h.subject.ip}|${h.subject.mac}`;
        leases.delete(k);
        if (leases.size >= MAX_LEASES) leases.delete(leases.keys().next().value as string);
        leases.set(k, h.ts);
      },
      expire(nowSec: number, ctx: DetectContext) {
        for (const [b, p] of pending) {
          if (b.mac !== p.newMac) pending.delete(b);
          else if (nowSec - p.ts >= SETTLE_SEC) {
            pending.delete(b);
            settle(p, ctx);
          }
        }
        bindings.prune(nowSec);
      },
    };
  },
};
