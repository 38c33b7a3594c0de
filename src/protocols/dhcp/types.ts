// Typed DHCPv4 message as parse.ts returns it: the fields exported under `dhcp` (docs/protocols/dhcp.md).

export interface DhcpFields {
  /** BOOTP op: 1 request (client), 2 reply (server). */
  op: number;
  xid: number;
  /** Option 53 value, 0 for BOOTP without it. */
  msg_type: number;
  hops?: number;
  secs: number;
  broadcast: boolean;
  /** chaddr as a MAC (hardware type 1, length 6), else its bytes as hex under `client_hw`. */
  client_mac?: string;
  client_hw?: string;
  ciaddr?: string;
  yiaddr?: string;
  siaddr?: string;
  giaddr?: string;
  host_name?: string;
  requested_ip?: string;
  server_id?: string;
  lease_time?: number;
  vendor_class?: string;
  /** Option 55 as comma-separated decimals. */
  param_list?: string;
  client_id?: string;
  fqdn?: string;
  domain_name?: string;
  subnet_mask?: string;
  router?: string;
  dns_servers?: string[];
  message?: string;
  /** Option codes in the order sent (pad and end left out). */
  options: number[];
}

export interface DhcpMessage {
  fields: DhcpFields;
  anomalies: string[];
}
