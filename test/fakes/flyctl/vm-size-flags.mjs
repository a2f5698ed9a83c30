/** flag.VMSizeFlags (internal/flag/machines.go); the GPU ones are hidden and fail when used. */
export const VM_SIZE_FLAGS = [
  { name: 'vm-size', kind: 'string' },
  { name: 'vm-cpus', kind: 'int', aliases: ['cpus'] },
  { name: 'vm-cpu-kind', kind: 'string', aliases: ['vm-cpukind'] },
  { name: 'vm-memory', kind: 'string', aliases: ['memory'] },
  { name: 'vm-max-memory', kind: 'string' },
  { name: 'vm-gpus', kind: 'int' },
  { name: 'vm-gpu-kind', kind: 'string', aliases: ['vm-gpukind'] },
  { name: 'host-dedication-id', kind: 'string' },
];
