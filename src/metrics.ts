import { Counter, collectDefaultMetrics, Histogram, Registry } from "prom-client";
import type { EventSink } from "./core/ports.ts";
import { actionIds } from "./features/declarations.ts";

const declaredActions = new Set(actionIds);

/** The bot's metrics in a registry of its own (not prom-client's global one), with the process's default metrics. */
export class Metrics {
  readonly registry = new Registry();
  readonly commands = new Counter({
    name: "study_bot_commands_total",
    help: "Slash commands received",
    labelNames: ["platform"],
    registers: [this.registry],
  });
  readonly clicks = new Counter({
    name: "study_bot_clicks_total",
    help: "Button clicks received",
    labelNames: ["platform", "action"],
    registers: [this.registry],
  });
  readonly commandSeconds = new Histogram({
    name: "study_bot_command_duration_seconds",
    help: "Time from a slash command reaching the core to its replies being ready",
    labelNames: ["platform"],
    registers: [this.registry],
  });
  readonly clickSeconds = new Histogram({
    name: "study_bot_click_duration_seconds",
    help: "Time from a button click reaching the core to its replies being ready",
    labelNames: ["platform", "action"],
    registers: [this.registry],
  });
  readonly unhandledRejections = new Counter({
    name: "study_bot_unhandled_rejections_total",
    help: "Promise rejections nothing handled; the process logs each and keeps running",
    registers: [this.registry],
  });

  constructor() {
    collectDefaultMetrics({ register: this.registry });
  }
}

/** Counts and times what adapters hand the core, by platform. */
export function instrument(sink: EventSink, metrics: Metrics): EventSink {
  return {
    command: async (invocation) => {
      const labels = { platform: invocation.address.platform };
      metrics.commands.inc(labels);
      const done = metrics.commandSeconds.startTimer(labels);
      try {
        return await sink.command(invocation);
      } finally {
        done();
      }
    },
    click: async (click) => {
      // Only declared actions become label values: a crafted custom id must not grow the series without bound.
      const labels = { platform: click.address.platform, action: declaredActions.has(click.action) ? click.action : "unknown" };
      metrics.clicks.inc(labels);
      const done = metrics.clickSeconds.startTimer(labels);
      try {
        return await sink.click(click);
      } finally {
        done();
      }
    },
    suggestTopics: (query, language, workspace) => sink.suggestTopics(query, language, workspace),
    homeOpened: (viewer) => sink.homeOpened(viewer),
    workspaceRemoved: (workspace, reason) => sink.workspaceRemoved(workspace, reason),
  };
}
