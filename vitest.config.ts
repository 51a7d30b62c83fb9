import { defineConfig } from "vitest/config";

export default defineConfig({
  test: {
    include: ["{model,spec,impl,checks}/**/*.test.ts"],
    // differential tests against QEMU need the Debian toolchain: `npm run test:qemu` (run by .ci/run)
    exclude: ["**/*.qemu.test.ts", "**/node_modules/**"],
    testTimeout: 60_000,
    pool: "forks",
  },
});
