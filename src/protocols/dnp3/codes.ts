// DNP3 code tables (IEEE 1815-2012): data link functions (§9.2.4.1.3), application function codes (§4.2.2.5), IIN
// bits (§4.2.2.7), object groups (Annex A), qualifier codes (§4.2.2.7.3), CROB control/status codes (A.8.1), device
// attribute variations (A.1). Declared once; unknown codes are named `unknown_<code>`.
import type { Access, CodeName } from '../operation.js';

export interface FunctionInfo {
  readonly name: string;
  readonly access: Access;
  /** The request's objects carry data after their headers (write, control, file...), not headers alone (read). */
  readonly requestData: boolean;
  /** No response is expected (…_no_ack): the request is a lone transaction. */
  readonly noResponse: boolean;
}

function fn(name: string, access: Access, requestData = false, noResponse = false): FunctionInfo {
  return { name, access, requestData, noResponse };
}

export const FC_CONFIRM = 0;
export const FC_RESPONSE = 129;
export const FC_UNSOLICITED_RESPONSE = 130;
export const FC_AUTHENTICATE_RESPONSE = 131;

export const FUNCTION_CODES: Readonly<Record<number, FunctionInfo>> = {
  0: fn('confirm', 'other'),
  1: fn('read', 'read'),
  2: fn('write', 'write', true),
  3: fn('select', 'control', true),
  4: fn('operate', 'control', true),
  5: fn('direct_operate', 'control', true),
  6: fn('direct_operate_no_ack', 'control', true, true),
  7: fn('immediate_freeze', 'control'),
  8: fn('immediate_freeze_no_ack', 'control', false, true),
  9: fn('freeze_and_clear', 'control'),
  10: fn('freeze_and_clear_no_ack', 'control', false, true),
  11: fn('freeze_at_time', 'control'),
  12: fn('freeze_at_time_no_ack', 'control', false, true),
  13: fn('cold_restart', 'control'),
  14: fn('warm_restart', 'control'),
  15: fn('initialize_data', 'control'),
  16: fn('initialize_application', 'control', true),
  17: fn('start_application', 'control', true),
  18: fn('stop_application', 'control', true),
  19: fn('save_configuration', 'program'),
  20: fn('enable_unsolicited', 'control'),
  21: fn('disable_unsolicited', 'control'),
  22: fn('assign_class', 'other'),
  23: fn('delay_measure', 'diagnostic'),
  24: fn('record_current_time', 'diagnostic'),
  25: fn('open_file', 'program', true),
  26: fn('close_file', 'program', true),
  27: fn('delete_file', 'program', true),
  28: fn('get_file_info', 'program', true),
  29: fn('authenticate_file', 'program', true),
  30: fn('abort_file', 'program', true),
  31: fn('activate_config', 'program', true),
  32: fn('authenticate_request', 'other', true),
  33: fn('authenticate_request_no_ack', 'other', true, true),
  129: fn('response', 'other', true),
  130: fn('unsolicited_response', 'other', true),
  131: fn('authenticate_response', 'other', true),
};

export function functionInfo(fc: number): FunctionInfo {
  return FUNCTION_CODES[fc] ?? fn(`unknown_${fc}`, 'other', true);
}

/** Data link function codes: primary (PRM=1) and secondary (PRM=0) frames. */
export const LINK_PRIMARY_FUNCTIONS: Readonly<Record<number, string>> = {
  0: 'reset_link_states',
  1: 'reset_user_process',
  2: 'test_link_states',
  3: 'confirmed_user_data',
  4: 'unconfirmed_user_data',
  9: 'request_link_status',
};
export const LINK_SECONDARY_FUNCTIONS: Readonly<Record<number, string>> = {
  0: 'ack',
  1: 'nack',
  11: 'link_status',
  14: 'not_functioning',
  15: 'not_supported',
};
export const LINK_CONFIRMED_USER_DATA = 3;
export const LINK_UNCONFIRMED_USER_DATA = 4;

export function linkFunctionName(prm: boolean, code: number): string {
  return (prm ? LINK_PRIMARY_FUNCTIONS[code] : LINK_SECONDARY_FUNCTIONS[code]) ?? `unknown_${code}`;
}

