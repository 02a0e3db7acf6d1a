import type { Language } from "../../core/i18n.ts";
import type { Db } from "../../store/database.ts";
import * as workspaces from "../../store/workspaces.repository.ts";
import { privacyStrings } from "./strings.ts";

/** The name a member has on a public surface: "a member" in the workspace's language when they chose to hide. */
export function publicName(member: { display_name: string; hidden: number }, language: Language): string {
  return member.hidden === 1 ? privacyStrings(language).aMember : member.display_name;
}

/** Members' public names by id, from the one query that reads their names. */
export async function publicNames(db: Db, workspaceId: string, ids: string[], language: Language): Promise<Map<string, string>> {
  const members = await workspaces.membersByIds(db, workspaceId, ids);
  return new Map(members.map((m) => [m.id, publicName(m, language)]));
}
