// BACnet code tables. Source: ANSI/ASHRAE 135-2020: BVLL (Annex J.2), NPDU and network-layer messages (§6.2, §6.4),
// APDU types and fields (§20.1), service choices (§21 BACnetConfirmedServiceChoice/BACnetUnconfirmedServiceChoice),
// BACnetObjectType, BACnetPropertyIdentifier, BACnetSegmentation, Error class/code, reject and abort reasons (§21).
import type { Access } from '../operation.js';

export interface CodeEntry {
  readonly name: string;
  readonly access: Access;
}

/** Names indexed by code; missing codes fall back to `unknown_<code>` via nameOf(). */
type Names = Readonly<Record<number, string>>;

export function nameOf(table: Names, code: number): string {
  return table[code] ?? `unknown_${code}`;
}

export const BVLC_TYPE_IP = 0x81;

export const BVLC = {
  RESULT: 0x00,
  WRITE_BDT: 0x01,
  READ_BDT: 0x02,
  READ_BDT_ACK: 0x03,
  FORWARDED_NPDU: 0x04,
  REGISTER_FOREIGN_DEVICE: 0x05,
  READ_FDT: 0x06,
  READ_FDT_ACK: 0x07,
  DELETE_FDT_ENTRY: 0x08,
  DISTRIBUTE_BROADCAST: 0x09,
  ORIGINAL_UNICAST: 0x0a,
  ORIGINAL_BROADCAST: 0x0b,
  SECURE_BVLL: 0x0c,
} as const;

/** BVLC functions (Annex J.2); the access class applies to a BVLC message carrying no NPDU. */
export const BVLC_FUNCTIONS: Readonly<Record<number, CodeEntry>> = {
  0x00: { name: 'bvlc_result', access: 'other' },
  0x01: { name: 'write_broadcast_distribution_table', access: 'write' },
  0x02: { name: 'read_broadcast_distribution_table', access: 'read' },
  0x03: { name: 'read_broadcast_distribution_table_ack', access: 'read' },
  0x04: { name: 'forwarded_npdu', access: 'other' },
  0x05: { name: 'register_foreign_device', access: 'other' },
  0x06: { name: 'read_foreign_device_table', access: 'read' },
  0x07: { name: 'read_foreign_device_table_ack', access: 'read' },
  0x08: { name: 'delete_foreign_device_table_entry', access: 'write' },
  0x09: { name: 'distribute_broadcast_to_network', access: 'other' },
  0x0a: { name: 'original_unicast_npdu', access: 'other' },
  0x0b: { name: 'original_broadcast_npdu', access: 'other' },
  0x0c: { name: 'secure_bvll', access: 'other' },
};

export function bvlcEntry(fn: number): CodeEntry {
  return BVLC_FUNCTIONS[fn] ?? { name: `unknown_${fn}`, access: 'other' };
}

/** BVLC-Result codes (J.2.1.1). */
export const BVLC_RESULT_CODES: Names = {
  0x0000: 'successful_completion',
  0x0010: 'write_broadcast_distribution_table_nak',
  0x0020: 'read_broadcast_distribution_table_nak',
  0x0030: 'register_foreign_device_nak',
  0x0040: 'read_foreign_device_table_nak',
  0x0050: 'delete_foreign_device_table_entry_nak',
  0x0060: 'distribute_broadcast_to_network_nak',
};

/** Network-layer message types (§6.2.4); 0x80-0xFF are proprietary (a vendor id follows). */
export const NETWORK_MESSAGES: Readonly<Record<number, CodeEntry>> = {
  0x00: { name: 'who_is_router_to_network', access: 'discovery' },
  0x01: { name: 'i_am_router_to_network', access: 'discovery' },
  0x02: { name: 'i_could_be_router_to_network', access: 'discovery' },
  0x03: { name: 'reject_message_to_network', access: 'other' },
  0x04: { name: 'router_busy_to_network', access: 'other' },
  0x05: { name: 'router_available_to_network', access: 'other' },
  0x06: { name: 'initialize_routing_table', access: 'write' },
  0x07: { name: 'initialize_routing_table_ack', access: 'other' },
  0x08: { name: 'establish_connection_to_network', access: 'control' },
  0x09: { name: 'disconnect_connection_to_network', access: 'control' },
  0x0a: { name: 'challenge_request', access: 'other' },
  0x0b: { name: 'security_payload', access: 'other' },
  0x0c: { name: 'security_response', access: 'other' },
  0x0d: { name: 'request_key_update', access: 'other' },
  0x0e: { name: 'update_key_set', access: 'other' },
  0x0f: { name: 'update_distribution_key', access: 'other' },
  0x10: { name: 'request_master_key', access: 'other' },
  0x11: { name: 'set_master_key', access: 'other' },
  0x12: { name: 'what_is_network_number', access: 'discovery' },
  0x13: { name: 'network_number_is', access: 'discovery' },
};

