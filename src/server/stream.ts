// `GET /api/stream` (WebSocket): the sensor's updates as they are written to the store (counters, per-protocol
// counts, new assets), one JSON message each. Authenticated like every route (session cookie or token); a browser
// upgrade from another origin is refused, so a foreign page cannot ride the analyst's cookie.
import type { FastifyInstance } from 'fastify';
import type { Sensor, SensorUpdate } from './sensor.js';
import { ApiError } from './errors.js';

/** A client that cannot keep up is dropped rather than buffered without bound. */
const MAX_BUFFERED_BYTES = 1 << 20;

export function registerStream(app: FastifyInstance, sensor: Sensor): void {
  app.get(
    '/api/stream',
    {
      websocket: true,
      config: { role: 'viewer' },
      schema: { summary: 'WebSocket: {type: "hello"} then {type: "update", ts, frames, anomalies, assets, connections, new_assets, more_assets, protocols} after each store write' },
      preValidation: async (req) => {
        const origin = req.headers.origin;
        if (origin !== undefined && new URL(origin).host !== req.headers.host) throw new ApiError('auth.forbidden', 'WebSocket from another origin');
      },
    },
    (socket) => {
      const send = (u: SensorUpdate) => {
        if (socket.bufferedAmount > MAX_BUFFERED_BYTES) {
          socket.close(1013, 'too slow');
          return;
        }
        socket.send(JSON.stringify({ type: 'update', ...u }));
      };
      sensor.on('update', send);
      socket.on('close', () => sensor.off('update', send));
      socket.send(JSON.stringify({ type: 'hello' }));
    },
  );
}
