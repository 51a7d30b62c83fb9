import { describe, expect, it } from "vitest";
import { fileURLToPath } from "node:url";
import { bootPlatform } from "../boot.ts";
import { PenglaiDriver } from "../penglaiDriver.ts";
import { decodeReport } from "../../monitor/attest/report.ts";
import * as PL from "./penglaiHost.ts";

const demo = (name: string) => fileURLToPath(new URL(`../../eapp/bin/${name}.elf`, import.meta.url));

describe("host SDK with Penglai's names (seed 000)", () => {
  it("runs the seed's hello-world host program: init, create, attest, run, destruct", () => {
    const p = bootPlatform({ harts: 1 });
    const driver = new PenglaiDriver(p.kernel);
    const elf: PL.ElfArgs = { size: 0, ptr: null };
    PL.elf_args_init(elf, demo("hello-world"));
    expect(PL.elf_valid(elf)).toBe(true);
    const params = {} as PL.EnclaveArgs;
    PL.enclave_args_init(params);
    expect(params).toMatchObject({ type: PL.NORMAL_ENCLAVE, stack_size: 64n * 1024n });
    const enclave = PL.PLenclave_init(driver);
    expect(PL.PLenclave_create(enclave, elf, params)).toBe(0);
    expect(PL.PLenclave_attest(enclave, 1234n)).toBe(0);
    expect(decodeReport(enclave.attest_param.report!).enclave.nonce).toBe(1234n);
    expect(PL.PLenclave_run(enclave)).toBe(0);
    expect(enclave.user_param.retval).toBeGreaterThan(0n);
    PL.PLenclave_destruct(enclave);
    PL.elf_args_destroy(elf);
    expect(elf.ptr).toBeNull();
  });

  it("rejects a missing or foreign ELF without touching the monitor", () => {
    const p = bootPlatform({ harts: 1 });
    const driver = new PenglaiDriver(p.kernel);
    const elf: PL.ElfArgs = { size: 0, ptr: null };
    PL.elf_args_init(elf, "/nonexistent.elf");
    expect(PL.elf_valid(elf)).toBe(false);
    elf.ptr = new Uint8Array([0x7f, 0x45, 0x4c, 0x46, 1, 1, 1]);
    expect(PL.elf_valid(elf)).toBe(false);
    const params = {} as PL.EnclaveArgs;
    PL.enclave_args_init(params);
    expect(PL.PLenclave_create(PL.PLenclave_init(driver), elf, params)).toBe(-1);
    expect(p.monitor.state.enclaves.every((e) => e === null)).toBe(true);
  });

  it("shm: shmget / set_shm map a host segment into the enclave (attest demo writes its report there)", () => {
    const p = bootPlatform({ harts: 1 });
    const driver = new PenglaiDriver(p.kernel);
    const shmid = PL.PLenclave_shmget(driver, 4096n);
    const addr = PL.PLenclave_shmat(driver, shmid)!;
    p.kernel.write64(addr, 99n); // the nonce the demo reads
    const enclave = PL.PLenclave_init(driver);
    expect(PL.PLenclave_set_shm(enclave, shmid, 0n, 4096n)).toBe(0);
    const elf: PL.ElfArgs = { size: 0, ptr: null };
    PL.elf_args_init(elf, demo("attest"));
    const params = {} as PL.EnclaveArgs;
    PL.enclave_args_init(params);
    expect(PL.PLenclave_create(enclave, elf, params)).toBe(0);
    expect(PL.PLenclave_run(enclave)).toBe(0);
    expect(enclave.user_param.retval).toBe(0n);
    expect(decodeReport(p.kernel.readBytes(addr + 8n, 328)).enclave.nonce).toBe(99n);
    expect(PL.PLenclave_shmdt(driver, shmid)).toBe(0);
    expect(PL.PLenclave_shmctl(driver, shmid)).toBe(0);
    expect(PL.PLenclave_shmctl(driver, shmid)).toBe(-1);
  });
});

