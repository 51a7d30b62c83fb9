/**
 * A bench:explore worker: warms up, says it is ready, and on "go" runs checked runs over its seed
 * range for a fixed time; posts the steps it checked and the seconds it took (start-up and warm-up
 * are not throughput: every worker starts measuring at the same moment).
 */
import { parentPort, workerData } from "node:worker_threads";
import { checkedSteps } from "./benchLoop.ts";

const { seed, seconds, warmup } = workerData as { seed: number; seconds: number; warmup: number };
checkedSteps(2_000_000 + seed, warmup); // warm-up: table derivation, JIT
parentPort!.postMessage({ ready: true });
parentPort!.once("message", () => parentPort!.postMessage(checkedSteps(seed, seconds)));