export function networkMessageEntry(type: number): CodeEntry {
  const e = NETWORK_MESSAGES[type];
  if (e !== undefined) return e;
  if (type >= 0x80) return { name: `proprietary_${type}`, access: 'other' };
  return { name: `unknown_${type}`, access: 'other' };
}

export const REJECT_MESSAGE_REASONS: Names = {
  0: 'other',
  1: 'not_directly_connected',
  2: 'router_busy',
  3: 'unknown_network_message_type',
  4: 'message_too_long',
  5: 'security_error',
  6: 'addressing_error',
};

export const PDU = {
  CONFIRMED_REQUEST: 0,
  UNCONFIRMED_REQUEST: 1,
  SIMPLE_ACK: 2,
  COMPLEX_ACK: 3,
  SEGMENT_ACK: 4,
  ERROR: 5,
  REJECT: 6,
  ABORT: 7,
} as const;

export const PDU_TYPES: Names = {
  0: 'confirmed_request',
  1: 'unconfirmed_request',
  2: 'simple_ack',
  3: 'complex_ack',
  4: 'segment_ack',
  5: 'error',
  6: 'reject',
  7: 'abort',
};

export const CONFIRMED = {
  SUBSCRIBE_COV: 5,
  ATOMIC_READ_FILE: 6,
  ATOMIC_WRITE_FILE: 7,
  ADD_LIST_ELEMENT: 8,
  REMOVE_LIST_ELEMENT: 9,
  CREATE_OBJECT: 10,
  DELETE_OBJECT: 11,
  READ_PROPERTY: 12,
  READ_PROPERTY_MULTIPLE: 14,
  WRITE_PROPERTY: 15,
  WRITE_PROPERTY_MULTIPLE: 16,
  DEVICE_COMMUNICATION_CONTROL: 17,
  REINITIALIZE_DEVICE: 20,
  READ_RANGE: 26,
  SUBSCRIBE_COV_PROPERTY: 28,
  CONFIRMED_COV_NOTIFICATION: 1,
} as const;

/** BACnetConfirmedServiceChoice. */
export const CONFIRMED_SERVICES: Readonly<Record<number, CodeEntry>> = {
  0: { name: 'acknowledge_alarm', access: 'other' },
  1: { name: 'confirmed_cov_notification', access: 'other' },
  2: { name: 'confirmed_event_notification', access: 'other' },
  3: { name: 'get_alarm_summary', access: 'other' },
  4: { name: 'get_enrollment_summary', access: 'other' },
  5: { name: 'subscribe_cov', access: 'read' },
  6: { name: 'atomic_read_file', access: 'read' },
  7: { name: 'atomic_write_file', access: 'program' },
  8: { name: 'add_list_element', access: 'write' },
  9: { name: 'remove_list_element', access: 'write' },
  10: { name: 'create_object', access: 'write' },
  11: { name: 'delete_object', access: 'write' },
  12: { name: 'read_property', access: 'read' },
  13: { name: 'read_property_conditional', access: 'read' },
  14: { name: 'read_property_multiple', access: 'read' },
  15: { name: 'write_property', access: 'write' },
  16: { name: 'write_property_multiple', access: 'write' },
  17: { name: 'device_communication_control', access: 'control' },
  18: { name: 'confirmed_private_transfer', access: 'other' },
  19: { name: 'confirmed_text_message', access: 'other' },
  20: { name: 'reinitialize_device', access: 'control' },
  21: { name: 'vt_open', access: 'other' },
  22: { name: 'vt_close', access: 'other' },
  23: { name: 'vt_data', access: 'other' },
  24: { name: 'authenticate', access: 'other' },
  25: { name: 'request_key', access: 'other' },
  26: { name: 'read_range', access: 'read' },
  27: { name: 'life_safety_operation', access: 'other' },
  28: { name: 'subscribe_cov_property', access: 'read' },
  29: { name: 'get_event_information', access: 'other' },
  30: { name: 'subscribe_cov_property_multiple', access: 'read' },
  31: { name: 'confirmed_cov_notification_multiple', access: 'other' },
  32: { name: 'confirmed_audit_notification', access: 'other' },
  33: { name: 'audit_log_query', access: 'other' },
};

