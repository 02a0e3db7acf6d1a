import type { ArticleNote } from "../../core/catalog.ts";
import type { Language, Strings } from "../../core/i18n.ts";
import { type Block, type Link, message, type OutMessage } from "../../core/message.ts";

export interface ArticleView {
  digestId: string;
  localDate: string;
  today: boolean;
  zhTitle: string;
  enTitle: string;
  published: string;
  url: string;
  zhUrl: string;
  topicNames: string[];
  note: ArticleNote | undefined;
}

/** The titles, then what the article teaches (summary and takeaways, when it has a note), then the links and topics. */
export function renderDigest(t: Strings, language: Language, a: ArticleView): OutMessage {
  const [main, other] = language === "zh" ? [a.zhTitle, a.enTitle] : [a.enTitle, a.zhTitle];
  const links: Link[] = [
    { label: t.original, url: a.url },
    { label: t.translation, url: a.zhUrl },
  ];
  const note = a.note?.[language];
  const teaches: Block[] = note
    ? [
        { type: "text", text: note.summary },
        { type: "text", text: note.takeaways.map((takeaway) => `• ${takeaway}`).join("\n") },
      ]
    : [];
  return message([
    { type: "header", text: a.today ? t.articleOfDay : t.articleOfDate(a.localDate) },
    { type: "text", text: `${main}\n${other}` },
    ...teaches,
    { type: "links", links },
    {
      type: "fields",
      fields: [
        { label: t.topics, value: a.topicNames.join(", ") },
        { label: t.published, value: a.published.slice(0, 4) },
        ...(a.note ? [{ label: t.readingTime, value: t.minutes(a.note.minutes) }] : []),
      ],
    },
    { type: "buttons", buttons: [{ action: "read", value: a.digestId, label: t.markRead, key: "r", style: "primary" }] },
  ]);
}
