// S7comm / S7comm-plus code tables. Sources: RFC 1006 (TPKT), ISO 8073 / X.224 (COTP TPDU codes and parameters),
// Siemens "System Software for S7-300/400 System and Standard Functions" (SZL ids, block types, areas) and the
// public descriptions of the S7 protocol (Wireshark s7comm dissector field names, Snap7 error codes) for codes Siemens
// does not publish.
import type { Access } from '../operation.js';

export interface CodeEntry {
  readonly name: string;
}
export interface OpEntry extends CodeEntry {
  readonly access: Access;
}

/** Looks a code up in a table, with the explicit fallback `unknown_<code>`. */
export function codeName(table: Readonly<Record<number, CodeEntry>>, code: number): string {
  const e = table[code];
  return e === undefined ? `unknown_${code}` : e.name;
}

export const TPKT_VERSION = 3;
export const TPKT_HEADER_LENGTH = 4;
export const S7_PROTOCOL_ID = 0x32;
export const S7PLUS_PROTOCOL_ID = 0x72;

/** COTP TPDU codes (upper nibble of the second byte; X.224 table 8). */
export const COTP_TYPES: Readonly<Record<number, CodeEntry>> = {
  0x0e: { name: 'connection_request' },
  0x0d: { name: 'connection_confirm' },
  0x08: { name: 'disconnect_request' },
  0x0c: { name: 'disconnect_confirm' },
  0x0f: { name: 'data' },
  0x01: { name: 'expedited_data' },
  0x06: { name: 'data_ack' },
  0x02: { name: 'expedited_data_ack' },
  0x05: { name: 'reject' },
  0x07: { name: 'tpdu_error' },
};
export const COTP_CR = 0x0e;
export const COTP_CC = 0x0d;
export const COTP_DR = 0x08;
export const COTP_DC = 0x0c;
export const COTP_DT = 0x0f;
export const COTP_ER = 0x07;

/** COTP variable-part parameter codes. */
export const COTP_PARAM_TPDU_SIZE = 0xc0;
export const COTP_PARAM_SRC_TSAP = 0xc1;
export const COTP_PARAM_DST_TSAP = 0xc2;

/** First byte of an S7 TSAP: the connection resource type. */
export const TSAP_CONNECTION_TYPES: Readonly<Record<number, CodeEntry>> = {
  0x01: { name: 'pg' },
  0x02: { name: 'op' },
  0x03: { name: 's7_basic' },
  0x10: { name: 'other' },
};

/** Header ROSCTR (message type). */
export const ROSCTR: Readonly<Record<number, CodeEntry>> = {
  0x01: { name: 'job' },
  0x02: { name: 'ack' },
  0x03: { name: 'ack_data' },
  0x07: { name: 'userdata' },
};
export const ROSCTR_JOB = 1;
export const ROSCTR_ACK = 2;
export const ROSCTR_ACK_DATA = 3;
export const ROSCTR_USERDATA = 7;

/** Job / ack_data parameter function codes. */
export const FUNCTIONS: Readonly<Record<number, OpEntry>> = {
  0x00: { name: 'cpu_services', access: 'other' },
  0x04: { name: 'read_var', access: 'read' },
  0x05: { name: 'write_var', access: 'write' },
  0x1a: { name: 'request_download', access: 'program' },
  0x1b: { name: 'download_block', access: 'program' },
  0x1c: { name: 'download_ended', access: 'program' },
  0x1d: { name: 'start_upload', access: 'program' },
  0x1e: { name: 'upload', access: 'program' },
  0x1f: { name: 'end_upload', access: 'program' },
  0x28: { name: 'pi_service', access: 'control' },
  0x29: { name: 'plc_stop', access: 'control' },
  0xf0: { name: 'setup_communication', access: 'other' },
};
export const FUNC_READ_VAR = 0x04;
export const FUNC_WRITE_VAR = 0x05;
export const FUNC_REQUEST_DOWNLOAD = 0x1a;
export const FUNC_DOWNLOAD_BLOCK = 0x1b;
export const FUNC_DOWNLOAD_ENDED = 0x1c;
export const FUNC_START_UPLOAD = 0x1d;
export const FUNC_UPLOAD = 0x1e;
export const FUNC_END_UPLOAD = 0x1f;
export const FUNC_PI_SERVICE = 0x28;
export const FUNC_PLC_STOP = 0x29;
export const FUNC_SETUP_COMMUNICATION = 0xf0;

