// Modbus code tables. Sources: MODBUS Application Protocol Specification V1.1b3 (function codes §5-6, diagnostics
// sub-functions §6.8.1, exception codes §7, MEI 14 objects §6.21); Schneider UMAS codes from the public
// reverse-engineering notes ("The Unity (UMAS) protocol", lirasenlared, 2017) as used by community dissectors.
import type { Access } from '../operation.js';

export interface CodeEntry {
  readonly name: string;
  readonly access: Access;
}

export const FC_UMAS = 0x5a;
export const FC_ENCAPSULATED_INTERFACE = 43;
export const FC_DIAGNOSTICS = 8;
export const MEI_CANOPEN = 13;
export const MEI_READ_DEVICE_ID = 14;
export const EXCEPTION_BIT = 0x80;

/** Public function codes (spec §5.1). Codes 65-72 and 100-110 are the user-defined ranges (§4.2). */
export const FUNCTION_CODES: Readonly<Record<number, CodeEntry>> = {
  1: { name: 'read_coils', access: 'read' },
  2: { name: 'read_discrete_inputs', access: 'read' },
  3: { name: 'read_holding_registers', access: 'read' },
  4: { name: 'read_input_registers', access: 'read' },
  5: { name: 'write_single_coil', access: 'write' },
  6: { name: 'write_single_register', access: 'write' },
  7: { name: 'read_exception_status', access: 'diagnostic' },
  8: { name: 'diagnostics', access: 'diagnostic' },
  11: { name: 'get_comm_event_counter', access: 'diagnostic' },
  12: { name: 'get_comm_event_log', access: 'diagnostic' },
  15: { name: 'write_multiple_coils', access: 'write' },
  16: { name: 'write_multiple_registers', access: 'write' },
  17: { name: 'report_server_id', access: 'diagnostic' },
  20: { name: 'read_file_record', access: 'read' },
  21: { name: 'write_file_record', access: 'write' },
  22: { name: 'mask_write_register', access: 'write' },
  23: { name: 'read_write_multiple_registers', access: 'write' },
  24: { name: 'read_fifo_queue', access: 'read' },
  43: { name: 'encapsulated_interface_transport', access: 'other' },
  90: { name: 'umas', access: 'other' },
};

export function isUserDefined(fc: number): boolean {
  return (fc >= 65 && fc <= 72) || (fc >= 100 && fc <= 110);
}

/** The entry for a function code (without the exception bit): public, UMAS, user-defined or unknown. */
export function functionEntry(fc: number): CodeEntry {
  const e = FUNCTION_CODES[fc];
  if (e !== undefined) return e;
  if (isUserDefined(fc)) return USER_DEFINED_ENTRIES[fc];
  return { name: `unknown_${fc}`, access: 'other' };
}

const USER_DEFINED_ENTRIES: Record<number, CodeEntry> = {};
for (let fc = 65; fc <= 110; fc++) if (isUserDefined(fc)) USER_DEFINED_ENTRIES[fc] = { name: `user_defined_${fc}`, access: 'other' };

/** Data area a function code addresses (the `target.area` of its transactions). */
export const FUNCTION_AREAS: Readonly<Record<number, string>> = {
  1: 'coils',
  2: 'discrete_inputs',
  3: 'holding_registers',
  4: 'input_registers',
  5: 'coils',
  6: 'holding_registers',
  15: 'coils',
  16: 'holding_registers',
  20: 'file_records',
  21: 'file_records',
  22: 'holding_registers',
  23: 'holding_registers',
  24: 'fifo_queue',
};

/** Diagnostics (fc 8) sub-functions (spec §6.8.1). Restart and listen-only change the device's state: `control`. */
export const DIAGNOSTIC_SUBFUNCTIONS: Readonly<Record<number, CodeEntry>> = {
  0: { name: 'return_query_data', access: 'diagnostic' },
  1: { name: 'restart_communications_option', access: 'control' },
  2: { name: 'return_diagnostic_register', access: 'diagnostic' },
  3: { name: 'change_ascii_input_delimiter', access: 'control' },
  4: { name: 'force_listen_only_mode', access: 'control' },
  10: { name: 'clear_counters_and_diagnostic_register', access: 'diagnostic' },
  11: { name: 'return_bus_message_count', access: 'diagnostic' },
  12: { name: 'return_bus_communication_error_count', access: 'diagnostic' },
  13: { name: 'return_bus_exception_error_count', access: 'diagnostic' },
  14: { name: 'return_server_message_count', access: 'diagnostic' },
  15: { name: 'return_server_no_response_count', access: 'diagnostic' },
  16: { name: 'return_server_nak_count', access: 'diagnostic' },
  17: { name: 'return_server_busy_count', access: 'diagnostic' },
  18: { name: 'return_bus_character_overrun_count', access: 'diagnostic' },
  20: { name: 'clear_overrun_counter_and_flag', access: 'diagnostic' },
};

