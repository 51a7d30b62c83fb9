import { describe, expect, it } from "vitest";
import { EcallRecorder, demoElf, VA } from "./testing/ecallRecorder.ts";
import { ENCLAVE_EXTENSION, EnclaveFid, OcallId } from "../../model/abi.ts";

const EXT = BigInt(ENCLAVE_EXTENSION);

describe("hello-world under the ecall recorder (PGL §2.1–§2.3)", () => {
  it("prints through the kbuffer with OCALL_SYS_WRITE, then exits (fid 99) with the printed length", async () => {
    const counter = 7n; // a2 at entry: the run counter, printed by the demo (args[12])
    const rec = new EcallRecorder(await demoElf("hello-world"), { entryArgs: [0n, 0n, counter, 0n, 0n] });
    const outcome = rec.run(1_000_000);
    const expected = `hello world! ${counter}\n`;
    expect(rec.calls.map((c) => [c.a6, c.a7, c.a0])).toEqual([
      [EXT, BigInt(EnclaveFid.ENCLAVE_OCALL), BigInt(OcallId.SYS_WRITE)],
      [EXT, BigInt(EnclaveFid.EXIT_ENCLAVE), BigInt(expected.length)],
    ]);
    expect(rec.calls[0].text).toBe(expected);
    expect(rec.cString(VA.KBUFFER, 512)).toBe(expected);
    expect(outcome).toEqual({ kind: "exit", value: BigInt(expected.length) });
  });
});
