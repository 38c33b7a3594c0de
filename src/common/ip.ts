// Text forms of IP addresses: dotted quad for IPv4, RFC 5952 canonical text for IPv6 (IPv4-mapped as ::ffff:a.b.c.d).

/** `n` is the address as an unsigned (or signed) 32-bit number, most significant byte first. */
export function ipv4String(n: number): string {
  return `${(n >>> 24) & 255}.${(n >>> 16) & 255}.${(n >>> 8) & 255}.${n & 255}`;
}

/** The 16 bytes at buf[off, off + 16). */
export function ipv6String(buf: Uint8Array, off: number): string {
  const groups = new Array<number>(8);
  for (let i = 0; i < 8; i++) groups[i] = (buf[off + 2 * i] << 8) | buf[off + 2 * i + 1];
  return ipv6GroupsString(groups);
}

/** RFC 5952: lower-case hex, no leading zeros, the longest run (leftmost on ties) of two or more zero groups as `::`. */
export function ipv6GroupsString(groups: readonly number[]): string {
  if (groups[0] === 0 && groups[1] === 0 && groups[2] === 0 && groups[3] === 0 && groups[4] === 0 && groups[5] === 0xffff) {
    return `::ffff:${ipv4String(((groups[6] << 16) | groups[7]) >>> 0)}`;
  }
  let bestStart = -1;
  let bestLen = 1;
  for (let i = 0; i < 8; ) {
    if (groups[i] !== 0) {
      i++;
      continue;
    }
    let j = i;
    while (j < 8 && groups[j] === 0) j++;
    if (j - i > bestLen) {
      bestStart = i;
      bestLen = j - i;
    }
    i = j;
  }
  const hexOf = (from: number, to: number): string => {
    const parts: string[] = [];
    for (let i = from; i < to; i++) parts.push(groups[i].toString(16));
    return parts.join(':');
  };
  if (bestStart < 0) return hexOf(0, 8);
  return `${hexOf(0, bestStart)}::${hexOf(bestStart + bestLen, 8)}`;
}
