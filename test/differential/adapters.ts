// The seven industrial protocols the differential suite compares, in the order of the figures.
import type { Adapter } from './harness.js';
import { modbusAdapter } from './modbus.js';
import { dnp3Adapter } from './dnp3.js';
import { s7commAdapter } from './s7comm.js';
import { enipAdapter } from './enip.js';
import { iec104Adapter } from './iec104.js';
import { bacnetAdapter } from './bacnet.js';
import { opcuaAdapter } from './opcua.js';

export const ADAPTERS: readonly Adapter[] = [modbusAdapter, dnp3Adapter, s7commAdapter, enipAdapter, iec104Adapter, bacnetAdapter, opcuaAdapter];
