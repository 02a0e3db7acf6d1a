import { noWords } from "../../core/commands.ts";
import { privateReply } from "../../core/message.ts";
import { command } from "../services.ts";
import { dashboardStrings } from "./strings.ts";

export const dashboardCommands = [
  command({
    path: ["dashboard"],
    usage: "/study dashboard",
    help: {
      en: "a private link to the team's web dashboard (your progress, the boards, and the admin pages for admins), valid 24 hours",
      zh: "团队网页看板的私人链接（你的进度、排行榜；管理员还有管理页面），24 小时内有效",
    },
    access: "anyone",
    description: "A private link to the team's web dashboard, valid 24 hours",
    options: [],
    parse: noWords,
    run: async ({ dashboard, clock }, scope, _args, { isAdmin }) => {
      const s = dashboardStrings(scope.settings.language);
      if (!dashboard) return [privateReply([{ type: "text", text: s.off }])];
      const admin = await isAdmin();
      const url = dashboard.linkFor({ workspaceId: scope.workspaceId, memberId: scope.memberId, admin }, clock.now());
      return [
        privateReply([
          { type: "text", text: admin ? `${s.link} ${s.linkAdmin}` : s.link },
          { type: "links", links: [{ label: s.open, url }] },
        ]),
      ];
    },
  }),
];
