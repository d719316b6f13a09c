// @vitest-environment jsdom
import { cleanup, render, screen, within } from '@testing-library/react';
import { afterEach, describe, expect, it } from 'vitest';

import type { FormulaCheck } from '../api/kpis';
import { caretLines, FormulaCheckView } from './formula-check';

afterEach(cleanup);

const visitors = { key: 'visitors', exists: true, name: 'Visitors', unit: 'users', frequency: 'weekly', valueType: 'number' } as const;

describe('caretLines', () => {
  it('puts the caret under the character the problem was found at', () => {
    expect(caretLines('{a} / ({b} * 100', 17)).toBe('{a} / ({b} * 100\n                ^');
  });

  it('shows only the line that holds the character of a formula of several lines', () => {
    expect(caretLines('{a}\n+ ) {b}', 7)).toBe('+ ) {b}\n  ^');
  });
});

describe('FormulaCheckView', () => {
  it('lists the KPIs the formula reads, marking one that does not exist, and points at the problem', () => {
    const check: FormulaCheck = {
      valid: false,
      references: [visitors, { key: 'nobody', exists: false, name: null, unit: null, frequency: null, valueType: null }],
      problem: { message: 'The formula names a KPI that does not exist: nobody.', position: 14 },
    };
    render(<FormulaCheckView id="check" formula="{visitors} / {nobody}" check={check} />);

    expect(screen.getByText(check.problem!.message)).toBeTruthy();
    const list = screen.getByRole('list', { name: 'Reads these 2 KPIs:' });
    const items = within(list).getAllByRole('listitem');
    expect(items.map((i) => i.textContent)).toEqual(['✓ Visitors visitors · weekly · users', '✕ nobody: no KPI has this key']);
    expect(document.querySelector('pre.formula-mark')?.textContent).toBe('{visitors} / {nobody}\n             ^');
  });

  it('says a valid formula is valid, without a caret', () => {
    render(<FormulaCheckView id="check" formula="{visitors} * 2" check={{ valid: true, references: [visitors], problem: null }} />);

    expect(screen.getByText('The formula is valid.')).toBeTruthy();
    expect(document.querySelector('pre.formula-mark')).toBeNull();
  });

  it('does not repeat the message the field already shows from the last save, and keeps the caret for an answer still current only', () => {
    const check: FormulaCheck = { valid: false, references: [visitors], problem: { message: 'The formula does not parse at character 5: x.', position: 5 } };
    const { rerender } = render(<FormulaCheckView id="check" formula="{visitors} +" check={check} fieldError={check.problem!.message} />);
    expect(screen.queryByText(check.problem!.message)).toBeNull();
    expect(document.querySelector('pre.formula-mark')).not.toBeNull();

    rerender(<FormulaCheckView id="check" formula="{visitors} + 1" check={check} current={false} />);
    expect(document.querySelector('pre.formula-mark')).toBeNull();
  });
});
