// Typed OPC UA messages (Part 6 §7 connection protocol and secure conversation, Part 4 service structures).
import type { ServiceEntry } from './codes.js';

export type MessageType = 'HEL' | 'ACK' | 'ERR' | 'RHE' | 'OPN' | 'CLO' | 'MSG';
export type ChunkType = 'F' | 'C' | 'A';

/** HEL and ACK fields (ACK carries no endpoint URL). */
export interface HelloFields {
  readonly version: number;
  readonly receive_buffer_size: number;
  readonly send_buffer_size: number;
  readonly max_message_size: number;
  readonly max_chunk_count: number;
  readonly endpoint_url?: string | null;
}

/** One chunk as framed from the stream: header, transport fields, security and sequence headers. */
export interface Chunk {
  readonly type: MessageType;
  readonly chunk: ChunkType;
  readonly size: number;
  readonly hello?: HelloFields;
  /** ERR status code and reason; also an abort chunk's error. */
  readonly error_code?: number;
  readonly reason?: string | null;
  readonly server_uri?: string | null;
  readonly endpoint_url?: string | null;
  readonly secure_channel_id?: number;
  readonly security_policy_uri?: string | null;
  readonly sender_certificate_length?: number;
  readonly receiver_thumbprint_length?: number;
  readonly token_id?: number;
  /** Absent when the sequence header is encrypted. */
  readonly sequence_number?: number;
  readonly request_id?: number;
  /** Offset of the body (after the sequence header) within the chunk; -1 when there is none or it is encrypted. */
  readonly body_offset: number;
  readonly anomalies: readonly string[];
}

export type VariantValue = boolean | number | string | null | { readonly [k: string]: unknown } | readonly VariantValue[];

export interface TypedValue {
  readonly type: string;
  readonly value: VariantValue;
  /** Array length on the wire, when the variant is an array (values beyond the cap are cut). */
  readonly array_length?: number;
  readonly status?: string;
}

export interface NodeItem {
  readonly node: string;
  readonly attribute?: string;
  readonly attribute_id?: number;
  readonly value?: TypedValue;
  readonly method?: string;
}

export interface ApplicationDescription {
  readonly application_uri: string | null;
  readonly product_uri: string | null;
  readonly application_name: string | null;
  readonly application_type: string;
  readonly discovery_urls: readonly string[];
}

export interface EndpointDescription {
  readonly endpoint_url: string | null;
  readonly security_mode: string;
  readonly security_policy: string | null;
  readonly security_level: number;
  readonly server: ApplicationDescription;
}

/** A decoded service body (plaintext only). */
export interface ServiceMessage {
  /** The type id as text (`i=631`, `ns=2;s=x`) and its numeric id when in namespace 0 (else -1). */
  readonly type_id: string;
  readonly encoding_id: number;
  readonly kind: 'request' | 'response' | 'fault' | 'unknown';
  readonly service: ServiceEntry | null;
  readonly request_handle: number | null;
  /** Request/response header timestamp, Unix seconds. */
  readonly timestamp: number | null;
  readonly service_result: number | null;
  /** Nodes (with attributes, values, methods) the service addresses or returns, capped. */
  readonly items: readonly NodeItem[];
  /** Operation count on the wire (before the cap). */
  readonly item_count: number | null;
  /** Per-operation status codes (Write, Call results...), capped. */
  readonly results: readonly number[];
  readonly values: readonly TypedValue[];
  readonly application: ApplicationDescription | null;
  readonly endpoints: readonly EndpointDescription[];
  readonly endpoint_count: number | null;
  readonly endpoint_url: string | null;
  readonly session_name: string | null;
  readonly security_mode: string | null;
  readonly request_type: string | null;
  readonly identity_token: string | null;
  readonly user_name: string | null;
  readonly subscription_id: number | null;
  readonly anomalies: readonly string[];
}
