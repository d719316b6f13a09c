import { CopyButton } from '@/components/ui/copy-button';
import { useFocusWhenShown } from '@/components/ui/modal-dialog';
import { formatDateTime } from '@/lib/format';

/** A signing secret, shown once after creating or rotating: the API never shows it again. */
export function ShowSecret({ name, secret, rotatedUntil, onDone }: { name: string; secret: string; rotatedUntil?: string | null; onDone: () => void }) {
  const heading = useFocusWhenShown<HTMLHeadingElement>(secret);
  return (
    <section className="show-once alert alert-success" aria-labelledby="show-secret-title">
      <h2 id="show-secret-title" tabIndex={-1} ref={heading}>
        {rotatedUntil === undefined ? `Webhook “${name}” created` : `New secret of “${name}”`}: copy the signing secret now
      </h2>
      <p>
        It is shown this once; the server keeps it encrypted and never shows it again. Your receiver verifies each request's{' '}
        <code>webhook-signature</code> with it (Standard Webhooks).
      </p>
      {rotatedUntil && (
        <p>
          Until {formatDateTime(rotatedUntil)} every request is signed with both the old and the new secret, so the receiver can switch at any moment in
          between without rejecting a message. After that only the new one signs.
        </p>
      )}
      <label htmlFor="new-webhook-secret">Signing secret</label>
      <div className="copy-row">
        <input id="new-webhook-secret" readOnly value={secret} className="mono" onFocus={(e) => e.target.select()} spellCheck={false} />
        <CopyButton text={secret} label="Copy secret" targetId="new-webhook-secret" />
      </div>
      <button type="button" onClick={onDone}>
        I have copied it
      </button>
    </section>
  );
}
