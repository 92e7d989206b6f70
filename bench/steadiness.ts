/**
 * How steadily this machine runs a fixed piece of CPU work, measured before
 * the servers start: the same loop, timed again and again with pauses in
 * between, against its fastest time. On a steady machine nearly every try
 * takes about the fastest time. On a virtual machine whose host takes its
 * cores away now and then, some tries take several times longer, and every
 * server measured on it, the reference included, answers late while they do:
 * its p99 then follows the machine (docs/performance.md, fifteenth pass).
 */
import { setTimeout as sleep } from 'node:timers/promises';

export interface Steadiness {
  /** The loop's fastest time, in ms. */
  bestMs: number;
  tries: number;
  /** Share of tries that took more than twice the fastest time. */
  slowShare: number;
  /** Share of the time spent in the loop beyond its fastest time: 0 on a steady machine. */
  lostShare: number;
  /** The slowest try, as a multiple of the fastest. */
  worst: number;
}

/** About half a millisecond of integer arithmetic; the result is kept so that the loop cannot be left out. */
const ROUNDS = 400_000;
let sink = 1;

function work(): void {
  let x = sink | 1;
  for (let i = 0; i < ROUNDS; i++) x = (Math.imul(x, 1_664_525) + 1_013_904_223) | 0;
  sink ^= x;
}

function timed(): number {
  const start = performance.now();
  work();
  return performance.now() - start;
}

/** Tries the loop every ~2 ms for `seconds`, after 100 tries that find its fastest time. */
export async function measureSteadiness(seconds: number): Promise<Steadiness> {
  let bestMs = Infinity;
  for (let i = 0; i < 100; i++) bestMs = Math.min(bestMs, timed());
  const end = performance.now() + seconds * 1000;
  let tries = 0;
  let slow = 0;
  let busy = 0;
  let worst = 0;
  while (performance.now() < end) {
    const ms = timed();
    tries++;
    busy += ms;
    if (ms > 2 * bestMs) slow++;
    worst = Math.max(worst, ms / bestMs);
    await sleep(2);
  }
  return { bestMs, tries, slowShare: slow / tries, lostShare: (busy - tries * bestMs) / busy, worst };
}

export function describeSteadiness(s: Steadiness): string {
  const pct = (share: number) => `${(share * 100).toFixed(1)} %`;
  return `a ${s.bestMs.toFixed(2)} ms loop took over twice its fastest time in ${pct(s.slowShare)} of ${s.tries} tries ` +
    `(slowest ${s.worst.toFixed(1)}×); ${pct(s.lostShare)} of its time went beyond its fastest (0 on a steady machine)`;
}
