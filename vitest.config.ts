import { defineConfig } from "vitest/config";

export default defineConfig({
  test: {
    include: ["{model,spec,impl,checks}/**/*.test.ts"],
    testTimeout: 60_000,
    pool: "forks",
  },
});
