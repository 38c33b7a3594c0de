// ARP poisoning seen on the wire: two MACs alternately answering for one address, an existing host taking a second
// host's address, one MAC claiming many addresses, and floods of unsolicited ARP replies.
import type { ArpObservation, Detection, DetectionInfo, DetectContext } from '../types.js';
import { ArpBindings, isLearnable, isVirtualRouterMac, vlanOf, type BindingSwitch } from './arp-bindings.js';

/**
 * A MAC claiming this many addresses within MANY_IPS_WINDOW_SEC poisons a subnet: an honest host has a handful of
 * aliases (an engineering laptop with one per cell); ettercap or bettercap against a whole subnet claim dozens.
 */
export const MANY_IPS_THRESHOLD = 8;
export const MANY_IPS_WINDOW_SEC = 60;
/**
 * Unsolicited ARP replies (no request for the address in SOLICIT_WINDOW_SEC before) from one MAC within
 * FLOOD_WINDOW_SEC: arpspoof repeats one reply per victim every 2 s (5 per 10 s), a host announces itself 1 to 3
 * times at boot; 30 is six victims poisoned at once, or a flooding tool.
 */
export const FLOOD_THRESHOLD = 30;
export const FLOOD_WINDOW_SEC = 10;
/** A reply this soon after a request for its address answers it (ARP answers take milliseconds; slow stacks less than a second). */
export const SOLICIT_WINDOW_SEC = 2;
const MAX_PENDING_REQUESTS = 8_192;
const MAX_FLOOD_STATES = 10_000;
const MAX_REPORTED = 10_000;
const IPS_IN_FACTS = 16;

const info: DetectionInfo = {
  id: 'behavior.adversary_in_the_middle',
  title: 'ARP poisoning (adversary in the middle)',
  kind: 'behavior',
  severity: 'high',
  confidence: 0.75,
  techniques: ['T0830'],
  playbook: {
    meaning:
      'ARP tells hosts which MAC to send an address\'s traffic to, and hosts believe any ARP packet. A host that answers for an address it does not own (the PLC\'s, the HMI\'s, the gateway\'s) receives that traffic and can read, drop or change it: commands and readings pass through it. Two MACs alternating for one address, an existing host taking a second host\'s address, one MAC claiming many addresses, or a stream of unsolicited replies is how poisoning tools (arpspoof, ettercap, bettercap) look on the wire.',
    check: [
      'Which MAC is the intruder (facts: intruder_mac, and the address it also owns, the alert\'s source)? Find its switch port (MAC address table) and the device behind it.',
      'Is the contested address a controller, an HMI or the gateway? Did the process values or commands between them change while the alert was active?',
      'Benign look-alikes: two devices configured with the same address (an IP conflict, fix it anyway); a router answering by proxy ARP for other subnets (many addresses, one MAC); a first-hop redundancy pair using burned-in MACs (HSRP use-bia) failing over; Linux bonding in balance-alb mode; a host renumbered by DHCP into an address whose lease just ended.',
    ],
    respond: [
      'If the intruder is not a known device: shut its switch port or move it to a quarantine VLAN, then flush the ARP caches of the contested hosts (or restart their interfaces).',
      'Treat traffic between the contested hosts during the alert as untrusted: compare setpoints and the controller program with known-good values.',
      'Consider static ARP entries or dynamic ARP inspection for controllers and gateways.',
    ],
  },
};

class FloodState {
  windowStart = -Infinity;
  count = 0;
  raised = false;
}

