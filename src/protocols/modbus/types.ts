// Typed Modbus/TCP ADU as parse.ts returns it, and the protocol fields exported under `modbus` (docs/protocols/modbus.md).

export interface FileSubRequest {
  reference_type: number;
  file_number: number;
  record_number: number;
  record_length: number;
  /** Register values (write request), capped. */
  values?: number[];
}

export interface FileSubResponse {
  reference_type: number;
  /** Registers returned (capped). */
  values: number[];
}

export interface DeviceIdObject {
  id: number;
  name: string;
  value: string;
}

/** Fields decoded from one PDU; the request's and the response's are merged into one record. */
export interface ModbusFields {
  address?: number;
  quantity?: number;
  byte_count?: number;
  write_address?: number;
  write_quantity?: number;
  write_values?: number[];
  read_values?: number[];
  values_truncated?: boolean;
  and_mask?: number;
  or_mask?: number;
  sub_function?: number;
  exception_status?: number;
  status?: number;
  event_count?: number;
  message_count?: number;
  events?: string;
  server_id?: number;
  run_indicator?: 'on' | 'off';
  server_id_data?: string;
  server_id_text?: string;
  file_requests?: FileSubRequest[];
  file_responses?: FileSubResponse[];
  fifo_count?: number;
  mei_type?: number;
  read_device_id_code?: number;
  object_id?: number;
  conformity_level?: number;
  more_follows?: boolean;
  next_object_id?: number;
  objects?: DeviceIdObject[];
  umas_session?: number;
  umas_code?: number;
  umas_status?: number;
  request_data?: string;
  response_data?: string;
  data_truncated?: boolean;
}

export interface ModbusAdu {
  transactionId: number;
  protocolId: number;
  /** MBAP length: unit id plus PDU. */
  length: number;
  unitId: number;
  /** Function code byte as on the wire (exception bit included). */
  funcCode: number;
  /** Function code without the exception bit. */
  func: number;
  /** Exception code of an exception response, else -1. */
  exceptionCode: number;
  /** Direction the ADU was parsed as. */
  isResponse: boolean;
  fields: ModbusFields;
  /** Anomaly codes the PDU raised. */
  anomalies: string[];
}
