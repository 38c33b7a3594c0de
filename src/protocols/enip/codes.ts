// EtherNet/IP encapsulation and CIP code tables (ODVA CIP Vol. 2 §2-3 encapsulation commands and status, §2-6 common
// packet format; CIP Vol. 1 §4-A services, §5 object classes, Appendix B general status, §5A-2 device types;
// Rockwell 1756-PM020 Logix data access services). Names are snake_case; unknown codes are named `unknown_<code>`.
import type { Access } from '../operation.js';

export interface CodeEntry {
  readonly name: string;
  readonly access: Access;
}

export const ENCAP_COMMANDS: Readonly<Record<number, CodeEntry>> = {
  0x0000: { name: 'nop', access: 'other' },
  0x0004: { name: 'list_services', access: 'discovery' },
  0x0063: { name: 'list_identity', access: 'discovery' },
  0x0064: { name: 'list_interfaces', access: 'discovery' },
  0x0065: { name: 'register_session', access: 'other' },
  0x0066: { name: 'unregister_session', access: 'other' },
  0x006f: { name: 'send_rr_data', access: 'other' },
  0x0070: { name: 'send_unit_data', access: 'other' },
  0x0072: { name: 'indicate_status', access: 'other' },
  0x0073: { name: 'cancel', access: 'other' },
};

export const CMD_NOP = 0x0000;
export const CMD_LIST_SERVICES = 0x0004;
export const CMD_LIST_IDENTITY = 0x0063;
export const CMD_LIST_INTERFACES = 0x0064;
export const CMD_REGISTER_SESSION = 0x0065;
export const CMD_UNREGISTER_SESSION = 0x0066;
export const CMD_SEND_RR_DATA = 0x006f;
export const CMD_SEND_UNIT_DATA = 0x0070;

export const ENCAP_STATUS: Readonly<Record<number, string>> = {
  0x0000: 'success',
  0x0001: 'invalid_or_unsupported_command',
  0x0002: 'insufficient_memory',
  0x0003: 'incorrect_data',
  0x0064: 'invalid_session_handle',
  0x0065: 'invalid_length',
  0x0069: 'unsupported_protocol_revision',
  0x006a: 'encapsulated_cip_service_not_allowed',
};

export const CPF_ITEMS: Readonly<Record<number, string>> = {
  0x0000: 'null_address',
  0x000c: 'list_identity',
  0x0086: 'cip_security_information',
  0x00a1: 'connected_address',
  0x00b1: 'connected_data',
  0x00b2: 'unconnected_data',
  0x0100: 'list_services',
  0x8000: 'sockaddr_info_o_t',
  0x8001: 'sockaddr_info_t_o',
  0x8002: 'sequenced_address',
};

export const ITEM_NULL_ADDRESS = 0x0000;
export const ITEM_LIST_IDENTITY = 0x000c;
export const ITEM_CONNECTED_ADDRESS = 0x00a1;
export const ITEM_CONNECTED_DATA = 0x00b1;
export const ITEM_UNCONNECTED_DATA = 0x00b2;
export const ITEM_LIST_SERVICES = 0x0100;
export const ITEM_SOCKADDR_O_T = 0x8000;
export const ITEM_SOCKADDR_T_O = 0x8001;
export const ITEM_SEQUENCED_ADDRESS = 0x8002;

/** Common services (CIP Vol. 1 Appendix A), the same on every class. */
export const CIP_COMMON_SERVICES: Readonly<Record<number, CodeEntry>> = {
  0x01: { name: 'get_attributes_all', access: 'read' },
  0x02: { name: 'set_attributes_all', access: 'write' },
  0x03: { name: 'get_attribute_list', access: 'read' },
  0x04: { name: 'set_attribute_list', access: 'write' },
  0x05: { name: 'reset', access: 'control' },
  0x06: { name: 'start', access: 'control' },
  0x07: { name: 'stop', access: 'control' },
  0x08: { name: 'create', access: 'write' },
  0x09: { name: 'delete', access: 'write' },
  0x0a: { name: 'multiple_service_packet', access: 'other' },
  0x0d: { name: 'apply_attributes', access: 'write' },
  0x0e: { name: 'get_attribute_single', access: 'read' },
  0x10: { name: 'set_attribute_single', access: 'write' },
  0x11: { name: 'find_next_object_instance', access: 'read' },
  0x14: { name: 'error_response', access: 'other' },
  0x15: { name: 'restore', access: 'write' },
  0x16: { name: 'save', access: 'write' },
  0x17: { name: 'no_operation', access: 'other' },
  0x18: { name: 'get_member', access: 'read' },
  0x19: { name: 'set_member', access: 'write' },
  0x1a: { name: 'insert_member', access: 'write' },
  0x1b: { name: 'remove_member', access: 'write' },
  0x1c: { name: 'group_sync', access: 'other' },
};

