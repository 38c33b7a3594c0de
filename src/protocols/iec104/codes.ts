// IEC 60870-5-104 code tables. Sources: IEC 60870-5-101 ed. 2 §7.2.1 (type identification), §7.2.3 (cause of
// transmission), §7.2.6 (information elements); IEC 60870-5-104 ed. 2 §5 (APCI control field formats, U functions).
import type { Access } from '../operation.js';

/** Information element layouts (IEC 60870-5-101 §7.2.6), the value part of one information object. */
export type Element =
  | 'siq' | 'diq' | 'vti_qds' | 'bsi_qds' | 'nva_qds' | 'sva_qds' | 'float_qds' | 'bcr' | 'sep_cp16' | 'spe_qdp_cp16'
  | 'oci_qdp_cp16' | 'scd_qds' | 'nva' | 'sco' | 'dco' | 'rco' | 'nva_qos' | 'sva_qos' | 'float_qos' | 'bsi' | 'coi'
  | 'qoi' | 'qcc' | 'none' | 'cp56' | 'fbp' | 'qrp' | 'cp16' | 'tsc' | 'nva_qpm' | 'sva_qpm' | 'float_qpm' | 'qpa'
  | 'file_ready' | 'section_ready' | 'call_select' | 'last_section' | 'ack_file' | 'segment' | 'directory' | 'query_log';

export interface TypeEntry {
  readonly name: string;
  readonly access: Access;
  /** `target.area` of its transactions. */
  readonly area: string;
  readonly element: Element;
  /** Bytes of the element, without the 3-byte IOA and without the time tag; -1 when variable (F_SG_NA_1). */
  readonly size: number;
  /** Time tag after the element: 0, 3 (CP24Time2a) or 7 (CP56Time2a). */
  readonly time: 0 | 3 | 7;
  /** Commands and system commands a station answers with an activation confirmation (COT 7). */
  readonly confirmed: boolean;
  /** Activations that end with an activation termination (COT 10) after the confirmation. */
  readonly terminated: boolean;
}

const ELEMENT_SIZE: Readonly<Record<Element, number>> = {
  siq: 1, diq: 1, vti_qds: 2, bsi_qds: 5, nva_qds: 3, sva_qds: 3, float_qds: 5, bcr: 5, sep_cp16: 3, spe_qdp_cp16: 4,
  oci_qdp_cp16: 4, scd_qds: 5, nva: 2, sco: 1, dco: 1, rco: 1, nva_qos: 3, sva_qos: 3, float_qos: 5, bsi: 4, coi: 1,
  qoi: 1, qcc: 1, none: 0, cp56: 7, fbp: 2, qrp: 1, cp16: 2, tsc: 2, nva_qpm: 3, sva_qpm: 3, float_qpm: 5, qpa: 1,
  file_ready: 6, section_ready: 7, call_select: 4, last_section: 5, ack_file: 4, segment: -1, directory: 6,
  query_log: 16,
};

type Row = [code: number, name: string, access: Access, area: string, element: Element, time: 0 | 3 | 7];

