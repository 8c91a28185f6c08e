import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import os from 'node:os';

// The kernel counts CPU time in clock ticks; the tick length is a property of the machine.
const TICKS_PER_SECOND = Number(execFileSync('getconf', ['CLK_TCK'], { encoding: 'utf8' }).trim()) || 100;

/**
 * CPU seconds (user + system, all threads) a process has used so far, as the operating
 * system accounts them. Read from outside, so the measurement costs the server nothing.
 */
export function processCpuSeconds(pid) {
  const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
  // The command name may contain spaces and parentheses: fields are counted after the last ')'.
  const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
  // utime and stime are fields 14 and 15 of the line, 12 and 13 after the name.
  const ticks = Number(fields[11]) + Number(fields[12]);
  return ticks / TICKS_PER_SECOND;
}

/** Pins every thread of a running process to the given CPU cores, e.g. '0'. */
export function pinProcess(pid, cores) {
  execFileSync('taskset', ['--all-tasks', '--cpu-list', '--pid', cores, String(pid)], { stdio: 'ignore' });
}

/**
 * Raises this process's scheduling priority (and so its future children's) when the system
 * allows it, so that other work on a shared machine preempts the measured programs less
 * often. Returns the nice value in effect.
 */
export function raisePriority(nice = -10) {
  try {
    os.setPriority(nice);
  } catch {
    // Not permitted (no CAP_SYS_NICE): run at the normal priority, and say so in the results.
  }
  return os.getPriority();
}
