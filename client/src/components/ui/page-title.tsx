import { useEffect } from 'react';

/** Each screen names itself in the tab title and in its one <h1>. */
export function usePageTitle(title: string) {
  useEffect(() => {
    document.title = `${title} · OkrKpi`;
  }, [title]);
}

export function Loading({ what }: { what: string }) {
  return (
    <p role="status" className="loading">
      Loading {what}…
    </p>
  );
}
