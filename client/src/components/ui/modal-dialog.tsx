import { type ReactNode, useEffect, useId, useRef } from 'react';

// The panel shown last that should hold focus (a secret shown once), and whether it appeared behind an open modal
// dialog: the page behind one is inert, so it could not take focus then and gets it when the dialog closes.
let shownPanel: { element: HTMLElement; waiting: boolean } | undefined;

/**
 * Gives focus to a panel (its heading) when it appears or shows something new, such as a secret shown once. Behind an
 * open modal dialog the focus waits for the dialog to close; see useModalDialog.
 */
export function useFocusWhenShown<T extends HTMLElement>(showing: unknown) {
  const ref = useRef<T>(null);
  useEffect(() => {
    const element = ref.current;
    if (!element) return;
    element.focus();
    const entry = { element, waiting: document.activeElement !== element };
    shownPanel = entry;
    return () => {
      if (shownPanel === entry) shownPanel = undefined;
    };
  }, [showing]);
  return ref;
}

const shownPanelElement = () => (shownPanel?.element.isConnected ? shownPanel.element : undefined);

/**
 * When the control focus went back to leaves the page with the change the dialog confirmed (a revoked token's Revoke
 * button goes once the list reloads), focus moves to the shown panel instead of dropping to the page body. Watching
 * ends at the next focus move or after a few seconds.
 */
function followRemoval(element: HTMLElement) {
  const stop = () => {
    observer.disconnect();
    document.removeEventListener('focusin', stop);
    clearTimeout(timer);
  };
  const observer = new MutationObserver(() => {
    if (element.isConnected) return;
    stop();
    if (document.activeElement === null || document.activeElement === document.body) shownPanelElement()?.focus();
  });
  observer.observe(document.body, { childList: true, subtree: true });
  document.addEventListener('focusin', stop);
  const timer = setTimeout(stop, 5000);
}

/**
 * The behaviour of every modal <dialog> here: showModal() makes the page behind inert (focus stays inside), Esc
 * closes it, `initialFocus` says where focus starts. When it closes, focus goes to a panel that appeared meanwhile
 * (useFocusWhenShown), else back to the control that opened it, else, when that control is gone, to the shown panel.
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
      const invoker = opener.current instanceof HTMLElement && opener.current.isConnected ? opener.current : undefined;
      if (shownPanel?.waiting) {
        shownPanel.waiting = false;
        shownPanel.element.focus();
      } else if (invoker) {
        invoker.focus();
        followRemoval(invoker);
      } else {
        shownPanelElement()?.focus();
      }
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
