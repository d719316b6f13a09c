/** Whether a receiver takes deliveries, as symbol + word + colour. */
export function ReceiverState({ enabled }: { enabled: boolean }) {
  return enabled ? (
    <span className="badge badge-onTarget">
      <span aria-hidden="true">✓</span> Enabled: takes deliveries
    </span>
  ) : (
    <span className="badge badge-atRisk">
      <span aria-hidden="true">⏸</span> Disabled: refuses deliveries
    </span>
  );
}
