import type { InputHTMLAttributes } from 'react';

/** A text input that suggests known values (KPI keys, tags) from a <datalist>, while any text may still be typed. */
export function SuggestInput({
  suggestions,
  listId,
  value,
  onValue,
  ...control
}: { suggestions: readonly string[]; listId: string; value: string; onValue: (value: string) => void } & Omit<
  InputHTMLAttributes<HTMLInputElement>,
  'value' | 'onChange' | 'list'
>) {
  return (
    <>
      <input {...control} list={listId} value={value} onChange={(e) => onValue(e.target.value)} autoComplete="off" spellCheck={false} />
      <datalist id={listId}>
        {suggestions.map((s) => (
          <option key={s} value={s} />
        ))}
      </datalist>
    </>
  );
}
