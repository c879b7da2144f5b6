// A time shown relative to now, with the exact UTC time in `title` and `dateTime`.
import { exactTime, relativeTime } from './time-format.js';

export function RelativeTime({ iso, empty = 'never' }: { iso: string | null; empty?: string }) {
  if (iso === null) return <span className="muted">{empty}</span>;
  return (
    <time dateTime={iso} title={exactTime(iso)}>
      {relativeTime(iso, Date.now())}
    </time>
  );
}
