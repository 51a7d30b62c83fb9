import type { Config } from "../../model/config.ts";

/**
 * A bounded configuration for the model checker: the spec's `Config` (enclave slots, pages,
 * harts, hosts, names, …) plus the small argument domains the event enumerator draws from and
 * the depth bound of the search.
 */
export interface McConfig {
  /** The spec configuration the initial state is built from (`initialSystem(spec)`). */
  spec: Config;
  /** States at this depth are not expanded (the search is complete only if the queue empties first). */
  maxDepth: number;
  /** Measurements (`image` of host.create) the enumerator offers. */
  images: string[];
  /** Secure shm keys the enumerator offers. */
  keys: number[];
  /** Longest page list a call names (create, unmap, shmget, schrodingerGet, ocallReturn, server calls). */
  maxList: number;
  /** Largest page count an mmap/sbrk/shmGet asks for. */
  maxCount: number;
}

/** The checker's default: 2 enclave slots, 6 pages (1 monitor, 1 page-table area, 4 host), 2 harts, 1 host. */
export const defaultMcConfig: McConfig = {
  spec: {
    harts: 2,
    pages: 6,
    enclaves: 2,
    hosts: 1,
    shms: 1,
    secureShms: 1,
    relays: 1,
    monitorPages: 1,
    ptaPages: 1,
    names: ["alpha", "beta"],
  },
  maxDepth: 6,
  images: ["hello"],
  keys: [1],
  maxList: 1,
  maxCount: 1,
};

/** `defaultMcConfig` with the given overrides (spec fields may be given flat). */
export function mcConfig(over: Partial<Omit<McConfig, "spec">> & { spec?: Partial<Config> } = {}): McConfig {
  return {
    ...defaultMcConfig,
    ...over,
    spec: { ...defaultMcConfig.spec, ...(over.spec ?? {}) },
  };
}
