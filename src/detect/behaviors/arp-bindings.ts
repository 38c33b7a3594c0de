// Which MAC answers for each IPv4 address, learned from the sender fields of ARP packets (RFC 826: every ARP packet,
// request or reply, tells its receivers the sender's binding), and which addresses each MAC claims. Shared by the
// adversary-in-the-middle and binding-change detections (each keeps its own instance).
import type { ArpObservation } from '../types.js';

/** Bindings kept (one per address and VLAN); past it new addresses are not learned. */
export const MAX_BINDINGS = 50_000;
/** MACs (per VLAN) whose claimed addresses are kept. */
export const MAX_MACS = 50_000;
/** Addresses remembered per MAC: far above an honest host's aliases, enough to see subnet-wide poisoning. */
export const MAX_IPS_PER_MAC = 64;
/**
 * A MAC that claimed another address this recently is still that host's: hosts refresh their ARP entries every 15 to
 * 60 s (Windows ReachableTime 15-45 s, Linux base_reachable_time 30 s), so five minutes covers several refreshes.
 */
export const RECENT_SEC = 300;
/** Bindings not refreshed for a week are forgotten (a device off for longer comes back as new). */
const BINDING_TTL_SEC = 7 * 86_400;

/**
 * First-hop redundancy virtual MACs: VRRP / CARP (RFC 5798 §7.3, 00-00-5E-00-01-xx, IPv6 -02-xx), HSRP v1
 * (0000.0c07.acxx) and v2 (0000.0c9f.fxxx), GLBP (0007.b4xx.xxxx, which answers one virtual IP with several virtual
 * MACs to spread the load). A virtual IP moving among them is failover or load sharing, not poisoning.
 */
export function isVirtualRouterMac(mac: string): boolean {
  return mac.startsWith('00:00:5e:00:01:') || mac.startsWith('00:00:5e:00:02:') || mac.startsWith('00:00:0c:07:ac:') || mac.startsWith('00:00:0c:9f:f') || mac.startsWith('00:07:b4:');
}

/** Sender fields worth learning: a host MAC (not zero, not group) and an address (not an RFC 5227 probe's 0.0.0.0). */
export function isLearnable(a: ArpObservation): boolean {
  if (a.senderIp === '0.0.0.0' || a.senderIp === '' || a.senderMac.length !== 17) return false;
  if (a.senderMac === '00:00:00:00:00:00') return false;
  // The I/G bit (lowest bit of the first octet) marks group MACs: no host sends ARP from one.
  return (parseInt(a.senderMac.slice(0, 2), 16) & 1) === 0;
}

/** The VLAN of an observation, when the pipeline gives it (overlapping address plans per VLAN are common in OT). */
export function vlanOf(a: ArpObservation): number {
  const v = (a as ArpObservation & { readonly vlan?: number }).vlan;
  return typeof v === 'number' ? v : 0;
}

export class Binding {
  /** The first MAC ever seen for the address: the original owner. */
  readonly origMac: string;
  prevMac: string | null = null;
  /** When the previous MAC last claimed the address. */
  prevLast = -Infinity;
  /** When the current MAC took the address. */
  since: number;
  last: number;
  switches = 0;

  constructor(
    readonly ip: string,
    readonly vlan: number,
    public mac: string,
    ts: number,
  ) {
    this.origMac = mac;
    this.since = ts;
    this.last = ts;
  }
}

/** An address answered by another MAC than before. */
export interface BindingSwitch {
  readonly binding: Binding;
  readonly ts: number;
  readonly oldMac: string;
  readonly newMac: string;
  /** The new MAC held the address before and claims it back (two MACs alternating). */
  readonly returning: boolean;
  /** Another address the new MAC claimed within RECENT_SEC (it is an existing host taking a second address), or null. */
  readonly otherIp: string | null;
}

class MacClaims {
  /** Address → when this MAC last claimed it (insertion order refreshed: oldest first). */
  readonly ips = new Map<string, number>();
}

