// What an asset is for, with the reasons: roles inferred from the protocols it serves and uses, the operations it
// performs, and what it says about itself; then a Purdue level (ISA-95 / IEC 62443 reference model, 0 field devices to
// 5 enterprise and internet) and a default criticality. Pure: facts in, judgements out.
import type { Access } from '../protocols/operation.js';
import { ROLES } from '../common/vocabulary.js';

export { ROLES };
export type Role = (typeof ROLES)[number];

export interface RoleJudgement {
  readonly role: Role;
  /** 0..1 */
  readonly confidence: number;
  readonly reasons: readonly string[];
}

export type Criticality = 'high' | 'medium' | 'low';

/** One protocol an asset serves or uses, over the edges of the communication map. */
export interface ProtocolUse {
  /** Distinct peers (clients of a served protocol, servers of a used one). */
  readonly peers: number;
  /** Operations by access class. */
  readonly ops: Readonly<Partial<Record<Access, number>>>;
  readonly industrial: boolean;
}

export interface AssetFacts {
  readonly served: ReadonlyMap<string, ProtocolUse>;
  readonly used: ReadonlyMap<string, ProtocolUse>;
  /** `protocol/role` the protocol modules reported (`dnp3/outstation`, `enip/plc`, `s7comm/server`...). */
  readonly protocolRoles: ReadonlySet<string>;
  /** identity.device_type as the device reported it. */
  readonly deviceType?: string;
  /** Free-text description the device announced (LLDP system description, CDP platform). */
  readonly description?: string;
  /** LLDP/CDP enabled capabilities. */
  readonly capabilities: readonly string[];
  /** Most source IPs seen behind one of its MACs. */
  readonly ipsBehindMac: number;
  readonly external: boolean;
}

const FIELD_DEVICE_TYPES = /\b(io|i\/o|drive|sensor|actuator|valve|meter|encoder|motor starter|servo)\b/i;
const CONTROLLER_DEVICE_TYPES = /\b(plc|programmable logic controller|controller|rtu|ied|cpu)\b/i;
const HMI_DEVICE_TYPES = /\b(hmi|human.machine interface|operator interface|operator panel|comfort panel|basic panel)\b/i;
const SWITCH_DEVICE_TYPES = /\b(switch|router|firewall|gateway)\b/i;
const NETWORK_CAPABILITIES = new Set(['router', 'bridge', 'switch', 'wlan_access_point', 'transparent_bridge', 'source_route_bridge', 'repeater', 'c_vlan', 's_vlan', 'two_port_mac_relay']);
/** Protocol roles that mark the device end of an industrial protocol. */
const DEVICE_SIDE_ROLES = /\/(server|outstation|plc|device|adapter|io|drive)$/;
const GATEWAY_MIN_IPS = 4;

function sum(ops: Readonly<Partial<Record<Access, number>>>, ...keys: Access[]): number {
  let n = 0;
  for (const k of keys) n += ops[k] ?? 0;
  return n;
}

