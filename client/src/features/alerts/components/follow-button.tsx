import { useQuery } from '@tanstack/react-query';
import { useState } from 'react';

import { ProblemAlert } from '@/components/ui/problem-alert';
import { type Problem, problemOf } from '@/lib/problem';

import { followsQueryOptions, type FollowSubject, useSetFollow } from '../api/follows';

/**
 * Follow or stop following a KPI or an objective in one click: its alerts then reach the person as they reach the
 * owning team. The button says what a click does (Follow, Unfollow); the text beside it says whether one follows.
 */
export function FollowButton({ subject, name, onChanged }: { subject: FollowSubject; name: string; onChanged: (message: string) => void }) {
  const follows = useQuery(followsQueryOptions);
  const setFollow = useSetFollow();
  const [problem, setProblem] = useState<Problem>();
  if (!follows.isSuccess) return null;
  const following = (subject.type === 'kpi' ? follows.data.kpiIds : follows.data.objectiveIds).includes(subject.id);
  const what = subject.type === 'kpi' ? 'KPI' : 'objective';
  return (
    <>
      <button
        type="button"
        className="follow"
        // Not disabled while saving: a disabled button drops the keyboard focus, and the person pressed it to stay there.
        aria-busy={setFollow.isPending}
        onClick={() =>
          !setFollow.isPending &&
          setFollow.mutate(
            { subject, follow: !following },
            {
              onSuccess: () => {
                setProblem(undefined);
                onChanged(following ? `You no longer follow ${name}.` : `You follow ${name}: its alerts reach you.`);
              },
              onError: (e) => setProblem(problemOf(e)),
            },
          )
        }
      >
        {following ? 'Unfollow' : 'Follow'}
      </button>
      {following && (
        <span className="following">
          <span aria-hidden="true">★</span> You follow this {what}
        </span>
      )}
      {problem && <ProblemAlert problem={problem} />}
    </>
  );
}