/** PI (program invocation) service names: what each asks the CPU to do. Access is `control` for all. */
export const PI_SERVICES: Readonly<Record<string, string>> = {
  _INSE: 'activate_block',
  _DELE: 'delete_block',
  P_PROGRAM: 'start_program',
  _PROGRAM: 'program_control',
  _MODU: 'copy_ram_to_rom',
  _GARB: 'compress_memory',
  _N_LOGIN_: 'login',
  _N_LOGOUT: 'logout',
  _N_CANCEL: 'cancel_alarm',
  _N_DASAVE: 'save_data',
  _N_DIGIOF: 'digitizing_off',
  _N_DIGION: 'digitizing_on',
  _N_DZERO_: 'invalidate_d_numbers',
  _N_ENDEXT: 'end_external',
  _N_F_OPER: 'open_file_read_only',
  _N_OST_OF: 'overstore_off',
  _N_OST_ON: 'overstore_on',
  _N_SCALE_: 'measurement_system',
  _N_SETUFR: 'activate_user_frame',
  _N_STRTLK: 'set_global_start_disable',
  _N_STRTUL: 'reset_global_start_disable',
  _N_TMRASS: 'reset_active_state',
  _N_F_DELE: 'delete_file',
  _N_EXTERN: 'select_external_program',
  _N_EXTMOD: 'select_external_program_mode',
  _N_F_DELR: 'delete_file_no_ack',
  _N_F_XFER: 'select_file_for_upload',
  _N_LOCKE_: 'lock_file_for_edit',
  _N_SELECT: 'select_program',
  _N_SRTLCK: 'lock_program',
  _N_SRTULK: 'unlock_program',
  _N_F_CLOS: 'close_file',
  _N_F_OPEN: 'open_file',
  _N_F_SEEK: 'position_file',
  _N_ASUP__: 'assign_interrupt',
  _N_CHEKDM: 'check_d_numbers',
  _N_CHKDNO: 'check_tool_numbers',
  _N_CONFIG: 'reconfigure_machine_data',
  _N_CRCEDN: 'create_cutting_edge',
  _N_DELECE: 'delete_cutting_edge',
  _N_CREACE: 'create_cutting_edge_spec',
  _N_CREATO: 'create_tool',
  _N_DELETO: 'delete_tool',
  _N_CRTOCE: 'create_tool_cutting_edge',
  _N_DELVAR: 'delete_data_block',
  _N_F_COPY: 'copy_file',
  _N_F_DMDA: 'delete_mdi_memory',
  _N_F_PROT: 'file_protection',
  _N_F_RENA: 'rename_file',
  _N_FINDBL: 'activate_search',
  _N_IBN_SS: 'set_startup_switch',
  _N_MMCSEM: 'mmc_semaphore',
  _N_NCKMOD: 'nck_mode',
  _N_NEWPWD: 'new_password',
  _N_SEL_BL: 'select_new_block',
  _N_SETTST: 'activate_tools_replacement',
  _N_TMAWCO: 'set_active_wear_group',
  _N_TMCRTC: 'create_tool_with_name',
  _N_TMCRTO: 'create_tool_magazine',
  _N_TMFDPL: 'find_empty_place',
  _N_TMFPBP: 'find_empty_place_bp',
  _N_TMGETT: 'get_tool_number',
  _N_TMMVTL: 'move_tool',
  _N_TMPCIT: 'set_piece_counter',
  _N_TMPOSM: 'position_magazine',
  _N_TRESMO: 'reset_monitoring',
  _N_TSEARC: 'complex_search',
};

