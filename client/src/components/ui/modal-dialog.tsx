import { type ReactNode, useEffect, useId, useRef } from 'react';

/**
 * The behaviour of every modal <dialog> here: showModal() makes the page behind inert (focus stays inside), Esc
 * closes it, `initialFocus` says where focus starts, and when it closes focus goes back to the control that opened it.
 */
export function useModalDialog(open: boolean, onClose: () => void, initialFocus: (dialog: HTMLDialogElement) => HTMLElement | null | undefined) {
  const ref = useRef<HTMLDialogElement>(null);
  const opener = useRef<Element | null>(null);

  useEffect(() => {
    const dialog = ref.current;
    if (!dialog) return;
    if (open && !dialog.open) {
      opener.current = document.activeElement;
      dialog.showModal();
      initialFocus(dialog)?.focus();
    } else if (!open && dialog.open) {
      dialog.close();
    }
    // Only opening and closing move focus; a new initialFocus function on each render must not.
  }, [open]);

  useEffect(() => {
    const dialog = ref.current;
    if (!dialog) return;
    const closed = () => {
      onClose();
      if (opener.current instanceof HTMLElement && opener.current.isConnected) opener.current.focus();
    };
    dialog.addEventListener('close', closed);
    return () => dialog.removeEventListener('close', closed);
  }, [onClose]);

  return ref;
}

/** A modal dialog around a form: focus starts on its first field. */
export function ModalDialog({ open, title, onClose, children }: { open: boolean; title: string; onClose: () => void; children: ReactNode }) {
  const ref = useModalDialog(open, onClose, (dialog) => dialog.querySelector<HTMLElement>('input, select, textarea'));
  const titleId = useId();
  return (
    <dialog ref={ref} className="dialog" aria-labelledby={titleId}>
      <h2 id={titleId}>{title}</h2>
      {open && children}
    </dialog>
  );
}
