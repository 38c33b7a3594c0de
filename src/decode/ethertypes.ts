// EtherType and LLC/SNAP names Lantern counts and dispatches on (IEEE EtherType registry; IEC 61850-8-1/-9-2,
// IEC 61158 (PROFINET, EtherCAT, Powerlink, SERCOS III), IEC 62439-2/-3 (MRP, HSR/PRP), IEEE 1588 for the OT ones).

export const ETHERTYPE = {
  IPV4: 0x0800,
  ARP: 0x0806,
  RARP: 0x8035,
  IPV6: 0x86dd,
  VLAN: 0x8100,
  QINQ: 0x88a8,
  QINQ_OLD: 0x9100,
  HSR: 0x892f,
} as const;

/** The smallest EtherType; type/length values up to 1500 are 802.3 lengths, 1501..1535 are undefined. */
export const ETHERTYPE_MIN = 0x0600;
export const IEEE_802_3_MAX_LENGTH = 1500;

/** Non-IP EtherTypes by name: the l2 counters and the Layer-2 handler registry use these names. */
export const ETHERTYPE_NAMES: ReadonlyArray<readonly [number, string]> = [
  [0x0842, 'wake_on_lan'],
  [0x22f0, 'avtp'],
  [0x22f3, 'trill'],
  [0x6003, 'decnet'],
  [0x809b, 'appletalk'],
  [0x80f3, 'aarp'],
  [0x8137, 'ipx'],
  [0x8808, 'ethernet_flow_control'],
  [0x8809, 'slow_protocols'],
  [0x8847, 'mpls'],
  [0x8848, 'mpls_multicast'],
  [0x8863, 'pppoe_discovery'],
  [0x8864, 'pppoe_session'],
  [0x887b, 'homeplug'],
  [0x888e, 'eapol'],
  [0x8892, 'profinet'],
  [0x8899, 'realtek_rrcp'],
  [0x88a4, 'ethercat'],
  [0x88ab, 'powerlink'],
  [0x88b8, 'goose'],
  [0x88b9, 'gse_management'],
  [0x88ba, 'sampled_values'],
  [0x88cc, 'lldp'],
  [0x88cd, 'sercos_iii'],
  [0x88e1, 'homeplug_av'],
  [0x88e3, 'mrp'],
  [0x88e5, 'macsec'],
  [0x88f5, 'mvrp'],
  [0x88f6, 'mmrp'],
  [0x88f7, 'ptp'],
  [0x88fb, 'prp_supervision'],
  [0x8902, 'cfm'],
  [0x8906, 'fcoe'],
  [0x890f, 'cc_link_ie'],
  [0x8914, 'fcoe_init'],
  [0x892f, 'hsr'],
  [0x8940, 'ecp'],
  [0x894f, 'nsh'],
  [0x9000, 'loopback'],
  [0xf1c1, 'redundancy_tag'],
];

/** LLC (802.2) service access points, by DSAP, for frames that are not SNAP. */
export const LLC_SAP_NAMES: ReadonlyArray<readonly [number, string]> = [
  [0x04, 'sna'],
  [0x06, 'llc_ip'],
  [0x42, 'stp'],
  [0x82, 'bacnet'],
  [0xe0, 'ipx'],
  [0xf0, 'netbios'],
  [0xf4, 'lan_management'],
  [0xfe, 'osi'],
];

/** SNAP protocols with a non-zero OUI, by (OUI << 16) | PID. */
export const SNAP_NAMES: ReadonlyArray<readonly [number, string]> = [
  [0x00000c_2000, 'cdp'],
  [0x00000c_2003, 'vtp'],
  [0x00000c_2004, 'dtp'],
  [0x00000c_010b, 'pvst'],
  [0x00000c_0104, 'pagp'],
  [0x00000c_0111, 'udld'],
  [0x00e02b_00bb, 'extreme_edp'],
];

/** SNAP OUIs whose PID is an EtherType: 00-00-00 (RFC 1042) and 00-00-F8 (802.1H bridge tunnel). */
export const SNAP_OUI_ETHERTYPE = 0x000000;
export const SNAP_OUI_BRIDGE_TUNNEL = 0x0000f8;
