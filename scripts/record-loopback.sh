#!/usr/bin/env bash
# Records test/testdata/loopback.pcap: the traffic of scripts/loopback-traffic.mjs on the loopback interface of a
# private network namespace whose MTU is 1400, so large UDP datagrams are fragmented (IPv4 and IPv6). Needs root,
# iproute2 and tcpdump. Sends nothing outside the namespace.
set -euo pipefail
here=$(cd "$(dirname "$0")/.." && pwd)
out=${1:-$here/test/testdata/loopback.pcap}
ns=lantern-rec-$$
ip netns add "$ns"
trap 'ip netns del "$ns" 2>/dev/null || true' EXIT
ip netns exec "$ns" ip link set lo mtu 1400 up
ip netns exec "$ns" tcpdump -i lo -U -s 0 -w "$out" 2>/dev/null &
dump=$!
sleep 1
ip netns exec "$ns" node "$here/scripts/loopback-traffic.mjs"
sleep 1
kill -INT "$dump"
wait "$dump" || true
echo "recorded $out"
