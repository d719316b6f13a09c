import { percent, progressText } from '@/lib/okr-health';

/**
 * Progress with the expected-progress marker. A progressbar with its value in text (aria-valuetext and on screen:
 * "72 %, expected 68 %"), so the marker's meaning is never only a line.
 */
export function ProgressBar({ progress, expected, label }: { progress: number | null | undefined; expected?: number | null; label: string }) {
  const text = progressText(progress, expected);
  const value = progress === null || progress === undefined ? 0 : Math.min(100, Math.max(0, percent(progress)));
  const mark = expected === null || expected === undefined ? undefined : Math.min(100, Math.max(0, percent(expected)));
  return (
    <div className="progress">
      <div
        className="progress-track"
        role="progressbar"
        aria-label={label}
        aria-valuemin={0}
        aria-valuemax={100}
        aria-valuenow={value}
        aria-valuetext={text}
      >
        <div className="progress-fill" style={{ width: `${value}%` }} />
        {mark !== undefined && <div className="progress-expected" style={{ left: `${mark}%` }} aria-hidden="true" />}
      </div>
      <span className="progress-text">{text}</span>
    </div>
  );
}