// Monitoring direction (process information), §7.2.1.1 table 8; time-tagged CP24 variants are 101-only but seen.
const ROWS: readonly Row[] = [
  [1, 'M_SP_NA_1', 'read', 'single_point', 'siq', 0],
  [2, 'M_SP_TA_1', 'read', 'single_point', 'siq', 3],
  [3, 'M_DP_NA_1', 'read', 'double_point', 'diq', 0],
  [4, 'M_DP_TA_1', 'read', 'double_point', 'diq', 3],
  [5, 'M_ST_NA_1', 'read', 'step_position', 'vti_qds', 0],
  [6, 'M_ST_TA_1', 'read', 'step_position', 'vti_qds', 3],
  [7, 'M_BO_NA_1', 'read', 'bitstring', 'bsi_qds', 0],
  [8, 'M_BO_TA_1', 'read', 'bitstring', 'bsi_qds', 3],
  [9, 'M_ME_NA_1', 'read', 'measured_normalized', 'nva_qds', 0],
  [10, 'M_ME_TA_1', 'read', 'measured_normalized', 'nva_qds', 3],
  [11, 'M_ME_NB_1', 'read', 'measured_scaled', 'sva_qds', 0],
  [12, 'M_ME_TB_1', 'read', 'measured_scaled', 'sva_qds', 3],
  [13, 'M_ME_NC_1', 'read', 'measured_float', 'float_qds', 0],
  [14, 'M_ME_TC_1', 'read', 'measured_float', 'float_qds', 3],
  [15, 'M_IT_NA_1', 'read', 'integrated_totals', 'bcr', 0],
  [16, 'M_IT_TA_1', 'read', 'integrated_totals', 'bcr', 3],
  [17, 'M_EP_TA_1', 'read', 'protection_event', 'sep_cp16', 3],
  [18, 'M_EP_TB_1', 'read', 'protection_start', 'spe_qdp_cp16', 3],
  [19, 'M_EP_TC_1', 'read', 'protection_output', 'oci_qdp_cp16', 3],
  [20, 'M_PS_NA_1', 'read', 'packed_single_point', 'scd_qds', 0],
  [21, 'M_ME_ND_1', 'read', 'measured_normalized', 'nva', 0],
  [30, 'M_SP_TB_1', 'read', 'single_point', 'siq', 7],
  [31, 'M_DP_TB_1', 'read', 'double_point', 'diq', 7],
  [32, 'M_ST_TB_1', 'read', 'step_position', 'vti_qds', 7],
  [33, 'M_BO_TB_1', 'read', 'bitstring', 'bsi_qds', 7],
  [34, 'M_ME_TD_1', 'read', 'measured_normalized', 'nva_qds', 7],
  [35, 'M_ME_TE_1', 'read', 'measured_scaled', 'sva_qds', 7],
  [36, 'M_ME_TF_1', 'read', 'measured_float', 'float_qds', 7],
  [37, 'M_IT_TB_1', 'read', 'integrated_totals', 'bcr', 7],
  [38, 'M_EP_TD_1', 'read', 'protection_event', 'sep_cp16', 7],
  [39, 'M_EP_TE_1', 'read', 'protection_start', 'spe_qdp_cp16', 7],
  [40, 'M_EP_TF_1', 'read', 'protection_output', 'oci_qdp_cp16', 7],
  // Control direction (process information), table 9.
  [45, 'C_SC_NA_1', 'control', 'single_command', 'sco', 0],
  [46, 'C_DC_NA_1', 'control', 'double_command', 'dco', 0],
  [47, 'C_RC_NA_1', 'control', 'regulating_step', 'rco', 0],
  [48, 'C_SE_NA_1', 'write', 'setpoint_normalized', 'nva_qos', 0],
  [49, 'C_SE_NB_1', 'write', 'setpoint_scaled', 'sva_qos', 0],
  [50, 'C_SE_NC_1', 'write', 'setpoint_float', 'float_qos', 0],
  [51, 'C_BO_NA_1', 'write', 'bitstring', 'bsi', 0],
  [58, 'C_SC_TA_1', 'control', 'single_command', 'sco', 7],
  [59, 'C_DC_TA_1', 'control', 'double_command', 'dco', 7],
  [60, 'C_RC_TA_1', 'control', 'regulating_step', 'rco', 7],
  [61, 'C_SE_TA_1', 'write', 'setpoint_normalized', 'nva_qos', 7],
  [62, 'C_SE_TB_1', 'write', 'setpoint_scaled', 'sva_qos', 7],
  [63, 'C_SE_TC_1', 'write', 'setpoint_float', 'float_qos', 7],
  [64, 'C_BO_TA_1', 'write', 'bitstring', 'bsi', 7],
  // System information, tables 10-11.
  [70, 'M_EI_NA_1', 'read', 'end_of_init', 'coi', 0],
  [100, 'C_IC_NA_1', 'read', 'interrogation', 'qoi', 0],
  [101, 'C_CI_NA_1', 'read', 'counter_interrogation', 'qcc', 0],
  [102, 'C_RD_NA_1', 'read', 'read', 'none', 0],
  [103, 'C_CS_NA_1', 'control', 'clock', 'cp56', 0],
  [104, 'C_TS_NA_1', 'diagnostic', 'test', 'fbp', 0],
  [105, 'C_RP_NA_1', 'control', 'reset_process', 'qrp', 0],
  [106, 'C_CD_NA_1', 'diagnostic', 'delay_acquisition', 'cp16', 0],
  [107, 'C_TS_TA_1', 'diagnostic', 'test', 'tsc', 7],
  // Parameters, table 12.
  [110, 'P_ME_NA_1', 'write', 'parameter_normalized', 'nva_qpm', 0],
  [111, 'P_ME_NB_1', 'write', 'parameter_scaled', 'sva_qpm', 0],
  [112, 'P_ME_NC_1', 'write', 'parameter_float', 'float_qpm', 0],
  [113, 'P_AC_NA_1', 'write', 'parameter_activation', 'qpa', 0],
  // File transfer, table 13.
  [120, 'F_FR_NA_1', 'program', 'file', 'file_ready', 0],
  [121, 'F_SR_NA_1', 'program', 'file', 'section_ready', 0],
  [122, 'F_SC_NA_1', 'program', 'file', 'call_select', 0],
  [123, 'F_LS_NA_1', 'program', 'file', 'last_section', 0],
  [124, 'F_AF_NA_1', 'program', 'file', 'ack_file', 0],
  [125, 'F_SG_NA_1', 'program', 'file', 'segment', 0],
  [126, 'F_DR_TA_1', 'program', 'file', 'directory', 7],
  [127, 'F_SC_NB_1', 'program', 'file', 'query_log', 0],
];

