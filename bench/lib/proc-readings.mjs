// workerd's pid, resident memory and CPU, and the machine's, read from /proc (Linux only).
import { readdirSync, readFileSync } from "node:fs";
import { setTimeout as sleep } from "node:timers/promises";

/** Every process below ours whose command is workerd (Miniflare spawns one). */
export function workerdPids() {
  const children = new Map();
  for (const entry of readdirSync("/proc")) {
    if (!/^\d+$/.test(entry)) continue;
    try {
      const stat = readFileSync(`/proc/${entry}/stat`, "utf8");
      const close = stat.lastIndexOf(")");
      const comm = stat.slice(stat.indexOf("(") + 1, close);
      const ppid = Number(stat.slice(close + 2).split(" ")[1]);
      if (!children.has(ppid)) children.set(ppid, []);
      children.get(ppid).push({ pid: Number(entry), comm });
    } catch {} // the process ended while we looked
  }
  const found = [];
  const walk = (pid) => {
    for (const child of children.get(pid) ?? []) {
      if (child.comm === "workerd") found.push(child.pid);
      walk(child.pid);
    }
  };
  walk(process.pid);
  return found;
}

function rssKb(pid) {
  const m = /^VmRSS:\s+(\d+)\s+kB/m.exec(readFileSync(`/proc/${pid}/status`, "utf8"));
  return m ? Number(m[1]) : NaN;
}

/** Median of a few samples after a short settle, in MB. */
export async function sampleRssMb(pid, samples = 5) {
  await sleep(1000);
  const values = [];
  for (let i = 0; i < samples; i++) {
    values.push(rssKb(pid) / 1024);
    await sleep(200);
  }
  values.sort((a, b) => a - b);
  return values[Math.floor(values.length / 2)];
}

/** Machine-wide and per-process CPU ticks (USER_HZ, 100 a second on Linux) from /proc. */
export function cpuSnapshot(pids) {
  const f = readFileSync("/proc/stat", "utf8").split("\n")[0].trim().split(/\s+/).slice(1).map(Number);
  const [user, nice, system, _idle, _iowait, irq, softirq, steal = 0] = f;
  const proc = {};
  for (const [name, pid] of Object.entries(pids)) {
    try {
      const stat = readFileSync(`/proc/${pid}/stat`, "utf8");
      const fields = stat.slice(stat.lastIndexOf(")") + 2).split(" ");
      proc[name] = Number(fields[11]) + Number(fields[12]);
    } catch {
      proc[name] = 0;
    }
  }
  return { at: performance.now(), busy: user + nice + system + irq + softirq, steal, proc };
}

/** Cores used between two snapshots: workerd, this process (the load generator), everything else, steal. */
export function cpuUse(a, b) {
  const s = (b.at - a.at) / 1000;
  const cores = (ticks) => ticks / 100 / s;
  const mine = Object.keys(b.proc).reduce((n, k) => n + (b.proc[k] - a.proc[k]), 0);
  return {
    workerd: cores(b.proc.workerd - a.proc.workerd),
    loadGenerator: cores(b.proc.loadGenerator - a.proc.loadGenerator),
    otherProcesses: Math.max(0, cores(b.busy - a.busy - mine)),
    steal: cores(b.steal - a.steal),
  };
}
