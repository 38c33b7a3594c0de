// What protocol operations mean to a defender, declared once per protocol: program transfer, operating-mode change,
// restart, firmware update, command, clock set, unsolicited-reporting control, device identification. Behaviour
// detections read these actions, never a protocol's own codes, so one detection covers every protocol that can do it.
import type { TransactionRecord } from '../pipeline/detail.js';

export type Action =
  | 'program_download'
  | 'program_upload'
  | 'program_erase'
  | 'mode_stop'
  | 'mode_start'
  | 'mode_change'
  | 'restart'
  | 'firmware_update'
  | 'command'
  | 'clock_set'
  | 'disable_unsolicited'
  | 'listen_only'
  | 'password_change'
  | 'identify'
  | 'file_transfer'
  | 'stop_transfer';

/** `protocol` → operation name (or `name/sub` for a sub-function) → action. */
const ACTIONS: Readonly<Record<string, Readonly<Record<string, Action>>>> = {
  s7comm: {
    request_download: 'program_download',
    download_block: 'program_download',
    download_ended: 'program_download',
    start_upload: 'program_upload',
    upload: 'program_upload',
    end_upload: 'program_upload',
    plc_stop: 'mode_stop',
    // PI services name what they start: _INSE/_DELE (block insert/delete) are program changes, P_PROGRAM starts the CPU.
    pi_service: 'mode_change',
    'block_functions/erase': 'program_erase',
    'security/set_password': 'password_change',
    'security/clear_password': 'password_change',
    'cpu_functions/read_szl': 'identify',
  },
  modbus: {
    'umas/initialize_download': 'program_download',
    'umas/download_block': 'program_download',
    'umas/end_strategy_download': 'program_download',
    'umas/initialize_upload': 'program_upload',
    'umas/upload_block': 'program_upload',
    'umas/end_strategy_upload': 'program_upload',
    'umas/stop_plc': 'mode_stop',
    'umas/start_plc': 'mode_start',
    'diagnostics/restart_communications_option': 'restart',
    'diagnostics/force_listen_only_mode': 'listen_only',
    'encapsulated_interface_transport/read_device_identification': 'identify',
    report_server_id: 'identify',
    write_single_coil: 'command',
    write_single_register: 'command',
    write_multiple_coils: 'command',
    write_multiple_registers: 'command',
    mask_write_register: 'command',
    read_write_multiple_registers: 'command',
  },
  dnp3: {
    select: 'command',
    operate: 'command',
    direct_operate: 'command',
    direct_operate_no_ack: 'command',
    cold_restart: 'restart',
    warm_restart: 'restart',
    stop_application: 'mode_stop',
    start_application: 'mode_start',
    initialize_application: 'mode_change',
    disable_unsolicited: 'disable_unsolicited',
    open_file: 'file_transfer',
    delete_file: 'file_transfer',
    activate_config: 'firmware_update',
    save_configuration: 'program_download',
  },
  enip: {
    reset: 'restart',
    start: 'mode_start',
    stop: 'mode_stop',
    list_identity: 'identify',
  },
  iec104: {
    C_SC_NA_1: 'command',
    C_DC_NA_1: 'command',
    C_RC_NA_1: 'command',
    C_SE_NA_1: 'command',
    C_SE_NB_1: 'command',
    C_SE_NC_1: 'command',
    C_BO_NA_1: 'command',
    C_SC_TA_1: 'command',
    C_DC_TA_1: 'command',
    C_RC_TA_1: 'command',
    C_SE_TA_1: 'command',
    C_SE_TB_1: 'command',
    C_SE_TC_1: 'command',
    C_BO_TA_1: 'command',
    C_RP_NA_1: 'restart',
    C_CS_NA_1: 'clock_set',
    stopdt: 'stop_transfer',
  },
  bacnet: {
    reinitialize_device: 'restart',
    device_communication_control: 'listen_only',
    who_is: 'identify',
    atomic_write_file: 'file_transfer',
    write_property: 'command',
    write_property_multiple: 'command',
    time_synchronization: 'clock_set',
    utc_time_synchronization: 'clock_set',
  },
  opcua: {
    write: 'command',
    call: 'command',
  },
};

/** Operations whose meaning depends on the data area they touch. */
const BY_AREA: readonly { protocol: string; operation: string; area: string; action: Action }[] = [{ protocol: 'dnp3', operation: 'write', area: 'time_and_date', action: 'clock_set' }];

// Records are never changed once made, and every detection asks about the same transaction in turn: the last answer
// is kept.
let lastRecord: object | null = null;
let lastAction: Action | null = null;

/** The action of a transaction, or null when it means nothing in particular (reads, polls, sessions). */
export function actionOf(t: Pick<TransactionRecord, 'protocol' | 'operation' | 'target'>): Action | null {
  if (t === lastRecord) return lastAction;
  lastAction = judgeAction(t);
  lastRecord = t;
  return lastAction;
}

function judgeAction(t: Pick<TransactionRecord, 'protocol' | 'operation' | 'target'>): Action | null {
  for (const r of BY_AREA) if (r.protocol === t.protocol && r.operation === t.operation.name && t.target.area === r.area) return r.action;
  const table = ACTIONS[t.protocol];
  if (table === undefined) return null;
  const op = t.operation;
  if (op.sub !== undefined) {
    const a = table[`${op.name}/${op.sub.name}`];
    if (a !== undefined) return a;
  }
  return table[op.name] ?? null;
}

/** Every (protocol, operation) pair declared, for the tests that check them against the protocol code tables. */
export function declaredActions(): { protocol: string; operation: string; action: Action }[] {
  return [
    ...Object.entries(ACTIONS).flatMap(([protocol, t]) => Object.entries(t).map(([operation, action]) => ({ protocol, operation, action }))),
    ...BY_AREA.map((r) => ({ protocol: r.protocol, operation: r.operation, action: r.action })),
  ];
}
