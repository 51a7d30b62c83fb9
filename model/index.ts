// The shared vocabulary of spec/ and impl/: state, events, results, codes, trace format.
export * from "./abi.ts";
export * from "./codes.ts";
export * from "./config.ts";
export * from "./events.ts";
export * from "./itf.ts";
export * from "./result.ts";
export * from "./state.ts";
