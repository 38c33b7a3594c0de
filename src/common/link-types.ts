// Link-layer type numbers (tcpdump.org LINKTYPE_* registry) that Lantern names. Unknown numbers print as `linktype_N`.

export const LINKTYPE = {
  NULL: 0,
  ETHERNET: 1,
  RAW: 101,
  LOOP: 108,
  LINUX_SLL: 113,
  IPV4: 228,
  IPV6: 229,
  LINUX_SLL2: 276,
} as const;

const NAMES: Record<number, string> = {
  0: 'null',
  1: 'ethernet',
  7: 'arcnet',
  101: 'raw',
  105: 'ieee802_11',
  108: 'loop',
  113: 'linux_sll',
  127: 'ieee802_11_radiotap',
  147: 'user0',
  165: 'bacnet_ms_tp',
  195: 'ieee802_15_4',
  227: 'can_socketcan',
  228: 'ipv4',
  229: 'ipv6',
  276: 'linux_sll2',
};

export function linkTypeName(linkType: number): string {
  return NAMES[linkType] ?? `linktype_${linkType}`;
}
