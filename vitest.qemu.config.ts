import { defineConfig } from "vitest/config";

// QEMU differential suite and toolchain cross-checks (riscv.md §2): `npm run test:qemu`.
// Needs qemu-system-riscv64 and riscv64-unknown-elf-{as,objcopy,readelf} (.ci/run installs them).
// DIFF_PROGRAMS sets the number of random programs (default 1000).
export default defineConfig({
  test: {
    include: ["impl/riscv/**/*.qemu.test.ts"],
    testTimeout: 600_000,
    hookTimeout: 600_000,
    pool: "forks",
  },
});
