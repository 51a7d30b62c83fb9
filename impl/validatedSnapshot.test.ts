import { describe, expect, it } from "vitest";
import { initialSystem, type Page } from "../model/state.ts";
import { defaultConfig } from "../model/config.ts";
import { validatedPage, validatedSystem } from "./validatedSnapshot.ts";

describe("validated snapshots", () => {
  it("hands out one frozen, schema-checked object per page value", () => {
    const a = validatedPage("enclave", 3, true, false);
    expect(validatedPage("enclave", 3, true, false)).toBe(a);
    expect(validatedPage("enclave", 3, true, true)).not.toBe(a);
    expect(Object.isFrozen(a)).toBe(true);
    expect(a).toEqual({ owner: "enclave", id: 3, secure: true, zeroed: false });
    expect(() => validatedPage("nobody" as Page["owner"], 0, false, false)).toThrow();
    expect(() => validatedPage("host", 0.5, false, false)).toThrow();
  });

  it("validates every table and accepts only pages validatedPage made", () => {
    const s = initialSystem(defaultConfig);
    const pages = s.pages.map((pg) => validatedPage(pg.owner, pg.id, pg.secure, pg.zeroed));
    expect(validatedSystem({ ...s, pages })).toEqual(s);
    expect(() => validatedSystem(s)).toThrow(/validatedPage/);
    expect(() => validatedSystem({ ...s, pages, harts: [0.5] })).toThrow();
    expect(() => validatedSystem({ ...s, pages, enclaves: [{ ...s.enclaves[0]!, state: "gone" as never }] })).toThrow();
  });

  it("hands back the last validated row, and table, while equal in value; a changed field is validated anew", () => {
    const s = initialSystem(defaultConfig);
    const pages = s.pages.map((pg) => validatedPage(pg.owner, pg.id, pg.secure, pg.zeroed));
    const first = validatedSystem({ ...s, pages });
    const again = validatedSystem({ ...structuredClone(s), pages });
    expect(again.enclaves).toBe(first.enclaves);
    expect(again.relays).toBe(first.relays);
    const changed = structuredClone(s);
    changed.enclaves[1] = { ...changed.enclaves[1]!, relays: [2] };
    const third = validatedSystem({ ...changed, pages });
    expect(third.enclaves).not.toBe(first.enclaves);
    expect(third.enclaves[0]).toBe(first.enclaves[0]);
    expect(third.enclaves[1]!.relays).toEqual([2]);
    expect(() => validatedSystem({ ...changed, pages, enclaves: [{ ...changed.enclaves[0]!, shm: "x" as never }] })).toThrow();
  });
});