const CONFIRMED = (code: number) => (code >= 45 && code <= 64) || (code >= 100 && code <= 113 && code !== 102);
const TERMINATED = (code: number) => (code >= 45 && code <= 64) || code === 100 || code === 101;

export const TYPE_IDS: readonly (TypeEntry | undefined)[] = (() => {
  const table: (TypeEntry | undefined)[] = new Array<TypeEntry | undefined>(256).fill(undefined);
  for (const [code, name, access, area, element, time] of ROWS) {
    table[code] = { name, access, area, element, size: ELEMENT_SIZE[element], time, confirmed: CONFIRMED(code), terminated: TERMINATED(code) };
  }
  return table;
})();

const UNKNOWN_TYPES: readonly TypeEntry[] = Array.from({ length: 256 }, (_, code) => ({
  name: `unknown_${code}`,
  access: 'other' as const,
  area: 'unknown',
  element: 'none' as const,
  size: 0,
  time: 0 as const,
  confirmed: false,
  terminated: false,
}));

export function typeEntry(code: number): TypeEntry {
  return TYPE_IDS[code & 0xff] ?? UNKNOWN_TYPES[code & 0xff];
}

export function isKnownType(code: number): boolean {
  return TYPE_IDS[code & 0xff] !== undefined;
}

/** Monitoring direction types (process and system information sent by the controlled station). */
export function isMonitoring(code: number): boolean {
  return code < 45 || code === 70;
}

export const COT_PERIODIC = 1;
export const COT_SPONTANEOUS = 3;
export const COT_REQUEST = 5;
export const COT_ACTIVATION = 6;
export const COT_ACTIVATION_CON = 7;
export const COT_DEACTIVATION = 8;
export const COT_DEACTIVATION_CON = 9;
export const COT_ACTIVATION_TERM = 10;

/** Cause of transmission, the low 6 bits (§7.2.3); 48-63 are for special use (private range). */
const COT_NAMES: Readonly<Record<number, string>> = {
  1: 'periodic',
  2: 'background_scan',
  3: 'spontaneous',
  4: 'initialized',
  5: 'request',
  6: 'activation',
  7: 'activation_con',
  8: 'deactivation',
  9: 'deactivation_con',
  10: 'activation_term',
  11: 'return_info_remote',
  12: 'return_info_local',
  13: 'file_transfer',
  44: 'unknown_type_id',
  45: 'unknown_cause',
  46: 'unknown_common_address',
  47: 'unknown_ioa',
};

const COT_NAME_TABLE: readonly string[] = Array.from({ length: 64 }, (_, c) => {
  if (COT_NAMES[c] !== undefined) return COT_NAMES[c];
  if (c >= 20 && c <= 36) return c === 20 ? 'interrogated_station' : `interrogated_group_${c - 20}`;
  if (c >= 37 && c <= 41) return c === 37 ? 'requested_counter_general' : `requested_counter_group_${c - 37}`;
  if (c >= 48) return `private_${c}`;
  return `unknown_${c}`;
});

export function cotName(cot: number): string {
  return COT_NAME_TABLE[cot & 0x3f];
}

export function isKnownCot(cot: number): boolean {
  return !COT_NAME_TABLE[cot & 0x3f].startsWith('unknown_') || cot === 44 || cot === 45 || cot === 46 || cot === 47;
}

/** U-format functions (104 §5.3): the control field's first octet; act and con bits of one function sit side by side. */
export const U_FUNCTIONS: readonly { readonly act: number; readonly con: number; readonly name: string; readonly access: Access }[] = [
  { act: 0x07, con: 0x0b, name: 'startdt', access: 'control' },
  { act: 0x13, con: 0x23, name: 'stopdt', access: 'control' },
  { act: 0x43, con: 0x83, name: 'testfr', access: 'diagnostic' },
];

/** Double point / double command states (§7.2.6.2, §7.2.6.16). */
export const DOUBLE_STATES: readonly string[] = ['indeterminate_0', 'off', 'on', 'indeterminate_3'];
/** Regulating step command states (§7.2.6.17). */
export const STEP_STATES: readonly string[] = ['not_permitted_0', 'lower', 'higher', 'not_permitted_3'];
