import { readdirSync, readFileSync } from 'node:fs';

/** Processes still alive in a process group, from /proc (each line of stat: pid (comm) state ppid pgrp ...). */
export function processesInGroup(pgid: number): number[] {
  const alive: number[] = [];
  for (const entry of readdirSync('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    try {
      const stat = readFileSync(`/proc/${entry}/stat`, 'utf8');
      const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
      if (Number(fields[2]) === pgid && fields[0] !== 'Z') alive.push(Number(entry));
    } catch {
      // The process ended while we looked.
    }
  }
  return alive;
}
