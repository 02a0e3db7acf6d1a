import { stringify } from "csv-stringify/sync";

/**
 * A file for spreadsheets: UTF-8 with a byte order mark (without it Excel reads Chinese names as another encoding),
 * rows ended by CRLF and fields quoted as RFC 4180 has it (every text quoted), and a text that starts with = + - @, a
 * tab or a carriage return prefixed with a single quote, so that no spreadsheet runs a display name as a formula
 * (OWASP, CSV injection).
 */
export function spreadsheetCsv(header: readonly string[], rows: ReadonlyArray<ReadonlyArray<string | number>>): Buffer {
  const text = stringify([header, ...rows], { bom: true, record_delimiter: "windows", quoted_string: true, escape_formulas: true });
  return Buffer.from(text, "utf8");
}

/** One Anki note: the two sides as HTML (ankiHtml and ankiLink build it from text), and its tags. */
export interface AnkiNote {
  front: string;
  back: string;
  tags: readonly string[];
}

/**
 * The header lines of Anki's text import (Anki 2.1.55+, "Importing text files"): tab-separated, fields are HTML, the
 * third column holds the tags. No #columns line: it maps columns by field name, which a translated Anki names otherwise.
 */
const ankiHeader = ["#separator:tab", "#html:true", "#notetype:Basic", "#tags column:3"];

/**
 * Notes as a tab-separated file Anki imports as it is. Fields are quoted as Anki's CSV reader expects (a field with a
 * tab or a double quote in double quotes, a quote doubled); a field starting with # is quoted too, because Anki skips a
 * line that starts with # as a comment. No byte order mark: Anki would not see the first header line.
 */
export function ankiNotesFile(notes: readonly AnkiNote[]): Buffer {
  const rows = notes.map((note) => [note.front, note.back, note.tags.map(ankiTag).join(" ")]);
  const body = stringify(rows, { delimiter: "\t", record_delimiter: "unix", quoted_match: /^#/ });
  return Buffer.from(`${ankiHeader.join("\n")}\n${body}`, "utf8");
}

/** Text as an HTML field: & < > escaped (Anki's manual lists these three), newlines as <br>. */
export function ankiHtml(text: string): string {
  return text
    .replace(/&/g, "&amp;")
    .replace(/</g, "&lt;")
    .replace(/>/g, "&gt;")
    .replace(/\r\n|\r|\n/g, "<br>");
}

/** A link for an HTML field: the URL as an attribute (quotes escaped too), the label as text. */
export function ankiLink(label: string, url: string): string {
  return `<a href="${ankiHtml(url).replace(/"/g, "&quot;")}">${ankiHtml(label)}</a>`;
}

/** Anki splits tags on whitespace: any in a tag becomes an underscore. */
function ankiTag(tag: string): string {
  return tag.trim().replace(/\s+/g, "_");
}
