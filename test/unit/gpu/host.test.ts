/** The host facts of `detect` without an NVIDIA GPU, read from a Linux tree (/proc, /sys, pci.ids) laid out in a temp dir. */
import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { linuxHost, parseCpuinfo, pciNames } from '../../../src/gpu/host.js';

/** Two sockets of two cores with two threads each, as x86 /proc/cpuinfo lists them (one block per logical CPU). */
const cpuinfo = [0, 1, 2, 3, 4, 5, 6, 7]
  .map(
    (n) =>
      `processor\t: ${n}\nvendor_id\t: AuthenticAMD\nmodel name\t: AMD EPYC 9454 48-Core Processor\nphysical id\t: ${n >> 2}\ncore id\t\t: ${(n >> 1) & 1}\n`,
  )
  .join('\n');
const PCI_IDS =
  '# pci.ids\n10de  NVIDIA Corporation\n\t2330  GH100 [H100 SXM5 80GB]\n1a03  ASPEED Technology, Inc.\n\t1150  AST1150 PCI-to-PCI Bridge\n\t2000  ASPEED Graphics Family\n1af4  Red Hat, Inc.\n';

function tree(): string {
  const root = mkdtempSync(join(tmpdir(), 'gpuctl-host-'));
  mkdirSync(join(root, 'proc'));
  writeFileSync(join(root, 'proc/cpuinfo'), cpuinfo);
  writeFileSync(join(root, 'proc/meminfo'), 'MemTotal:       32768000 kB\nMemFree:         1000 kB\n');
  const device = (address: string, cls: string, vendor: string, id: string) => {
    const dir = join(root, 'sys/bus/pci/devices', address);
    mkdirSync(dir, { recursive: true });
    writeFileSync(join(dir, 'class'), `${cls}\n`);
    writeFileSync(join(dir, 'vendor'), `${vendor}\n`);
    writeFileSync(join(dir, 'device'), `${id}\n`);
  };
  device('0000:00:03.0', '0x020000', '0x1af4', '0x1041'); // a network card: not a display controller
  device('0000:02:00.0', '0x030000', '0x1a03', '0x2000'); // the BMC's VGA
  device('0000:41:00.0', '0x030200', '0x10de', '0x2330'); // an H100 (3D controller) without its driver
  mkdirSync(join(root, 'usr/share/misc'), { recursive: true });
  writeFileSync(join(root, 'usr/share/misc/pci.ids'), PCI_IDS);
  return root;
}

describe('the Linux host probe', () => {
  it('counts logical CPUs and physical cores (distinct socket and core ids), and names the model', () => {
    expect(parseCpuinfo(cpuinfo)).toEqual({ cpu: 'AMD EPYC 9454 48-Core Processor', physicalCores: 4, logicalCores: 8 });
    // ARM lists no core ids: every CPU is a core.
    expect(parseCpuinfo('processor\t: 0\nBogoMIPS\t: 50.00\n\nprocessor\t: 1\nBogoMIPS\t: 50.00\n')).toMatchObject({
      physicalCores: 2,
      logicalCores: 2,
    });
  });

  it('lists the display controllers (VGA and 3D) with their pci.ids names, memory from meminfo', () => {
    expect(linuxHost(tree())).toEqual({
      cpu: 'AMD EPYC 9454 48-Core Processor',
      physicalCores: 4,
      logicalCores: 8,
      memoryBytes: 32768000 * 1024,
      otherGpus: [
        { vendor: 'ASPEED Technology, Inc.', model: 'ASPEED Graphics Family', vramMiB: null },
        { vendor: 'NVIDIA Corporation', model: 'GH100 [H100 SXM5 80GB]', vramMiB: null },
      ],
    });
  });

  it('names an id pci.ids does not know by its numbers', () => {
    expect(pciNames(PCI_IDS, '1af4', '1050')).toEqual({ vendor: 'Red Hat, Inc.', model: 'device 1050' });
    expect(pciNames(PCI_IDS, 'abcd', '0001')).toEqual({ vendor: 'PCI vendor abcd', model: 'device 0001' });
    expect(pciNames(undefined, '10de', '2330')).toEqual({ vendor: 'PCI vendor 10de', model: 'device 2330' });
  });
});
