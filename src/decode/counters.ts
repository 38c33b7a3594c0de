// Hot counters of the decode layer: plain numbers bumped per frame; maps only for the rare, open-ended keys.

import { linkTypeName } from '../common/link-types.js';

export class DecodeCounters {
  frames = 0;
  ethernet = 0;
  llc = 0;
  vlanTagged = 0;
  sll = 0;
  loopback = 0;
  rawIp = 0;
  arp = 0;
  ipv4 = 0;
  ipv6 = 0;
  icmp = 0;
  icmpv6 = 0;
  tcp = 0;
  udp = 0;
  otherIpProto = 0;
  /** Fragments seen (IPv4 and IPv6). */
  fragments = 0;
  /** Datagrams completed by reassembly. */
  fragmentsReassembled = 0;
  fragmentOverlaps = 0;
  fragmentTimeouts = 0;
  /** Datagrams dropped by a reassembly cap or a violation (too large, bad end...). */
  fragmentDatagramsDropped = 0;
  /** Frames whose headers were whole but whose payload the capture's snap length cut. */
  payloadCut = 0;
  /** Non-IP Layer-2 frames per protocol name (`goose`, `lldp`, `llc_0x42`...) or EtherType hex (`0x88b5`). */
  readonly l2 = new Map<string, number>();
  /** Frames skipped because their link type is not decoded, per link type number. */
  readonly unsupportedLink = new Map<number, number>();
  private readonly linkTypeCounts = new Map<number, number>();
  private runLinkType = -1;
  private runLength = 0;

  /** Frames per link type number. */
  get linkTypes(): Map<number, number> {
    this.flushLinkTypeRun();
    return this.linkTypeCounts;
  }

  /** Counts a frame of `linkType`. Runs of one link type are summed in a field and folded into the map on change. */
  countLinkType(linkType: number): void {
    if (linkType !== this.runLinkType) {
      this.flushLinkTypeRun();
      this.runLinkType = linkType;
    }
    this.runLength++;
  }

  private flushLinkTypeRun(): void {
    if (this.runLength === 0) return;
    const map = this.linkTypeCounts;
    map.set(this.runLinkType, (map.get(this.runLinkType) ?? 0) + this.runLength);
    this.runLength = 0;
  }
  toJSON(): object {
    return {
      frames: this.frames,
      ethernet: this.ethernet,
      llc: this.llc,
      vlanTagged: this.vlanTagged,
      sll: this.sll,
      loopback: this.loopback,
      rawIp: this.rawIp,
      arp: this.arp,
      ipv4: this.ipv4,
      ipv6: this.ipv6,
      icmp: this.icmp,
      icmpv6: this.icmpv6,
      tcp: this.tcp,
      udp: this.udp,
      otherIpProto: this.otherIpProto,
      fragments: this.fragments,
      fragmentsReassembled: this.fragmentsReassembled,
      fragmentOverlaps: this.fragmentOverlaps,
      fragmentTimeouts: this.fragmentTimeouts,
      fragmentDatagramsDropped: this.fragmentDatagramsDropped,
      payloadCut: this.payloadCut,
      l2: sortedObject(this.l2, (k) => k),
      linkTypes: sortedObject(this.linkTypes, linkTypeName),
      unsupportedLink: sortedObject(this.unsupportedLink, linkTypeName),
    };
  }
}

function sortedObject<K>(map: Map<K, number>, name: (key: K) => string): Record<string, number> {
  const entries = [...map].map(([key, n]) => [name(key), n] as const);
  entries.sort((a, b) => (a[0] < b[0] ? -1 : a[0] > b[0] ? 1 : 0));
  const out: Record<string, number> = {};
  for (const [key, n] of entries) out[key] = (out[key] ?? 0) + n;
  return out;
}