export const UNCONFIRMED = {
  I_AM: 0,
  I_HAVE: 1,
  UNCONFIRMED_COV_NOTIFICATION: 2,
  TIME_SYNCHRONIZATION: 6,
  WHO_HAS: 7,
  WHO_IS: 8,
  UTC_TIME_SYNCHRONIZATION: 9,
} as const;

/** BACnetUnconfirmedServiceChoice. */
export const UNCONFIRMED_SERVICES: Readonly<Record<number, CodeEntry>> = {
  0: { name: 'i_am', access: 'discovery' },
  1: { name: 'i_have', access: 'discovery' },
  2: { name: 'unconfirmed_cov_notification', access: 'other' },
  3: { name: 'unconfirmed_event_notification', access: 'other' },
  4: { name: 'unconfirmed_private_transfer', access: 'other' },
  5: { name: 'unconfirmed_text_message', access: 'other' },
  6: { name: 'time_synchronization', access: 'other' },
  7: { name: 'who_has', access: 'discovery' },
  8: { name: 'who_is', access: 'discovery' },
  9: { name: 'utc_time_synchronization', access: 'other' },
  10: { name: 'write_group', access: 'other' },
  11: { name: 'unconfirmed_cov_notification_multiple', access: 'other' },
  12: { name: 'unconfirmed_audit_notification', access: 'other' },
  13: { name: 'who_am_i', access: 'discovery' },
  14: { name: 'you_are', access: 'other' },
};

export function serviceEntry(confirmed: boolean, choice: number): CodeEntry {
  const e = (confirmed ? CONFIRMED_SERVICES : UNCONFIRMED_SERVICES)[choice];
  return e ?? { name: `unknown_${choice}`, access: 'other' };
}

/** BACnetObjectType; 128-1023 are proprietary. */
export const OBJECT_TYPES: Names = {
  0: 'analog_input', 1: 'analog_output', 2: 'analog_value', 3: 'binary_input', 4: 'binary_output', 5: 'binary_value',
  6: 'calendar', 7: 'command', 8: 'device', 9: 'event_enrollment', 10: 'file', 11: 'group', 12: 'loop',
  13: 'multi_state_input', 14: 'multi_state_output', 15: 'notification_class', 16: 'program', 17: 'schedule',
  18: 'averaging', 19: 'multi_state_value', 20: 'trend_log', 21: 'life_safety_point', 22: 'life_safety_zone',
  23: 'accumulator', 24: 'pulse_converter', 25: 'event_log', 26: 'global_group', 27: 'trend_log_multiple',
  28: 'load_control', 29: 'structured_view', 30: 'access_door', 31: 'timer', 32: 'access_credential',
  33: 'access_point', 34: 'access_rights', 35: 'access_user', 36: 'access_zone', 37: 'credential_data_input',
  38: 'network_security', 39: 'bitstring_value', 40: 'characterstring_value', 41: 'date_pattern_value',
  42: 'date_value', 43: 'datetime_pattern_value', 44: 'datetime_value', 45: 'integer_value',
  46: 'large_analog_value', 47: 'octetstring_value', 48: 'positive_integer_value', 49: 'time_pattern_value',
  50: 'time_value', 51: 'notification_forwarder', 52: 'alert_enrollment', 53: 'channel', 54: 'lighting_output',
  55: 'binary_lighting_output', 56: 'network_port', 57: 'elevator_group', 58: 'escalator', 59: 'lift',
  60: 'staging', 61: 'audit_log', 62: 'audit_reporter', 63: 'color', 64: 'color_temperature',
};

export const OBJECT_DEVICE = 8;

