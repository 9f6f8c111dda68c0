/**
 * Whether a process id is a live process on this machine (signal 0 probes without signalling;
 * EPERM means it lives under another user). Used by the lock files and the running-stack notes
 * to tell a stale file left by a dead process from a live one.
 */
export function processAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === "EPERM";
  }
}
