// NetBIOS name service code tables. Source: RFC 1002 §4.2 (opcodes, NM_FLAGS, RCODEs, NB_FLAGS, NODE_NAME flags);
// name suffixes from Microsoft's "NetBIOS Suffixes (16th Character of the NetBIOS Name)" (KB 163409).
import type { Access } from '../operation.js';

export const NBNS_PORT = 137;
export const TYPE_NB = 0x20;
export const TYPE_NBSTAT = 0x21;
export const OPCODE_QUERY = 0;
export const OPCODE_WACK = 7;

export interface OpcodeEntry {
  readonly name: string;
  readonly access: Access;
}

export const OPCODES: Readonly<Record<number, OpcodeEntry>> = {
  0: { name: 'query', access: 'discovery' },
  5: { name: 'registration', access: 'other' },
  6: { name: 'release', access: 'other' },
  7: { name: 'wack', access: 'other' },
  8: { name: 'refresh', access: 'other' },
  9: { name: 'refresh', access: 'other' },
  15: { name: 'multihomed_registration', access: 'other' },
};

export function opcodeEntry(op: number): OpcodeEntry {
  return OPCODES[op] ?? { name: `unknown_${op}`, access: 'other' };
}

/** Opcodes whose request carries the registered address in an additional NB record. */
export function registersName(op: number): boolean {
  return op === 5 || op === 8 || op === 9 || op === 15;
}

export const QUESTION_TYPES: Readonly<Record<number, string>> = { 0x20: 'nb', 0x21: 'nbstat' };

export function questionTypeName(t: number): string {
  return QUESTION_TYPES[t] ?? `unknown_${t}`;
}

export const RCODES: Readonly<Record<number, string>> = {
  0: 'ok',
  1: 'format_error',
  2: 'server_failure',
  3: 'name_error',
  4: 'unsupported_request',
  5: 'refused',
  6: 'active_error',
  7: 'name_conflict',
};

export function rcodeName(rcode: number): string {
  return RCODES[rcode] ?? `unknown_${rcode}`;
}

export const NODE_TYPES = ['b', 'p', 'm', 'h'] as const;

/** The 16th byte of a NetBIOS name: what the name stands for (unique names unless marked group). */
export const SUFFIXES: Readonly<Record<number, string>> = {
  0x00: 'workstation',
  0x01: 'messenger_or_msbrowse',
  0x03: 'messenger',
  0x06: 'ras_server',
  0x1b: 'domain_master_browser',
  0x1c: 'domain_controllers',
  0x1d: 'master_browser',
  0x1e: 'browser_election',
  0x1f: 'netdde',
  0x20: 'file_server',
  0x21: 'ras_client',
  0x22: 'exchange_interchange',
  0x23: 'exchange_store',
  0x24: 'exchange_directory',
  0x2b: 'lotus_notes',
  0x30: 'modem_sharing_server',
  0x31: 'modem_sharing_client',
  0x43: 'sms_remote_control',
  0x44: 'sms_remote_control_tool',
  0x45: 'sms_remote_chat',
  0x46: 'sms_remote_transfer',
  0x6a: 'exchange_imc',
  0x87: 'exchange_mta',
  0xbe: 'network_monitor_agent',
  0xbf: 'network_monitor_application',
};

export function suffixName(suffix: number): string {
  return SUFFIXES[suffix] ?? `unknown_${suffix}`;
}

/** Suffixes under which a unique name is the host's own name (workstation and server services). */
export function isHostNameSuffix(suffix: number): boolean {
  return suffix === 0x00 || suffix === 0x20;
}
