// Types of the EtherNet/IP encapsulation messages and the CIP messages they carry (ODVA CIP Vol. 1 and Vol. 2).

export interface EncapHeader {
  command: number;
  length: number;
  session: number;
  status: number;
  /** Sender context as 16 hex digits. */
  context: string;
  options: number;
}

export interface CpfItem {
  type: number;
  /** Offset of the item data in the message buffer, and its length. */
  offset: number;
  length: number;
}

export interface SocketAddress {
  family: number;
  port: number;
  address: string;
}

export interface Identity {
  encap_version?: number;
  socket?: SocketAddress;
  vendor_id: number;
  device_type: number;
  product_code: number;
  revision: string;
  status: number;
  serial: string;
  product_name: string;
  state?: number;
}

export interface ListService {
  version: number;
  flags: number;
  name: string;
}

/** What an EPATH names; -1 where a logical segment is absent. */
export interface CipPath {
  cls: number;
  instance: number;
  attribute: number;
  member: number;
  connPoint: number;
  /** Symbolic (ANSI extended) segments joined with `.`, null without. */
  symbol: string | null;
  /** Port segments as `port/link` joined with `,`, null without. */
  ports: string | null;
  /** The whole path in words: `class 0x01, instance 1, ...`. */
  text: string;
}

export interface ForwardOpenRequest {
  large: boolean;
  priority_time_tick: number;
  timeout_ticks: number;
  o_t_connection_id: number;
  t_o_connection_id: number;
  connection_serial: number;
  originator_vendor_id: number;
  originator_serial: number;
  timeout_multiplier: number;
  o_t_rpi_us: number;
  o_t_params: number;
  t_o_rpi_us: number;
  t_o_params: number;
  transport_trigger: number;
  connection_path: string;
}

export interface ForwardOpenReply {
  o_t_connection_id: number;
  t_o_connection_id: number;
  connection_serial: number;
  originator_vendor_id: number;
  originator_serial: number;
  o_t_api_us: number;
  t_o_api_us: number;
}

export interface ForwardClose {
  connection_serial: number;
  originator_vendor_id: number;
  originator_serial: number;
  connection_path?: string;
}

export interface CipRequest {
  kind: 'request';
  service: number;
  path: CipPath;
  /** CIP data after the path (offset in the message buffer, length). */
  dataOffset: number;
  dataLength: number;
  /** Unconnected_Send: the embedded request and the route path. */
  embedded?: CipRequest | null;
  route?: string;
  /** Multiple_Service_Packet: the embedded requests. */
  services?: CipRequest[];
  forwardOpen?: ForwardOpenRequest;
  forwardClose?: ForwardClose;
  /** Logix tag services: element count, fragment offset, data type. */
  elements?: number;
  fragmentOffset?: number;
  dataType?: number;
  /** Reset on Identity: 0 restart (power cycle), 1 factory defaults, 2 factory defaults but communication settings. */
  resetType?: number;
}

export interface CipResponse {
  kind: 'response';
  /** Service code without the response bit. */
  service: number;
  status: number;
  extStatus: number[];
  dataOffset: number;
  dataLength: number;
  /** Multiple_Service_Packet: the embedded replies. */
  services?: CipResponse[];
  forwardOpen?: ForwardOpenReply;
  forwardClose?: ForwardClose;
  /** Get_Attributes_All on the Identity class, decoded by the session that knows the request. */
  identity?: Identity;
}

export type CipMessage = CipRequest | CipResponse;

export interface EncapMessage {
  header: EncapHeader;
  items: CpfItem[];
  /** SendRRData/SendUnitData. */
  connectionId: number | null;
  sequence: number | null;
  cip: CipMessage | null;
  identities: Identity[];
  services: ListService[];
  /** RegisterSession protocol version. */
  protocolVersion: number | null;
}

/** One CIP I/O datagram (UDP 2222): sequenced address item plus connected data item. */
export interface IoPacket {
  connectionId: number;
  sequence: number;
  dataLength: number;
}
