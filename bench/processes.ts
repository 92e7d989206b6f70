import { ChildProcess, spawn } from 'node:child_process';
import { closeSync, mkdtempSync, openSync, readFileSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';

export interface Server {
  name: string;
  pid: number;
  baseUrl: string;
  /** The last lines the process wrote, for a failure report. */
  output(): string;
  /** How many lines the process has written so far that match `pattern` (registered with `countLines`). */
  counted(pattern: RegExp): number;
  stop(): Promise<void>;
}

export async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address() as { port: number };
      server.close(() => resolve(port));
    });
  });
}

/**
 * Starts a Node.js server script as a child process and waits until `readyPath`
 * answers 200. The child writes to a file, not to the bench's terminal, so a
 * failure can still be explained with its last lines; and not to a pipe the
 * bench reads, because the bench is also the load generator: reading the
 * app's access log (a line per request) in autocannon's event loop cost it CPU
 * and delayed the responses it times (docs/performance.md, seventh pass). Only
 * `countLines` (the JIT report) reads the output as it comes, through a pipe.
 */
export async function startServer(
  name: string,
  script: string,
  env: Record<string, string>,
  readyPath: string,
  nodeFlags: string[] = [],
  /** A command that runs node (e.g. `valgrind --tool=callgrind`), and how long startup may then take. */
  wrap: { command: string[]; readyWithinMs: number } = { command: [], readyWithinMs: 60_000 },
  /** Patterns whose matching output lines are counted (see `Server.counted`). */
  countLines: RegExp[] = [],
): Promise<Server> {
  const port = await freePort();
  const [command, ...args] = [...wrap.command, process.execPath, ...nodeFlags, script];
  const piped = countLines.length > 0;
  const logDir = piped ? undefined : mkdtempSync(join(tmpdir(), `bench-${name}-`));
  const logFile = logDir && join(logDir, 'output.log');
  const logFd = logFile === undefined ? undefined : openSync(logFile, 'a');
  const child: ChildProcess = spawn(command, args, {
    env: { ...process.env, ...env, PORT: String(port), HOST: '127.0.0.1' },
    stdio: logFd === undefined ? ['ignore', 'pipe', 'pipe'] : ['ignore', logFd, logFd],
  });
  if (logFd !== undefined) closeSync(logFd);
  const lines: string[] = [];
  const counts = new Map(countLines.map((pattern) => [pattern, 0]));
  let partial = '';
  const keep = (chunk: Buffer) => {
    const text = partial + chunk.toString();
    const complete = text.split('\n');
    partial = complete.pop()!;
    for (const [pattern, n] of counts) counts.set(pattern, n + complete.filter((line) => pattern.test(line)).length);
    lines.push(...complete.filter(Boolean));
    if (lines.length > 50) lines.splice(0, lines.length - 50);
  };
  child.stdout?.on('data', keep);
  child.stderr?.on('data', keep);
  const output = () => {
    if (logFile === undefined) return [...lines, partial].filter(Boolean).join('\n');
    try {
      return readFileSync(logFile, 'utf8').split('\n').filter(Boolean).slice(-50).join('\n');
    } catch {
      return '';
    }
  };
  let exited: number | null | undefined;
  const exit = new Promise<void>((resolve) =>
    child.once('exit', (code) => {
      exited = code;
      resolve();
    }),
  );
  const baseUrl = `http://127.0.0.1:${port}`;
  const deadline = Date.now() + wrap.readyWithinMs;
  for (;;) {
    if (exited !== undefined) throw new Error(`${name} exited with ${exited} before it was ready:\n${output()}`);
    if (Date.now() > deadline) {
      child.kill('SIGKILL');
      throw new Error(`${name} was not ready within ${wrap.readyWithinMs / 1000} s:\n${output()}`);
    }
    try {
      const res = await fetch(baseUrl + readyPath);
      if (res.status === 200) break;
    } catch {
      // not listening yet
    }
    await sleep(100);
  }
  return {
    name,
    pid: child.pid!,
    baseUrl,
    output,
    counted: (pattern) => counts.get(pattern) ?? 0,
    async stop() {
      if (exited !== undefined) return;
      child.kill('SIGTERM');
      const timer = setTimeout(() => child.kill('SIGKILL'), 10_000);
      await exit;
      clearTimeout(timer);
      if (logDir) rmSync(logDir, { recursive: true, force: true });
    },
  };
}

/** Resident memory of a process in MB, from /proc (Linux): the current figure and the peak since start. */
export function memoryOf(pid: number): { rssMb: number; hwmMb: number } | undefined {
  try {
    const status = readFileSync(`/proc/${pid}/status`, 'utf8');
    const kb = (field: string) => Number(new RegExp(`^${field}:\\s+(\\d+) kB`, 'm').exec(status)?.[1] ?? NaN);
    return { rssMb: kb('VmRSS') / 1024, hwmMb: kb('VmHWM') / 1024 };
  } catch {
    return undefined;
  }
}

/** CPU time (user + system) a process has used so far, in ms, from /proc/<pid>/stat. */
export function cpuMsOf(pid: number): number {
  try {
    const fields = readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1].split(' ');
    // utime and stime are fields 14 and 15 of the line, in clock ticks (100 per second on Linux).
    return (Number(fields[11]) + Number(fields[12])) * 10;
  } catch {
    return NaN;
  }
}

/** Samples a process's RSS every `everyMs` until stopped; returns the highest figure seen. */
export function sampleRss(pid: number, everyMs = 100): { stop(): number } {
  let peak = 0;
  const take = () => {
    const mem = memoryOf(pid);
    if (mem && mem.rssMb > peak) peak = mem.rssMb;
  };
  take();
  const timer = setInterval(take, everyMs);
  return {
    stop() {
      clearInterval(timer);
      take();
      return peak;
    },
  };
}
