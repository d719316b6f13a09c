import type { ErrorComponentProps } from '@tanstack/react-router';

import { usePageTitle } from '@/components/ui/page-title';
import { ProblemAlert } from '@/components/ui/problem-alert';
import { problemOf } from '@/lib/problem';

/** What a page shows when loading it failed (the API unreachable, a 5xx): the reason and a way to try again. */
export function RouteError({ error, reset }: ErrorComponentProps) {
  usePageTitle('Something went wrong');
  return (
    <div className="narrow">
      <h1>This page could not be shown</h1>
      <ProblemAlert problem={problemOf(error)} />
      <button
        type="button"
        className="primary"
        onClick={() => {
          reset();
          window.location.reload();
        }}
      >
        Try again
      </button>
    </div>
  );
}
