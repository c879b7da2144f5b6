// A list's export (request logs, audit log): every entry its filters match, newest first, as one CSV or NDJSON file,
// read page by page and streamed, so that any number of entries goes out in little memory.
import { Readable } from 'node:stream';
import type { FastifyReply } from 'fastify';
import { Type } from 'typebox';
import { type CsvValue, csvLine } from '../core/csv.js';
import type { Page } from '../store/pagination.js';
import { Literals } from './schemas/common.js';

export const EXPORT_FORMATS = ['csv', 'ndjson'] as const;
export type ExportFormat = (typeof EXPORT_FORMATS)[number];

export const ExportFormatQuery = Type.Optional(Literals(EXPORT_FORMATS, {
  description: 'csv (the default): a header row, then one row per entry; ndjson: one JSON object per line, as the list answers them',
}));

/** The 200 answer of an export, as the OpenAPI document describes it. */
export const ExportFile = {
  description: 'The file (Content-Disposition: attachment), streamed',
  content: {
    'text/csv': { schema: Type.String() },
    'application/x-ndjson': { schema: Type.String() },
  },
};

/** Entries read per query: few round trips, and no query that holds the event loop for long. */
const ROWS_PER_READ = 500;

export interface ListExport<Row, Item> {
  /** The file's name, without its extension. */
  name: string;
  format: ExportFormat;
  /** The page of `limit` entries after `cursor` (the list's own paging, newest first). */
  read: (cursor: string | undefined, limit: number) => Promise<Page<Row>>;
  present: (row: Row) => Item;
  /** The CSV columns: a header and how to read its value from the presented entry. */
  columns: readonly (readonly [header: string, value: (item: Item) => CsvValue])[];
}

/**
 * Answers with the export. Its first page is read before anything is sent, so that storage out of reach is a
 * `503` like any other; a failure later cuts the answer short, which a client sees as an incomplete download.
 */
export async function sendListExport<Row, Item>(reply: FastifyReply, list: ListExport<Row, Item>): Promise<FastifyReply> {
  const first = await list.read(undefined, ROWS_PER_READ);
  reply.header('content-type', list.format === 'csv' ? 'text/csv; charset=utf-8' : 'application/x-ndjson; charset=utf-8');
  reply.header('content-disposition', `attachment; filename="${list.name}.${list.format}"`);
  return reply.send(Readable.from(chunks(list, first)));
}

async function* chunks<Row, Item>(list: ListExport<Row, Item>, first: Page<Row>): AsyncGenerator<string> {
  if (list.format === 'csv') yield csvLine(list.columns.map(([header]) => header));
  let page = first;
  for (;;) {
    let chunk = '';
    for (const row of page.data) {
      const item = list.present(row);
      chunk += list.format === 'csv' ? csvLine(list.columns.map(([, value]) => value(item))) : `${JSON.stringify(item)}\n`;
    }
    if (chunk !== '') yield chunk;
    if (page.nextCursor === null) return;
    page = await list.read(page.nextCursor, ROWS_PER_READ);
  }
}