export const SVC_MULTIPLE_SERVICE_PACKET = 0x0a;
export const SVC_GET_ATTRIBUTES_ALL = 0x01;
export const SVC_CREATE = 0x08;
export const SVC_DELETE = 0x09;
export const SVC_FORWARD_CLOSE = 0x4e;
export const SVC_UNCONNECTED_SEND = 0x52;
export const SVC_FORWARD_OPEN = 0x54;
export const SVC_LARGE_FORWARD_OPEN = 0x5b;

/** Object-specific services of the Connection Manager (class 0x06, CIP Vol. 1 §3-5.5). */
export const CIP_CONNECTION_MANAGER_SERVICES: Readonly<Record<number, CodeEntry>> = {
  0x4e: { name: 'forward_close', access: 'other' },
  0x52: { name: 'unconnected_send', access: 'other' },
  0x54: { name: 'forward_open', access: 'other' },
  0x56: { name: 'get_connection_data', access: 'read' },
  0x57: { name: 'search_connection_data', access: 'read' },
  0x5a: { name: 'get_connection_owner', access: 'read' },
  0x5b: { name: 'large_forward_open', access: 'other' },
};

/** Object-specific services of Logix controllers (tags by symbolic path or Symbol/Template objects; 1756-PM020). */
export const CIP_LOGIX_SERVICES: Readonly<Record<number, CodeEntry>> = {
  0x4b: { name: 'execute_pccc', access: 'other' },
  0x4c: { name: 'read_tag', access: 'read' },
  0x4d: { name: 'write_tag', access: 'write' },
  0x4e: { name: 'read_modify_write_tag', access: 'write' },
  0x52: { name: 'read_tag_fragmented', access: 'read' },
  0x53: { name: 'write_tag_fragmented', access: 'write' },
  0x55: { name: 'get_instance_attribute_list', access: 'read' },
};

export const CLASS_IDENTITY = 0x01;
export const CLASS_CONNECTION_MANAGER = 0x06;
export const CLASS_PCCC = 0x67;
/** Logix Symbol and Template objects: the Logix tag services apply there and on any symbolic path. */
export const LOGIX_CLASSES: ReadonlySet<number> = new Set([0x6b, 0x6c]);

export function isLogixPath(cls: number, symbolic: boolean): boolean {
  return symbolic || LOGIX_CLASSES.has(cls);
}

