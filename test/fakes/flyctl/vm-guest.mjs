/**
 * flag.GetMachineGuest (internal/flag/machines.go): the guest the VM size flags describe, starting
 * from shared-cpu-1x. The hidden GPU flags fail before anything else happens with them.
 */
import { parseMemoryMb } from './appconfig.mjs';
import { DEFAULT_VM_SIZE, guestForSize } from './catalog.mjs';
import { FlyError } from './errors.mjs';

export const GPU_FLAGS_REJECTED = 'GPU machines are no longer supported: --vm-gpu-kind and --vm-gpus are no longer accepted';

export function guestFromFlags(ctx, base) {
  const { flags, specified } = ctx;
  const guest = base ? { ...base } : guestForSize(DEFAULT_VM_SIZE);
  if (specified.has('vm-size')) Object.assign(guest, { gpus: undefined, gpu_kind: undefined }, guestForSize(flags['vm-size']));
  if (specified.has('vm-cpus')) {
    guest.cpus = flags['vm-cpus'];
    if (guest.cpus <= 0) throw new FlyError(`--vm-cpus must be greater than zero, got: ${guest.cpus}`);
  }
  if (specified.has('vm-memory')) {
    const mb = parseMemoryMb(flags['vm-memory']);
    if (mb === 0) throw new FlyError('--vm-memory cannot be zero');
    guest.memory_mb = mb;
  }
  if (specified.has('vm-max-memory')) {
    const mb = parseMemoryMb(flags['vm-max-memory']);
    if (mb === 0) throw new FlyError('--vm-max-memory cannot be zero');
    guest.max_memory_mb = mb;
  }
  if (specified.has('vm-cpu-kind')) {
    guest.cpu_kind = flags['vm-cpu-kind'];
    if (guest.cpu_kind !== 'shared' && guest.cpu_kind !== 'performance') {
      throw new FlyError("--vm-cpu-kind must be set to 'shared' or 'performance'");
    }
  }
  if (specified.has('vm-gpu-kind') || specified.has('vm-gpus')) throw new FlyError(GPU_FLAGS_REJECTED);
  if (specified.has('host-dedication-id')) guest.host_dedication_id = flags['host-dedication-id'];
  return Object.fromEntries(Object.entries(guest).filter(([, v]) => v !== undefined));
}