export function objectTypeName(type: number): string {
  const n = OBJECT_TYPES[type];
  if (n !== undefined) return n;
  return type >= 128 ? `proprietary_${type}` : `unknown_${type}`;
}

/** BACnetPropertyIdentifier (the standard ones to 222 and a few later); 512-4194303 are proprietary. */
export const PROPERTIES: Names = {
  0: 'acked_transitions', 1: 'ack_required', 2: 'action', 3: 'action_text', 4: 'active_text',
  5: 'active_vt_sessions', 6: 'alarm_value', 7: 'alarm_values', 8: 'all', 9: 'all_writes_successful',
  10: 'apdu_segment_timeout', 11: 'apdu_timeout', 12: 'application_software_version', 13: 'archive', 14: 'bias',
  15: 'change_of_state_count', 16: 'change_of_state_time', 17: 'notification_class',
  19: 'controlled_variable_reference', 20: 'controlled_variable_units', 21: 'controlled_variable_value',
  22: 'cov_increment', 23: 'date_list', 24: 'daylight_savings_status', 25: 'deadband', 26: 'derivative_constant',
  27: 'derivative_constant_units', 28: 'description', 29: 'description_of_halt', 30: 'device_address_binding',
  31: 'device_type', 32: 'effective_period', 33: 'elapsed_active_time', 34: 'error_limit', 35: 'event_enable',
  36: 'event_state', 37: 'event_type', 38: 'exception_schedule', 39: 'fault_values', 40: 'feedback_value',
  41: 'file_access_method', 42: 'file_size', 43: 'file_type', 44: 'firmware_revision', 45: 'high_limit',
  46: 'inactive_text', 47: 'in_process', 48: 'instance_of', 49: 'integral_constant', 50: 'integral_constant_units',
  52: 'limit_enable', 53: 'list_of_group_members', 54: 'list_of_object_property_references', 56: 'local_date',
  57: 'local_time', 58: 'location', 59: 'low_limit', 60: 'manipulated_variable_reference', 61: 'maximum_output',
  62: 'max_apdu_length_accepted', 63: 'max_info_frames', 64: 'max_master', 65: 'max_pres_value',
  66: 'minimum_off_time', 67: 'minimum_on_time', 68: 'minimum_output', 69: 'min_pres_value', 70: 'model_name',
  71: 'modification_date', 72: 'notify_type', 73: 'number_of_apdu_retries', 74: 'number_of_states',
  75: 'object_identifier', 76: 'object_list', 77: 'object_name', 78: 'object_property_reference', 79: 'object_type',
  80: 'optional', 81: 'out_of_service', 82: 'output_units', 83: 'event_parameters', 84: 'polarity',
  85: 'present_value', 86: 'priority', 87: 'priority_array', 88: 'priority_for_writing', 89: 'process_identifier',
  90: 'program_change', 91: 'program_location', 92: 'program_state', 93: 'proportional_constant',
  94: 'proportional_constant_units', 96: 'protocol_object_types_supported', 97: 'protocol_services_supported',
  98: 'protocol_version', 99: 'read_only', 100: 'reason_for_halt', 102: 'recipient_list', 103: 'reliability',
  104: 'relinquish_default', 105: 'required', 106: 'resolution', 107: 'segmentation_supported', 108: 'setpoint',
  109: 'setpoint_reference', 110: 'state_text', 111: 'status_flags', 112: 'system_status', 113: 'time_delay',
  114: 'time_of_active_time_reset', 115: 'time_of_state_count_reset', 116: 'time_synchronization_recipients',
  117: 'units', 118: 'update_interval', 119: 'utc_offset', 120: 'vendor_identifier', 121: 'vendor_name',
  122: 'vt_classes_supported', 123: 'weekly_schedule', 124: 'attempted_samples', 125: 'average_value',
  126: 'buffer_size', 127: 'client_cov_increment', 128: 'cov_resubscription_interval', 130: 'event_time_stamps',
  131: 'log_buffer', 132: 'log_device_object_property', 133: 'enable', 134: 'log_interval', 135: 'maximum_value',
  136: 'minimum_value', 137: 'notification_threshold', 139: 'protocol_revision', 140: 'records_since_notification',
  141: 'record_count', 142: 'start_time', 143: 'stop_time', 144: 'stop_when_full', 145: 'total_record_count',
  146: 'valid_samples', 147: 'window_interval', 148: 'window_samples', 149: 'maximum_value_timestamp',
  150: 'minimum_value_timestamp', 151: 'variance_value', 152: 'active_cov_subscriptions',
  153: 'backup_failure_timeout', 154: 'configuration_files', 155: 'database_revision', 156: 'direct_reading',
  157: 'last_restore_time', 158: 'maintenance_required', 159: 'member_of', 160: 'mode', 161: 'operation_expected',
  162: 'setting', 163: 'silenced', 164: 'tracking_value', 165: 'zone_members', 166: 'life_safety_alarm_values',
  167: 'max_segments_accepted', 168: 'profile_name', 169: 'auto_slave_discovery', 170: 'manual_slave_address_binding',
  171: 'slave_address_binding', 172: 'slave_proxy_enable', 173: 'last_notify_record', 174: 'schedule_default',
  175: 'accepted_modes', 176: 'adjust_value', 177: 'count', 178: 'count_before_change', 179: 'count_change_time',
  180: 'cov_period', 181: 'input_reference', 182: 'limit_monitoring_interval', 183: 'logging_object',
  184: 'logging_record', 185: 'prescale', 186: 'pulse_rate', 187: 'scale', 188: 'scale_factor', 189: 'update_time',
  190: 'value_before_change', 191: 'value_set', 192: 'value_change_time', 193: 'align_intervals',
  195: 'interval_offset', 196: 'last_restart_reason', 197: 'logging_type', 202: 'restart_notification_recipients',
  203: 'time_of_device_restart', 204: 'time_synchronization_interval', 205: 'trigger',
  206: 'utc_time_synchronization_recipients', 207: 'node_subtype', 208: 'node_type', 209: 'structured_object_list',
  210: 'subordinate_annotations', 211: 'subordinate_list', 212: 'actual_shed_level', 213: 'duty_window',
  214: 'expected_shed_level', 215: 'full_duty_baseline', 218: 'requested_shed_level', 219: 'shed_duration',
  220: 'shed_level_descriptions', 221: 'shed_levels', 222: 'state_description', 371: 'property_list',
};

