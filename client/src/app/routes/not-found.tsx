import { Link } from '@tanstack/react-router';

import { usePageTitle } from '@/components/ui/page-title';

export function NotFound() {
  usePageTitle('Not found');
  return (
    <main id="main" className="narrow">
      <h1>Page not found</h1>
      <p>There is nothing at this address.</p>
      <p>
        <Link to="/kpis">Go to the KPI dashboard</Link>
      </p>
    </main>
  );
}
