// @vitest-environment jsdom
import { act, renderHook } from '@testing-library/react';
import { afterEach, describe, expect, it } from 'vitest';

import { dropDraft, hasDraft, useDraft } from '@/lib/drafts';

afterEach(() => sessionStorage.clear());

describe('useDraft', () => {
  it('keeps what was typed in sessionStorage and gives it back to the next form that mounts', () => {
    const first = renderHook(() => useDraft('record-value:defect-rate', { value: '' }));
    expect(first.result.current.restored).toBe(false);
    act(() => first.result.current.setValue({ value: '1.3' }));
    first.unmount();

    const second = renderHook(() => useDraft('record-value:defect-rate', { value: '' }));
    expect(second.result.current.value).toEqual({ value: '1.3' });
    expect(second.result.current.restored).toBe(true);
  });

  it('forgets the draft once it is saved', () => {
    const { result } = renderHook(() => useDraft('kpi-form:new', { name: '' }));
    act(() => result.current.setValue({ name: 'Scrap rate' }));
    expect(hasDraft('kpi-form:new')).toBe(true);
    act(() => result.current.clear({ name: '' }));
    expect(hasDraft('kpi-form:new')).toBe(false);
  });

  it('keeps drafts of different records apart', () => {
    const a = renderHook(() => useDraft('kpi-form:edit:a', { name: 'A' }));
    act(() => a.result.current.setValue({ name: 'A changed' }));
    const b = renderHook(() => useDraft('kpi-form:edit:b', { name: 'B' }));
    expect(b.result.current.value).toEqual({ name: 'B' });
    dropDraft('kpi-form:edit:a');
    expect(hasDraft('kpi-form:edit:a')).toBe(false);
  });
});