export function diagnosticEntry(sub: number): CodeEntry {
  return DIAGNOSTIC_SUBFUNCTIONS[sub] ?? { name: `unknown_${sub}`, access: 'diagnostic' };
}

/** Exception codes (spec §7). */
export const EXCEPTION_CODES: Readonly<Record<number, string>> = {
  1: 'illegal_function',
  2: 'illegal_data_address',
  3: 'illegal_data_value',
  4: 'server_device_failure',
  5: 'acknowledge',
  6: 'server_device_busy',
  7: 'negative_acknowledge',
  8: 'memory_parity_error',
  10: 'gateway_path_unavailable',
  11: 'gateway_target_device_failed_to_respond',
};

export function exceptionName(code: number): string {
  return EXCEPTION_CODES[code] ?? `unknown_${code}`;
}

/** MEI types carried by fc 43 (spec §6.19-6.21). */
export const MEI_TYPES: Readonly<Record<number, CodeEntry>> = {
  13: { name: 'canopen_general_reference', access: 'other' },
  14: { name: 'read_device_identification', access: 'discovery' },
};

export function meiEntry(mei: number): CodeEntry {
  return MEI_TYPES[mei] ?? { name: `unknown_${mei}`, access: 'other' };
}

/** Read Device ID codes of MEI 14 requests. */
export const READ_DEVICE_ID_CODES: Readonly<Record<number, string>> = {
  1: 'basic',
  2: 'regular',
  3: 'extended',
  4: 'specific',
};

/** MEI 14 object ids (0x00-0x06 basic/regular; 0x07-0x7F reserved; 0x80-0xFF extended, product-dependent). */
export const DEVICE_ID_OBJECTS: Readonly<Record<number, string>> = {
  0: 'vendor_name',
  1: 'product_code',
  2: 'major_minor_revision',
  3: 'vendor_url',
  4: 'product_name',
  5: 'model_name',
  6: 'user_application_name',
};

export function deviceObjectName(id: number): string {
  const n = DEVICE_ID_OBJECTS[id];
  if (n !== undefined) return n;
  return id >= 0x80 ? `extended_${id}` : `reserved_${id}`;
}

/**
 * Schneider UMAS (fc 90) function codes. In this naming "upload" copies a program from the engineering station to
 * the PLC and "download" copies it back (the reverse of common usage); both are `program`.
 */
export const UMAS_CODES: Readonly<Record<number, CodeEntry>> = {
  0x01: { name: 'init_comm', access: 'other' },
  0x02: { name: 'read_id', access: 'discovery' },
  0x03: { name: 'read_project_info', access: 'discovery' },
  0x04: { name: 'read_plc_info', access: 'discovery' },
  0x05: { name: 'read_loader_info', access: 'discovery' },
  0x06: { name: 'read_card_info', access: 'discovery' },
  0x07: { name: 'read_block_info', access: 'read' },
  0x0a: { name: 'repeat', access: 'other' },
  0x10: { name: 'take_plc_reservation', access: 'other' },
  0x11: { name: 'release_plc_reservation', access: 'other' },
  0x12: { name: 'keep_alive', access: 'other' },
  0x20: { name: 'read_memory_block', access: 'read' },
  0x21: { name: 'write_memory_block', access: 'write' },
  0x22: { name: 'read_variables', access: 'read' },
  0x23: { name: 'write_variables', access: 'write' },
  0x24: { name: 'read_coils_registers', access: 'read' },
  0x25: { name: 'write_coils_registers', access: 'write' },
  0x30: { name: 'initialize_upload', access: 'program' },
  0x31: { name: 'upload_block', access: 'program' },
  0x32: { name: 'end_strategy_upload', access: 'program' },
  0x33: { name: 'initialize_download', access: 'program' },
  0x34: { name: 'download_block', access: 'program' },
  0x35: { name: 'end_strategy_download', access: 'program' },
  0x39: { name: 'read_eth_master_data', access: 'read' },
  0x40: { name: 'start_plc', access: 'control' },
  0x41: { name: 'stop_plc', access: 'control' },
  0x50: { name: 'monitor_plc', access: 'read' },
  0x58: { name: 'check_plc', access: 'diagnostic' },
  0x70: { name: 'read_io_object', access: 'read' },
  0x71: { name: 'write_io_object', access: 'write' },
  0x73: { name: 'get_status_module', access: 'diagnostic' },
};

export function umasEntry(code: number): CodeEntry {
  return UMAS_CODES[code] ?? { name: `unknown_${code}`, access: 'other' };
}

/** UMAS response status bytes. */
export const UMAS_STATUS_OK = 0xfe;
export const UMAS_STATUS_ERROR = 0xfd;
