import type { EventSink } from "./core/ports.ts";

/** A few counters in Prometheus text format: enough to alert on a silent bot. */
export class Metrics {
  private readonly counters = new Map<string, { help: string; values: Map<string, number> }>();

  inc(name: string, help: string, labels: Record<string, string> = {}, by = 1): void {
    const counter = this.counters.get(name) ?? { help, values: new Map() };
    this.counters.set(name, counter);
    const key = Object.entries(labels)
      .map(([k, v]) => `${k}="${v.replace(/["\\\n]/g, "_")}"`)
      .join(",");
    counter.values.set(key, (counter.values.get(key) ?? 0) + by);
  }

  render(): string {
    const lines: string[] = [];
    for (const [name, counter] of this.counters) {
      lines.push(`# HELP ${name} ${counter.help}`, `# TYPE ${name} counter`);
      for (const [labels, value] of counter.values) lines.push(`${name}${labels ? `{${labels}}` : ""} ${value}`);
    }
    return `${lines.join("\n")}\n`;
  }
}

/** Counts what adapters hand the core, by platform. */
export function instrument(sink: EventSink, metrics: Metrics): EventSink {
  return {
    command: (invocation) => {
      metrics.inc("study_bot_commands_total", "Slash commands received", { platform: invocation.address.platform });
      return sink.command(invocation);
    },
    click: (click) => {
      metrics.inc("study_bot_clicks_total", "Button clicks received", { platform: click.address.platform, action: click.action });
      return sink.click(click);
    },
    suggestTopics: (query, language) => sink.suggestTopics(query, language),
    workspaceRemoved: (workspace, reason) => sink.workspaceRemoved(workspace, reason),
  };
}
