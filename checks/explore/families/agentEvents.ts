/** Events the family tests build their traces from. */
import type { EventOf } from "../../../model/events.ts";

/** host.create of the agent as the explorer makes it: normal, over `pages`, with host shm segment `shm` and page `kbuffer`. */
export function createAgent(
  who: { hart: number; host: number },
  pages: number[],
  kbuffer: number,
  shm = 0,
): EventOf<"host.create"> {
  return {
    type: "host.create",
    ...who,
    kind: "normal",
    name: "",
    image: "agent/normal+kbuffer+shm",
    pages,
    textPages: 0,
    shm,
    kbuffer,
  };
}

/** host.create of the agent as a server named `name` over `pages`, with host shm segment `shm` (no kbuffer of its own). */
export function createServer(
  who: { hart: number; host: number },
  pages: number[],
  name = "worker",
  shm = 0,
): EventOf<"host.create"> {
  return { type: "host.create", ...who, kind: "server", name, image: "agent/server+shm", pages, textPages: 0, shm, kbuffer: -1 };
}
