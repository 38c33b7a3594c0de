// Cisco Discovery Protocol v1/v2 (802.3 LLC/SNAP, OUI 00-00-0C, PID 0x2000): the TLV list into a LinkDiscovery record.
import type { AnomalyCounter } from '../../common/anomaly.js';
import { LINK_DISCOVERY_ANOMALIES } from './anomalies.js';
import { addressText, bitNames, decodeText, MAX_TLVS, pushAddress } from './text.js';
import type { LinkDiscovery } from './types.js';

const A = LINK_DISCOVERY_ANOMALIES.codes;

export const CDP_HEADER_LENGTH = 4;
const CDP_TLV_HEADER_LENGTH = 4;

export const CDP_TLV = {
  DEVICE_ID: 0x0001,
  ADDRESSES: 0x0002,
  PORT_ID: 0x0003,
  CAPABILITIES: 0x0004,
  SOFTWARE_VERSION: 0x0005,
  PLATFORM: 0x0006,
  NATIVE_VLAN: 0x000a,
  SYSTEM_NAME: 0x0014,
  MANAGEMENT_ADDRESSES: 0x0016,
} as const;

/** Capability bits, bit 0 first (as Wireshark's packet-cdp.c names them). */
export const CDP_CAPABILITIES = [
  'router',
  'transparent_bridge',
  'source_route_bridge',
  'switch',
  'host',
  'igmp',
  'repeater',
  'phone',
  'remote',
  'cvta',
  'two_port_mac_relay',
] as const;

/** Address entry protocol types: 1 = NLPID (0xCC is IP), 2 = 802.2 (SNAP header whose EtherType is 0x86DD: IPv6). */
const PROTO_TYPE_NLPID = 1;
const PROTO_TYPE_802_2 = 2;
const NLPID_IP = 0xcc;

/**
 * Parses the CDP PDU at buf[off, end) (after the SNAP header). Returns null when the header is short or the version
 * is not 1 or 2; otherwise the record with what was found. The checksum is not verified. Never throws.
 */
export function parseCdp(buf: Uint8Array, off: number, end: number, senderMac: string, anomalies: AnomalyCounter): LinkDiscovery | null {
  if (end > buf.length) end = buf.length;
  if (end - off < CDP_HEADER_LENGTH || (buf[off] !== 1 && buf[off] !== 2)) {
    anomalies.add(A.bad_header);
    return null;
  }
  const rec: LinkDiscovery = {
    protocol: 'cdp',
    sender_mac: senderMac,
    capabilities: [],
    enabled_capabilities: [],
    management_addresses: [],
    ttl: buf[off + 1],
  };
  let deviceId: string | undefined;
  let tlvs = 0;
  let o = off + CDP_HEADER_LENGTH;
  while (o < end) {
    if (end - o < CDP_TLV_HEADER_LENGTH) {
      anomalies.add(A.truncated_tlv);
      break;
    }
    if (tlvs >= MAX_TLVS) {
      anomalies.add(A.too_many_tlvs);
      break;
    }
    const type = (buf[o] << 8) | buf[o + 1];
    const len = (buf[o + 2] << 8) | buf[o + 3]; // includes the 4-byte TLV header
    if (len < CDP_TLV_HEADER_LENGTH) {
      anomalies.add(A.bad_length);
      break;
    }
    if (o + len > end) {
      anomalies.add(A.truncated_tlv);
      break;
    }
    const v = o + CDP_TLV_HEADER_LENGTH;
    const vEnd = o + len;
    tlvs++;
    o = vEnd;
    switch (type) {
      case CDP_TLV.DEVICE_ID:
        deviceId = decodeText(buf, v, vEnd, anomalies);
        break;
      case CDP_TLV.PORT_ID:
        rec.port_id = decodeText(buf, v, vEnd, anomalies);
        break;
      case CDP_TLV.SOFTWARE_VERSION:
        rec.software_version = decodeText(buf, v, vEnd, anomalies);
        break;
      case CDP_TLV.PLATFORM:
        rec.platform = decodeText(buf, v, vEnd, anomalies);
        break;
      case CDP_TLV.SYSTEM_NAME:
        rec.system_name = decodeText(buf, v, vEnd, anomalies);
        break;
      case CDP_TLV.CAPABILITIES:
        if (vEnd - v !== 4) {
          anomalies.add(A.bad_length);
          break;
        }
        // CDP advertises one set: the capabilities the device has are the ones it uses.
        rec.capabilities = bitNames(((buf[v] << 24) | (buf[v + 1] << 16) | (buf[v + 2] << 8) | buf[v + 3]) >>> 0, CDP_CAPABILITIES, 32);
        rec.enabled_capabilities = rec.capabilities.slice();
        break;
      case CDP_TLV.NATIVE_VLAN:
        if (vEnd - v !== 2) anomalies.add(A.bad_length);
        else rec.native_vlan = (buf[v] << 8) | buf[v + 1];
        break;
      case CDP_TLV.ADDRESSES:
      case CDP_TLV.MANAGEMENT_ADDRESSES:
        parseAddresses(buf, v, vEnd, rec.management_addresses, anomalies);
        break;
      default:
        break;
    }
  }
  if (deviceId === undefined) {
    anomalies.add(A.missing_mandatory_tlv);
  } else {
    rec.chassis_id = deviceId;
    rec.chassis_id_subtype = 'device_id';
    if (rec.system_name === undefined) rec.system_name = deviceId;
  }
  return rec;
}

/** Address list: a 32-bit count, then (protocol type, protocol length, protocol, address length, address) entries. */
function parseAddresses(b: Uint8Array, off: number, end: number, out: string[], anomalies: AnomalyCounter): void {
  if (end - off < 4) {
    anomalies.add(A.bad_length);
    return;
  }
  const count = ((b[off] << 24) | (b[off + 1] << 16) | (b[off + 2] << 8) | b[off + 3]) >>> 0;
  let o = off + 4;
  for (let i = 0; i < count; i++) {
    if (end - o < 2) {
      anomalies.add(A.bad_length);
      return;
    }
    const protoType = b[o];
    const protoLen = b[o + 1];
    const p = o + 2;
    if (end - p < protoLen + 2) {
      anomalies.add(A.bad_length);
      return;
    }
    const alenOff = p + protoLen;
    const alen = (b[alenOff] << 8) | b[alenOff + 1];
    const a = alenOff + 2;
    if (a + alen > end) {
      anomalies.add(A.bad_length);
      return;
    }
    o = a + alen;
    const isIpv4 = protoType === PROTO_TYPE_NLPID && protoLen === 1 && b[p] === NLPID_IP && alen === 4;
    const isIpv6 = protoType === PROTO_TYPE_802_2 && protoLen === 8 && b[p + 6] === 0x86 && b[p + 7] === 0xdd && alen === 16;
    if (isIpv4 || isIpv6) pushAddress(out, addressText(b, a, alen), anomalies);
  }
}
