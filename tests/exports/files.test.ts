import { describe, expect, it } from "vitest";
import { ankiHtml, ankiLink, ankiNotesFile, spreadsheetCsv } from "../../src/features/exports/files.ts";
import { readAsAnki, readSpreadsheetCsv } from "../helpers/exported-files.ts";

describe("spreadsheet CSV", () => {
  it("starts with UTF-8's byte order mark, ends rows with CRLF and keeps Chinese text as it is", () => {
    const file = spreadsheetCsv(["member", "points"], [["张伟", 12]]);
    expect([...file.subarray(0, 3)]).toEqual([0xef, 0xbb, 0xbf]);
    expect(file.subarray(3).toString("utf8")).toBe('"member","points"\r\n"张伟",12\r\n');
    expect(readSpreadsheetCsv(file)).toEqual([
      ["member", "points"],
      ["张伟", "12"],
    ]);
  });

  it("prefixes a text that starts with = + - @, a tab or a carriage return with a single quote, and quotes every text", () => {
    const hostile = ["=cmd|' /C calc'!A0", "@SUM(1)", "+1+1", "-2+3", "\tTAB", "\rCR", 'say "hi", then =1'];
    const file = spreadsheetCsv(["value"], [...hostile.map((h) => [h]), [-5]]);
    const text = file.subarray(3).toString("utf8");
    expect(text).toContain(`"'=cmd|' /C calc'!A0"\r\n"'@SUM(1)"\r\n"'+1+1"\r\n"'-2+3"\r\n"'\tTAB"\r\n"'\rCR"\r\n`);
    // Quotes inside are doubled (RFC 4180); only the start of a value can make a formula; a number stays a number.
    expect(text).toContain(`"say ""hi"", then =1"\r\n-5\r\n`);
    expect(readSpreadsheetCsv(file).slice(1)).toEqual([...hostile.map((h) => [h === hostile[6] ? h : `'${h}`]), ["-5"]]);
  });
});

describe("Anki notes file", () => {
  it("has Anki's header lines and reads back, the way Anki reads it, with every field and tag as written", () => {
    const notes = [
      { front: "# starts like a comment", back: 'has "quotes" and\ta tab', tags: ["team.night-shift"] },
      { front: "line one\nline two", back: "plain", tags: ["net.tcp", "two words"] },
    ];
    const file = ankiNotesFile(notes);
    const text = file.toString("utf8");
    expect(text.startsWith("#separator:tab\n#html:true\n#notetype:Basic\n#tags column:3\n")).toBe(true);
    const read = readAsAnki(file);
    expect(read.settings).toMatchObject({ separator: "tab", html: "true", "tags column": "3" });
    expect(read.notes).toEqual([
      { fields: ["# starts like a comment", 'has "quotes" and\ta tab'], tags: ["team.night-shift"] },
      { fields: ["line one\nline two", "plain"], tags: ["net.tcp", "two_words"] },
    ]);
    // Unquoted, the first note's line would start with # and Anki would skip it as a comment.
    expect(text).toContain('\n"# starts like a comment"\t"has ""quotes"" and\ta tab"\tteam.night-shift\n');
  });

  it("escapes text as HTML (& < >), turns newlines into <br>, and links a URL with its quotes escaped", () => {
    expect(ankiHtml("a < b && c > d\r\ne\nf")).toBe("a &lt; b &amp;&amp; c &gt; d<br>e<br>f");
    expect(ankiLink("The <docs>", 'https://example.com/?a=1&b="2"')).toBe(
      '<a href="https://example.com/?a=1&amp;b=&quot;2&quot;">The &lt;docs&gt;</a>',
    );
  });
});
