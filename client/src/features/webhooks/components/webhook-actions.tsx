import { useState } from 'react';

import { ConfirmDialog } from '@/components/ui/confirm-dialog';
import { ProblemAlert } from '@/components/ui/problem-alert';
import type { CreatedWebhook, Webhook } from '@/lib/api/types';
import { type Problem, problemOf } from '@/lib/problem';

import { useDeleteWebhook, useRotateWebhookSecret, useSendTestWebhook, useSetWebhookEnabled } from '../api/webhooks';
import { ShowSecret } from './show-secret';

type Asking = 'rotate' | 'delete' | undefined;

/** Test-send, pause or resume, rotate the secret (asks first, then shows the new one once), delete (asks first). */
export function WebhookActions({ webhook, onAnnounce, onDeleted }: { webhook: Webhook; onAnnounce: (message: string) => void; onDeleted: () => void }) {
  const test = useSendTestWebhook();
  const setEnabled = useSetWebhookEnabled();
  const rotate = useRotateWebhookSecret();
  const remove = useDeleteWebhook();
  const [asking, setAsking] = useState<Asking>();
  const [rotated, setRotated] = useState<CreatedWebhook>();
  const [problem, setProblem] = useState<Problem>();
  const failed = (e: unknown) => setProblem(problemOf(e));
  const done = (message: string) => {
    setProblem(undefined);
    onAnnounce(message);
  };
  return (
    <>
      {rotated && (
        <ShowSecret name={rotated.webhook.name} secret={rotated.secret} rotatedUntil={rotated.webhook.previousSecretExpiresAt} onDone={() => setRotated(undefined)} />
      )}
      {problem && <ProblemAlert problem={problem} />}
      <div className="actions">
        <button
          type="button"
          disabled={test.isPending}
          onClick={() =>
            test.mutate(webhook, {
              onSuccess: () => done(webhook.enabled ? 'A test message is queued; its delivery shows below.' : 'A test message is queued; it is sent once the webhook is enabled.'),
              onError: failed,
            })
          }
        >
          Send a test message
        </button>
        <button
          type="button"
          // Not disabled while saving, so the keyboard focus stays on it as its word flips.
          aria-busy={setEnabled.isPending}
          onClick={() =>
            !setEnabled.isPending &&
            setEnabled.mutate(
              { webhook, enabled: !webhook.enabled },
              { onSuccess: () => done(webhook.enabled ? `${webhook.name} is disabled: nothing is sent until you enable it.` : `${webhook.name} is enabled.`), onError: failed },
            )
          }
        >
          {webhook.enabled ? 'Disable' : 'Enable'}
        </button>
        <button type="button" onClick={() => setAsking('rotate')}>
          Rotate secret
        </button>
        <button type="button" className="danger" onClick={() => setAsking('delete')}>
          Delete webhook
        </button>
      </div>
      <ConfirmDialog
        open={asking === 'rotate'}
        title={`Rotate the secret of ${webhook.name}?`}
        confirmLabel="Rotate secret"
        busy={rotate.isPending}
        onClose={() => setAsking(undefined)}
        onConfirm={() =>
          rotate.mutate(webhook, {
            onSuccess: (answer) => {
              setRotated(answer);
              done('The secret is rotated: copy the new one now.');
            },
            onError: failed,
            onSettled: () => setAsking(undefined),
          })
        }
      >
        <p>
          A new secret is made and shown once. For a while (24 hours unless your administrator set another overlap) each request carries two signatures, one
          with the old secret and one with the new, so your receiver keeps verifying while you change it.
        </p>
      </ConfirmDialog>
      <ConfirmDialog
        open={asking === 'delete'}
        title={`Delete ${webhook.name}?`}
        confirmLabel="Delete webhook"
        danger
        busy={remove.isPending}
        onClose={() => setAsking(undefined)}
        onConfirm={() =>
          remove.mutate(webhook, {
            onSuccess: () => {
              setProblem(undefined);
              onDeleted();
            },
            onError: failed,
            onSettled: () => setAsking(undefined),
          })
        }
      >
        <p>Nothing more is sent to {webhook.url}, and its delivery log goes with it. This cannot be undone.</p>
      </ConfirmDialog>
    </>
  );
}