export const CIP_CLASSES: Readonly<Record<number, string>> = {
  0x01: 'Identity',
  0x02: 'Message Router',
  0x03: 'DeviceNet',
  0x04: 'Assembly',
  0x05: 'Connection',
  0x06: 'Connection Manager',
  0x07: 'Register',
  0x08: 'Discrete Input Point',
  0x09: 'Discrete Output Point',
  0x0a: 'Analog Input Point',
  0x0b: 'Analog Output Point',
  0x0e: 'Presence Sensing',
  0x0f: 'Parameter',
  0x10: 'Parameter Group',
  0x12: 'Group',
  0x1d: 'Discrete Input Group',
  0x1e: 'Discrete Output Group',
  0x1f: 'Discrete Group',
  0x20: 'Analog Input Group',
  0x21: 'Analog Output Group',
  0x22: 'Analog Group',
  0x23: 'Position Sensor',
  0x24: 'Position Controller Supervisor',
  0x25: 'Position Controller',
  0x26: 'Block Sequencer',
  0x27: 'Command Block',
  0x28: 'Motor Data',
  0x29: 'Control Supervisor',
  0x2a: 'AC/DC Drive',
  0x2b: 'Acknowledge Handler',
  0x2c: 'Overload',
  0x2d: 'Softstart',
  0x2e: 'Selection',
  0x30: 'S-Device Supervisor',
  0x31: 'S-Analog Sensor',
  0x32: 'S-Analog Actor',
  0x33: 'S-Single Stage Controller',
  0x34: 'S-Gas Calibration',
  0x35: 'Trip Point',
  0x37: 'File',
  0x38: 'S-Partial Pressure',
  0x39: 'Safety Supervisor',
  0x3a: 'Safety Validator',
  0x3b: 'Safety Discrete Output Point',
  0x3c: 'Safety Discrete Output Group',
  0x3d: 'Safety Discrete Input Point',
  0x3e: 'Safety Discrete Input Group',
  0x3f: 'Safety Dual Channel Output',
  0x40: 'S-Sensor Calibration',
  0x41: 'Event Log',
  0x42: 'Motion Axis',
  0x43: 'Time Sync',
  0x44: 'Modbus',
  0x45: 'Originator Connection List',
  0x46: 'Modbus Serial Link',
  0x47: 'Device Level Ring',
  0x48: 'QoS',
  0x4d: 'Base Energy',
  0x4e: 'Electrical Energy',
  0x4f: 'Non-Electrical Energy',
  0x50: 'Base Switch',
  0x51: 'SNMP',
  0x52: 'Power Management',
  0x53: 'RSTP Bridge',
  0x54: 'RSTP Port',
  0x56: 'PRP/HSR Protocol',
  0x57: 'PRP/HSR Nodes Table',
  0x5d: 'CIP Security',
  0x5e: 'EtherNet/IP Security',
  0x5f: 'Certificate Management',
  0x67: 'PCCC',
  0x6b: 'Symbol',
  0x6c: 'Template',
  0xf0: 'ControlNet',
  0xf1: 'ControlNet Keeper',
  0xf2: 'ControlNet Scheduling',
  0xf3: 'Connection Configuration',
  0xf4: 'Port',
  0xf5: 'TCP/IP Interface',
  0xf6: 'Ethernet Link',
  0xf7: 'CompoNet',
  0xf8: 'CompoNet Repeater',
};

/**
 * Classes whose Create/Delete change what the device runs or stores (files, firmware, Logix symbols and templates):
 * those services are `program` there, `write` elsewhere. Every service on the File object but Get_* is `program`.
 */
export const PROGRAM_CLASSES: ReadonlySet<number> = new Set([0x37, 0x6b, 0x6c]);
export const CLASS_FILE = 0x37;

/** Identity object Reset service parameter (CIP Vol. 1 §5A-2.3); absent means 0. */
export const IDENTITY_RESET_TYPES: Readonly<Record<number, string>> = {
  0: 'restart',
  1: 'factory_defaults',
  2: 'factory_defaults_keep_communication',
};

export const CIP_GENERAL_STATUS: Readonly<Record<number, string>> = {
  0x00: 'success',
  0x01: 'connection_failure',
  0x02: 'resource_unavailable',
  0x03: 'invalid_parameter_value',
  0x04: 'path_segment_error',
  0x05: 'path_destination_unknown',
  0x06: 'partial_transfer',
  0x07: 'connection_lost',
  0x08: 'service_not_supported',
  0x09: 'invalid_attribute_value',
  0x0a: 'attribute_list_error',
  0x0b: 'already_in_requested_mode',
  0x0c: 'object_state_conflict',
  0x0d: 'object_already_exists',
  0x0e: 'attribute_not_settable',
  0x0f: 'privilege_violation',
  0x10: 'device_state_conflict',
  0x11: 'reply_data_too_large',
  0x12: 'fragmentation_of_a_primitive_value',
  0x13: 'not_enough_data',
  0x14: 'attribute_not_supported',
  0x15: 'too_much_data',
  0x16: 'object_does_not_exist',
  0x17: 'service_fragmentation_sequence_not_in_progress',
  0x18: 'no_stored_attribute_data',
  0x19: 'store_operation_failure',
  0x1a: 'routing_failure_request_too_large',
  0x1b: 'routing_failure_response_too_large',
  0x1c: 'missing_attribute_list_entry_data',
  0x1d: 'invalid_attribute_value_list',
  0x1e: 'embedded_service_error',
  0x1f: 'vendor_specific_error',
  0x20: 'invalid_parameter',
  0x21: 'write_once_value_already_written',
  0x22: 'invalid_reply_received',
  0x23: 'buffer_overflow',
  0x24: 'message_format_error',
  0x25: 'key_failure_in_path',
  0x26: 'path_size_invalid',
  0x27: 'unexpected_attribute_in_list',
  0x28: 'invalid_member_id',
  0x29: 'member_not_settable',
  0x2a: 'group_2_only_server_general_failure',
  0x2b: 'unknown_modbus_error',
  0x2c: 'attribute_not_gettable',
};

