// Downloads of everything a list's filters match (request logs, audit log), as the server's export gives it.
import type { ExportFormat } from '../api/latchkey-api.js';

interface ExportLinksProps {
  /** The export's address in a format, with the filters the list shows. */
  href: (format: ExportFormat) => string;
  /** What is exported, for the links' accessible names: "request logs", say. */
  what: string;
}

/** Plain links with `download`: the browser saves the file as the server streams it, however many rows it holds. */
export function ExportLinks({ href, what }: ExportLinksProps) {
  return (
    <div className="export-links">
      <a className="button" href={href('csv')} download aria-label={`Download CSV of the ${what} these filters match`}>
        Download CSV
      </a>
      <a href={href('ndjson')} download aria-label={`NDJSON of the ${what} these filters match, one JSON object per line`}>
        NDJSON
      </a>
    </div>
  );
}
