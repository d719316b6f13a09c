import { type DisplayStatus, statusInfo } from '@/lib/status';

/** Symbol + word + colour, never colour alone. */
export function StatusBadge({ status, label }: { status: DisplayStatus; label?: string }) {
  const info = statusInfo[status];
  return (
    <span className={`badge badge-${status}`} data-status={status}>
      <span aria-hidden="true">{info.symbol}</span> {label ?? info.word}
    </span>
  );
}
