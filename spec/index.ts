// The specification's public surface, for checks/ (refinement, model checking) and tools.
export { step, type StepOutput } from "./step.ts";
export { stateInvariants, violatedInvariants } from "./invariants/stateInvariants.ts";
export { stepInvariants, violatedStepInvariants, type Transition } from "./invariants/stepInvariants.ts";
export { machines, lifecycleTable, serverTable, shadowTable, pageTable, tableForKind } from "./tables/tables.ts";
export { enclaveLifecycle } from "./machines/enclaveLifecycle.machine.ts";
export { serverEnclave } from "./machines/serverEnclave.machine.ts";
export { shadowEnclave } from "./machines/shadowEnclave.machine.ts";
export { pageOwnership } from "./machines/pageOwnership.machine.ts";
export { randomEvent } from "./gen/randomEvent.ts";
export { rng } from "./gen/rng.ts";
