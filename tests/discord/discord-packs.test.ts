import { readFileSync } from "node:fs";
import { join } from "node:path";
import { afterEach, describe, expect, it } from "vitest";
import { parse, stringify } from "yaml";
import { projectRoot } from "../helpers/cli.ts";
import { adminPermissions, type DiscordHarness, startDiscordHarness, visibleText } from "../helpers/discord-harness.ts";

const examplePack = readFileSync(join(projectRoot, "examples/team-pack.yaml"), "utf8");

let h: DiscordHarness;
afterEach(async () => {
  await h?.stop();
});

/** /study-admin pack with these options, a file attached as Discord attaches one. */
function pack(options: Record<string, string>, file?: { name: string; content: string | Buffer }, who = { permissions: adminPermissions }) {
  const opts = Object.entries(options).map(([name, value]) => ({ name, type: 3, value }));
  if (file) opts.push({ name: "file", type: 11, value: String(h.discord.attach(file.name, file.content).id) });
  return h.command("study-admin", "pack", opts, who);
}

describe("Discord: question packs", () => {
  it("an admin imports a pack attached to /study-admin pack, previews first, and a quiz draws from it", async () => {
    h = await startDiscordHarness();
    const preview = visibleText(
      await h.answer(pack({ action: "import", preview: "--dry-run" }, { name: "team.yaml", content: examplePack })),
    );
    expect(preview).toContain('Pack platform-basics "Platform team basics": 3 questions');
    expect(preview).toContain("Preview only: nothing was stored.");
    expect(await h.db.selectFrom("packs").selectAll().execute()).toEqual([]);

    const imported = visibleText(await h.answer(pack({ action: "import" }, { name: "team.yaml", content: examplePack })));
    expect(imported).toContain("Imported: 3 added, 0 updated, 0 retired (their answers are kept), 0 unchanged.");
    expect(visibleText(await h.answer(h.command("study", "pack")))).toContain('platform-basics  "Platform team basics"  3 questions');

    await h.answer(
      h.command(
        "study-admin",
        "config",
        [
          { name: "key", type: 3, value: "questions" },
          { name: "value", type: 3, value: "team" },
        ],
        { permissions: adminPermissions },
      ),
    );
    await h.answer(h.command("study", "quiz", [{ name: "topic", type: 3, value: "postgres" }]));
    const round = h.discord.messages.at(-1);
    expect(visibleText(round as unknown as Record<string, unknown>)).toMatch(/PostgreSQL/);
  });

  it("lists every problem of a broken file and stores nothing; refuses a file over 1 MB before downloading it", async () => {
    h = await startDiscordHarness();
    const broken = parse(examplePack);
    broken.questions[0].answer = "F";
    broken.questions[2].id = broken.questions[1].id;
    const refused = visibleText(await h.answer(pack({ action: "import" }, { name: "broken.yaml", content: stringify(broken) })));
    expect(refused).toContain("The pack has 3 problems; nothing was imported:");
    expect(refused).toMatch(/line \d+, pg-default-isolation: id: used by an earlier question of the pack/);

    const downloads = () => h.discord.calls.filter((c) => c.path.startsWith("/attachments/")).length;
    const before = downloads();
    const big = visibleText(await h.answer(pack({ action: "import" }, { name: "big.yaml", content: Buffer.alloc(1024 * 1024 + 1, 32) })));
    expect(big).toContain("The file has 1048577 bytes; a command takes at most 1048576 (1 MB).");
    expect(downloads()).toBe(before);
    expect(visibleText(await h.answer(pack({ action: "import" })))).toContain("Give the pack file");
    expect(await h.db.selectFrom("packs").selectAll().execute()).toEqual([]);
  });

  it("exports the pack as an attachment to the private reply, and refuses members who are not admins", async () => {
    h = await startDiscordHarness();
    await h.answer(pack({ action: "import" }, { name: "team.yaml", content: examplePack }));
    const token = pack({ action: "export", pack: "platform-basics" });
    expect(visibleText(await h.answer(token))).toContain("Pack platform-basics, as last imported.");
    const reply = h.discord.calls.find((c) => c.path.includes(token) && c.files.length === 1);
    expect(reply?.files[0]?.name).toBe("pack-platform-basics.yaml");
    expect(reply?.files[0]?.data.toString("utf8")).toBe(examplePack);

    // A member without Manage Server cannot even send /study-admin; a server that opened it to everyone still gets no.
    expect(() => pack({ action: "remove", pack: "platform-basics" }, undefined, { permissions: "1024" })).toThrow(/hidden from members/);
    h.discord.openToEveryone.add("study-admin");
    const refused = visibleText(await h.answer(pack({ action: "remove", pack: "platform-basics" }, undefined, { permissions: "1024" })));
    expect(refused).toContain("Only a server admin (Manage Server) can do that.");
    expect(visibleText(await h.answer(h.command("study", "pack")))).toContain("platform-basics");
  });
});
