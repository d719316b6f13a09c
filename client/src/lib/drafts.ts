import { type SetStateAction, useCallback, useEffect, useRef, useState } from 'react';

const prefix = 'okrkpi:draft:';

/**
 * Form state that survives a trip to the sign-in page: kept in sessionStorage (this tab only, gone when it closes)
 * under a key naming the form and the record it edits. A 401 mid-form sends the person to /login; when they come
 * back, the form mounts again and finds its input here. `clear` after a successful save.
 */
export function useDraft<T extends object>(key: string, initial: T | (() => T)) {
  const storageKey = prefix + key;
  const [stored] = useState(() => readDraft<T>(storageKey));
  const [value, setState] = useState<T>(() => stored ?? (typeof initial === 'function' ? (initial as () => T)() : initial));
  // Only input is a draft: an untouched form stores nothing (and so restores nothing next time).
  const dirty = useRef(stored !== undefined);

  useEffect(() => {
    if (!dirty.current) return;
    try {
      sessionStorage.setItem(storageKey, JSON.stringify(value));
    } catch {
      // Storage full or disabled: the form still works, only the draft is not kept.
    }
  }, [storageKey, value]);

  const setValue = useCallback((next: SetStateAction<T>) => {
    dirty.current = true;
    setState(next);
  }, []);

  const clear = useCallback(
    (next: T) => {
      dirty.current = false;
      sessionStorage.removeItem(storageKey);
      setState(next);
    },
    [storageKey],
  );

  return { value, setValue, clear, restored: stored !== undefined } as const;
}

function readDraft<T>(storageKey: string): T | undefined {
  try {
    const text = sessionStorage.getItem(storageKey);
    return text === null ? undefined : (JSON.parse(text) as T);
  } catch {
    return undefined;
  }
}

export function hasDraft(key: string): boolean {
  return readDraft(prefix + key) !== undefined;
}

export function dropDraft(key: string) {
  sessionStorage.removeItem(prefix + key);
}
