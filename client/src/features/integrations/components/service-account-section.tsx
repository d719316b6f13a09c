import { useEffect, useRef, useState } from 'react';

import type { Receiver, ServiceAccount } from '@/lib/api/types';

import { AccountTokens } from './account-tokens';
import { EditServiceAccountForm } from './service-account-form';

const roleWords = { admin: 'Admin', editor: 'Editor', viewer: 'Viewer' } as const;

/** One service account: its role, teams and state (editable in place) and its tokens. */
export function ServiceAccountSection({
  account: a,
  teams,
  teamName,
  receivers,
  onAnnounce,
}: {
  account: ServiceAccount;
  teams: { id: string; name: string }[];
  teamName: (id: string) => string;
  receivers: Receiver[];
  onAnnounce: (message: string) => void;
}) {
  const [editing, setEditing] = useState(false);
  const edit = useRef<HTMLButtonElement>(null);
  const wasEditing = useRef(false);
  // When the form goes (saved or cancelled), focus goes back to the Edit button that opened it.
  useEffect(() => {
    if (wasEditing.current && !editing) edit.current?.focus();
    wasEditing.current = editing;
  }, [editing]);
  return (
    <section className="service-account" aria-labelledby={`account-${a.id}`} data-account={a.id}>
      <h2 id={`account-${a.id}`}>{a.name}</h2>
      {editing ? (
        <EditServiceAccountForm
          account={a}
          teams={teams}
          onDone={(message) => {
            setEditing(false);
            if (message) onAnnounce(message);
          }}
        />
      ) : (
        <p>
          {roleWords[a.role]}
          {a.teamIds.length > 0 && ` of ${a.teamIds.map(teamName).join(', ')}`}
          {a.disabled && (
            <>
              {' '}
              <span className="badge badge-offTarget">
                <span aria-hidden="true">✕</span> Disabled
              </span>
            </>
          )}{' '}
          <button type="button" ref={edit} onClick={() => setEditing(true)} aria-label={`Edit ${a.name}`}>
            Edit
          </button>
        </p>
      )}
      <AccountTokens account={a} receivers={receivers} onAnnounce={onAnnounce} />
    </section>
  );
}
