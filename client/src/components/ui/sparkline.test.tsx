// @vitest-environment jsdom
import { render, screen } from '@testing-library/react';
import { describe, expect, it } from 'vitest';

import { Sparkline } from './sparkline';
import { StatusBadge } from './status-badge';

describe('Sparkline', () => {
  it('draws nothing without any value (no fake flat line)', () => {
    const { container } = render(<Sparkline points={[{ period: 'a', value: null }, { period: 'b', value: null }]} label="x" />);
    expect(container.innerHTML).toBe('');
  });

  it('breaks the line at a missing period and dots a lone value', () => {
    render(
      <Sparkline
        label="Defect rate"
        points={[
          { period: '1', value: 1 },
          { period: '2', value: 2 },
          { period: '3', value: null },
          { period: '4', value: 3 },
          { period: '5', value: null },
        ]}
      />,
    );
    const svg = screen.getByRole('img', { name: 'Defect rate' });
    expect(svg.querySelectorAll('path')).toHaveLength(2);
    expect(svg.querySelectorAll('circle')).toHaveLength(1);
  });
});

describe('StatusBadge', () => {
  it('shows symbol and word, never colour alone', () => {
    render(<StatusBadge status="atRisk" />);
    expect(screen.getByText('At risk').textContent).toBe('▲ At risk');
  });
});