/** General status values that are not errors: success and partial transfer (fragmented reads answer with it). */
export const STATUS_PARTIAL_TRANSFER = 0x06;

export const DEVICE_TYPES: Readonly<Record<number, string>> = {
  0x00: 'generic_device_deprecated',
  0x02: 'ac_drive',
  0x03: 'motor_overload',
  0x04: 'limit_switch',
  0x05: 'inductive_proximity_switch',
  0x06: 'photoelectric_sensor',
  0x07: 'general_purpose_discrete_io',
  0x09: 'resolver',
  0x0c: 'communications_adapter',
  0x0e: 'programmable_logic_controller',
  0x10: 'position_controller',
  0x13: 'dc_drive',
  0x15: 'contactor',
  0x16: 'motor_starter',
  0x17: 'soft_start',
  0x18: 'human_machine_interface',
  0x1a: 'mass_flow_controller',
  0x1b: 'pneumatic_valve',
  0x1c: 'vacuum_pressure_gauge',
  0x1d: 'process_control_value',
  0x1e: 'residual_gas_analyzer',
  0x1f: 'dc_power_generator',
  0x20: 'rf_power_generator',
  0x21: 'turbomolecular_vacuum_pump',
  0x22: 'encoder',
  0x23: 'safety_discrete_io',
  0x24: 'fluid_flow_controller',
  0x25: 'cip_motion_drive',
  0x26: 'componet_repeater',
  0x27: 'mass_flow_controller_enhanced',
  0x28: 'cip_modbus_device',
  0x29: 'cip_modbus_translator',
  0x2a: 'safety_analog_io',
  0x2b: 'generic_device_keyable',
  0x2c: 'managed_switch',
  0x32: 'controlnet_physical_layer_component',
};

/** The asset role a device type implies (inventory vocabulary); other types are plain `server`. */
export const DEVICE_TYPE_ROLES: Readonly<Record<number, string>> = {
  0x0e: 'plc',
  0x18: 'hmi',
  0x0c: 'adapter',
  0x07: 'io',
  0x23: 'io',
  0x2a: 'io',
  0x02: 'drive',
  0x13: 'drive',
  0x25: 'drive',
  0x2c: 'switch',
};

export function unknownName(code: number): string {
  return `unknown_0x${code.toString(16).padStart(2, '0')}`;
}

export function encapCommand(code: number): CodeEntry {
  return ENCAP_COMMANDS[code] ?? { name: unknownName(code), access: 'other' };
}

export function className(cls: number): string {
  return CIP_CLASSES[cls] ?? unknownName(cls);
}

export function generalStatusName(status: number): string {
  return CIP_GENERAL_STATUS[status] ?? unknownName(status);
}

export function encapStatusName(status: number): string {
  return ENCAP_STATUS[status] ?? unknownName(status);
}

/**
 * Names a CIP service (request code, bit 7 clear) on a class: common services first, then the Connection Manager's on
 * class 6, Execute_PCCC on class 0x67, Logix tag services on a symbolic path or the Symbol/Template classes (as
 * Wireshark does); object-specific codes elsewhere are `unknown_<code>`. `cls` is -1 when the path names none.
 */
export function cipService(service: number, cls: number, symbolic: boolean): CodeEntry {
  let entry: CodeEntry | undefined = CIP_COMMON_SERVICES[service];
  if (entry === undefined) {
    if (cls === CLASS_CONNECTION_MANAGER && !symbolic) entry = CIP_CONNECTION_MANAGER_SERVICES[service];
    else if (cls === CLASS_PCCC && service === 0x4b) entry = CIP_LOGIX_SERVICES[service];
    else if (service !== 0x4b && isLogixPath(cls, symbolic)) entry = CIP_LOGIX_SERVICES[service];
  }
  if (entry === undefined) return { name: unknownName(service), access: 'other' };
  if (cls === CLASS_FILE && entry.access !== 'read') return { name: entry.name, access: 'program' };
  if ((service === SVC_CREATE || service === SVC_DELETE) && PROGRAM_CLASSES.has(cls)) return { name: entry.name, access: 'program' };
  return entry;
}