/** Roles, most confident first; `unknown` alone when nothing points anywhere. */
export function inferRoles(f: AssetFacts): RoleJudgement[] {
  const out = new Map<Role, { confidence: number; reasons: string[] }>();
  const add = (role: Role, confidence: number, reason: string) => {
    const r = out.get(role);
    if (r === undefined) out.set(role, { confidence, reasons: [reason] });
    else {
      // Independent reasons reinforce each other without reaching certainty.
      r.confidence = 1 - (1 - r.confidence) * (1 - confidence);
      if (r.reasons.length < 8) r.reasons.push(reason);
    }
  };

  // Device types come as `communications_adapter` or "Programmable Logic Controller": match on words.
  const dt = f.deviceType?.replace(/_/g, ' ');
  if (dt !== undefined) {
    if (FIELD_DEVICE_TYPES.test(dt)) add('field_device', 0.8, `reports device type "${dt}"`);
    else if (HMI_DEVICE_TYPES.test(dt)) add('hmi_scada', 0.8, `reports device type "${dt}"`);
    else if (SWITCH_DEVICE_TYPES.test(dt)) add('network_device', 0.8, `reports device type "${dt}"`);
    else if (CONTROLLER_DEVICE_TYPES.test(dt)) add('controller', 0.85, `reports device type "${dt}"`);
  }

  // An announced description names the product line: weaker than a device type, and only when none was reported.
  const desc = dt === undefined ? f.description : undefined;
  if (desc !== undefined) {
    if (HMI_DEVICE_TYPES.test(desc)) add('hmi_scada', 0.6, `describes itself as "${desc.slice(0, 80)}"`);
    else if (CONTROLLER_DEVICE_TYPES.test(desc) || /\bSIMATIC S7|\bET ?200/i.test(desc)) add('controller', 0.6, `describes itself as "${desc.slice(0, 80)}"`);
  }

  let servesIndustrial = false;
  for (const [protocol, use] of f.served) {
    if (!use.industrial) continue;
    servesIndustrial = true;
    if (protocol === 'opcua') {
      add('hmi_scada', 0.4, `serves OPC UA to ${use.peers} client(s) (a SCADA, gateway or historian server)`);
      continue;
    }
    add('controller', 0.7, `serves ${protocol} to ${use.peers} client(s)`);
  }
  for (const pr of f.protocolRoles) {
    const protocol = pr.split('/')[0];
    if (DEVICE_SIDE_ROLES.test(pr) && protocol !== 'opcua' && !f.served.has(protocol)) add('controller', 0.5, `answers as ${pr.replace('/', ' ')}`);
  }

  let industrialServers = 0;
  let reads = 0;
  let writes = 0;
  let program = 0;
  let diagnostic = 0;
  let control = 0;
  const usedIndustrial: string[] = [];
  for (const [protocol, use] of f.used) {
    if (!use.industrial) continue;
    usedIndustrial.push(protocol);
    industrialServers += use.peers;
    reads += sum(use.ops, 'read');
    writes += sum(use.ops, 'write');
    control += sum(use.ops, 'control');
    program += sum(use.ops, 'program');
    diagnostic += sum(use.ops, 'diagnostic');
  }
  if (program > 0) add('engineering_workstation', 0.9, `performed ${program} program operation(s) (upload, download, program control)`);
  if (diagnostic > 0 && program === 0) add('engineering_workstation', 0.35, `performed ${diagnostic} diagnostic operation(s)`);
  if (usedIndustrial.length > 0) {
    const list = usedIndustrial.join(', ');
    if (writes + control > 0) {
      add('hmi_scada', industrialServers >= 2 ? 0.8 : 0.65, `polls ${industrialServers} industrial server(s) over ${list} and sends ${writes + control} write or control operation(s)`);
    } else if (reads > 0 && industrialServers >= 3) {
      add('historian', 0.55, `only reads, from ${industrialServers} industrial servers over ${list}`);
      add('hmi_scada', 0.45, `polls ${industrialServers} industrial servers over ${list}`);
    } else if (reads > 0) {
      add('hmi_scada', 0.5, `reads from ${industrialServers} industrial server(s) over ${list}`);
    } else if (program === 0 && diagnostic === 0) {
      add('hmi_scada', 0.3, `client of ${list}`);
    }
  }

  for (const pr of f.protocolRoles) if (pr.endsWith('/gateway')) add('network_device', 0.6, `routes ${pr.split('/')[0]} to devices behind it`);
  const caps = f.capabilities.filter((c) => NETWORK_CAPABILITIES.has(c));
  // A bridge alone is also every PROFINET device with a two-port switch inside: weaker than a router or access point.
  const strong = caps.some((c) => c === 'router' || c === 'wlan_access_point' || c === 's_vlan' || c === 'switch');
  if (caps.length > 0) add('network_device', strong ? 0.9 : 0.55, `announces capabilities ${caps.join(', ')} (LLDP/CDP)`);
  if (f.ipsBehindMac >= GATEWAY_MIN_IPS) add('network_device', 0.75, `its MAC is the Ethernet source of ${f.ipsBehindMac} IP addresses (layer-3 gateway)`);

  if (out.size === 0) {
    const it = [...f.served.keys(), ...f.used.keys()].filter((p) => !f.served.get(p)?.industrial && !f.used.get(p)?.industrial);
    if (f.external) add('it_host', 0.6, 'address outside private ranges');
    else if (it.length > 0 && !servesIndustrial) add('it_host', 0.5, `only IT protocols seen (${[...new Set(it)].slice(0, 6).join(', ')})`);
  }
  if (out.size === 0) return [{ role: 'unknown', confidence: 0, reasons: ['no protocol, identity or topology evidence of a role'] }];
  return [...out]
    .map(([role, r]) => ({ role, confidence: Math.round(r.confidence * 100) / 100, reasons: r.reasons }))
    .sort((a, b) => b.confidence - a.confidence || ROLES.indexOf(a.role) - ROLES.indexOf(b.role));
}

export interface PurdueEstimate {
  readonly level: number | null;
  readonly reason: string;
}

/** Level 0 field devices, 1 controllers, 2 supervisory (HMI, engineering), 3 site operations (historian), 4 enterprise IT, 5 internet. */
export function purdueLevel(primary: Role, external: boolean): PurdueEstimate {
  // A controller on a public address is still a controller (and a finding); only hosts without an industrial role are
  // placed outside by their address.
  if (external && (primary === 'it_host' || primary === 'unknown')) return { level: 5, reason: 'address outside private ranges (internet / enterprise DMZ)' };
  switch (primary) {
    case 'field_device':
      return { level: 0, reason: 'field device (I/O, drive, sensor)' };
    case 'controller':
      return { level: 1, reason: 'controller serving industrial protocols' };
    case 'hmi_scada':
    case 'engineering_workstation':
      return { level: 2, reason: `${primary === 'hmi_scada' ? 'HMI/SCADA' : 'engineering workstation'}: supervises controllers` };
    case 'historian':
      return { level: 3, reason: 'historian: collects from many controllers' };
    case 'it_host':
      return { level: 4, reason: 'IT host with no industrial protocol' };
    default:
      return { level: null, reason: primary === 'network_device' ? 'network devices span levels' : 'role unknown' };
  }
}

export function defaultCriticality(primary: Role): Criticality {
  switch (primary) {
    case 'controller':
    case 'field_device':
    case 'hmi_scada':
    case 'engineering_workstation':
      return 'high';
    case 'historian':
    case 'network_device':
      return 'medium';
    default:
      return 'low';
  }
}
