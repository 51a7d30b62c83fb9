import { describe, expect, it } from "vitest";
import { ReturnCode } from "../../../model/codes.ts";
import { Implementation } from "../implementation.ts";
import { defaultPlatformConfig } from "../platform.ts";

describe("PageTableFamily (the host's SET_PTE and the PT-6 shadow)", () => {
  /** A booted checker platform, its first page-table page, and SET_PTE of one leaf into it. */
  const setup = () => {
    const impl = new Implementation(defaultPlatformConfig);
    const s = impl.state(["worker"]);
    const dest = s.pages.findIndex((p) => p.owner === "pta");
    const host = s.pages.findIndex((p) => p.owner === "host");
    const one = (target: number, valid: boolean) =>
      impl.pageTables.setPte({
        type: "adversary.setPte",
        hart: 0,
        host: 0,
        dest,
        mode: "one",
        entries: [{ target, valid, leaf: true }],
      });
    return { impl, dest, host, one };
  };

  it("accepts what the host wrote, valid or PROT_NONE, and refuses a leaf to a monitor page", () => {
    const { impl, host, one } = setup();
    expect(one(host, false)).toBe(BigInt(ReturnCode.SUCCESS));
    expect(impl.pageTables.violations()).toEqual([]);
    expect(one(host, true)).toBe(BigInt(ReturnCode.SUCCESS));
    expect(impl.pageTables.violations()).toEqual([]);
    expect(one(0, true)).toBe(BigInt(ReturnCode.PTE_TARGET_PRIVATE)); // model page 0: the monitor's
    expect(impl.pageTables.violations()).toEqual([]);
  });

  it("reports an entry the host did not write (PT-6): a PROT_NONE leaf that became valid", () => {
    const { impl, dest, host, one } = setup();
    one(host, false);
    const slot = impl.platform.pa(dest)!;
    const mem = impl.platform.p.machine.mem;
    mem.write64(slot, mem.read64(slot) | 1n); // what M15's release does
    expect(impl.pageTables.violations().join()).toMatch(/^PT-6: host page-table entry/);
  });
});