/** IIN bits: first octet (IIN1) bits 0-7, then second octet (IIN2) bits 0-7. */
export const IIN1_BITS = [
  'broadcast',
  'class_1_events',
  'class_2_events',
  'class_3_events',
  'need_time',
  'local_control',
  'device_trouble',
  'device_restart',
] as const;
export const IIN2_BITS = [
  'no_func_code_support',
  'object_unknown',
  'parameter_error',
  'event_buffer_overflow',
  'already_executing',
  'config_corrupt',
  'reserved_2',
  'reserved_1',
] as const;
/** IIN2 bits that mean the outstation refused or failed the request (outcome `exception`). */
export const IIN2_ERROR_MASK = 0x01 | 0x02 | 0x04 | 0x10 | 0x20;

export function iinNames(iin1: number, iin2: number): string[] {
  const out: string[] = [];
  for (let b = 0; b < 8; b++) if ((iin1 & (1 << b)) !== 0) out.push(IIN1_BITS[b]);
  for (let b = 0; b < 8; b++) if ((iin2 & (1 << b)) !== 0) out.push(IIN2_BITS[b]);
  return out;
}

/** The first IIN2 error bit set, as {code: bit value, name}. */
export function iinError(iin2: number): CodeName | null {
  const bits = iin2 & IIN2_ERROR_MASK;
  if (bits === 0) return null;
  for (let b = 0; b < 8; b++) if ((bits & (1 << b)) !== 0) return { code: 1 << b, name: IIN2_BITS[b] };
  return null;
}

export const GROUP_NAMES: Readonly<Record<number, string>> = {
  0: 'device_attributes',
  1: 'binary_input',
  2: 'binary_input_event',
  3: 'double_bit_input',
  4: 'double_bit_input_event',
  10: 'binary_output',
  11: 'binary_output_event',
  12: 'binary_output_command',
  13: 'binary_output_command_event',
  20: 'counter',
  21: 'frozen_counter',
  22: 'counter_event',
  23: 'frozen_counter_event',
  30: 'analog_input',
  31: 'frozen_analog_input',
  32: 'analog_input_event',
  33: 'frozen_analog_input_event',
  34: 'analog_input_deadband',
  40: 'analog_output_status',
  41: 'analog_output_block',
  42: 'analog_output_event',
  43: 'analog_output_command_event',
  50: 'time_and_date',
  51: 'time_and_date_cto',
  52: 'time_delay',
  60: 'class_data',
  70: 'file_transfer',
  80: 'internal_indications',
  81: 'device_storage',
  82: 'device_profile',
  83: 'data_set_registration',
  85: 'data_set_prototype',
  86: 'data_set_descriptor',
  87: 'data_set',
  88: 'data_set_event',
  90: 'application_identifier',
  91: 'status_of_requested_operation',
  100: 'floating_point',
  101: 'bcd_integer',
  102: 'unsigned_integer',
  110: 'octet_string',
  111: 'octet_string_event',
  112: 'virtual_terminal_output',
  113: 'virtual_terminal_event',
  120: 'authentication',
  121: 'security_statistic',
  122: 'security_statistic_event',
};

export function groupName(group: number): string {
  return GROUP_NAMES[group] ?? `unknown_${group}`;
}

/** Class data objects (g60): variation 1 is class 0 (static data), 2-4 classes 1-3 (events). */
export const CLASS_NAMES: Readonly<Record<number, string>> = { 1: 'class_0', 2: 'class_1', 3: 'class_2', 4: 'class_3' };

/** Range specifier codes (low nibble of the qualifier). */
export const RANGE_NAMES: Readonly<Record<number, string>> = {
  0: 'start_stop_1',
  1: 'start_stop_2',
  2: 'start_stop_4',
  3: 'virtual_start_stop_1',
  4: 'virtual_start_stop_2',
  5: 'virtual_start_stop_4',
  6: 'all_objects',
  7: 'count_1',
  8: 'count_2',
  9: 'count_4',
  11: 'free_format',
};