/** Item syntax ids (variable specification addressing modes). */
export const SYNTAX_IDS: Readonly<Record<number, CodeEntry>> = {
  0x10: { name: 's7any' },
  0x13: { name: 'pbc_r_id' },
  0x15: { name: 'alarm_lockfree' },
  0x16: { name: 'alarm_ind' },
  0x19: { name: 'alarm_ack' },
  0x1a: { name: 'alarm_queryreq' },
  0x1c: { name: 'notify_ind' },
  0x82: { name: 'nck' },
  0x83: { name: 'nck_metric' },
  0x84: { name: 'nck_inch' },
  0xa2: { name: 'driveesany' },
  0xb0: { name: 'dbread' },
  0xb2: { name: '1200sym' },
};
export const SYNTAX_S7ANY = 0x10;
export const SYNTAX_DBREAD = 0xb0;

/** Memory areas of an S7ANY address. */
export const AREAS: Readonly<Record<number, CodeEntry>> = {
  0x03: { name: 'system_info' },
  0x05: { name: 'system_flags' },
  0x06: { name: 'analog_inputs' },
  0x07: { name: 'analog_outputs' },
  0x1c: { name: 'counters' },
  0x1d: { name: 'timers' },
  0x1e: { name: 'iec_counters' },
  0x1f: { name: 'iec_timers' },
  0x80: { name: 'peripheral' },
  0x81: { name: 'inputs' },
  0x82: { name: 'outputs' },
  0x83: { name: 'flags' },
  0x84: { name: 'DB' },
  0x85: { name: 'DI' },
  0x86: { name: 'local' },
  0x87: { name: 'previous_local' },
};
export const AREA_DB = 0x84;
export const AREA_DI = 0x85;

/** Transport sizes of a request item (the element type). */
export const ITEM_TRANSPORT_SIZES: Readonly<Record<number, CodeEntry>> = {
  0x01: { name: 'BIT' },
  0x02: { name: 'BYTE' },
  0x03: { name: 'CHAR' },
  0x04: { name: 'WORD' },
  0x05: { name: 'INT' },
  0x06: { name: 'DWORD' },
  0x07: { name: 'DINT' },
  0x08: { name: 'REAL' },
  0x09: { name: 'DATE' },
  0x0a: { name: 'TOD' },
  0x0b: { name: 'TIME' },
  0x0c: { name: 'S5TIME' },
  0x0f: { name: 'DATE_AND_TIME' },
  0x1c: { name: 'COUNTER' },
  0x1d: { name: 'TIMER' },
  0x1e: { name: 'IEC_TIMER' },
  0x1f: { name: 'IEC_COUNTER' },
  0x20: { name: 'HS_COUNTER' },
};

/** Transport sizes of a data item; `bits` marks those whose length field counts bits. */
export const DATA_TRANSPORT_SIZES: Readonly<Record<number, CodeEntry & { readonly bits: boolean }>> = {
  0x00: { name: 'null', bits: false },
  0x03: { name: 'bit', bits: true },
  0x04: { name: 'byte_word_dword', bits: true },
  0x05: { name: 'integer', bits: true },
  0x06: { name: 'dinteger', bits: false },
  0x07: { name: 'real', bits: false },
  0x09: { name: 'octet_string', bits: false },
};

/** Per-item return codes of read/write responses and userdata data. */
export const RETURN_CODES: Readonly<Record<number, CodeEntry>> = {
  0x00: { name: 'reserved' },
  0x01: { name: 'hardware_fault' },
  0x03: { name: 'access_denied' },
  0x05: { name: 'address_out_of_range' },
  0x06: { name: 'data_type_not_supported' },
  0x07: { name: 'data_type_inconsistent' },
  0x0a: { name: 'object_does_not_exist' },
  0xff: { name: 'success' },
};
export const RETURN_SUCCESS = 0xff;

/** Header error classes (ack / ack_data). */
export const ERROR_CLASSES: Readonly<Record<number, CodeEntry>> = {
  0x00: { name: 'no_error' },
  0x81: { name: 'application_relationship_error' },
  0x82: { name: 'object_definition_error' },
  0x83: { name: 'no_resources_available' },
  0x84: { name: 'service_processing_error' },
  0x85: { name: 'supplies_error' },
  0x87: { name: 'access_error' },
};

