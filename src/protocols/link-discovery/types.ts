// The record an LLDP or CDP frame yields: what a switch, router or device says about itself on one link.

export interface LinkDiscovery {
  protocol: 'lldp' | 'cdp';
  /** Source MAC of the frame (lowercase, colon form). */
  sender_mac: string;
  chassis_id?: string;
  chassis_id_subtype?: string;
  port_id?: string;
  port_description?: string;
  system_name?: string;
  system_description?: string;
  /** CDP only. */
  platform?: string;
  /** CDP only. */
  software_version?: string;
  capabilities: string[];
  enabled_capabilities: string[];
  management_addresses: string[];
  native_vlan?: number;
  ttl?: number;
}
