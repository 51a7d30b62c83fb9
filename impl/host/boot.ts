/**
 * Bring up the whole platform: an RV64 machine, the secure monitor as its M-mode firmware, and the
 * host kernel in S-mode (image placed by the boot loader, monitor boot, kernel boot with the
 * driver's SM_INIT / PT_AREA_SEPARATION).
 */
import { Machine, type MachineOptions } from "../riscv/machine.ts";
import { SecureMonitor, type MonitorOptions } from "../monitor/monitor.ts";
import { HostKernel } from "./hostKernel.ts";

export interface Platform {
  machine: Machine;
  monitor: SecureMonitor;
  kernel: HostKernel;
}

export function bootPlatform(opts: MachineOptions = {}, monitorOptions: MonitorOptions = {}): Platform {
  const machine = new Machine({ harts: 2, ramSize: 32 << 20, ...opts });
  const monitor = new SecureMonitor(machine, monitorOptions);
  const kernel = new HostKernel(machine);
  const img = kernel.image();
  machine.mem.write(img.pa, img.bytes); // the boot loader's job
  monitor.boot(kernel.entry);
  kernel.boot();
  return { machine, monitor, kernel };
}
