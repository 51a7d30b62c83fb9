import { describe, expect, it } from "vitest";
import { toHex } from "./bytes.ts";
import { sm3, sm3Context } from "./sm3.ts";

// GB/T 32905-2016 appendix A (published vectors)
describe("SM3 (PGL §5.1)", () => {
  it("matches the standard vector for 'abc'", () => {
    expect(toHex(sm3(new TextEncoder().encode("abc")))).toBe("66c7f0f462eeedd9d1f2d46bdc10e4e24167c4875cf2f7a2297da02b8f4ba8e0");
  });

  it("matches the standard vector for 'abcd' × 16, in one part or several", () => {
    const m = new TextEncoder().encode("abcd".repeat(16));
    const want = "debe9ff92275b8a138604889c18e5a4d6fdb70e5387e5765293dcba39c0c5732";
    expect(toHex(sm3(m))).toBe(want);
    expect(toHex(sm3(m.subarray(0, 5), m.subarray(5, 64)))).toBe(want);
    expect(toHex(new Uint8Array(sm3Context().update(m).digest()))).toBe(want);
  });
});
