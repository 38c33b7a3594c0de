// Remote-service sessions (RDP, SSH, VNC, SMB, Telnet) from an internet (public) address into a controller zone.
import { controllerFlowDetection } from './controller-flows.js';
import { remoteServicesRule } from './remote-services-rule.js';

export const externalRemoteServices = controllerFlowDetection(
  {
    id: 'behavior.external_remote_services',
    title: 'Remote service session from the internet into a controller zone',
    kind: 'behavior',
    severity: 'critical',
    confidence: 0.85,
    techniques: ['T0822'],
    playbook: {
      meaning:
        'A host with a public internet address opened an interactive or file-sharing session (RDP, SSH, VNC, SMB, Telnet) to a host in the subnet of a PLC or RTU. Either the control network is reachable from the internet, or a remote-access path (a vendor VPN, a remote-support tool, a port forward) lands inside the zone: a common entry point of real intrusions into plants.',
      check: [
        'Is the public address a known vendor or remote-support endpoint, and was remote access requested and approved for this time?',
        'Which device in the path lets it in (firewall rule, port forward, cellular router, VPN concentrator)? A session without a VPN means the service is exposed directly.',
        'What happened on the zone\'s controllers during the session (writes, program downloads, mode changes)?',
      ],
      respond: [
        'If not approved: cut the session at the boundary firewall, block the address, disable the account and review the logs of the target host.',
        'Close direct exposure: remote access only through a managed gateway with multi-factor authentication, enabled per session.',
      ],
    },
  },
  remoteServicesRule(true, () => undefined),
);