/** Device attribute variations (g0): the identity an outstation reports. */
export const DEVICE_ATTRIBUTES: Readonly<Record<number, string>> = {
  196: 'configuration_id',
  197: 'configuration_version',
  198: 'configuration_build_date',
  199: 'configuration_last_change_date',
  200: 'configuration_digest',
  201: 'configuration_digest_algorithm',
  202: 'master_resource_id',
  203: 'device_location_altitude',
  204: 'device_location_longitude',
  205: 'device_location_latitude',
  206: 'user_assigned_secondary_operator_name',
  207: 'user_assigned_primary_operator_name',
  208: 'user_assigned_system_name',
  209: 'secure_authentication_version',
  210: 'number_of_security_statistics',
  211: 'identifier_of_support_for_user_specific_attributes',
  212: 'number_of_master_defined_data_set_prototypes',
  213: 'number_of_outstation_defined_data_set_prototypes',
  214: 'number_of_master_defined_data_sets',
  215: 'number_of_outstation_defined_data_sets',
  216: 'max_binary_output_per_request',
  217: 'local_timing_accuracy',
  218: 'duration_of_time_accuracy',
  219: 'support_for_analog_output_events',
  220: 'max_analog_output_index',
  221: 'number_of_analog_outputs',
  222: 'support_for_binary_output_events',
  223: 'max_binary_output_index',
  224: 'number_of_binary_outputs',
  225: 'support_for_frozen_counter_events',
  226: 'support_for_frozen_counters',
  227: 'support_for_counter_events',
  228: 'max_counter_index',
  229: 'number_of_counters',
  230: 'support_for_frozen_analog_inputs',
  231: 'support_for_analog_input_events',
  232: 'max_analog_input_index',
  233: 'number_of_analog_inputs',
  234: 'support_for_double_bit_binary_input_events',
  235: 'max_double_bit_binary_input_index',
  236: 'number_of_double_bit_binary_inputs',
  237: 'support_for_binary_input_events',
  238: 'max_binary_input_index',
  239: 'number_of_binary_inputs',
  240: 'max_transmit_fragment_size',
  241: 'max_receive_fragment_size',
  242: 'device_manufacturer_software_version',
  243: 'device_manufacturer_hardware_version',
  245: 'user_assigned_location_name',
  246: 'user_assigned_id_code',
  247: 'user_assigned_device_name',
  248: 'device_serial_number',
  249: 'dnp3_subset_and_conformance',
  250: 'device_manufacturer_product_name_and_model',
  252: 'device_manufacturer_name',
  254: 'all_attributes_request',
  255: 'list_of_attribute_variations',
};

/** Which g0 attribute fills which identity field of an asset hint. */
export const ATTRIBUTE_IDENTITY: Readonly<Record<number, string>> = {
  252: 'vendor',
  250: 'model',
  242: 'firmware',
  243: 'hardware',
  248: 'serial',
  247: 'name',
  245: 'location',
  246: 'id_code',
};

/** CROB operation type (control code bits 0-3). */
export const CROB_OP_TYPES: Readonly<Record<number, string>> = { 0: 'nul', 1: 'pulse_on', 2: 'pulse_off', 3: 'latch_on', 4: 'latch_off' };
/** CROB trip-close code (control code bits 6-7). */
export const CROB_TCC: Readonly<Record<number, string>> = { 0: 'nul', 1: 'close', 2: 'trip', 3: 'reserved' };

/** Command status codes (CROB, analog output block). */
export const COMMAND_STATUS: Readonly<Record<number, string>> = {
  0: 'success',
  1: 'timeout',
  2: 'no_select',
  3: 'format_error',
  4: 'not_supported',
  5: 'already_active',
  6: 'hardware_error',
  7: 'local',
  8: 'too_many_objs',
  9: 'not_authorized',
  10: 'automation_inhibit',
  11: 'processing_limited',
  12: 'out_of_range',
  13: 'downstream_local',
  14: 'already_complete',
  15: 'blocked',
  16: 'cancelled',
  17: 'blocked_other_master',
  18: 'downstream_fail',
  126: 'non_participating',
  127: 'undefined',
};

export function commandStatusName(code: number): string {
  return COMMAND_STATUS[code] ?? `unknown_${code}`;
}

/** Broadcast destination addresses (0xFFFD-0xFFFF). */
export function isBroadcast(address: number): boolean {
  return address >= 0xfffd;
}

/** How one object of a group/variation is laid out: its value type, a leading flags octet, a time, a status octet. */
export type ValueKind = 'none' | 'bit' | 'dbit' | 'u8' | 'u16' | 'u32' | 'i16' | 'i32' | 'f32' | 'f64' | 'time' | 'crob';
export interface ObjectLayout {
  /** Bytes per object (0 for packed bits). */
  readonly size: number;
  /** Bits per object for packed formats (g1v1, g3v1, g10v1, g80v1, g12v3), else 0. */
  readonly bits: number;
  readonly kind: ValueKind;
  readonly flags: boolean;
  /** 48-bit absolute time (ms since 1970) after the value, or 16-bit relative time. */
  readonly time: 0 | 16 | 48;
  /** A status octet after the value (g41 analog output block). */
  readonly status: boolean;
}

