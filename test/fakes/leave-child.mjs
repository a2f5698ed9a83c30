// A tool that leaves a child behind (`sleep 1000 &` in a wrapper script): when pidFile is set, starts a
// process that sleeps for 1000 s holding the tool's stdout and stderr, and appends its pid to pidFile.
// It ignores SIGTERM and SIGINT, as a child that traps them does: only SIGKILL ends it.
// The fakes' knob FAKE_NVIDIA_SMI_LEAVE_CHILD / FAKE_FLYCTL_LEAVE_CHILD; gpuctl must end it with the tool.
import { spawn } from 'node:child_process';
import { appendFileSync } from 'node:fs';

export function leaveChild(pidFile) {
  if (!pidFile) return;
  const child = spawn(
    process.execPath,
    ['-e', 'for (const s of ["SIGTERM", "SIGINT"]) process.on(s, () => {}); setTimeout(() => {}, 1_000_000)'],
    { stdio: ['ignore', 'inherit', 'inherit'] },
  );
  appendFileSync(pidFile, `${child.pid}\n`);
  child.unref();
}
