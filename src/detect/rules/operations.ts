// The operation names a rule may name, per protocol, read from the protocols' own code tables (src/protocols/<p>/
// codes.ts), so `operation: write_singel_register` is caught when the file is loaded. Only the data modules are
// imported, never a parser. Industrial protocols are checked; the IT protocols' operation names are open sets
// (DNS record types, HTTP methods) and are not.
import * as modbus from '../../protocols/modbus/codes.js';
import * as s7comm from '../../protocols/s7comm/codes.js';
import * as dnp3 from '../../protocols/dnp3/codes.js';
import * as enip from '../../protocols/enip/codes.js';
import * as iec104 from '../../protocols/iec104/codes.js';
import * as bacnet from '../../protocols/bacnet/codes.js';
import * as opcua from '../../protocols/opcua/codes.js';

/** Protocols whose transactions carry no checked operation names (a registry test keeps this list complete). */
export const OPEN_PROTOCOLS: readonly string[] = ['dns', 'dhcp', 'nbns', 'http', 'tls', 'ssh'];

/** Names a protocol gives codes missing from its tables (`unknown_17`, `user_defined_65`, `unknown_0x4b`, `proprietary_130`). */
const GENERATED = /^(unknown|user_defined|proprietary)_(\d{1,10}|0x[0-9a-f]{1,8})$/;

export interface ProtocolOperations {
  readonly id: string;
  /** How a message names the protocol: `unknown Modbus operation`. */
  readonly label: string;
  /** Operation names. */
  readonly names: ReadonlySet<string>;
  /** Sub-function names (diagnostics, UMAS, S7 userdata, CROB, CIP reset type, IEC 104 cause of transmission). */
  readonly subs: ReadonlySet<string>;
}

const names = (...lists: Iterable<string>[]): ReadonlySet<string> => {
  const s = new Set<string>();
  for (const l of lists) for (const n of l) s.add(n);
  return s;
};
const entryNames = (t: Readonly<Record<number, { readonly name: string }>>): string[] => Object.values(t).map((e) => e.name);
const valueNames = (t: Readonly<Record<number, string>>): string[] => Object.values(t);

function dnp3CrobNames(): string[] {
  const out: string[] = [];
  for (const op of valueNames(dnp3.CROB_OP_TYPES)) {
    out.push(op);
    for (const tcc of valueNames(dnp3.CROB_TCC)) if (tcc !== 'nul') out.push(`${op}_${tcc}`);
  }
  return out;
}

const TABLES: readonly ProtocolOperations[] = [
  {
    id: 'modbus',
    label: 'Modbus',
    names: names(entryNames(modbus.FUNCTION_CODES)),
    subs: names(entryNames(modbus.DIAGNOSTIC_SUBFUNCTIONS), entryNames(modbus.MEI_TYPES), entryNames(modbus.UMAS_CODES)),
  },
  {
    id: 's7comm',
    label: 'S7comm',
    names: names(entryNames(s7comm.FUNCTIONS), entryNames(s7comm.FUNCTION_GROUPS), entryNames(s7comm.S7PLUS_FUNCTIONS), entryNames(s7comm.S7PLUS_OPCODES), ['malformed_userdata', 'system_event']),
    subs: names(...Object.values(s7comm.SUBFUNCTIONS).map(entryNames)),
  },
  {
    id: 'dnp3',
    label: 'DNP3',
    names: names(entryNames(dnp3.FUNCTION_CODES)),
    subs: names(dnp3CrobNames()),
  },
  {
    id: 'enip',
    label: 'EtherNet/IP',
    names: names(entryNames(enip.ENCAP_COMMANDS), entryNames(enip.CIP_COMMON_SERVICES), entryNames(enip.CIP_CONNECTION_MANAGER_SERVICES), entryNames(enip.CIP_LOGIX_SERVICES), ['cip_io']),
    subs: names(valueNames(enip.IDENTITY_RESET_TYPES)),
  },
  {
    id: 'iec104',
    label: 'IEC 104',
    names: names(
      iec104.TYPE_IDS.flatMap((e) => (e === undefined ? [] : [e.name])),
      iec104.U_FUNCTIONS.map((u) => u.name),
    ),
    subs: names(
      Array.from({ length: 64 }, (_, cot) => iec104.cotName(cot)).filter((n) => !GENERATED.test(n)),
      ['act', 'con'],
    ),
  },
  {
    id: 'bacnet',
    label: 'BACnet',
    names: names(entryNames(bacnet.CONFIRMED_SERVICES), entryNames(bacnet.UNCONFIRMED_SERVICES), valueNames(bacnet.PDU_TYPES), entryNames(bacnet.NETWORK_MESSAGES), entryNames(bacnet.BVLC_FUNCTIONS)),
    subs: new Set(),
  },
  {
    id: 'opcua',
    label: 'OPC UA',
    names: names(
      opcua.SERVICES.map((s) => s.name),
      Object.values(opcua.MESSAGE_TYPES).map((m) => m.name),
      ['encrypted_message'],
    ),
    subs: new Set(),
  },
];

const BY_ID = new Map(TABLES.map((t) => [t.id, t]));

/** Every protocol id a rule may name: the industrial ones with checked names first. */
export const RULE_PROTOCOLS: readonly string[] = [...TABLES.map((t) => t.id), ...OPEN_PROTOCOLS];

export function protocolOperations(id: string): ProtocolOperations | undefined {
  return BY_ID.get(id);
}

/**
 * Whether `name` (an operation or sub-function name, or `operation/sub`) exists in one of `protocols` (every checked
 * protocol when empty); names of an open protocol are always accepted. Returns the valid names to suggest from when
 * it does not exist (with the protocols' labels, '' for all), or null when it does.
 */
export function unknownOperation(name: string, protocols: readonly string[]): { label: string; candidates: string[]; elsewhere: string[] } | null {
  const tables = protocols.length === 0 ? TABLES : protocols.map((p) => BY_ID.get(p));
  if (tables.some((t) => t === undefined)) return null;
  const slash = name.indexOf('/');
  const candidates: string[] = [];
  for (const t of tables as ProtocolOperations[]) {
    if (slash < 0) {
      if (t.names.has(name) || t.subs.has(name) || GENERATED.test(name)) return null;
      candidates.push(...t.names, ...t.subs);
    } else {
      const op = name.slice(0, slash);
      const sub = name.slice(slash + 1);
      const opOk = t.names.has(op) || GENERATED.test(op);
      const subOk = t.subs.has(sub) || GENERATED.test(sub);
      if (opOk && subOk) return null;
      for (const n of t.names) for (const s of t.subs) if (n === op || s === sub) candidates.push(`${n}/${s}`);
      if (!opOk) candidates.push(...t.names);
    }
  }
  const label = protocols.length === 0 ? '' : (tables as ProtocolOperations[]).map((t) => t.label).join(' or ');
  const elsewhere = TABLES.filter((t) => !tables.includes(t) && slash < 0 && (t.names.has(name) || t.subs.has(name))).map((t) => t.label);
  return { label, candidates: [...new Set(candidates)], elsewhere };
}
