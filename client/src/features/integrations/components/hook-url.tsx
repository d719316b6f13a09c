import { Link } from '@tanstack/react-router';

import { CopyButton } from '@/components/ui/copy-button';
import type { Receiver } from '@/lib/api/types';

/** The URL a provider posts to, with a Copy button, and how it authenticates. */
export function HookUrl({ receiver }: { receiver: Receiver }) {
  const url = `${window.location.origin}${receiver.hookPath}`;
  const id = `hook-url-${receiver.id}`;
  return (
    <div className="hook-url">
      <label htmlFor={id}>Hook URL</label>
      <div className="copy-row">
        <input id={id} readOnly value={url} className="mono" onFocus={(e) => e.target.select()} spellCheck={false} />
        <CopyButton text={url} label="Copy hook URL" targetId={id} />
      </div>
      <p className="help">
        The provider posts its payload as it is to this URL with <strong>Basic authentication</strong>: any user name, and as the password an API token of a
        service account holding <code>measurements:write</code> (or the header <code>Authorization: Bearer okr_…</code>).{' '}
        <Link to="/integrations/service-accounts">Create a token for a service account</Link>.
      </p>
    </div>
  );
}
