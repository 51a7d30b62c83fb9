import { describe, expect, it } from "vitest";
import { bootPlatform } from "./boot.ts";
import { BULK_BYTES } from "./hostStubs.ts";

describe("host kernel memory through the S-mode hart", () => {
  const P = bootPlatform({ harts: 1, ramSize: 16 << 20 });
  const k = P.kernel;
  const at = k.allocPages(8192n);

  it("writeBytes writes exactly the bytes given, for every length up to two bulk transfers and one more word", () => {
    for (let len = 8; len <= 2 * BULK_BYTES + 8; len += 8) {
      k.zero(at, 8192n);
      const bytes = Uint8Array.from({ length: len }, (_, i) => (i * 37 + len) & 0xff || 1);
      k.writeBytes(at + 64n, bytes);
      const back = P.machine.mem.read(at, 8192);
      expect(back.subarray(64, 64 + len), `length ${len}`).toEqual(bytes);
      expect(back.subarray(0, 64).every((b) => b === 0) && back.subarray(64 + len).every((b) => b === 0), `length ${len}`).toBe(
        true,
      );
    }
  });

  it("readBytes reads exactly the bytes there, for every length up to two bulk transfers and one more word", () => {
    const bytes = Uint8Array.from({ length: 8192 }, (_, i) => (i * 13 + 5) & 0xff);
    P.machine.mem.write(at, bytes);
    for (let len = 8; len <= 2 * BULK_BYTES + 8; len += 8)
      expect(k.readBytes(at + 64n, len), `length ${len}`).toEqual(bytes.subarray(64, 64 + len));
  });

  it("readBytes reads back what writeBytes wrote; zero clears a page with cbo.zero", () => {
    const bytes = Uint8Array.from({ length: 4096 }, (_, i) => (i * 7) & 0xff);
    k.writeBytes(at, bytes);
    expect(k.readBytes(at, 4096)).toEqual(bytes);
    k.zero(at, 4096n);
    expect(P.machine.mem.read(at, 4096).every((b) => b === 0)).toBe(true);
  });
});
