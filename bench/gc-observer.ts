/**
 * Preloaded into the app by `PROFILE_GC=1 npm run bench:profile` (`node --import`):
 * counts V8's scavenges and mark-compacts, with the main thread's time in each, and
 * keeps the running totals in the file GC_OBSERVER_FILE names.
 */
import { writeFileSync } from 'node:fs';
import { constants, PerformanceObserver, type NodeGCPerformanceDetail, type PerformanceEntry } from 'node:perf_hooks';

export interface GcTotals {
  scavenges: number;
  scavengeMs: number;
  markCompacts: number;
  markCompactMs: number;
}

const file = process.env.GC_OBSERVER_FILE;
if (file) {
  const totals: GcTotals = { scavenges: 0, scavengeMs: 0, markCompacts: 0, markCompactMs: 0 };
  new PerformanceObserver((list) => {
    for (const entry of list.getEntries()) {
      const { kind } = (entry as PerformanceEntry & { detail: NodeGCPerformanceDetail }).detail;
      if (kind === constants.NODE_PERFORMANCE_GC_MINOR) {
        totals.scavenges++;
        totals.scavengeMs += entry.duration;
      } else if (kind === constants.NODE_PERFORMANCE_GC_MAJOR) {
        totals.markCompacts++;
        totals.markCompactMs += entry.duration;
      }
    }
    writeFileSync(file, JSON.stringify(totals));
  }).observe({ entryTypes: ['gc'] });
  writeFileSync(file, JSON.stringify(totals));
}
