import { readFileSync } from "node:fs";
import { join } from "node:path";
import { afterEach, describe, expect, it } from "vitest";
import { projectRoot } from "../helpers/cli.ts";
import { type SlackHarness, startSlackHarness } from "../helpers/slack-harness.ts";
import { appConfigFrom } from "../helpers/slack-manifest.ts";

const examplePack = readFileSync(join(projectRoot, "examples/team-pack.yaml"), "utf8");

let h: SlackHarness;
afterEach(async () => {
  await h?.stop();
});

/** Submits the latest modal as `user` with these files in its file input; what the bot then said privately. */
async function submitFiles(files: unknown[], user = "U1") {
  const said = await h.submitView({ input: { file: { type: "file_input", files } } }, user);
  return said.map((e) => e.text);
}

describe("Slack: question packs", () => {
  it("/study pack import opens a form with a file input; the bot fetches the upload with its token and imports it", async () => {
    h = await startSlackHarness({ adapter: { admins: new Set(["U1"]) } });
    await h.command("pack import");
    await h.slack.until(() => h.slack.views.length === 1);
    const view = h.slack.views[0]?.view as { title: { text: string }; blocks: Array<Record<string, unknown>> };
    expect(view.title.text).toBe("Import a question pack");
    expect(view.blocks[0]).toMatchObject({
      type: "input",
      optional: false,
      element: { type: "file_input", action_id: "file", filetypes: ["yaml", "yml", "json"], max_files: 1 },
    });

    const [said] = await submitFiles([h.slack.memberFile("team.yaml", examplePack)]);
    expect(said).toContain("Imported: 3 added, 0 updated, 0 retired (their answers are kept), 0 unchanged.");
    expect(h.slack.fileDownloads.at(-1)?.token).toBe("xoxb-test");
    expect(await h.db.selectFrom("packs").select("id").execute()).toEqual([{ id: "platform-basics" }]);

    const listed = await h.command("pack");
    await h.slack.until(() => h.replies(listed.responseId).length === 1);
    expect(h.replies(listed.responseId)[0]).toContain('platform-basics  "Platform team basics"  3 questions');
  });

  it("previews with --dry-run, refuses a member who is not an admin, a file over 1 MB, and a broken file, storing nothing", async () => {
    const admins = new Set(["U1"]);
    h = await startSlackHarness({ adapter: { admins } });
    const refusedCommand = await h.command("pack import", { user: "U2" });
    await h.slack.until(() => h.replies(refusedCommand.responseId).length === 1);
    expect(h.replies(refusedCommand.responseId)[0]).toContain("Only a workspace admin can do that.");
    expect(h.slack.views).toEqual([]);

    await h.command("pack import --dry-run");
    await h.slack.until(() => h.slack.views.length === 1);
    expect(h.slack.views[0]?.view).toMatchObject({ title: { text: "Preview a question pack" } });
    expect((await submitFiles([h.slack.memberFile("team.yaml", examplePack)]))[0]).toContain("Preview only: nothing was stored.");

    const downloads = h.slack.fileDownloads.length;
    const big = h.slack.memberFile("big.yaml", Buffer.alloc(1024 * 1024 + 1, 32));
    expect((await submitFiles([big]))[0]).toContain("The file has 1048577 bytes; a command takes at most 1048576 (1 MB).");
    expect(h.slack.fileDownloads.length).toBe(downloads);

    const broken = examplePack.replace("answer: C", "answer: F");
    expect((await submitFiles([h.slack.memberFile("broken.yaml", broken)]))[0]).toContain("The pack has 2 problems; nothing was imported:");
    expect(await h.db.selectFrom("packs").selectAll().execute()).toEqual([]);

    // Export needs a file in a private reply, which Slack cannot carry: the command says how to export instead.
    const exported = await h.command("pack export platform-basics");
    await h.slack.until(() => h.replies(exported.responseId).length === 1);
    expect(h.replies(exported.responseId)[0]).toContain("Slack's private replies cannot carry files");

    // An admin who opened the form and lost the role before submitting it imports nothing.
    await h.command("pack import");
    await h.slack.until(() => h.slack.views.length === 2);
    admins.delete("U1");
    expect((await submitFiles([h.slack.memberFile("team.yaml", examplePack)]))[0]).toContain("Only a workspace admin can do that.");
    expect(await h.db.selectFrom("packs").selectAll().execute()).toEqual([]);
  });

  it("without files:read Slack opens no file form (the admin is told why) and serves no private file", async () => {
    const app = appConfigFrom();
    const scopes = new Set([...app.scopes].filter((s) => s !== "files:read"));
    h = await startSlackHarness({ app: { ...app, scopes }, adapter: { admins: new Set(["U1"]) } });
    const sent = await h.command("pack import");
    // Slack refuses the modal itself (a file input needs files:read), and the admin is told why.
    await h.slack.until(() => h.replies(sent.responseId).length === 1);
    expect(h.replies(sent.responseId)[0]).toContain("the app lacks the files:read scope");
    expect(h.slack.views).toEqual([]);
    const file = h.slack.memberFile("team.yaml", examplePack);
    const response = await fetch(file.url_private, { headers: { authorization: "Bearer xoxb-test" }, redirect: "manual" });
    expect(response.status).toBe(302);
  });
});
