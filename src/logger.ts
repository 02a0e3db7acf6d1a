import { pino } from "pino";

/** JSON logs on stderr, so the console adapter's stdout stays the conversation. */
export function createLogger(level: string) {
  return pino({ level, base: undefined }, pino.destination(2));
}
