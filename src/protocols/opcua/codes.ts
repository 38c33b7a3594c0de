// OPC UA code tables. Sources: OPC 10000-6 (Part 6, Mappings) §7.1.2 message types, §5.2.2 built-in types;
// OPC 10000-4 (Part 4, Services) service sets; the published NodeIds.csv (binary encoding ids of the service
// request/response types) and StatusCode.csv (status code names); OPC 10000-3 §5.9 attribute ids.
import type { Access } from '../operation.js';

/** Message types of the connection protocol and secure conversation (Part 6 §7.1.2.2), by their 3 ASCII bytes. */
export const MESSAGE_TYPES: Readonly<Record<string, { readonly name: string; readonly access: Access }>> = {
  HEL: { name: 'hello', access: 'other' },
  ACK: { name: 'acknowledge', access: 'other' },
  ERR: { name: 'error', access: 'other' },
  RHE: { name: 'reverse_hello', access: 'other' },
  OPN: { name: 'open_secure_channel', access: 'other' },
  CLO: { name: 'close_secure_channel', access: 'other' },
  MSG: { name: 'message', access: 'other' },
};

/** The 24-bit code of a message type (its three ASCII bytes, big-endian): the raw number kept beside the name. */
export function messageTypeCode(t: string): number {
  return (t.charCodeAt(0) << 16) | (t.charCodeAt(1) << 8) | t.charCodeAt(2);
}

export interface ServiceEntry {
  /** snake_case operation name. */
  readonly name: string;
  /** The Part 4 service name (request type = name + 'Request'). */
  readonly service: string;
  readonly access: Access;
  /** Binary encoding NodeId (namespace 0) of the request and of the response. */
  readonly request: number;
  readonly response: number;
}

/** Services by their DefaultBinary encoding ids (NodeIds.csv, `<Type>_Encoding_DefaultBinary`). */
export const SERVICES: readonly ServiceEntry[] = [
  { name: 'find_servers', service: 'FindServers', access: 'discovery', request: 422, response: 425 },
  { name: 'find_servers_on_network', service: 'FindServersOnNetwork', access: 'discovery', request: 12208, response: 12209 },
  { name: 'get_endpoints', service: 'GetEndpoints', access: 'discovery', request: 428, response: 431 },
  { name: 'register_server', service: 'RegisterServer', access: 'discovery', request: 437, response: 440 },
  { name: 'register_server2', service: 'RegisterServer2', access: 'discovery', request: 12211, response: 12212 },
  { name: 'open_secure_channel', service: 'OpenSecureChannel', access: 'other', request: 446, response: 449 },
  { name: 'close_secure_channel', service: 'CloseSecureChannel', access: 'other', request: 452, response: 455 },
  { name: 'create_session', service: 'CreateSession', access: 'other', request: 461, response: 464 },
  { name: 'activate_session', service: 'ActivateSession', access: 'other', request: 467, response: 470 },
  { name: 'close_session', service: 'CloseSession', access: 'other', request: 473, response: 476 },
  { name: 'cancel', service: 'Cancel', access: 'other', request: 479, response: 482 },
  { name: 'add_nodes', service: 'AddNodes', access: 'write', request: 488, response: 491 },
  { name: 'add_references', service: 'AddReferences', access: 'write', request: 494, response: 497 },
  { name: 'delete_nodes', service: 'DeleteNodes', access: 'write', request: 500, response: 503 },
  { name: 'delete_references', service: 'DeleteReferences', access: 'write', request: 506, response: 509 },
  { name: 'browse', service: 'Browse', access: 'read', request: 527, response: 530 },
  { name: 'browse_next', service: 'BrowseNext', access: 'read', request: 533, response: 536 },
  { name: 'translate_browse_paths_to_node_ids', service: 'TranslateBrowsePathsToNodeIds', access: 'read', request: 554, response: 557 },
  { name: 'register_nodes', service: 'RegisterNodes', access: 'other', request: 560, response: 563 },
  { name: 'unregister_nodes', service: 'UnregisterNodes', access: 'other', request: 566, response: 569 },
  { name: 'query_first', service: 'QueryFirst', access: 'read', request: 615, response: 618 },
  { name: 'query_next', service: 'QueryNext', access: 'read', request: 621, response: 624 },
  { name: 'read', service: 'Read', access: 'read', request: 631, response: 634 },
  { name: 'history_read', service: 'HistoryRead', access: 'read', request: 664, response: 667 },
  { name: 'write', service: 'Write', access: 'write', request: 673, response: 676 },
  { name: 'history_update', service: 'HistoryUpdate', access: 'write', request: 700, response: 703 },
  { name: 'call', service: 'Call', access: 'control', request: 712, response: 715 },
  { name: 'create_monitored_items', service: 'CreateMonitoredItems', access: 'read', request: 751, response: 754 },
  { name: 'modify_monitored_items', service: 'ModifyMonitoredItems', access: 'other', request: 763, response: 766 },
  { name: 'set_monitoring_mode', service: 'SetMonitoringMode', access: 'other', request: 769, response: 772 },
  { name: 'set_triggering', service: 'SetTriggering', access: 'other', request: 775, response: 778 },
  { name: 'delete_monitored_items', service: 'DeleteMonitoredItems', access: 'other', request: 781, response: 784 },
  { name: 'create_subscription', service: 'CreateSubscription', access: 'other', request: 787, response: 790 },
  { name: 'modify_subscription', service: 'ModifySubscription', access: 'other', request: 793, response: 796 },
  { name: 'set_publishing_mode', service: 'SetPublishingMode', access: 'other', request: 799, response: 802 },
  { name: 'publish', service: 'Publish', access: 'read', request: 826, response: 829 },
  { name: 'republish', service: 'Republish', access: 'read', request: 832, response: 835 },
  { name: 'transfer_subscriptions', service: 'TransferSubscriptions', access: 'other', request: 841, response: 844 },
  { name: 'delete_subscriptions', service: 'DeleteSubscriptions', access: 'other', request: 847, response: 850 },
];

