/** A receiver delivery's outcome as symbol + word + colour (never colour alone). */
const outcomes: Record<string, { symbol: string; word: string; tone: string }> = {
  recorded: { symbol: '✓', word: 'Recorded', tone: 'onTarget' },
  unchanged: { symbol: '=', word: 'Unchanged (redelivery)', tone: 'noData' },
  ignored: { symbol: '○', word: 'Ignored by the filter', tone: 'noData' },
  failed: { symbol: '✕', word: 'Failed', tone: 'offTarget' },
  refused: { symbol: '✕', word: 'Refused', tone: 'offTarget' },
  disabled: { symbol: '⏸', word: 'Refused: receiver disabled', tone: 'atRisk' },
  wouldRecord: { symbol: '✓', word: 'Would record', tone: 'onTarget' },
};

export function DeliveryOutcome({ outcome }: { outcome: string }) {
  const o = outcomes[outcome] ?? { symbol: '?', word: outcome, tone: 'noData' };
  return (
    <span className={`badge badge-${o.tone}`}>
      <span aria-hidden="true">{o.symbol}</span> {o.word}
    </span>
  );
}
