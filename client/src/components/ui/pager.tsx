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

/** The pager of a TanStack infinite query over the API's `{ items, nextCursor }` pages. */
export function QueryPager({
  query,
  noun,
}: {
  query: { data?: { pages: { items: unknown[] }[] }; hasNextPage: boolean; isFetchingNextPage: boolean; fetchNextPage: () => unknown };
  noun: string;
}) {
  return (
    <Pager
      shown={query.data?.pages.reduce((n, p) => n + p.items.length, 0) ?? 0}
      noun={noun}
      hasMore={query.hasNextPage}
      loading={query.isFetchingNextPage}
      onMore={() => void query.fetchNextPage()}
    />
  );
}