/** The ServiceFault encoding id: a response to any request (Part 4 §7.33). */
export const SERVICE_FAULT = 397;

/** Encoding id → service and whether it is the request or the response. */
export interface ServiceByEncoding {
  readonly entry: ServiceEntry;
  readonly kind: 'request' | 'response';
}

export const SERVICE_BY_ENCODING: ReadonlyMap<number, ServiceByEncoding> = new Map<number, ServiceByEncoding>(
  SERVICES.flatMap((e): [number, ServiceByEncoding][] => [
    [e.request, { entry: e, kind: 'request' }],
    [e.response, { entry: e, kind: 'response' }],
  ]),
);

/** The encoding id of a service's request or response, by its Part 4 name. */
export function encodingOf(service: string, kind: 'request' | 'response'): number {
  const e = SERVICES.find((s) => s.service === service);
  return e === undefined ? -1 : e[kind];
}

/** Encoding ids of user identity tokens carried by ActivateSession (NodeIds.csv). */
export const IDENTITY_TOKENS: Readonly<Record<number, string>> = {
  321: 'anonymous',
  324: 'user_name',
  327: 'x509',
  940: 'issued',
};

/** Security policy URIs (Part 7 security policies) → short names; others keep the URI's fragment. */
export const SECURITY_POLICY_PREFIX = 'http://opcfoundation.org/UA/SecurityPolicy#';

export const SECURITY_MODES: readonly string[] = ['invalid', 'none', 'sign', 'sign_and_encrypt'];
export const APPLICATION_TYPES: readonly string[] = ['server', 'client', 'client_and_server', 'discovery_server'];
export const REQUEST_TYPES: readonly string[] = ['issue', 'renew'];

/** Attribute ids (Part 6 §A.1). */
export const ATTRIBUTES: readonly string[] = [
  'unknown_0', 'NodeId', 'NodeClass', 'BrowseName', 'DisplayName', 'Description', 'WriteMask', 'UserWriteMask',
  'IsAbstract', 'Symmetric', 'InverseName', 'ContainsNoLoops', 'EventNotifier', 'Value', 'DataType', 'ValueRank',
  'ArrayDimensions', 'AccessLevel', 'UserAccessLevel', 'MinimumSamplingInterval', 'Historizing', 'Executable',
  'UserExecutable', 'DataTypeDefinition', 'RolePermissions', 'UserRolePermissions', 'AccessRestrictions',
  'AccessLevelEx',
];

export function attributeName(id: number): string {
  return id < ATTRIBUTES.length && id > 0 ? ATTRIBUTES[id] : `unknown_${id}`;
}

