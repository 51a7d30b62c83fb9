import { z } from "zod";

/** Length of an enclave or server name (PGL: NAME_LEN = 16, NUL included). */
export const NAME_LEN = 16;

/** zod schema of the fixed configuration a `System` is built from. */
export const configSchema = z.object({
  /** Number of harts. */
  harts: z.number().int().min(1).max(8),
  /** Number of physical pages of the managed range; page number = index in that range. */
  pages: z.number().int().min(1).max(65536), // the implementation's whole DRAM (α) fits: 256 MiB
  /** Number of enclave slots of the monitor (eid = slot index, PGL §3.1). */
  enclaves: z.number().int().min(1).max(64),
  /** Number of untrusted host processes (each binds the enclaves it creates, M08). */
  hosts: z.number().int().min(1).max(8),
  /** Number of host shared-memory segment ids (PGL §4.10). */
  shms: z.number().int().min(0).max(64),
  /** Number of secure shared-memory segment ids between enclaves (PGL §4.9). */
  secureShms: z.number().int().min(0).max(64),
  /** Number of Schrödinger/relay region ids (PGL §4.7). */
  relays: z.number().int().min(0).max(64),
  /** The first `monitorPages` pages hold the monitor (PMP 0/2, PGL §4.1). */
  monitorPages: z.number().int().min(0),
  /** The next `ptaPages` pages are the page-table area (PGL §4.2). */
  ptaPages: z.number().int().min(0),
  /** Names the generators draw from (servers, relay targets). */
  names: z.array(z.string().max(NAME_LEN - 1)),
});

/** The fixed configuration a `System` is built from. */
export type Config = z.infer<typeof configSchema>;

/** The default configuration: 4 enclaves, 32 pages, 2 harts (issue 4, bench). */
export const defaultConfig: Config = {
  harts: 2,
  pages: 32,
  enclaves: 4,
  hosts: 2,
  shms: 2,
  secureShms: 2,
  relays: 4,
  monitorPages: 2,
  ptaPages: 2,
  names: ["caller", "test-server", "test-server1", "worker"],
};
