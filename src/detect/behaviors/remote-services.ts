// Remote-service sessions (RDP, SSH, VNC, SMB, Telnet) from another subnet of the plant into a controller zone.
import { controllerFlowDetection } from './controller-flows.js';
import { remoteServicesRule } from './remote-services-rule.js';

export const remoteServicesToControllerZone = controllerFlowDetection(
  {
    id: 'behavior.remote_services_to_controller_zone',
    title: 'Remote service session into a controller zone',
    kind: 'behavior',
    severity: 'medium',
    confidence: 0.8,
    techniques: ['T0886'],
    playbook: {
      meaning:
        'A host outside a controller zone opened an interactive or file-sharing session (RDP, SSH, VNC, SMB, Telnet) to a host in the subnet of a PLC or RTU. Whoever controls that session controls the HMIs and engineering stations there, or the controller itself; TRITON\'s operators reached a safety engineering station this way, and ransomware spread into plants over SMB.',
      check: [
        'Is the source a known jump host or engineering workstation, and is the session part of planned work (who was logged on, at what time)?',
        'Is the target a controller itself (Telnet or SSH into a PLC or RTU, VNC into an HMI panel)? Telnet and VNC often carry no or weak authentication.',
        'Were program downloads, mode changes or writes to the zone\'s controllers seen during or after the session?',
      ],
      respond: [
        'If unexpected: end the session, disable the account used, isolate the source host and look for the same source in other zones.',
        'Route such access through one jump host with multi-factor authentication; block these ports at the zone boundary for everything else.',
      ],
    },
  },
  remoteServicesRule(false, (controller) => (controller ? 'high' : undefined)),
);