export class ArpBindings {
  private readonly bindings = new Map<string, Binding>();
  private readonly macs = new Map<string, MacClaims>();
  /** Set by observe(): the observation added an address to its MAC's claims. */
  addedIp = false;
  private lastPruneSec = -Infinity;

  get size(): number {
    return this.bindings.size;
  }

  binding(ip: string, vlan = 0): Binding | undefined {
    return this.bindings.get(vlan === 0 ? ip : `${vlan}|${ip}`);
  }

  /** Learns the sender binding of `a` (call only when isLearnable(a)); returns the switch when the MAC changed. */
  observe(a: ArpObservation): BindingSwitch | null {
    const vlan = vlanOf(a);
    const ip = a.senderIp;
    const mac = a.senderMac;
    const ts = a.ts;
    this.claim(vlan, mac, ip, ts);
    const key = vlan === 0 ? ip : `${vlan}|${ip}`;
    const b = this.bindings.get(key);
    if (b === undefined) {
      if (this.bindings.size < MAX_BINDINGS) this.bindings.set(key, new Binding(ip, vlan, mac, ts));
      return null;
    }
    if (b.mac === mac) {
      if (ts > b.last) b.last = ts;
      return null;
    }
    const oldMac = b.mac;
    const returning = b.prevMac === mac && ts - b.prevLast <= RECENT_SEC;
    b.prevMac = oldMac;
    b.prevLast = b.last;
    b.mac = mac;
    b.since = ts;
    b.last = ts;
    b.switches++;
    return { binding: b, ts, oldMac, newMac: mac, returning, otherIp: this.otherIpOf(mac, ip, ts, vlan) };
  }

  /** Addresses `mac` claimed (in `vlan`) in the last `windowSec` seconds before `now`. */
  recentIps(mac: string, now: number, windowSec: number, vlan = 0): string[] {
    const out: string[] = [];
    const m = this.macs.get(vlan === 0 ? mac : `${vlan}|${mac}`);
    if (m !== undefined) for (const [ip, t] of m.ips) if (now - t <= windowSec) out.push(ip);
    return out;
  }

  /** The address other than `ip` that `mac` claimed most recently (within RECENT_SEC), or null. */
  otherIpOf(mac: string, ip: string, now: number, vlan = 0): string | null {
    const m = this.macs.get(vlan === 0 ? mac : `${vlan}|${mac}`);
    if (m === undefined) return null;
    let best: string | null = null;
    let bestTs = -Infinity;
    for (const [other, t] of m.ips) if (other !== ip && t > bestTs && now - t <= RECENT_SEC) [best, bestTs] = [other, t];
    return best;
  }

  /** Forgets bindings and claims older than their lifetimes (at most once a minute of capture time). */
  prune(nowSec: number): void {
    if (nowSec - this.lastPruneSec < 60) return;
    this.lastPruneSec = nowSec;
    for (const [k, b] of this.bindings) if (nowSec - b.last > BINDING_TTL_SEC) this.bindings.delete(k);
    for (const [mac, m] of this.macs) {
      for (const [ip, t] of m.ips) {
        if (nowSec - t <= RECENT_SEC) break;
        m.ips.delete(ip);
      }
      if (m.ips.size === 0) this.macs.delete(mac);
    }
  }

  private claim(vlan: number, mac: string, ip: string, ts: number): void {
    this.addedIp = false;
    // Per VLAN: a layer-3 switch answers for its gateway address in every VLAN with one MAC.
    const key = vlan === 0 ? mac : `${vlan}|${mac}`;
    let m = this.macs.get(key);
    if (m === undefined) {
      if (this.macs.size >= MAX_MACS) return;
      this.macs.set(key, (m = new MacClaims()));
    }
    if (m.ips.has(ip)) {
      m.ips.delete(ip);
      m.ips.set(ip, ts);
      return;
    }
    if (m.ips.size >= MAX_IPS_PER_MAC) {
      // Full: the oldest claim makes room (insertion order is claim order).
      const oldest = m.ips.keys().next().value as string;
      m.ips.delete(oldest);
    }
    m.ips.set(ip, ts);
    this.addedIp = true;
  }
}
