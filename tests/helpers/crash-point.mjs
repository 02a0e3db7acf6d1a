// Loaded into a spawned bot with --import by the crash tests only: kills the process, as a power cut would, the Nth
// time the named crash point is published (STUDY_TEST_CRASH=after-digest-post:50). Production code only publishes.
import { subscribe } from "node:diagnostics_channel";

const [point, times = "1"] = (process.env.STUDY_TEST_CRASH ?? "").split(":");
let left = Number(times);
if (point) {
  subscribe(`study-bot:${point}`, () => {
    left -= 1;
    if (left <= 0) process.kill(process.pid, "SIGKILL");
  });
}
