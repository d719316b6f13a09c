import { ProgressBar } from '@/components/ui/progress-bar';
import type { KeyResult } from '@/lib/api/types';
import { awaitsBaseline } from '@/lib/okr-health';

/** A key result's progress bar, or, while it waits for its baseline, the words saying so: a 0 % bar would mislead. */
export function KeyResultProgress({ kr }: { kr: KeyResult }) {
  if (awaitsBaseline(kr))
    return (
      <p className="no-baseline">
        <span aria-hidden="true">○</span> No baseline yet: the first check-in sets it.
      </p>
    );
  return <ProgressBar progress={kr.progress} expected={kr.expectedProgress} label={`Progress of ${kr.title}`} />;
}
