// Node shapes by role: each role has a shape and a letter as well as a colour, so colour is never the only cue.
import { NODE_R } from './layout';

export const ROLE_LETTER: Record<string, string> = {
  controller: 'C',
  field_device: 'F',
  hmi_scada: 'H',
  engineering_workstation: 'E',
  historian: 'Hi',
  network_device: 'N',
  it_host: 'IT',
  unknown: '?',
  address: '@',
  group: '*',
};

export const ROLE_LABEL: Record<string, string> = {
  controller: 'Controller',
  field_device: 'Field device',
  hmi_scada: 'HMI / SCADA',
  engineering_workstation: 'Engineering workstation',
  historian: 'Historian',
  network_device: 'Network device',
  it_host: 'IT host',
  unknown: 'Unknown role',
  address: 'Address, not an asset',
  group: 'Broadcast / multicast',
};

export function roleLabel(role: string): string {
  return ROLE_LABEL[role] ?? role.replace(/_/g, ' ');
}

const r = NODE_R;
const poly = (pts: [number, number][]) => pts.map(([x, y]) => `${x.toFixed(1)},${y.toFixed(1)}`).join(' ');
const hexagon = poly(Array.from({ length: 6 }, (_, i) => [r * 1.05 * Math.cos((Math.PI / 3) * i), r * 1.05 * Math.sin((Math.PI / 3) * i)] as [number, number]));
const octagon = poly(Array.from({ length: 8 }, (_, i) => [r * Math.cos((Math.PI / 4) * i + Math.PI / 8), r * Math.sin((Math.PI / 4) * i + Math.PI / 8)] as [number, number]));
const diamond = poly([
  [0, -r * 1.2],
  [r * 1.2, 0],
  [0, r * 1.2],
  [-r * 1.2, 0],
]);

/** The shape of a role, centred on 0,0 (class `shape`, coloured by the node's `r-<role>` class). */
export function Shape({ role }: { role: string }) {
  switch (role) {
    case 'controller':
      return <rect className="shape" x={-r} y={-r} width={2 * r} height={2 * r} rx={3} />;
    case 'field_device':
      return <polygon className="shape" points={diamond} />;
    case 'hmi_scada':
      return <rect className="shape" x={-r * 1.25} y={-r * 0.8} width={2.5 * r} height={1.6 * r} rx={5} />;
    case 'engineering_workstation':
      return <polygon className="shape" points={hexagon} />;
    case 'historian':
      return <polygon className="shape" points={octagon} />;
    default:
      return <circle className="shape" r={r} />;
  }
}

/** A legend swatch: the shape and letter of a role. */
export function RoleSwatch({ role }: { role: string }) {
  return (
    <svg className={`map-swatch map-node r-${role}`} viewBox="-20 -20 40 40" width="26" height="26" aria-hidden="true" focusable="false">
      <Shape role={role} />
      <text className="letter" dy="0.35em">
        {ROLE_LETTER[role] ?? '?'}
      </text>
    </svg>
  );
}
