import { html, raw } from "hono/html";
import { barsSvg, chartFontFamily, heatmapSvg } from "../../charts/charts.ts";
import type { Language } from "../../core/i18n.ts";
import { privacyStrings } from "../privacy/strings.ts";
import type { LeaderboardWindow } from "../standings/standings.ts";
import type { AdminView, MeView, TeamView } from "./dashboard.ts";
import type { DashboardGrant } from "./links.ts";
import { type DashboardStrings, dashboardStrings } from "./strings.ts";

type Html = ReturnType<typeof html>;
export type Page = "team" | "me" | "admin";
export const windows: readonly LeaderboardWindow[] = ["week", "month", "season", "all"];

export interface PageFrame {
  token: string;
  grant: DashboardGrant;
  language: Language;
  workspaceName: string;
  page: Page;
}

/** Question text as members write it: ``` fences become code blocks and `spans` inline code; everything else is text. */
function richText(text: string): Html {
  return html`${text
    .split(/```[\w+-]*\n?([\s\S]*?)```/)
    .map((part, i) =>
      i % 2 === 1
        ? html`<pre><code>${part.trimEnd()}</code></pre>`
        : part.split(/`([^`\n]+)`/).map((bit, j) => (j % 2 === 1 ? html`<code>${bit}</code>` : bit)),
    )}`;
}

const percent = (share: number | undefined) => (share === undefined ? "-" : `${Math.round(100 * share)}%`);

/** Where the dashboard serves the charts' font (public: it is the font, nothing of a workspace). */
export const fontPath = "/dashboard/font.ttf";

const style = `
@font-face{font-family:"${chartFontFamily}";src:url(${fontPath}) format("truetype");font-display:swap}
body{font-family:system-ui,"Noto Sans SC",sans-serif;margin:0;color:#1b1f24;background:#f6f8fa}
header{background:#1d3557;color:#fff;padding:12px 24px}header h1{font-size:20px;margin:0 0 8px}
nav a{color:#fff;margin-right:16px;text-decoration:none;padding:4px 8px;border-radius:4px}nav a[aria-current=page]{background:#457b9d}
main{max-width:1000px;margin:0 auto;padding:16px 24px}section{background:#fff;border:1px solid #d0d7de;border-radius:8px;padding:12px 16px;margin:16px 0}
h2{font-size:17px;margin:4px 0 12px}table{border-collapse:collapse;width:100%}th,td{text-align:left;padding:6px 8px;border-bottom:1px solid #eaeef2;vertical-align:top}
td.n,th.n{text-align:right}.tabs a{margin-right:12px}.tabs a[aria-current=true]{font-weight:bold;text-decoration:none;color:#1b1f24}
.hardest{background:#fff4e5}.muted{color:#57606a;font-size:14px}svg{max-width:100%;height:auto;zoom:1.4}
pre{background:#f6f8fa;padding:8px;border-radius:6px;overflow-x:auto}code{font-family:ui-monospace,monospace;font-size:90%}details{margin:8px 0}.notice{background:#e6f4ea;padding:8px 12px;border-radius:6px}
button{font:inherit;padding:4px 10px;cursor:pointer}`;

function layout(frame: PageFrame, body: Html, notice?: string): Html {
  const s = dashboardStrings(frame.language);
  const base = `/dashboard/${frame.token}`;
  const pages: Page[] = frame.grant.admin ? ["team", "me", "admin"] : ["team", "me"];
  const expires = new Date(frame.grant.expiresAt).toISOString().slice(0, 16).replace("T", " ");
  return html`<!doctype html>
<html lang="${frame.language === "zh" ? "zh-CN" : "en"}">
<head><meta charset="utf-8"><meta name="viewport" content="width=device-width,initial-scale=1">
<meta name="referrer" content="no-referrer"><title>${s.title(frame.workspaceName)}</title><style>${raw(style)}</style></head>
<body><header><h1>${s.title(frame.workspaceName)}</h1>
<nav>${pages.map((p) => html`<a href="${base}/${p}"${p === frame.page ? raw(' aria-current="page"') : ""}>${s.nav[p]}</a>`)}</nav></header>
<main>${notice ? html`<p class="notice" role="status">${notice}</p>` : ""}${body}<p class="muted">${s.expires(expires)}</p></main></body></html>`;
}

function table(columns: readonly string[], rows: Html[], numeric: ReadonlySet<number> = new Set()): Html {
  return html`<table><thead><tr>${columns.map((c, i) => html`<th${numeric.has(i) ? raw(' class="n"') : ""}>${c}</th>`)}</tr></thead><tbody>${rows}</tbody></table>`;
}

export function teamPage(frame: PageFrame, view: TeamView, window: LeaderboardWindow): Html {
  const s = dashboardStrings(frame.language);
  const base = `/dashboard/${frame.token}/team`;
  const board = view.board.rows.map(
    (r) =>
      html`<tr data-member="${r.hidden ? "" : r.memberId}"><td>${r.rank}</td><td>${r.champion ? "🏆 " : ""}${r.name}</td><td class="n">${r.points}</td><td class="n">${r.accuracy === undefined ? "-" : `${r.accuracy}%`}</td><td class="n">${r.streak}</td></tr>`,
  );
  const hidden = view.board.total - view.board.rows.length;
  const body = html`<section aria-labelledby="days"><h2 id="days">${s.studyDays}</h2>${raw(heatmapSvg(view.heatmap, { title: s.teamHeatmapTitle, language: frame.language }))}</section>
<section aria-labelledby="board"><h2 id="board">${s.leaderboard(s.windows[window])}</h2>
<p class="tabs">${windows.map((w) => html`<a href="${base}?window=${w}" aria-current="${w === window}">${s.windows[w]}</a>`)}</p>
${view.board.rows.length === 0 ? html`<p>${s.noScores}</p>` : table(s.columns, board, new Set([2, 3, 4]))}${hidden > 0 ? html`<p class="muted">${s.more(hidden)}</p>` : ""}</section>
<section aria-labelledby="streaks"><h2 id="streaks">${s.streaks}</h2><p id="team-streak">${s.teamStreak(view.teamStreak, view.quorum)}</p></section>
<section aria-labelledby="accuracy"><h2 id="accuracy">${s.accuracy}</h2>${raw(barsSvg(view.branches, { title: s.barsTitle, language: frame.language }))}
<h2>${s.weakest}</h2>${
    view.weakest.length === 0
      ? html`<p>${s.noWeakest}</p>`
      : table(
          s.topicColumns,
          view.weakest.map(
            (w) =>
              html`<tr><td>${w.name} <span class="muted">(${w.id})</span></td><td class="n">${w.answered}</td><td class="n">${percent(w.correct / w.answered)}</td></tr>`,
          ),
          new Set([1, 2]),
        )
  }</section>
<section aria-labelledby="rounds"><h2 id="rounds">${s.rounds}</h2>${
    view.rounds.length === 0
      ? html`<p>${s.noRounds}</p>`
      : table(
          s.roundColumns,
          view.rounds.map(
            (r) =>
              html`<tr${r.hardest ? raw(' class="hardest"') : ""}><td>${r.date}</td><td>${richText(r.prompt)}${r.hardest ? html` <strong>(${s.hardest})</strong>` : ""}</td><td>${richText(r.answer)}</td><td class="n">${r.answered}</td><td class="n">${percent(r.accuracy)}</td></tr>`,
          ),
          new Set([3, 4]),
        )
  }</section>`;
  return layout(frame, body);
}

export function mePage(frame: PageFrame, view: MeView, memberName: string): Html {
  const s = dashboardStrings(frame.language);
  const { personal } = view.streak;
  const body = html`<section aria-labelledby="progress"><h2 id="progress">${s.myProgress}</h2>
<p id="my-streak">${s.streak(personal.current, personal.longest, personal.freezes)}</p>
<p id="my-rank">${view.rank ? s.rank(view.rank.rank, view.rank.points) : s.unranked}</p>
<p id="my-due">${s.due(view.due)}</p>
${raw(heatmapSvg(view.heatmap, { title: s.myHeatmapTitle(memberName), language: frame.language }))}</section>
<section aria-labelledby="topics"><h2 id="topics">${s.myTopics}</h2>${
    view.topics.length === 0
      ? html`<p>${s.noTopics}</p>`
      : table(
          s.topicColumns,
          view.topics.map(
            (x) =>
              html`<tr><td>${x.name} <span class="muted">(${x.id})</span></td><td class="n">${x.answered}</td><td class="n">${percent(x.accuracy)}</td></tr>`,
          ),
          new Set([1, 2]),
        )
  }</section>
<section aria-labelledby="missed"><h2 id="missed">${s.missed}</h2>${
    view.missed.length === 0
      ? html`<p>${s.noMissed}</p>`
      : view.missed.map(
          (
            q,
          ) => html`<details><summary>${richText(q.prompt)} <span class="muted">(${q.topicName})</span></summary><ul>${q.choices.map((c) => html`<li>${richText(c)}</li>`)}</ul>
<p><strong>${s.rightAnswer}:</strong> ${richText(q.answer)}</p><p>${richText(q.explanation)}</p>
<p class="muted">${s.source}: ${q.source.url ? html`<a href="${q.source.url}" rel="noreferrer noopener">${q.source.label}</a>` : q.source.label}</p></details>`,
        )
  }</section>`;
  return layout(frame, body);
}

export function adminPage(frame: PageFrame, view: AdminView, notice?: string): Html {
  const s = dashboardStrings(frame.language);
  const base = `/dashboard/${frame.token}/admin`;
  const body = html`<section aria-labelledby="subscriptions"><h2 id="subscriptions">${s.subscriptions}</h2>${
    view.subscriptions.length === 0
      ? html`<p>${s.noSubscriptions}</p>`
      : table(
          s.subscriptionColumns,
          view.subscriptions.map(
            (x) =>
              html`<tr><td>${x.channel}</td><td>${x.post_time}</td><td>${x.status === "failing" ? s.failing(x.failure_reason ?? "") : s.active}</td></tr>`,
          ),
        )
  }</section>
<section aria-labelledby="reports"><h2 id="reports">${s.reports}</h2>${
    view.reports.length === 0
      ? html`<p>${s.noReports}</p>`
      : table(
          s.reportColumns,
          view.reports.map(
            (
              r,
            ) => html`<tr><td><strong>${r.questionId}</strong> ${richText(r.prompt)}<ul>${r.reports.map((x) => html`<li>${x.by}${x.note ? `: ${x.note}` : ""}</li>`)}</ul></td>
<td class="n">${r.reports.length}</td><td><form method="post" action="${base}/reports/resolve"><input type="hidden" name="question" value="${r.questionId}"><button type="submit">${s.resolve}</button></form></td></tr>`,
          ),
          new Set([1]),
        )
  }</section>
<section aria-labelledby="settings"><h2 id="settings">${s.settings}</h2><table><tbody>${view.settings.map(
    (f) => html`<tr><th scope="row">${f.label}</th><td>${f.value}</td></tr>`,
  )}</tbody></table><p class="muted">${s.settingsHint}</p><p id="hidden-members">${privacyStrings(frame.language).hiddenMembers(view.hidden)}</p></section>
<section aria-labelledby="packs"><h2 id="packs">${s.packs}</h2>${
    view.packs.length === 0
      ? html`<p>${s.noPacks}</p>`
      : table(
          s.packColumns,
          view.packs.map(
            (p) => html`<tr><td>${p.id}</td><td>${p.title}</td><td class="n">${p.questions}</td><td>${p.enabled ? s.yes : s.no}</td></tr>`,
          ),
          new Set([2]),
        )
  }</section>`;
  return layout(frame, body, notice);
}

export function forbiddenPage(s: DashboardStrings): Html {
  return html`<!doctype html><html><head><meta charset="utf-8"><title>403</title></head><body><h1>403</h1><p>${s.adminOnly}</p></body></html>`;
}
