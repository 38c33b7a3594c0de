// Who is logged in and what their role allows.
import { useSession } from '../ui/hooks';
import { Card } from '../ui/states';
import { ROLE_HELP } from './Users';

export function Account() {
  const { user } = useSession();
  return (
    <Card title="Your account" id="settings-account">
      <dl className="facts">
        <dt>User</dt>
        <dd>{user.name}</dd>
        <dt>Role</dt>
        <dd>
          <span className="badge">{user.role}</span>
        </dd>
        <dt>Allowed</dt>
        <dd>{ROLE_HELP[user.role]}</dd>
      </dl>
      <p className="muted settings-after">
        {user.role === 'admin' ? 'Another admin changes your role or disables your account.' : 'An admin changes your role or creates accounts.'} Passwords cannot be changed from the console yet.
      </p>
    </Card>
  );
}