describe("Schrödinger pages through the SDK (seed 003 host side)", () => {
  it("schrodinger_get/at, set_mem_arg, run → 1, edit, set_rerun_arg, run → 0", () => {
    const p = bootPlatform({ harts: 1 });
    const driver = new PenglaiDriver(p.kernel);
    const id = PL.PLenclave_schrodinger_get(driver, 4096n);
    const addr = PL.PLenclave_schrodinger_at(driver, id)!;
    p.kernel.write64(addr, 5n);
    const enclave = PL.PLenclave_init(driver);
    const elf: PL.ElfArgs = { size: 0, ptr: null };
    PL.elf_args_init(elf, demo("ipc"));
    const params = {} as PL.EnclaveArgs;
    PL.enclave_args_init(params);
    expect(PL.PLenclave_create(enclave, elf, params)).toBe(0);
    expect(PL.PLenclave_set_mem_arg(enclave, id, 0n, 4096n)).toBe(0);
    expect(PL.PLenclave_run(enclave)).toBe(1); // the enclave handed the page back
    expect(p.kernel.read64(addr)).toBe(0n); // it wrote the shm sum (no shm: 0) into word 0
    p.kernel.write64(addr, 7n);
    PL.PLenclave_set_rerun_arg(enclave, 1);
    expect(PL.PLenclave_run(enclave)).toBe(0);
    expect(enclave.user_param.retval).toBe(7n);
    expect(PL.PLenclave_schrodinger_dt(driver, id)).toBe(0);
    expect(PL.PLenclave_schrodinger_ctl(driver, id)).toBe(0);
  });

  it("a Schrödinger region an enclave holds is neither mapped, bound nor freed by the host (OW-6); once back it is", () => {
    const p = bootPlatform({ harts: 1 });
    const d = new PenglaiDriver(p.kernel);
    const PAGE = 4096n;
    const shmid = PL.PLenclave_shmget(d, 4n * PAGE);
    const id = PL.PLenclave_schrodinger_get(d, 4n * PAGE);
    const relay = PL.PLenclave_schrodinger_at(d, id)!;
    expect(PL.PLenclave_schrodinger_dt(d, id)).toBe(0);
    const enclave = PL.PLenclave_init(d);
    const elf: PL.ElfArgs = { size: 0, ptr: null };
    PL.elf_args_init(elf, demo("ipc"));
    const params = {} as PL.EnclaveArgs;
    PL.enclave_args_init(params);
    expect(PL.PLenclave_set_shm(enclave, shmid, 0n, 4n * PAGE)).toBe(0);
    expect(PL.PLenclave_create(enclave, elf, params)).toBe(0);
    expect(PL.PLenclave_set_mem_arg(enclave, id, 0n, 4n * PAGE)).toBe(0);
    d.timeSlice = 20n;
    let r = d.runOneSliceWithRelay(enclave.eid, { pa: relay, size: 4n * PAGE });
    let held = 0;
    while (r.code === 1n) {
      if (p.monitor.state.enclaves[enclave.eid]!.dyn.mmaps.some((m) => m.relay)) {
        // it freed them into the allocator (and mapped them) while they were private
        expect(PL.PLenclave_schrodinger_ctl(d, id)).toBe(-1);
        expect(PL.PLenclave_schrodinger_at(d, id)).toBeNull();
        expect(PL.PLenclave_set_mem_arg(enclave, id, 0n, 4n * PAGE)).toBe(-1);
        held++;
      }
      r = d.runOneSlice(enclave.eid, false);
    }
    expect(held).toBeGreaterThan(0);
    expect(r.code).toBe(4n); // handed back (RETURN_USER_MODE): the host's again
    expect(PL.PLenclave_schrodinger_at(d, id)).toBe(relay);
    expect(PL.PLenclave_schrodinger_ctl(d, id)).toBe(0);
  });
});
