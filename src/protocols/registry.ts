// The one list of application protocol modules, and the port hints that order their probes (ports never decide).

import type { ProtocolModule, Transport } from './protocol.js';
import { modbusModule } from './modbus/index.js';
import { s7commModule } from './s7comm/index.js';
import { enipModule } from './enip/index.js';
import { iec104Module } from './iec104/index.js';
import { bacnetModule } from './bacnet/index.js';
import { opcuaModule } from './opcua/index.js';
import { dnp3Module } from './dnp3/index.js';
import { dnsModule } from './dns/index.js';
import { dhcpModule } from './dhcp/index.js';
import { nbnsModule } from './nbns/index.js';
import { httpModule } from './http/index.js';
import { tlsModule } from './tls/index.js';
import { sshModule } from './ssh/index.js';

export class ProtocolRegistry {
  readonly modules: readonly ProtocolModule[];
  private readonly byTransport = new Map<Transport, readonly ProtocolModule[]>();
  private readonly hintPorts = new Map<Transport, ReadonlySet<number>>();
  /** candidates() results for flows with a hint port, by `transport/serverPort/clientPort`. */
  private readonly ordered = new Map<string, readonly ProtocolModule[]>();

  constructor(modules: readonly ProtocolModule[]) {
    const ids = new Set<string>();
    for (const m of modules) {
      if (ids.has(m.id)) throw new Error(`ProtocolRegistry: duplicate module id ${m.id}`);
      ids.add(m.id);
    }
    this.modules = [...modules];
    for (const t of ['tcp', 'udp'] as const) {
      const list = this.modules.filter((m) => m.transports.includes(t));
      this.byTransport.set(t, list);
      this.hintPorts.set(t, new Set(list.flatMap((m) => m.ports)));
    }
  }

  get(id: string): ProtocolModule | undefined {
    return this.modules.find((m) => m.id === id);
  }

  /** True when some module of this transport names the port as a hint. */
  isHintPort(transport: Transport, port: number): boolean {
    return this.hintPorts.get(transport)!.has(port);
  }

  /**
   * Modules to probe a flow with, in order: those hinting the server port, then those hinting the client port, then
   * the rest for the transport (registry order within each group). Shared arrays: do not modify.
   */
  candidates(transport: Transport, serverPort: number, clientPort: number): readonly ProtocolModule[] {
    const all = this.byTransport.get(transport)!;
    const hints = this.hintPorts.get(transport)!;
    if (!hints.has(serverPort) && !hints.has(clientPort)) return all;
    const key = `${transport}/${serverPort}/${clientPort}`;
    let list = this.ordered.get(key);
    if (list === undefined) {
      const first = all.filter((m) => m.ports.includes(serverPort));
      const second = all.filter((m) => !m.ports.includes(serverPort) && m.ports.includes(clientPort));
      const rest = all.filter((m) => !m.ports.includes(serverPort) && !m.ports.includes(clientPort));
      list = [...first, ...second, ...rest];
      this.ordered.set(key, list);
    }
    return list;
  }
}

export const defaultRegistry = new ProtocolRegistry([modbusModule, s7commModule, enipModule, iec104Module, bacnetModule, opcuaModule, dnp3Module, dnsModule, dhcpModule, nbnsModule, httpModule, tlsModule, sshModule]);