/** Built-in type ids (Part 6 §5.1.2). */
export const BUILTIN_TYPES: readonly string[] = [
  'Null', 'Boolean', 'SByte', 'Byte', 'Int16', 'UInt16', 'Int32', 'UInt32', 'Int64', 'UInt64', 'Float', 'Double',
  'String', 'DateTime', 'Guid', 'ByteString', 'XmlElement', 'NodeId', 'ExpandedNodeId', 'StatusCode',
  'QualifiedName', 'LocalizedText', 'ExtensionObject', 'DataValue', 'Variant', 'DiagnosticInfo',
];

/** Status codes by their top 16 bits (StatusCode.csv); the low 16 bits are info bits and are ignored for the name. */
const STATUS_CODE_LIST: readonly (readonly [number, string])[] = [
  [0x0000, 'Good'], [0x4000, 'Uncertain'], [0x8000, 'Bad'],
  [0x8001, 'BadUnexpectedError'], [0x8002, 'BadInternalError'], [0x8003, 'BadOutOfMemory'],
  [0x8004, 'BadResourceUnavailable'], [0x8005, 'BadCommunicationError'], [0x8006, 'BadEncodingError'],
  [0x8007, 'BadDecodingError'], [0x8008, 'BadEncodingLimitsExceeded'], [0x80b8, 'BadRequestTooLarge'],
  [0x80b9, 'BadResponseTooLarge'], [0x8009, 'BadUnknownResponse'], [0x800a, 'BadTimeout'],
  [0x800b, 'BadServiceUnsupported'], [0x800c, 'BadShutdown'], [0x800d, 'BadServerNotConnected'],
  [0x800e, 'BadServerHalted'], [0x800f, 'BadNothingToDo'], [0x8010, 'BadTooManyOperations'],
  [0x80db, 'BadTooManyMonitoredItems'], [0x8011, 'BadDataTypeIdUnknown'], [0x8012, 'BadCertificateInvalid'],
  [0x8013, 'BadSecurityChecksFailed'], [0x8114, 'BadCertificatePolicyCheckFailed'],
  [0x8014, 'BadCertificateTimeInvalid'], [0x8015, 'BadCertificateIssuerTimeInvalid'],
  [0x8016, 'BadCertificateHostNameInvalid'], [0x8017, 'BadCertificateUriInvalid'],
  [0x8018, 'BadCertificateUseNotAllowed'], [0x8019, 'BadCertificateIssuerUseNotAllowed'],
  [0x801a, 'BadCertificateUntrusted'], [0x801b, 'BadCertificateRevocationUnknown'],
  [0x801c, 'BadCertificateIssuerRevocationUnknown'], [0x801d, 'BadCertificateRevoked'],
  [0x801e, 'BadCertificateIssuerRevoked'], [0x810d, 'BadCertificateChainIncomplete'],
  [0x801f, 'BadUserAccessDenied'], [0x8020, 'BadIdentityTokenInvalid'], [0x8021, 'BadIdentityTokenRejected'],
  [0x8022, 'BadSecureChannelIdInvalid'], [0x8023, 'BadInvalidTimestamp'], [0x8024, 'BadNonceInvalid'],
  [0x8025, 'BadSessionIdInvalid'], [0x8026, 'BadSessionClosed'], [0x8027, 'BadSessionNotActivated'],
  [0x8028, 'BadSubscriptionIdInvalid'], [0x802a, 'BadRequestHeaderInvalid'],
  [0x802b, 'BadTimestampsToReturnInvalid'], [0x802c, 'BadRequestCancelledByClient'],
  [0x80e5, 'BadTooManyArguments'], [0x810e, 'BadLicenseExpired'], [0x810f, 'BadLicenseLimitsExceeded'],
  [0x8110, 'BadLicenseNotAvailable'], [0x80ee, 'BadServerTooBusy'], [0x00ef, 'GoodPasswordChangeRequired'],
  [0x002d, 'GoodSubscriptionTransferred'], [0x002e, 'GoodCompletesAsynchronously'], [0x002f, 'GoodOverload'],
  [0x0030, 'GoodClamped'], [0x8031, 'BadNoCommunication'], [0x8032, 'BadWaitingForInitialData'],
  [0x8033, 'BadNodeIdInvalid'], [0x8034, 'BadNodeIdUnknown'], [0x8035, 'BadAttributeIdInvalid'],
  [0x8036, 'BadIndexRangeInvalid'], [0x8037, 'BadIndexRangeNoData'], [0x80ea, 'BadIndexRangeDataMismatch'],
  [0x8038, 'BadDataEncodingInvalid'], [0x8039, 'BadDataEncodingUnsupported'], [0x803a, 'BadNotReadable'],
  [0x803b, 'BadNotWritable'], [0x803c, 'BadOutOfRange'], [0x803d, 'BadNotSupported'], [0x803e, 'BadNotFound'],
  [0x803f, 'BadObjectDeleted'], [0x8040, 'BadNotImplemented'], [0x8041, 'BadMonitoringModeInvalid'],
  [0x8042, 'BadMonitoredItemIdInvalid'], [0x8043, 'BadMonitoredItemFilterInvalid'],
  [0x8044, 'BadMonitoredItemFilterUnsupported'], [0x8045, 'BadFilterNotAllowed'], [0x8046, 'BadStructureMissing'],
  [0x8047, 'BadEventFilterInvalid'], [0x8048, 'BadContentFilterInvalid'], [0x80c1, 'BadFilterOperatorInvalid'],
  [0x80c2, 'BadFilterOperatorUnsupported'], [0x80c3, 'BadFilterOperandCountMismatch'],
  [0x8049, 'BadFilterOperandInvalid'], [0x80c4, 'BadFilterElementInvalid'], [0x80c5, 'BadFilterLiteralInvalid'],
  [0x804a, 'BadContinuationPointInvalid'], [0x804b, 'BadNoContinuationPoints'],
  [0x804c, 'BadReferenceTypeIdInvalid'], [0x804d, 'BadBrowseDirectionInvalid'], [0x804e, 'BadNodeNotInView'],
  [0x8112, 'BadNumericOverflow'], [0x80ed, 'BadLocaleNotSupported'], [0x80f0, 'BadNoValue'],
  [0x804f, 'BadServerUriInvalid'], [0x8050, 'BadServerNameMissing'], [0x8051, 'BadDiscoveryUrlMissing'],
  [0x8052, 'BadSempahoreFileMissing'], [0x8053, 'BadRequestTypeInvalid'], [0x8054, 'BadSecurityModeRejected'],
  [0x8055, 'BadSecurityPolicyRejected'], [0x8056, 'BadTooManySessions'], [0x8057, 'BadUserSignatureInvalid'],
  [0x8058, 'BadApplicationSignatureInvalid'], [0x8059, 'BadNoValidCertificates'],
  [0x80c6, 'BadIdentityChangeNotSupported'], [0x805a, 'BadRequestCancelledByRequest'],
  [0x805b, 'BadParentNodeIdInvalid'], [0x805c, 'BadReferenceNotAllowed'], [0x805d, 'BadNodeIdRejected'],
  [0x805e, 'BadNodeIdExists'], [0x805f, 'BadNodeClassInvalid'], [0x8060, 'BadBrowseNameInvalid'],
  [0x8061, 'BadBrowseNameDuplicated'], [0x8062, 'BadNodeAttributesInvalid'], [0x8063, 'BadTypeDefinitionInvalid'],
  [0x8064, 'BadSourceNodeIdInvalid'], [0x8065, 'BadTargetNodeIdInvalid'], [0x8066, 'BadDuplicateReferenceNotAllowed'],
  [0x8067, 'BadInvalidSelfReference'], [0x8068, 'BadReferenceLocalOnly'], [0x8069, 'BadNoDeleteRights'],
  [0x40bc, 'UncertainReferenceNotDeleted'], [0x806a, 'BadServerIndexInvalid'], [0x806b, 'BadViewIdUnknown'],
  [0x80c9, 'BadViewTimestampInvalid'], [0x80ca, 'BadViewParameterMismatch'], [0x80cb, 'BadViewVersionInvalid'],
  [0x40c0, 'UncertainNotAllNodesAvailable'], [0x00ba, 'GoodResultsMayBeIncomplete'],
  [0x80c8, 'BadNotTypeDefinition'], [0x406c, 'UncertainReferenceOutOfServer'], [0x806d, 'BadTooManyMatches'],
  [0x806e, 'BadQueryTooComplex'], [0x806f, 'BadNoMatch'], [0x8070, 'BadMaxAgeInvalid'],
  [0x80e6, 'BadSecurityModeInsufficient'], [0x8071, 'BadHistoryOperationInvalid'],
  [0x8072, 'BadHistoryOperationUnsupported'], [0x80bd, 'BadInvalidTimestampArgument'],
  [0x8073, 'BadWriteNotSupported'], [0x8074, 'BadTypeMismatch'], [0x8075, 'BadMethodInvalid'],
  [0x8076, 'BadArgumentsMissing'], [0x8111, 'BadNotExecutable'], [0x8077, 'BadTooManySubscriptions'],
  [0x8078, 'BadTooManyPublishRequests'], [0x8079, 'BadNoSubscription'], [0x807a, 'BadSequenceNumberUnknown'],
  [0x00df, 'GoodRetransmissionQueueNotSupported'], [0x807b, 'BadMessageNotAvailable'],
  [0x807c, 'BadInsufficientClientProfile'], [0x80bf, 'BadStateNotActive'], [0x8115, 'BadAlreadyExists'],
  [0x807d, 'BadTcpServerTooBusy'], [0x807e, 'BadTcpMessageTypeInvalid'], [0x807f, 'BadTcpSecureChannelUnknown'],
  [0x8080, 'BadTcpMessageTooLarge'], [0x8081, 'BadTcpNotEnoughResources'], [0x8082, 'BadTcpInternalError'],
  [0x8083, 'BadTcpEndpointUrlInvalid'], [0x8084, 'BadRequestInterrupted'], [0x8085, 'BadRequestTimeout'],
  [0x8086, 'BadSecureChannelClosed'], [0x8087, 'BadSecureChannelTokenUnknown'], [0x8088, 'BadSequenceNumberInvalid'],
  [0x80be, 'BadProtocolVersionUnsupported'], [0x8089, 'BadConfigurationError'], [0x808a, 'BadNotConnected'],
  [0x808b, 'BadDeviceFailure'], [0x808c, 'BadSensorFailure'], [0x808d, 'BadOutOfService'],
  [0x808e, 'BadDeadbandFilterInvalid'], [0x408f, 'UncertainNoCommunicationLastUsableValue'],
  [0x4090, 'UncertainLastUsableValue'], [0x4091, 'UncertainSubstituteValue'], [0x4092, 'UncertainInitialValue'],
  [0x4093, 'UncertainSensorNotAccurate'], [0x4094, 'UncertainEngineeringUnitsExceeded'],
  [0x4095, 'UncertainSubNormal'], [0x0096, 'GoodLocalOverride'], [0x809b, 'BadNoData'],
  [0x809d, 'BadDataLost'], [0x809e, 'BadDataUnavailable'], [0x809f, 'BadEntryExists'], [0x80a0, 'BadNoEntryExists'],
  [0x80a1, 'BadTimestampNotSupported'], [0x00a2, 'GoodEntryInserted'], [0x00a3, 'GoodEntryReplaced'],
  [0x00a5, 'GoodNoData'], [0x00a6, 'GoodMoreData'], [0x00a9, 'GoodCallAgain'], [0x80ab, 'BadInvalidArgument'],
  [0x80ac, 'BadConnectionRejected'], [0x80ad, 'BadDisconnect'], [0x80ae, 'BadConnectionClosed'],
  [0x80af, 'BadInvalidState'], [0x80b0, 'BadEndOfStream'], [0x80b1, 'BadNoDataAvailable'],
  [0x80b2, 'BadWaitingForResponse'], [0x80b3, 'BadOperationAbandoned'], [0x80b4, 'BadExpectedStreamToBlock'],
  [0x80b5, 'BadWouldBlock'], [0x80b6, 'BadSyntaxError'], [0x80b7, 'BadMaxConnectionsReached'],
  [0x80e4, 'BadRequestNotAllowed'],
];

const STATUS_CODES: ReadonlyMap<number, string> = new Map(STATUS_CODE_LIST);

/** The name of a status code (info bits ignored); unknown ones are `unknown_0x<8 hex digits>`. */
export function statusName(code: number): string {
  return STATUS_CODES.get(code >>> 16) ?? `unknown_0x${(code >>> 0).toString(16).padStart(8, '0')}`;
}

/** The severity bits of a status code: good, uncertain or bad. */
export function statusIsBad(code: number): boolean {
  return (code & 0x80000000) !== 0;
}
