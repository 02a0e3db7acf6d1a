import type { Language, Strings } from "../../core/i18n.ts";
import { type Link, message, type OutMessage } from "../../core/message.ts";

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
}

export function renderDigest(t: Strings, language: Language, a: ArticleView): OutMessage {
  const [main, other] = language === "zh" ? [a.zhTitle, a.enTitle] : [a.enTitle, a.zhTitle];
  const links: Link[] = [
    { label: t.original, url: a.url },
    { label: t.translation, url: a.zhUrl },
  ];
  return message([
    { type: "header", text: a.today ? t.articleOfDay : t.articleOfDate(a.localDate) },
    { type: "text", text: `${main}\n${other}` },
    {
      type: "fields",
      fields: [
        { label: t.published, value: a.published.slice(0, 4) },
        { label: t.topics, value: a.topicNames.join(", ") },
      ],
    },
    { type: "links", links },
    { type: "buttons", buttons: [{ action: "read", value: a.digestId, label: t.markRead, key: "r", style: "primary" }] },
  ]);
}
