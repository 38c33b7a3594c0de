// Settings: your account, API tokens, users (admins), retention (everyone reads, admins change), the learned baseline
// (admins forget it), and the audit
// log (admins). Every change goes through `api()` (CSRF header) and is said in its section's live region; the audit
// log below reloads after each one.
import { useCallback, useState } from 'react';
import { can } from '../api';
import { useLocation } from 'react-router';
import { useHashScroll, useSession } from '../ui/hooks';
import { PageTitle } from '../ui/Layout';
import { Account } from '../settings/Account';
import { Tokens } from '../settings/Tokens';
import { Users } from '../settings/Users';
import { Retention } from '../settings/Retention';
import { Audit } from '../settings/Audit';
import { Baseline } from '../settings/Baseline';
import { Intel } from '../settings/Intel';
import { Notifications } from '../settings/Notifications';
import { Suppressions } from '../settings/Suppressions';
import { DetectionSettings } from '../settings/DetectionSettings';
import { Rules } from '../settings/Rules';
import '../settings/settings.css';

export function Settings() {
  const { user } = useSession();
  const admin = can(user, 'admin');
  const [changes, setChanges] = useState(0);
  const changed = useCallback(() => setChanges((n) => n + 1), []);
  useHashScroll(useLocation().hash);
  const sections = [
    { id: 'settings-account', label: 'Your account' },
    { id: 'settings-retention', label: 'Retention' },
    { id: 'settings-baseline', label: 'Baseline' },
    { id: 'settings-intel', label: 'Threat intel' },
    { id: 'settings-notifications', label: 'Notifications' },
    { id: 'settings-suppressions', label: 'Suppressions' },
    { id: 'settings-detections', label: 'Detections' },
    { id: 'settings-rules', label: 'Detection rules' },
    { id: 'settings-tokens', label: 'API tokens' },
    { id: 'settings-users', label: 'Users' },
    { id: 'settings-audit', label: 'Audit log' },
  ];
  return (
    <>
      <PageTitle title="Settings" />
      <nav className="settings-toc" aria-label="Settings sections">
        <ul>
          {sections.map((s) => (
            <li key={s.id}>
              <a href={`#${s.id}`}>{s.label}</a>
            </li>
          ))}
        </ul>
        {admin ? null : <span className="muted">Some settings are for admins only.</span>}
      </nav>
      <div className="grid settings-page">
        <Account />
        <Retention onChange={changed} />
        <Baseline onChange={changed} />
        <Intel onChange={changed} />
        <Notifications onChange={changed} />
        <Suppressions onChange={changed} refresh={changes} />
        <DetectionSettings onChange={changed} />
        <Rules onChange={changed} />
        <Tokens onChange={changed} refresh={changes} />
        <Users onChange={changed} />
        <Audit refresh={changes} />
      </div>
    </>
  );
}