export const PROP = {
  APPLICATION_SOFTWARE_VERSION: 12,
  FIRMWARE_REVISION: 44,
  MODEL_NAME: 70,
  OBJECT_NAME: 77,
  VENDOR_IDENTIFIER: 120,
  VENDOR_NAME: 121,
} as const;

export function propertyName(id: number): string {
  const n = PROPERTIES[id];
  if (n !== undefined) return n;
  return id >= 512 ? `proprietary_${id}` : `unknown_${id}`;
}

/** BACnetSegmentation. */
export const SEGMENTATION: Names = { 0: 'segmented_both', 1: 'segmented_transmit', 2: 'segmented_receive', 3: 'no_segmentation' };

/** ReinitializeDevice reinitializedStateOfDevice. */
export const REINITIALIZE_STATES: Names = {
  0: 'coldstart', 1: 'warmstart', 2: 'start_backup', 3: 'end_backup', 4: 'start_restore', 5: 'end_restore',
  6: 'abort_restore', 7: 'activate_changes',
};

/** DeviceCommunicationControl enable-disable. */
export const DCC_STATES: Names = { 0: 'enable', 1: 'disable', 2: 'disable_initiation' };

/** Error class (BACnetErrorClass). */
export const ERROR_CLASSES: Names = {
  0: 'device', 1: 'object', 2: 'property', 3: 'resources', 4: 'security', 5: 'services', 6: 'vt', 7: 'communication',
};

