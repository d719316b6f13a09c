import { useState } from 'react';

/** Copies `text` and says so in a live region; falls back to selecting the text where the clipboard is refused. */
export function CopyButton({ text, label, targetId }: { text: string; label: string; targetId?: string }) {
  const [copied, setCopied] = useState<'idle' | 'copied' | 'failed'>('idle');
  const copy = async () => {
    try {
      await navigator.clipboard.writeText(text);
      setCopied('copied');
    } catch {
      const target = targetId ? document.getElementById(targetId) : null;
      if (target instanceof HTMLInputElement || target instanceof HTMLTextAreaElement) target.select();
      setCopied('failed');
    }
  };
  return (
    <>
      <button type="button" onClick={copy}>
        {label}
      </button>
      <span role="status" className="copy-status">
        {copied === 'copied' ? 'Copied.' : copied === 'failed' ? 'Copy refused by the browser: the text is selected, press Ctrl+C.' : ''}
      </span>
    </>
  );
}
