/**
 * The processes below PID that are not in its process group (a child that started a session of its own:
 * a container's process under runc, below `podman build`), read from /proc's parent links. Linux only:
 * elsewhere, or when /proc cannot be read, none. exec.ts ends them with the group.
 */
import { readdirSync, readFileSync } from 'node:fs';

export function descendantsOutsideGroup(pid: number): number[] {
  const children = new Map<number, Array<{ pid: number; pgrp: number }>>();
  let entries: string[] = [];
  try {
    entries = readdirSync('/proc').filter((e) => /^\d+$/.test(e));
  } catch {
    return [];
  }
  for (const entry of entries) {
    try {
      const stat = readFileSync(`/proc/${entry}/stat`, 'utf8');
      const [, ppid, pgrp] = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
      const list = children.get(Number(ppid)) ?? [];
      list.push({ pid: Number(entry), pgrp: Number(pgrp) });
      children.set(Number(ppid), list);
    } catch {
      // gone between the listing and the read
    }
  }
  const found: number[] = [];
  const walk = (parent: number) => {
    for (const child of children.get(parent) ?? []) {
      if (child.pgrp !== pid) found.push(child.pid);
      walk(child.pid);
    }
  };
  walk(pid);
  return found;
}
