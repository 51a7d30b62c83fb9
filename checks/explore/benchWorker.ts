/** A bench:explore worker: checked runs over its seed range for a fixed time; posts the steps it checked. */
import { parentPort, workerData } from "node:worker_threads";
import { checkedSteps } from "./benchLoop.ts";

const { seed, seconds } = workerData as { seed: number; seconds: number };
parentPort!.postMessage(checkedSteps(seed, seconds));