function lay(size: number, kind: ValueKind, flags = false, time: 0 | 16 | 48 = 0, status = false, bits = 0): ObjectLayout {
  return { size, bits, kind, flags, time, status };
}
const PACKED1 = lay(0, 'bit', false, 0, false, 1);
const PACKED2 = lay(0, 'dbit', false, 0, false, 2);
const BIN_EVENT = [lay(1, 'bit', true), lay(7, 'bit', true, 48), lay(3, 'bit', true, 16)];
const DBIT_EVENT = [lay(1, 'dbit', true), lay(7, 'dbit', true, 48), lay(3, 'dbit', true, 16)];
const COUNTER = [lay(5, 'u32', true), lay(3, 'u16', true), lay(5, 'u32', true), lay(3, 'u16', true), lay(4, 'u32'), lay(2, 'u16'), lay(4, 'u32'), lay(2, 'u16')];
const COUNTER_EVENT = [lay(5, 'u32', true), lay(3, 'u16', true), lay(5, 'u32', true), lay(3, 'u16', true), lay(11, 'u32', true, 48), lay(9, 'u16', true, 48), lay(11, 'u32', true, 48), lay(9, 'u16', true, 48)];
const ANALOG_EVENT = [lay(5, 'i32', true), lay(3, 'i16', true), lay(11, 'i32', true, 48), lay(9, 'i16', true, 48), lay(5, 'f32', true), lay(9, 'f64', true), lay(11, 'f32', true, 48), lay(15, 'f64', true, 48)];

/** Fixed layouts by group, variation 1 first. Groups not here (or variations past the list) have no known size. */
const LAYOUTS: Readonly<Record<number, readonly ObjectLayout[]>> = {
  1: [PACKED1, lay(1, 'bit', true)],
  2: BIN_EVENT,
  3: [PACKED2, lay(1, 'dbit', true)],
  4: DBIT_EVENT,
  10: [PACKED1, lay(1, 'bit', true)],
  11: [lay(1, 'bit', true), lay(7, 'bit', true, 48)],
  12: [lay(11, 'crob'), lay(11, 'crob'), PACKED1],
  13: [lay(1, 'bit', true), lay(7, 'bit', true, 48)],
  20: COUNTER,
  21: [lay(5, 'u32', true), lay(3, 'u16', true), lay(5, 'u32', true), lay(3, 'u16', true), lay(11, 'u32', true, 48), lay(9, 'u16', true, 48), lay(11, 'u32', true, 48), lay(9, 'u16', true, 48), lay(4, 'u32'), lay(2, 'u16'), lay(4, 'u32'), lay(2, 'u16')],
  22: COUNTER_EVENT,
  23: COUNTER_EVENT,
  30: [lay(5, 'i32', true), lay(3, 'i16', true), lay(4, 'i32'), lay(2, 'i16'), lay(5, 'f32', true), lay(9, 'f64', true)],
  31: [lay(5, 'i32', true), lay(3, 'i16', true), lay(11, 'i32', true, 48), lay(9, 'i16', true, 48), lay(4, 'i32'), lay(2, 'i16'), lay(5, 'f32', true), lay(9, 'f64', true)],
  32: ANALOG_EVENT,
  33: ANALOG_EVENT,
  34: [lay(2, 'u16'), lay(4, 'u32'), lay(4, 'f32')],
  40: [lay(5, 'i32', true), lay(3, 'i16', true), lay(5, 'f32', true), lay(9, 'f64', true)],
  41: [lay(5, 'i32', false, 0, true), lay(3, 'i16', false, 0, true), lay(5, 'f32', false, 0, true), lay(9, 'f64', false, 0, true)],
  42: ANALOG_EVENT,
  43: ANALOG_EVENT,
  50: [lay(6, 'time'), lay(10, 'time'), lay(6, 'time'), lay(11, 'time')],
  51: [lay(6, 'time'), lay(6, 'time')],
  52: [lay(2, 'u16'), lay(2, 'u16')],
  80: [PACKED1],
  102: [lay(1, 'u8')],
  121: [lay(7, 'u32')],
  122: [lay(7, 'u32'), lay(13, 'u32', false, 48)],
};
const OCTET_STRING_GROUPS = new Set([110, 111, 112, 113]);

/** The layout of group/variation, or null when its size is not known (variable-size or undocumented objects). */
export function objectLayout(group: number, variation: number): ObjectLayout | null {
  if (OCTET_STRING_GROUPS.has(group)) return variation === 0 ? null : lay(variation, 'none');
  const list = LAYOUTS[group];
  if (list === undefined || variation < 1 || variation > list.length) return null;
  return list[variation - 1];
}
