import { describe, expect, it } from "vitest";
import { plainStyle, renderText } from "../../src/adapters/console/render-text.ts";
import { toDiscord } from "../../src/adapters/discord/embeds.ts";
import { toBlockKit } from "../../src/adapters/slack/block-kit.ts";
import { message } from "../../src/core/message.ts";
import { displayWidth } from "../../src/core/table.ts";

const board = message([
  {
    type: "table",
    columns: ["#", "member", "points"],
    rows: [
      ["1", "张伟", "120"],
      ["2", "ana", "95"],
      ["3", "李小龙龙", "40"],
    ],
  },
]);

/** The display column where the points column starts, on each line of a rendered table. */
function pointsColumns(text: string): number[] {
  const lines = text.split("\n").filter((line) => /\d+$/.test(line) || line.endsWith("points"));
  return lines.map((line) => displayWidth(line.replace(/\S+$/, "")));
}

describe("tables line up by display width on every platform", () => {
  it("pads Chinese names to the same column on Slack, Discord and the console", () => {
    const slack = JSON.stringify(toBlockKit(board));
    const slackText = (JSON.parse(slack) as Array<{ text?: { text: string } }>).map((b) => b.text?.text ?? "").join("\n");
    const discordText = toDiscord(board).embeds?.[0]?.description ?? "";
    const consoleText = renderText(board, plainStyle);
    for (const text of [slackText, discordText, consoleText]) {
      const columns = pointsColumns(text.replace(/`/g, ""));
      expect(columns).toHaveLength(4);
      expect(new Set(columns).size, text).toBe(1);
    }
  });
});
