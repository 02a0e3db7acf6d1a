import { parse } from "csv-parse/sync";

const bom = Buffer.from([0xef, 0xbb, 0xbf]);

/** A CSV as a spreadsheet reads it: it must start with UTF-8's byte order mark; the rows, header first, as texts. */
export function readSpreadsheetCsv(file: Buffer): string[][] {
  if (!file.subarray(0, 3).equals(bom)) throw new Error("the CSV does not start with a UTF-8 byte order mark");
  return parse(file.subarray(3).toString("utf8"), { record_delimiter: "\r\n", relax_column_count: false });
}

/** A CSV as rows keyed by its header. */
export function csvRecords(file: Buffer): Array<Record<string, string>> {
  const [header = [], ...rows] = readSpreadsheetCsv(file);
  return rows.map((row) => Object.fromEntries(header.map((column, i) => [column, row[i] ?? ""])));
}

/**
 * A text file read the way Anki 2.1.55+ imports it (rslib/src/import_export/text/csv): the `#key:value` lines at the
 * top are its settings (keys case-insensitive); then a CSV reader with the separator they name, where a line that
 * starts with # is a comment, double-quoted fields may hold separators, newlines and doubled quotes, and rows may
 * have fewer fields. Each note: its fields in order, and the tags column split on whitespace.
 */
export function readAsAnki(file: Buffer): {
  settings: Record<string, string>;
  notes: Array<{ fields: string[]; tags: string[] }>;
} {
  const text = file.toString("utf8");
  const settings: Record<string, string> = {};
  for (const line of text.split("\n")) {
    if (!line.startsWith("#")) break;
    const [key = "", ...value] = line.slice(1).split(":");
    settings[key.trim().toLowerCase()] = value.join(":");
  }
  const separators: Record<string, string> = { tab: "\t", comma: ",", semicolon: ";", space: " ", pipe: "|", colon: ":" };
  const delimiter = separators[(settings.separator ?? "").trim().toLowerCase()] ?? settings.separator;
  if (!delimiter) throw new Error("no #separator line: Anki would guess the separator");
  const rows: string[][] = parse(text, { delimiter, comment: "#", comment_no_infix: true, relax_column_count: true });
  const tagsColumn = Number(settings["tags column"] ?? 0);
  return {
    settings,
    notes: rows.map((row) => ({
      fields: row.filter((_, i) => i + 1 !== tagsColumn),
      tags: tagsColumn > 0 ? (row[tagsColumn - 1] ?? "").split(/\s+/).filter(Boolean) : [],
    })),
  };
}
