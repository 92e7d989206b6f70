import type { ExplainCheck } from './explain.js';
import type { RunResult } from './load.js';

export interface ScenarioReport {
  id: string;
  title: string;
  app: RunResult;
  reference?: RunResult;
  /** app requests/s ÷ reference requests/s. */
  ratio?: number;
  targets: { ratioAtLeast?: number; p99AtMost?: number };
  notes: string[];
}

export interface TargetLine {
  what: string;
  target: string;
  measured: string;
  holds: boolean;
}

const fmt = (n: number | undefined, digits = 0) => (n === undefined || Number.isNaN(n) ? '-' : n.toFixed(digits));

function pad(rows: string[][]): string {
  const widths = rows[0].map((_, c) => Math.max(...rows.map((r) => r[c].length)));
  return rows.map((r) => r.map((cell, c) => (c === 0 ? cell.padEnd(widths[c]) : cell.padStart(widths[c]))).join('  ')).join('\n');
}

export function scenarioTable(scenarios: ScenarioReport[]): string {
  const rows = [['scenario', 'server', 'req/s', 'p50 ms', 'p99 ms', 'max ms', 'requests', '2xx', 'exp. 409', 'unexpected', 'CPU ms/req', 'load gen. CPU', 'peak RSS MB', 'ours/ref']];
  for (const s of scenarios) {
    const line = (server: string, r: RunResult, ratio?: number) => [
      server === 'app' ? `${s.id} ${s.title}` : '',
      server,
      fmt(r.requestsPerSecond),
      fmt(r.p50),
      fmt(r.p99),
      fmt(r.max),
      fmt(r.total),
      fmt(r.ok2xx),
      fmt(r.expectedErrors),
      fmt(r.unexpectedErrors),
      fmt(r.cpuMsPerRequest, 2),
      fmt(r.loadCpuMsPerRequest, 2),
      server === 'reference' ? '' : fmt(r.peakRssMb),
      ratio === undefined ? '' : `${(ratio * 100).toFixed(0)} %`,
    ];
    rows.push(line('app', s.app, s.ratio));
    if (s.reference) rows.push(line('reference', s.reference));
  }
  return pad(rows);
}

export function explainTable(checks: ExplainCheck[]): string {
  const rows = [['statement', 'index?', 'scans (the generic plan, when it differs)']];
  const describe = (scans: ExplainCheck['scans']) => scans.map((s) => `${s.table}: ${s.node}${s.index ? ` (${s.index})` : ''}`).join('; ');
  for (const c of checks) {
    const [custom, generic] = [describe(c.scans), describe(c.genericScans)];
    rows.push([c.label, c.usesIndex ? 'ok' : 'FAIL', c.unchecked ?? (generic === custom ? custom : `${custom} (generic: ${generic})`)]);
  }
  return rows.map((r) => `${r[0].padEnd(Math.max(...rows.map((x) => x[0].length)))}  ${r[1].padEnd(6)}  ${r[2]}`).join('\n');
}

export function targetTable(lines: TargetLine[]): string {
  const rows = [['target', 'wanted', 'measured', '']];
  for (const l of lines) rows.push([l.what, l.target, l.measured, l.holds ? 'ok' : 'MISSED']);
  return rows.map((r) => r.map((cell, i) => cell.padEnd(Math.max(...rows.map((x) => x[i].length)))).join('  ')).join('\n');
}
