/**
 * The device a run measured, recorded with everything a figure depends on: what CUDA reports
 * (device line: SMs, current clocks, driver/runtime CUDA), what nvidia-smi reports (driver, max
 * clocks, ECC, MIG, power limit) and the catalogue profile the percentages are taken against.
 */
import { availableParallelism, cpus } from 'node:os';
import type { DetectedGpu } from '../detect/detect.js';
import type { PeakTflops } from '../gpu/types.js';
import { cudaText } from './outcome.js';
import type { DeviceLine } from './protocol.js';

export interface BenchDevice {
  index: number;
  name: string;
  computeCapability: string | null;
  sms: number | null;
  memoryBytes: number | null;
  l2Bytes: number | null;
  busWidthBits: number | null;
  uuid: string | null;
  pciBusId: string | null;
  driverVersion: string | null;
  /** Newest CUDA the driver supports (from the program's cudaDriverGetVersion, else the driver branch). */
  cudaVersion: string | null;
  /** CUDA version the benchmark program was built with. */
  runtimeCudaVersion: string | null;
  /** The CPUs the run was bound to (the GPU's local CPUs) and the GPU's NUMA node; null when not known. */
  cpuAffinity: string | null;
  numaNode: number | null;
  clocks: { smMHz: number | null; memMHz: number | null; maxSmMHz: number | null; maxMemMHz: number | null };
  eccMode: string | null;
  migMode: string | null;
  persistenceMode: string | null;
  powerLimitW: number | null;
  profile: {
    id: string;
    displayName: string;
    peakMemoryBandwidthGBs: number | null;
    peakTflops: PeakTflops;
    derived: boolean;
    source: string;
  } | null;
}

export interface HostInfo {
  platform: string;
  arch: string;
  cpu: string;
  logicalCores: number;
}

export function hostInfo(host: { platform: string; arch: string }): HostInfo {
  return { platform: host.platform, arch: host.arch, cpu: cpus()[0]?.model.trim() ?? 'unknown', logicalCores: availableParallelism() };
}

/** Picks the nvidia-smi record for the device CUDA ran on (CUDA and nvidia-smi may order GPUs differently). */
export function matchGpu(gpus: readonly DetectedGpu[], device: DeviceLine | null): DetectedGpu | null {
  if (!device) return gpus[0] ?? null;
  return gpus.find((g) => g.name === device.name && g.index === device.index) ?? gpus.find((g) => g.name === device.name) ?? gpus[0] ?? null;
}

export function deviceRecord(
  line: DeviceLine | null,
  gpu: DetectedGpu | null,
  driver: { driverVersion: string | null; cudaVersion: string | null },
): BenchDevice | null {
  if (!line && !gpu) return null;
  const profile = gpu?.profile ?? gpu?.derivedProfile ?? null;
  return {
    index: line?.index ?? gpu?.index ?? 0,
    name: line?.name ?? gpu?.name ?? 'unknown',
    computeCapability: line?.computeCapability ?? gpu?.computeCapability ?? null,
    sms: line?.sms ?? profile?.sms ?? null,
    memoryBytes: line?.memoryBytes ?? (gpu?.memoryMiB ? gpu.memoryMiB * 2 ** 20 : null),
    l2Bytes: line?.l2Bytes ?? null,
    busWidthBits: line?.busWidthBits ?? null,
    uuid: gpu?.uuid ?? null,
    pciBusId: gpu?.pciBusId ?? null,
    driverVersion: gpu?.driverVersion ?? driver.driverVersion,
    cudaVersion: cudaText(line?.driverCuda ?? null) ?? driver.cudaVersion,
    runtimeCudaVersion: cudaText(line?.runtimeCuda ?? null),
    cpuAffinity: line?.cpuAffinity ?? null,
    numaNode: line?.numaNode ?? null,
    clocks: { smMHz: line?.smClockMHz ?? null, memMHz: line?.memClockMHz ?? null, maxSmMHz: gpu?.maxSmClockMHz ?? null, maxMemMHz: gpu?.maxMemClockMHz ?? null },
    eccMode: gpu?.eccMode ?? null,
    migMode: gpu?.migMode ?? null,
    persistenceMode: gpu?.persistenceMode ?? null,
    powerLimitW: gpu?.powerLimitW ?? null,
    profile: profile
      ? { id: profile.id, displayName: profile.displayName, peakMemoryBandwidthGBs: profile.peakMemoryBandwidthGBs, peakTflops: profile.peakTflops, derived: profile.derived, source: profile.source }
      : null,
  };
}