/** Full error codes (class << 8 | code) with a well-known meaning (Snap7's CPU error list); others use the class name. */
export const ERROR_CODES: Readonly<Record<number, CodeEntry>> = {
  0x0000: { name: 'no_error' },
  0x0005: { name: 'address_out_of_range' },
  0x0006: { name: 'invalid_transport_size' },
  0x0007: { name: 'write_data_size_mismatch' },
  0x000a: { name: 'item_not_available' },
  0x8104: { name: 'function_not_available' },
  0x8500: { name: 'data_over_pdu' },
  0xd209: { name: 'item_not_available' },
  0xd241: { name: 'password_required' },
  0xd602: { name: 'invalid_password' },
  0xd604: { name: 'no_password_to_clear' },
  0xd605: { name: 'no_password_to_set' },
  0xdc01: { name: 'invalid_value' },
};

export function errorName(code: number): string {
  const e = ERROR_CODES[code];
  if (e !== undefined) return e.name;
  const cls = ERROR_CLASSES[code >> 8];
  return cls !== undefined ? cls.name : `unknown_${code}`;
}

/** Userdata parameter type (upper nibble of the type/group byte). */
export const USERDATA_TYPES: Readonly<Record<number, CodeEntry>> = {
  0x0: { name: 'push' },
  0x4: { name: 'request' },
  0x8: { name: 'response' },
  0x3: { name: 'nc_push' },
  0x7: { name: 'nc_request' },
  0xb: { name: 'nc_response' },
};
export const UD_TYPE_PUSH = 0x0;
export const UD_TYPE_REQUEST = 0x4;
export const UD_TYPE_RESPONSE = 0x8;

/** Userdata function groups (lower nibble of the type/group byte). */
export const FUNCTION_GROUPS: Readonly<Record<number, CodeEntry>> = {
  0x0: { name: 'mode_transition' },
  0x1: { name: 'programmer_commands' },
  0x2: { name: 'cyclic_data' },
  0x3: { name: 'block_functions' },
  0x4: { name: 'cpu_functions' },
  0x5: { name: 'security' },
  0x6: { name: 'pbc_bsend_brecv' },
  0x7: { name: 'time_functions' },
  0xf: { name: 'nc_programming' },
};
export const GROUP_MODE_TRANSITION = 0x0;
export const GROUP_CYCLIC = 0x2;
export const GROUP_BLOCK = 0x3;
export const GROUP_CPU = 0x4;
export const GROUP_TIME = 0x7;

