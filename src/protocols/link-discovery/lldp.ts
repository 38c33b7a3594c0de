// LLDP (IEEE 802.1AB-2016 clause 8): the TLV list of one LLDPDU (EtherType 0x88CC) into a LinkDiscovery record.
import type { AnomalyCounter } from '../../common/anomaly.js';
import { LINK_DISCOVERY_ANOMALIES } from './anomalies.js';
import { addressText, bitNames, decodeText, MAX_TLVS, pushAddress } from './text.js';
import type { LinkDiscovery } from './types.js';

const A = LINK_DISCOVERY_ANOMALIES.codes;

export const LLDP_TLV = {
  END: 0,
  CHASSIS_ID: 1,
  PORT_ID: 2,
  TTL: 3,
  PORT_DESCRIPTION: 4,
  SYSTEM_NAME: 5,
  SYSTEM_DESCRIPTION: 6,
  SYSTEM_CAPABILITIES: 7,
  MANAGEMENT_ADDRESS: 8,
  ORGANIZATIONALLY_SPECIFIC: 127,
} as const;

/** Chassis ID subtypes 1..7 (802.1AB 8.5.2.2). */
export const CHASSIS_ID_SUBTYPES = ['reserved', 'chassis_component', 'interface_alias', 'port_component', 'mac_address', 'network_address', 'interface_name', 'local'] as const;
/** Port ID subtypes 1..7 (802.1AB 8.5.3.2): 3 is a MAC, 4 a network address. */
const PORT_ID_MAC = 3;
const PORT_ID_NETWORK_ADDRESS = 4;
const CHASSIS_ID_MAC = 4;
const CHASSIS_ID_NETWORK_ADDRESS = 5;

/** System capability bits, bit 0 first (802.1AB 8.5.8.1). */
export const LLDP_CAPABILITIES = [
  'other',
  'repeater',
  'bridge',
  'wlan_access_point',
  'router',
  'telephone',
  'docsis_cable_device',
  'station_only',
  'c_vlan',
  's_vlan',
  'two_port_mac_relay',
] as const;

/** IANA address family numbers used in network-address ids and management addresses. */
const AF_IPV4 = 1;
const AF_IPV6 = 2;
const AF_802 = 6;

/**
 * Parses the LLDPDU at buf[off, end). Returns null when not one TLV could be read; otherwise the record with what was
 * found (a missing mandatory TLV is counted, not fatal). Never throws.
 */
export function parseLldp(buf: Uint8Array, off: number, end: number, senderMac: string, anomalies: AnomalyCounter): LinkDiscovery | null {
  if (end > buf.length) end = buf.length;
  const rec: LinkDiscovery = { protocol: 'lldp', sender_mac: senderMac, capabilities: [], enabled_capabilities: [], management_addresses: [] };
  let tlvs = 0;
  let mandatory = 0; // how many of chassis id, port id, TTL came first and in order
  let o = off;
  while (o < end) {
    if (end - o < 2) {
      anomalies.add(A.truncated_tlv);
      break;
    }
    if (tlvs >= MAX_TLVS) {
      anomalies.add(A.too_many_tlvs);
      break;
    }
    const type = buf[o] >> 1;
    const len = ((buf[o] & 1) << 8) | buf[o + 1];
    const v = o + 2;
    if (v + len > end) {
      anomalies.add(A.truncated_tlv);
      break;
    }
    tlvs++;
    o = v + len;
    if (type === LLDP_TLV.END) break;
    if (mandatory < 3 && type === mandatory + 1) mandatory++;
    switch (type) {
      case LLDP_TLV.CHASSIS_ID:
      case LLDP_TLV.PORT_ID: {
        if (len < 2) {
          anomalies.add(A.bad_length);
          break;
        }
        const subtype = buf[v];
        const isChassis = type === LLDP_TLV.CHASSIS_ID;
        const macSubtype = isChassis ? CHASSIS_ID_MAC : PORT_ID_MAC;
        const netSubtype = isChassis ? CHASSIS_ID_NETWORK_ADDRESS : PORT_ID_NETWORK_ADDRESS;
        let id: string;
        if (subtype === macSubtype && len === 7) id = addressText(buf, v + 1, 6)!;
        else if (subtype === netSubtype) id = networkAddress(buf, v + 1, v + len) ?? decodeText(buf, v + 1, v + len, anomalies);
        else id = decodeText(buf, v + 1, v + len, anomalies);
        if (isChassis) {
          rec.chassis_id = id;
          rec.chassis_id_subtype = subtype < CHASSIS_ID_SUBTYPES.length ? CHASSIS_ID_SUBTYPES[subtype] : `subtype_${subtype}`;
        } else {
          rec.port_id = id;
        }
        break;
      }
      case LLDP_TLV.TTL:
        if (len < 2) anomalies.add(A.bad_length);
        else rec.ttl = (buf[v] << 8) | buf[v + 1];
        break;
      case LLDP_TLV.PORT_DESCRIPTION:
        rec.port_description = decodeText(buf, v, v + len, anomalies);
        break;
      case LLDP_TLV.SYSTEM_NAME:
        rec.system_name = decodeText(buf, v, v + len, anomalies);
        break;
      case LLDP_TLV.SYSTEM_DESCRIPTION:
        rec.system_description = decodeText(buf, v, v + len, anomalies);
        break;
      case LLDP_TLV.SYSTEM_CAPABILITIES:
        if (len !== 4) {
          anomalies.add(A.bad_length);
          break;
        }
        rec.capabilities = bitNames((buf[v] << 8) | buf[v + 1], LLDP_CAPABILITIES, 16);
        rec.enabled_capabilities = bitNames((buf[v + 2] << 8) | buf[v + 3], LLDP_CAPABILITIES, 16);
        break;
      case LLDP_TLV.MANAGEMENT_ADDRESS: {
        // address string length (subtype + address, 2..32), then interface numbering and an OID we do not need.
        const alen = len > 0 ? buf[v] : 0;
        if (alen < 2 || alen > 32 || 1 + alen > len) {
          anomalies.add(A.bad_length);
          break;
        }
        if (buf[v + 1] === AF_IPV4 || buf[v + 1] === AF_IPV6) {
          pushAddress(rec.management_addresses, networkAddress(buf, v + 1, v + 1 + alen), anomalies);
        }
        break;
      }
      default:
        // Organisationally specific (802.1, 802.3, PROFINET OUI 00-0E-CF, LLDP-MED...) and reserved TLVs: skipped.
        break;
    }
  }
  if (tlvs === 0) return null;
  if (mandatory < 3) anomalies.add(A.missing_mandatory_tlv);
  return rec;
}

/** IANA family byte then address at b[off, end): IPv4, IPv6 or 802 MAC as text; null for others. */
function networkAddress(b: Uint8Array, off: number, end: number): string | null {
  const len = end - off - 1;
  const family = b[off];
  if ((family === AF_IPV4 && len === 4) || (family === AF_IPV6 && len === 16) || (family === AF_802 && len === 6)) {
    return addressText(b, off + 1, len);
  }
  return null;
}
