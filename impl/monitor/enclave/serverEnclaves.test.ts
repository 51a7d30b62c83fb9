import { describe, expect, it } from "vitest";
import { readFileSync } from "node:fs";
import { bootPlatform } from "../../host/boot.ts";
import { PenglaiDriver } from "../../host/penglaiDriver.ts";
import { EnclaveType } from "../../abi/enclaveAbi.ts";
import { ReturnCode } from "../../../model/codes.ts";
import { walkTable } from "./enclavePageTable.ts";
import { abstractState } from "../../abstraction.ts";

// The seed's server tutorial (seed 001): caller → test-server1 → test-server, real enclaves on the
// real monitor; the 4-page request region moves down the chain and back (PGL §3.3, OW-6).
const elf = (name: string) => new Uint8Array(readFileSync(new URL(`../../eapp/bin/${name}.elf`, import.meta.url)));

/** OW-6 / MI-2 on the real tables: every private page an enclave maps is one it holds, and no page is mapped by two. */
function expectExclusiveMappings(p: ReturnType<typeof bootPlatform>): void {
  const st = p.monitor.state;
  const mappedBy = new Map<bigint, number>();
  for (const e of st.enclaves) {
    if (e === null) continue;
    for (const leaf of walkTable(p.machine.mem, e.root).leaves) {
      if (st.bitmap!.isPublicRange(leaf.pa, 4096n)) continue; // kbuffer / host shm windows
      expect(st.ledger.holderOf(leaf.pa), `enclave ${e.eid} maps 0x${leaf.pa.toString(16)}`).toBe(e.eid);
      expect(mappedBy.get(leaf.pa), `0x${leaf.pa.toString(16)} mapped twice`).toBeUndefined();
      mappedBy.set(leaf.pa, e.eid);
    }
  }
}

function setup() {
  const p = bootPlatform({ harts: 1 });
  const d = new PenglaiDriver(p.kernel);
  const server = d.create(elf("server"), { name: "test-server", type: EnclaveType.SERVER });
  const server1 = d.create(elf("server1"), { name: "test-server1", type: EnclaveType.SERVER });
  const caller = d.create(elf("caller"));
  return { p, d, server, server1, caller };
}

describe("server enclaves (seed 001, PGL §3.3)", () => {
  it("runs the tutorial chain: the request travels caller → server1 → server and back, resp_val 3", () => {
    const { p, d, server, server1, caller } = setup();
    expect([server, server1, caller].every((e) => e >= 0)).toBe(true);
    const e = d.enclaves.get(caller)!;
    const r = d.run(caller);
    expect(r.code).toBe(0n);
    expect(r.retval).toBe(3n);
    expect(e.output).toContain("server: return 0x2");
    expect(e.output).toContain("server1: response from test-server: sum 0x2000, resp_val 0x2");
    expect(e.output).toContain("caller: server1 returned 0x3");
    // the servers are idle again, nobody is linked, and the caller's pages all went back to the host
    const st = p.monitor.state;
    expect([st.enclaves[server]!.state, st.enclaves[server1]!.state]).toEqual(["runnable", "runnable"]);
    expect([st.enclaves[server]!.caller, st.enclaves[server1]!.caller, st.enclaves[server1]!.callee]).toEqual([-1, -1, -1]);
    expect(st.ledger.heldBy(caller)).toEqual([]);
    expectExclusiveMappings(p);
    const s = abstractState(p);
    expect(s.enclaves[server]).toMatchObject({ kind: "server", state: "idle" }); // serverEnclave machine: between calls
    expect(s.pages.some((x) => x.owner === "enclave" && x.id === caller)).toBe(false);
  });

  it("IPC-2: the host cannot destroy a caller while its callee works for it; the chain still finishes", () => {
    const { p, d, caller } = setup();
    d.timeSlice = 40n;
    let r = d.runOneSlice(caller, true);
    let refused = 0;
    while (r.code === BigInt(ReturnCode.TIMER_IRQ)) {
      expectExclusiveMappings(p);
      if (p.monitor.state.enclaves[caller]!.callee >= 0) {
        // α shows the call chain as the model does (IPC-1)
        const s = abstractState(p);
        const callee = s.enclaves[caller].callee;
        expect(s.enclaves[caller].state).toBe("blocked");
        expect(s.enclaves[callee].caller).toBe(caller);
        expect(d.destroy(caller)).toBe(ReturnCode.CALLER_BLOCKED);
        expect(d.stop(caller)).toBe(ReturnCode.CALLER_BLOCKED); // spec: blocked STOP ✗ CALLER_BLOCKED
        refused++;
      }
      r = d.runOneSlice(caller, false); // the top caller's resume reaches the innermost callee
    }
    expect(refused).toBeGreaterThan(0);
    expect(r.code).toBe(0n);
    expect(r.retval).toBe(3n);
  });

  it("a server cannot be run by the host, and its name is unique", () => {
    const { p, d, server } = setup();
    expect(d.create(elf("server"), { name: "test-server", type: EnclaveType.SERVER })).toBe(ReturnCode.SERVER_NAME_TAKEN);
    expect(d.run(server).code).toBe(BigInt(ReturnCode.SERVER_NOT_RUNNABLE));
    expect(p.monitor.state.enclaves[server]!.state).toBe("runnable");
  });
});

describe("the seed's test-caller host (seed 001) with a relay page along the chain", () => {
  it("caller with 4-page shm and 4-page relay, attested with nonce 1234; the relay page goes caller → server1 → server and back to the host", () => {
    const p = bootPlatform({ harts: 1 });
    const d = new PenglaiDriver(p.kernel);
    const k = p.kernel;
    d.create(elf("server"), { name: "test-server", type: EnclaveType.SERVER });
    d.create(elf("server1"), { name: "test-server1", type: EnclaveType.SERVER });
    const shm = k.allocPages(4n * 4096n);
    const relay = k.allocPages(4n * 4096n);
    k.zero(shm, 4n * 4096n);
    k.zero(relay, 4n * 4096n);
    const caller = d.create(elf("caller"), { shm: { pa: shm, size: 4n * 4096n } });
    expect(typeof d.attest(caller, 1234n)).not.toBe("number");
    const e = d.enclaves.get(caller)!;
    const r = d.run(caller, 0, { pa: relay, size: 4n * 4096n });
    expect(r.code).toBe(0n);
    expect(r.retval).toBe(3n);
    expect(e.output).toContain("caller: server1 returned 0x3");
    // the host has its relay page back: the caller wrote 1s, server1 added 1 to each int
    expect(p.monitor.state.bitmap!.isPublicRange(relay, 4n * 4096n)).toBe(true);
    const words = k.readBytes(relay, 4 * 4096);
    const ints = new Int32Array(words.buffer);
    expect(ints.every((v) => v === 2)).toBe(true);
  });
});