export const adversaryInTheMiddle: Detection = {
  ...info,
  create() {
    const bindings = new ArpBindings();
    /** VLAN|address → when a request for it was last seen (oldest first). */
    const requests = new Map<string, number>();
    const floods = new Map<string, FloodState>();
    /**
     * VLAN|address|intruder MAC → the source its alert was opened with: the intruder's own address may only show
     * later, and a new source would split the alert (facts.intruder_ip carries the latest).
     */
    const reported = new Map<string, string | null>();

    const onSwitch = (s: BindingSwitch, ctx: DetectContext): void => {
      if (isVirtualRouterMac(s.oldMac) && isVirtualRouterMac(s.newMac)) return;
      const b = s.binding;
      let reason: string;
      let intruder: string;
      if (s.returning) {
        // Both MACs hold the address in turn: the one that was not there first is the intruder.
        reason = 'alternating';
        intruder = s.newMac === b.origMac ? s.oldMac : s.newMac;
      } else if (s.otherIp !== null) {
        reason = 'takeover';
        intruder = s.newMac;
      } else return;
      const intruderIp = intruder === s.newMac ? s.otherIp : bindings.otherIpOf(intruder, b.ip, s.ts, b.vlan);
      const owner = intruder === s.oldMac ? s.newMac : s.oldMac;
      const rk = `${b.vlan}|${b.ip}|${intruder}`;
      let src = reported.get(rk);
      if (src === undefined) {
        src = intruderIp;
        if (reported.size < MAX_REPORTED) reported.set(rk, src);
      }
      const what = reason === 'alternating' ? `${b.ip} answered alternately by ${s.oldMac} and ${s.newMac}` : `${s.newMac}${intruderIp !== null ? ` (${intruderIp})` : ''} took over ${b.ip} from ${s.oldMac}`;
      ctx.raise(info, {
        ts: s.ts,
        src,
        dst: b.ip,
        protocol: 'arp',
        key: intruder,
        title: `ARP poisoning: ${what}`,
        severity: ctx.isIndustrialServer(b.ip) ? 'critical' : undefined,
        evidence: { ts: s.ts, flow: null, protocol: 'arp', what: reason === 'alternating' ? 'arp_conflict' : 'arp_takeover', target: { ip: b.ip, old_mac: s.oldMac, new_mac: s.newMac, vlan: b.vlan }, note: what },
        facts: { contested_ip: b.ip, intruder_mac: intruder, owner_mac: owner, intruder_ip: intruderIp, mac_switches: b.switches, vlan: b.vlan },
      });
    };

    const manyIps = (a: ArpObservation, vlan: number, ctx: DetectContext): void => {
      if (isVirtualRouterMac(a.senderMac)) return;
      const ips = bindings.recentIps(a.senderMac, a.ts, MANY_IPS_WINDOW_SEC, vlan);
      if (ips.length < MANY_IPS_THRESHOLD) return;
      ctx.raise(info, {
        ts: a.ts,
        src: null,
        dst: null,
        protocol: 'arp',
        key: `many_ips|${a.senderMac}`,
        title: `ARP poisoning: ${a.senderMac} claims ${ips.length} addresses within ${MANY_IPS_WINDOW_SEC} s`,
        evidence: { ts: a.ts, flow: null, protocol: 'arp', what: a.op === 'reply' ? 'arp_reply' : 'arp_request', target: { sender_ip: a.senderIp, sender_mac: a.senderMac, vlan } },
        facts: { intruder_mac: a.senderMac, claimed_ips: ips.slice(-IPS_IN_FACTS), claimed_count: ips.length, vlan },
      });
    };

    const flood = (a: ArpObservation, vlan: number, ctx: DetectContext): void => {
      const key = vlan === 0 ? a.senderMac : `${vlan}|${a.senderMac}`;
      let f = floods.get(key);
      if (f === undefined) {
        if (floods.size >= MAX_FLOOD_STATES) return;
        floods.set(key, (f = new FloodState()));
      }
      if (a.ts - f.windowStart > FLOOD_WINDOW_SEC || a.ts < f.windowStart) {
        f.windowStart = a.ts;
        f.count = 0;
        f.raised = false;
      }
      if (++f.count < FLOOD_THRESHOLD || f.raised) return;
      f.raised = true;
      ctx.raise(info, {
        ts: a.ts,
        src: null,
        dst: null,
        protocol: 'arp',
        key: `flood|${a.senderMac}`,
        title: `ARP poisoning: ${a.senderMac} sent ${f.count} unsolicited ARP replies within ${FLOOD_WINDOW_SEC} s`,
        evidence: { ts: a.ts, flow: null, protocol: 'arp', what: 'arp_reply_flood', target: { sender_ip: a.senderIp, sender_mac: a.senderMac, target_ip: a.targetIp, vlan } },
        facts: { intruder_mac: a.senderMac, unsolicited_replies: f.count, window_sec: FLOOD_WINDOW_SEC, vlan },
      });
    };

    return {
      arp(a: ArpObservation, ctx: DetectContext) {
        const vlan = vlanOf(a);
        if (a.op === 'request' && a.senderIp !== a.targetIp) {
          const k = vlan === 0 ? a.targetIp : `${vlan}|${a.targetIp}`;
          requests.delete(k);
          if (requests.size < MAX_PENDING_REQUESTS) requests.set(k, a.ts);
        } else if (a.op === 'reply') {
          const asked = requests.get(vlan === 0 ? a.senderIp : `${vlan}|${a.senderIp}`);
          if (asked === undefined || a.ts - asked > SOLICIT_WINDOW_SEC) flood(a, vlan, ctx);
        }
        if (!isLearnable(a)) return;
        const s = bindings.observe(a);
        if (bindings.addedIp) manyIps(a, vlan, ctx);
        if (s !== null) onSwitch(s, ctx);
      },
      expire(nowSec: number) {
        for (const [k, t] of requests) {
          if (nowSec - t <= SOLICIT_WINDOW_SEC) break;
          requests.delete(k);
        }
        for (const [k, f] of floods) if (nowSec - f.windowStart > FLOOD_WINDOW_SEC) floods.delete(k);
        bindings.prune(nowSec);
      },
    };
  },
};