/** Sub-functions per function group, with the access class of the request. */
export const SUBFUNCTIONS: Readonly<Record<number, Readonly<Record<number, OpEntry>>>> = {
  0x0: {
    0x00: { name: 'stop', access: 'other' },
    0x01: { name: 'warm_restart', access: 'other' },
    0x02: { name: 'run', access: 'other' },
    0x03: { name: 'hot_restart', access: 'other' },
    0x04: { name: 'hold', access: 'other' },
    0x06: { name: 'cold_restart', access: 'other' },
    0x09: { name: 'run_r', access: 'other' },
    0x0b: { name: 'link_up', access: 'other' },
    0x0c: { name: 'update', access: 'other' },
  },
  0x1: {
    0x01: { name: 'request_diag_data', access: 'diagnostic' },
    0x02: { name: 'vartab', access: 'read' },
    0x0c: { name: 'erase', access: 'program' },
    0x0e: { name: 'read_diag_data', access: 'diagnostic' },
    0x0f: { name: 'remove_diag_data', access: 'diagnostic' },
    0x10: { name: 'forces', access: 'write' },
    0x13: { name: 'request_diag_data_2', access: 'diagnostic' },
  },
  0x2: {
    0x01: { name: 'cyclic_memory', access: 'read' },
    0x04: { name: 'unsubscribe', access: 'read' },
    0x05: { name: 'cyclic_memory_change_driven', access: 'read' },
    0x07: { name: 'cyclic_rdrec', access: 'read' },
  },
  0x3: {
    0x01: { name: 'list_blocks', access: 'discovery' },
    0x02: { name: 'list_blocks_of_type', access: 'discovery' },
    0x03: { name: 'get_block_info', access: 'read' },
  },
  0x4: {
    0x01: { name: 'read_szl', access: 'read' },
    0x02: { name: 'message_service', access: 'other' },
    0x03: { name: 'diagnostic_message', access: 'diagnostic' },
    0x05: { name: 'alarm8_indication', access: 'other' },
    0x06: { name: 'notify_indication', access: 'other' },
    0x07: { name: 'alarm8_lock', access: 'control' },
    0x08: { name: 'alarm8_unlock', access: 'control' },
    0x09: { name: 'scan_indication', access: 'other' },
    0x0b: { name: 'alarm_ack', access: 'other' },
    0x0c: { name: 'alarm_ack_indication', access: 'other' },
    0x0d: { name: 'alarm_lock_indication', access: 'other' },
    0x0e: { name: 'alarm_unlock_indication', access: 'other' },
    0x11: { name: 'alarm_sq_indication', access: 'other' },
    0x12: { name: 'alarm_s_indication', access: 'other' },
    0x13: { name: 'alarm_query', access: 'diagnostic' },
    0x16: { name: 'notify8_indication', access: 'other' },
  },
  0x5: {
    0x01: { name: 'set_password', access: 'control' },
    0x02: { name: 'clear_password', access: 'control' },
  },
  0x6: {
    0x01: { name: 'bsend_brecv', access: 'other' },
  },
  0x7: {
    0x01: { name: 'read_clock', access: 'read' },
    0x02: { name: 'set_clock', access: 'write' },
    0x03: { name: 'read_clock_following', access: 'read' },
    0x04: { name: 'set_clock_2', access: 'write' },
  },
};
export const SUB_READ_SZL = 0x01;
export const SUB_LIST_BLOCKS = 0x01;
export const SUB_LIST_BLOCKS_OF_TYPE = 0x02;
export const SUB_BLOCK_INFO = 0x03;

export function subfunctionEntry(group: number, sub: number): OpEntry | undefined {
  const t = SUBFUNCTIONS[group];
  return t === undefined ? undefined : t[sub];
}

/** Block types as the two ASCII hex characters of file names and block requests ('08' = OB...). */
export const BLOCK_TYPES: Readonly<Record<number, CodeEntry>> = {
  0x08: { name: 'OB' },
  0x09: { name: 'CMOD' },
  0x0a: { name: 'DB' },
  0x0b: { name: 'SDB' },
  0x0c: { name: 'FC' },
  0x0d: { name: 'SFC' },
  0x0e: { name: 'FB' },
  0x0f: { name: 'SFB' },
};

/** SZL partial-list numbers (the low byte of the SZL id) and what reading them is. */
export const SZL_LISTS: Readonly<Record<number, OpEntry>> = {
  0x00: { name: 'szl_ids', access: 'discovery' },
  0x11: { name: 'module_identification', access: 'discovery' },
  0x12: { name: 'cpu_characteristics', access: 'discovery' },
  0x13: { name: 'user_memory_areas', access: 'read' },
  0x14: { name: 'system_areas', access: 'read' },
  0x15: { name: 'block_types', access: 'discovery' },
  0x19: { name: 'led_status', access: 'diagnostic' },
  0x1c: { name: 'component_identification', access: 'discovery' },
  0x22: { name: 'interrupt_status', access: 'diagnostic' },
  0x25: { name: 'process_image_partitions', access: 'read' },
  0x31: { name: 'communication_capability', access: 'discovery' },
  0x32: { name: 'communication_status', access: 'diagnostic' },
  0x37: { name: 'ethernet_details', access: 'discovery' },
  0x74: { name: 'led_status_standard', access: 'diagnostic' },
  0x90: { name: 'dp_master_system', access: 'diagnostic' },
  0x91: { name: 'module_status', access: 'diagnostic' },
  0x92: { name: 'rack_station_status', access: 'diagnostic' },
  0x94: { name: 'rack_station_status_2', access: 'diagnostic' },
  0x95: { name: 'dp_master_system_ext', access: 'diagnostic' },
  0x96: { name: 'module_status_pnio', access: 'diagnostic' },
  0xa0: { name: 'diagnostic_buffer', access: 'diagnostic' },
  0xb1: { name: 'module_diagnostic_data', access: 'diagnostic' },
  0xb2: { name: 'module_diagnostic_data_physical', access: 'diagnostic' },
  0xb3: { name: 'module_diagnostic_data_logical', access: 'diagnostic' },
  0xb4: { name: 'dp_slave_diagnostic_data', access: 'diagnostic' },
  0x24: { name: 'cpu_mode', access: 'read' },
};

