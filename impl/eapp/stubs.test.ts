import { describe, expect, it } from "vitest";
import fc from "fast-check";
import { EcallRecorder, demoElf } from "./testing/ecallRecorder.ts";
import { ENCLAVE_EXTENSION, EnclaveFid } from "../../model/abi.ts";

/** Every raw stub of src/eret.S and the function id it must put in a7 (PGL §2.2). */
const STUBS: Record<string, number> = {
  EAPP_RETURN: EnclaveFid.EXIT_ENCLAVE,
  SERVER_RETURN: EnclaveFid.ENCLAVE_RETURN,
  EAPP_OCALL: EnclaveFid.ENCLAVE_OCALL,
  EAPP_MMAP: EnclaveFid.ENCLAVE_OCALL,
  EAPP_UNMAP: EnclaveFid.ENCLAVE_OCALL,
  EAPP_RETURN_RELAY_PAGE: EnclaveFid.ENCLAVE_OCALL,
  EAPP_PERSISTENCY_READ_SEC: EnclaveFid.ENCLAVE_OCALL,
  EAPP_PERSISTENCY_WRITE_SEC: EnclaveFid.ENCLAVE_OCALL,
  EAPP_ACQUIRE_ENCLAVE: EnclaveFid.ACQUIRE_SERVER,
  EAPP_CALL_ENCLAVE: EnclaveFid.CALL_ENCLAVE,
  EAPP_GET_REPORT: EnclaveFid.GET_REPORT,
  EAPP_ASYN_ENCLAVE_CALL: EnclaveFid.ASYN_ENCLAVE_CALL,
  EAPP_SPLIT_MEM_REGION: EnclaveFid.SPLIT_MEM_REGION,
  EAPP_GET_CALLER_ID: EnclaveFid.GET_CALLER_ID,
  EAPP_GET_ENCLAVE_ID: EnclaveFid.GET_ENCLAVE_ID,
  EAPP_YIELD: EnclaveFid.YIELD,
  EAPP_GET_KEY: EnclaveFid.GET_KEY,
};
const NORETURN = new Set(["EAPP_RETURN", "SERVER_RETURN"]);
const u64 = fc.bigInt({ min: 0n, max: (1n << 64n) - 1n });
const PAGE_FAULT_FETCH = 12n;

describe("raw ecall stubs (PGL §2.1: a6 = 0x100101, a7 = fid, a0–a3 in, a0 out)", async () => {
  const elf = await demoElf("agent"); // links the whole eret.S
  const symbols = new EcallRecorder(elf).symbols;

  it("the agent fixture contains every stub", () => {
    for (const name of Object.keys(STUBS)) expect(symbols.has(name), name).toBe(true);
  });

  for (const [name, fid] of Object.entries(STUBS)) {
    it(`${name}: a6 = 0x100101, a7 = ${fid}, a0–a3 passed through, a0 returned`, () => {
      fc.assert(
        fc.property(fc.tuple(u64, u64, u64, u64), u64, ([a0, a1, a2, a3], answer) => {
          const rec = new EcallRecorder(elf, {
            startPc: symbols.get(name),
            ra: 0n, // returning to 0 faults on fetch: that is how we see the stub return
            entryArgs: [a0, a1, a2, a3],
            answer: () => answer,
          });
          const outcome = rec.run(100);
          expect(rec.calls).toHaveLength(1);
          const c = rec.calls[0];
          expect([c.a6, c.a7, c.a0, c.a1, c.a2, c.a3]).toEqual([BigInt(ENCLAVE_EXTENSION), BigInt(fid), a0, a1, a2, a3]);
          if (NORETURN.has(name)) {
            expect(outcome.kind).toBe(name === "EAPP_RETURN" ? "exit" : "serverReturn");
          } else {
            expect(outcome).toMatchObject({ kind: "fault", cause: PAGE_FAULT_FETCH, pc: 0n });
            expect(rec.machine.harts[0].x(10)).toBe(answer);
          }
        }),
        { numRuns: 6 },
      );
    });
  }

  it("a refused EAPP_RETURN does not fall through: the stub ends in an illegal instruction", () => {
    const rec = new EcallRecorder(elf, { startPc: symbols.get("EAPP_RETURN"), ra: 0n });
    // the recorder treats fid 99 as the end; resume past it by hand to see what follows the ecall
    rec.run(100);
    const h = rec.machine.harts[0];
    h.setPc(rec.calls[0].pc + 4n);
    rec.outcome = { kind: "running" };
    expect(rec.run(10)).toMatchObject({ kind: "fault", cause: 2n });
  });
});