/** Error code (BACnetErrorCode), the standard values to 84. */
export const ERROR_CODES: Names = {
  0: 'other', 1: 'authentication_failed', 2: 'configuration_in_progress', 3: 'device_busy',
  4: 'dynamic_creation_not_supported', 5: 'file_access_denied', 6: 'incompatible_security_levels',
  7: 'inconsistent_parameters', 8: 'inconsistent_selection_criterion', 9: 'invalid_data_type',
  10: 'invalid_file_access_method', 11: 'invalid_file_start_position', 12: 'invalid_operator_name',
  13: 'invalid_parameter_data_type', 14: 'invalid_time_stamp', 15: 'key_generation_error',
  16: 'missing_required_parameter', 17: 'no_objects_of_specified_type', 18: 'no_space_for_object',
  19: 'no_space_to_add_list_element', 20: 'no_space_to_write_property', 21: 'no_vt_sessions_available',
  22: 'property_is_not_a_list', 23: 'object_deletion_not_permitted', 24: 'object_identifier_already_exists',
  25: 'operational_problem', 26: 'password_failure', 27: 'read_access_denied', 28: 'security_not_supported',
  29: 'service_request_denied', 30: 'timeout', 31: 'unknown_object', 32: 'unknown_property', 34: 'unknown_vt_class',
  35: 'unknown_vt_session', 36: 'unsupported_object_type', 37: 'value_out_of_range', 38: 'vt_session_already_closed',
  39: 'vt_session_termination_failure', 40: 'write_access_denied', 41: 'character_set_not_supported',
  42: 'invalid_array_index', 43: 'cov_subscription_failed', 44: 'not_cov_property',
  45: 'optional_functionality_not_supported', 46: 'invalid_configuration_data', 47: 'datatype_not_supported',
  48: 'duplicate_name', 49: 'duplicate_object_id', 50: 'property_is_not_an_array', 51: 'abort_buffer_overflow',
  52: 'abort_invalid_apdu_in_this_state', 53: 'abort_preempted_by_higher_priority_task',
  54: 'abort_segmentation_not_supported', 55: 'abort_proprietary', 56: 'abort_other', 57: 'invalid_tag',
  58: 'network_down', 59: 'reject_buffer_overflow', 60: 'reject_inconsistent_parameters',
  61: 'reject_invalid_parameter_data_type', 62: 'reject_invalid_tag', 63: 'reject_missing_required_parameter',
  64: 'reject_parameter_out_of_range', 65: 'reject_too_many_arguments', 66: 'reject_undefined_enumeration',
  67: 'reject_unrecognized_service', 68: 'reject_proprietary', 69: 'reject_other', 70: 'unknown_device',
  71: 'unknown_route', 72: 'value_not_initialized', 73: 'invalid_event_state', 74: 'no_alarm_configured',
  75: 'log_buffer_full', 76: 'logged_value_purged', 77: 'no_property_specified',
  78: 'not_configured_for_triggered_logging', 79: 'unknown_subscription', 80: 'parameter_out_of_range',
  81: 'list_element_not_found', 82: 'busy', 83: 'communication_disabled', 84: 'success',
};

/** BACnetRejectReason. */
export const REJECT_REASONS: Names = {
  0: 'other', 1: 'buffer_overflow', 2: 'inconsistent_parameters', 3: 'invalid_parameter_data_type', 4: 'invalid_tag',
  5: 'missing_required_parameter', 6: 'parameter_out_of_range', 7: 'too_many_arguments', 8: 'undefined_enumeration',
  9: 'unrecognized_service',
};

/** BACnetAbortReason. */
export const ABORT_REASONS: Names = {
  0: 'other', 1: 'buffer_overflow', 2: 'invalid_apdu_in_this_state', 3: 'preempted_by_higher_priority_task',
  4: 'segmentation_not_supported', 5: 'security_error', 6: 'insufficient_security', 7: 'window_size_out_of_range',
  8: 'application_exceeded_reply_time', 9: 'out_of_resources', 10: 'tsm_timeout', 11: 'apdu_too_long',
};

/** Max-APDU-length-accepted codes of a confirmed request (§20.1.2.5), in octets. */
export const MAX_APDU_OCTETS: readonly number[] = [50, 128, 206, 480, 1024, 1476];

/** Max-segments-accepted codes (§20.1.2.4); 0 unspecified, 7 more than 64. */
export const MAX_SEGMENTS: readonly number[] = [0, 2, 4, 8, 16, 32, 64, 65];

/** Application tag numbers (§20.2.1.4). */
export const APP_TAG = {
  NULL: 0, BOOLEAN: 1, UNSIGNED: 2, SIGNED: 3, REAL: 4, DOUBLE: 5, OCTET_STRING: 6, CHARACTER_STRING: 7,
  BIT_STRING: 8, ENUMERATED: 9, DATE: 10, TIME: 11, OBJECT_ID: 12,
} as const;
