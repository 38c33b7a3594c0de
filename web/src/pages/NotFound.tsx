import { Link } from 'react-router';
import { PageTitle } from '../ui/Layout';

export function NotFound() {
  return (
    <>
      <PageTitle title="Not found" />
      <p>
        There is no such page. <Link to="/">Back to the dashboard</Link>.
      </p>
    </>
  );
}