/** SZL 0x001c record indexes carrying a text identity, and the identity key each fills. */
export const SZL_COMPONENT_FIELDS: Readonly<Record<number, string>> = {
  0x0001: 'plc_name',
  0x0002: 'module_name',
  0x0003: 'plant_id',
  0x0004: 'copyright',
  0x0005: 'serial',
  0x0007: 'module_type',
  0x0008: 'memory_card_serial',
  0x000b: 'location',
};

/** CPU operating mode in SZL 0x0424 (the requested mode byte). */
export const CPU_MODES: Readonly<Record<number, CodeEntry>> = {
  0x00: { name: 'unknown' },
  0x01: { name: 'stop_update' },
  0x02: { name: 'stop_reset' },
  0x03: { name: 'stop_self_initialization' },
  0x04: { name: 'stop' },
  0x05: { name: 'startup_cold_restart' },
  0x06: { name: 'startup_warm_restart' },
  0x07: { name: 'startup_hot_restart' },
  0x08: { name: 'run' },
  0x09: { name: 'run_r' },
  0x0a: { name: 'hold' },
  0x0d: { name: 'defective' },
};

/** S7comm-plus opcodes and protocol versions. */
export const S7PLUS_OPCODES: Readonly<Record<number, CodeEntry>> = {
  0x31: { name: 'request' },
  0x32: { name: 'response' },
  0x33: { name: 'notification' },
  0x02: { name: 'response2' },
};
export const S7PLUS_OP_REQUEST = 0x31;
export const S7PLUS_OP_RESPONSE = 0x32;
export const S7PLUS_OP_RESPONSE2 = 0x02;

export const S7PLUS_SYSTEM_EVENT = 0xfe;
export const S7PLUS_VERSIONS: Readonly<Record<number, CodeEntry>> = {
  0x01: { name: 'v1' },
  0x02: { name: 'v2' },
  0x03: { name: 'v3' },
  0xfe: { name: 'system_event' },
};

export const S7PLUS_FUNCTIONS: Readonly<Record<number, OpEntry>> = {
  0x04bb: { name: 'explore', access: 'discovery' },
  0x04ca: { name: 'create_object', access: 'other' },
  0x04d4: { name: 'delete_object', access: 'other' },
  0x04f2: { name: 'set_variable', access: 'write' },
  0x04fc: { name: 'get_variable', access: 'read' },
  0x0506: { name: 'add_link', access: 'other' },
  0x051a: { name: 'remove_link', access: 'other' },
  0x0524: { name: 'get_link', access: 'read' },
  0x0542: { name: 'set_multi_variables', access: 'write' },
  0x054c: { name: 'get_multi_variables', access: 'read' },
  0x0556: { name: 'begin_sequence', access: 'other' },
  0x0560: { name: 'end_sequence', access: 'other' },
  0x056b: { name: 'invoke', access: 'control' },
  0x0586: { name: 'set_var_sub_streamed', access: 'write' },
  0x0590: { name: 'get_var_sub_streamed', access: 'read' },
  0x059a: { name: 'get_variables_address', access: 'read' },
  0x05a4: { name: 'abort', access: 'other' },
  0x05b8: { name: 'error', access: 'other' },
  0x05c2: { name: 'init_ssl', access: 'other' },
};
