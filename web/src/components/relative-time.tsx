// A time shown relative to now, with the exact UTC time in `title` and `dateTime`; or exact first, relative beside it.
import { exactTime, relativeTime } from './time-format.js';

export function RelativeTime({ iso, empty = 'never' }: { iso: string | null; empty?: string }) {
  if (iso === null) return <span className="muted">{empty}</span>;
  return (
    <time dateTime={iso} title={exactTime(iso)}>
      {relativeTime(iso, Date.now())}
    </time>
  );
}

/**
 * For rows of a log, where the moment matters: the exact UTC time on screen (a `title` reaches neither the keyboard nor
 * a touch screen), the relative time under it as secondary text.
 */
export function ExactTime({ iso }: { iso: string }) {
  return (
    <>
      <time dateTime={iso}>{exactTime(iso)}</time>
      <span className="time-ago">{relativeTime(iso, Date.now())}</span>
    </>
  );
}
