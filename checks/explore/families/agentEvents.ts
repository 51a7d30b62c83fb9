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
