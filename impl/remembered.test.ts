import { describe, expect, it } from "vitest";
import { Remembered } from "./remembered.ts";

describe("Remembered", () => {
  it("makes each key's result once, and again only after the store filled up and was emptied", () => {
    const made: string[] = [];
    const r = new Remembered<string>(2);
    const get = (k: string) => r.get(k, () => (made.push(k), `v${k}`));
    expect([get("a"), get("a"), get("b"), get("a")]).toEqual(["va", "va", "vb", "va"]);
    expect(made).toEqual(["a", "b"]);
    get("c"); // the store held 2: emptied, then c
    get("a");
    expect(made).toEqual(["a", "b", "c", "a"]);
  });
});
