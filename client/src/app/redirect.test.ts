import { describe, expect, it } from 'vitest';

import { safeRedirect } from './redirect';

describe('safeRedirect', () => {
  it('keeps paths of this origin with their query', () => {
    expect(safeRedirect('/kpis/defect-rate?range=90')).toBe('/kpis/defect-rate?range=90');
  });

  it.each(['//evil.example/x', 'https://evil.example', '/\\evil.example', 'kpis', '/login?redirect=/kpis', 42, undefined])('refuses %j', (value) => {
    expect(safeRedirect(value)).toBeUndefined();
  });
});
