// The words the API and the console share: operation access classes and outcomes, asset roles, alert severities and
// statuses. No imports, so the web console (web/) compiles the same declarations the server validates with.

/** What an operation does to the device: the class detections and the communication map work with. */
export const ACCESS = ['read', 'write', 'program', 'control', 'diagnostic', 'discovery', 'other'] as const;
export const OUTCOMES = ['ok', 'exception', 'no_response'] as const;

/** Asset roles, most specific first (docs/inventory.md). */
export const ROLES = ['controller', 'field_device', 'hmi_scada', 'engineering_workstation', 'historian', 'network_device', 'it_host', 'unknown'] as const;

export const ALERT_SEVERITIES = ['low', 'medium', 'high', 'critical'] as const;
/** The triage workflow (issue 7): new → acknowledged → investigating → resolved, false_positive or learned. */
export const ALERT_STATUSES = ['new', 'acknowledged', 'investigating', 'resolved', 'false_positive', 'learned'] as const;
/** Statuses of alerts still to be worked. */
export const OPEN_ALERT_STATUSES = ['new', 'acknowledged', 'investigating'] as const;

/** The control-system protocols (the modules with `category: 'industrial'`; a registry test keeps the two equal). */
export const INDUSTRIAL_PROTOCOLS = ['bacnet', 'dnp3', 'enip', 'iec104', 'modbus', 'opcua', 's7comm'] as const;
