import type { createTestBot } from "./test-bot.ts";
import { latestRoundAnswer } from "./test-bot.ts";

type Ctx = Awaited<ReturnType<typeof createTestBot>>;

/** A round at `iso` in a channel of its own, answered right or wrong by each member in turn (the first is fastest). */
export async function quizRound(ctx: Ctx, iso: string, presses: Array<[string, "right" | "wrong"]>) {
  ctx.clock.set(iso);
  await ctx.chat.say("host", "quiz net.tcp", { channelId: `R-${iso}` });
  const post = ctx.chat.rounds().at(-1);
  const answer = await latestRoundAnswer(ctx.db);
  for (const [user, verdict] of presses) {
    ctx.clock.advance(1000);
    await ctx.chat.press(user, String(verdict === "right" ? answer + 1 : ((answer + 1) % 4) + 1), { post });
  }
  return post;
}
