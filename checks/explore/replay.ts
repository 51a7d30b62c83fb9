/** What a recorded trace asks the checker to replay: its platform and the events of its states after the first. */
import type { Event } from "../../model/events.ts";
import type { ItfTrace } from "../../model/itf.ts";
import { defaultPlatformConfig, MONITOR_PAGES, PTA_PAGES, type PlatformConfig } from "./platform.ts";

export function traceEvents(trace: ItfTrace): Event[] {
  return trace.states.slice(1).map((s, i) => {
    if (s.event.type === "init") throw new Error(`state ${i + 1} of the trace has the init event`);
    return s.event;
  });
}

/** The platform a trace was recorded on, from its first state's configuration; throws if it is not the explorer's. */
export function platformOf(trace: ItfTrace): PlatformConfig {
  const c = trace.states[0]!.system.config;
  if (c.monitorPages !== MONITOR_PAGES || c.ptaPages !== PTA_PAGES)
    throw new Error(`not a trace of the explorer: it has ${c.monitorPages} monitor and ${c.ptaPages} page-table-area pages`);
  return {
    ...defaultPlatformConfig,
    harts: c.harts,
    enclaves: c.enclaves,
    shms: c.shms,
    relays: c.relays,
    secureShms: c.secureShms,
    windowPages: c.pages - MONITOR_PAGES - PTA_PAGES,
  };
}
