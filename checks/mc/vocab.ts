import {
  enclaveKindSchema, lifecycleStateSchema, ownerSchema, pendingOcallSchema, relayHolderSchema,
} from "../../model/state.ts";
import { stringCoder } from "../../spec/tables/stringCoder.ts";

// Small integer codes for the enum fields of `System` (model/state.ts), in schema order.

/** Enclave kinds in schema order. */
export const KINDS = enclaveKindSchema.options as readonly string[];
/** Lifecycle states in schema order. */
export const STATES = lifecycleStateSchema.options as readonly string[];
/** Pending ocalls in schema order. */
export const PENDINGS = pendingOcallSchema.options as readonly string[];
/** Page owner classes in schema order. */
export const OWNERS = ownerSchema.options as readonly string[];
/** Relay holders in schema order. */
export const HOLDERS = relayHolderSchema.options as readonly string[];

/** Code of each enum value (its index in schema order; −1 for any other string). */
export const kindCode = stringCoder(KINDS);
export const stateCode = stringCoder(STATES);
export const pendingCode = stringCoder(PENDINGS);
export const ownerCode = stringCoder(OWNERS);
export const holderCode = stringCoder(HOLDERS);

/** Owner classes whose page `id` is an enclave id (the others name a relay, shm or secure shm id, or nothing). */
export const OWNER_ID_IS_EID: readonly boolean[] = OWNERS.map((o) => o === "enclave" || o === "shadowRO" || o === "kbuffer");

/** The field names of each record of `System` this checker encodes; `assertShape` fails loudly if model/ changed. */
export const SHAPE = {
  system: ["config", "harts", "enclaves", "pages", "shms", "secureShms", "relays", "servers"],
  enclave: [
    "kind", "state", "name", "creator", "measurement", "parent", "caller", "callee", "relays", "shm", "memArg",
    "callPages", "callRelay", "pending", "pendingPages", "pendingKey", "retval",
  ],
  page: ["owner", "id", "secure", "zeroed"],
  shm: ["live", "creator", "pages", "hostAttached", "enclaves"],
  secureShm: ["live", "key", "owner", "pages", "allowed", "attached", "destroyPending"],
  relay: ["live", "creator", "pages", "holder", "eid", "name", "hostMapped"],
  server: ["name", "eid"],
} as const;
