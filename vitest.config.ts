import { defineConfig } from "vitest/config";

export default defineConfig({
  test: {
    include: ["tests/**/*.test.ts"],
    // The build first: tests spawn bin/study-bot.js and npm start, which run dist/.
    globalSetup: ["tests/setup/build.ts", "tests/setup/postgres.ts"],
    testTimeout: 30_000,
    hookTimeout: 30_000,
  },
});
