/** "Load more" for cursor-paged lists: says how many are shown and whether more exist, politely to screen readers. */
export function Pager({
  shown,
  noun,
  hasMore,
  loading,
  onMore,
}: {
  shown: number;
  noun: string;
  hasMore: boolean;
  loading: boolean;
  onMore: () => void;
}) {
  return (
    <div className="pager">
      <p role="status" className="pager-count">
        {shown} {noun} shown{hasMore ? '; more available' : ''}
      </p>
      {hasMore && (
        <button type="button" onClick={onMore} disabled={loading} aria-busy={loading}>
          {loading ? 'Loading…' : 'Load more'}
        </button>
      )}
    </div>
  );
}
