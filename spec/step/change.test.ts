import { describe, expect, it } from "vitest";
import { defaultConfig } from "../../model/config.ts";
import { enclaveSchema, initialSystem, pageSchema, relaySchema, secureShmSchema, shmSchema } from "../../model/state.ts";
import { Change, enclaveRecord, pageRecord, relayRecord, secureShmRecord, shmRecord } from "./change.ts";

describe("Change's record builders", () => {
  const s = initialSystem(defaultConfig);
  it("list exactly the schema's fields, in schema order", () => {
    expect(Object.keys(enclaveRecord(s.enclaves[0]!))).toEqual(Object.keys(enclaveSchema.shape));
    expect(Object.keys(pageRecord(s.pages[0]!))).toEqual(Object.keys(pageSchema.shape));
    expect(Object.keys(shmRecord(s.shms[0]!))).toEqual(Object.keys(shmSchema.shape));
    expect(Object.keys(secureShmRecord(s.secureShms[0]!))).toEqual(Object.keys(secureShmSchema.shape));
    expect(Object.keys(relayRecord(s.relays[0]!))).toEqual(Object.keys(relaySchema.shape));
  });
  it("patch a copy and leave the base state alone", () => {
    const c = new Change(s);
    c.setEnclave(1, { kind: "normal", state: "fresh" });
    c.setPage(2, { zeroed: true });
    const t = c.done();
    expect(t.enclaves[1]).toEqual({ ...s.enclaves[1]!, kind: "normal", state: "fresh" });
    expect(t.pages[2]).toEqual({ ...s.pages[2]!, zeroed: true });
    expect(s.enclaves[1]!.kind).toBe("none");
    expect(s.pages[2]!.zeroed).toBe(false);
    expect(t.enclaves[0]).toBe(s.enclaves[0]);
  });
});
