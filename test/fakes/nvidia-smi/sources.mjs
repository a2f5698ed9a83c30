// Loads a recorded nvidia-smi capture into records: one object per GPU mapping query field names
// (as --help-query-gpu spells them) to the value WITHOUT its unit, plus the capture's own files
// for the other invocations (table, -L, -q, -q -x). Fields a capture does not hold are absent and
// print as "[N/A]".
import { existsSync, readFileSync } from 'node:fs';
import { basename, dirname, join } from 'node:path';
import { XMLParser } from 'fast-xml-parser';
import { parseQText, pick } from './qtext.mjs';

// The 22 fields of h200-x1/query.csv, in order (its README gives the exact command).
const H200_QUERY =
  'index,uuid,name,pci.bus_id,driver_version,memory.total,memory.used,memory.free,utilization.gpu,utilization.memory,temperature.gpu,power.draw,power.limit,clocks.sm,clocks.max.sm,clocks.mem,clocks.max.mem,compute_cap,pstate,ecc.errors.uncorrected.volatile.total,persistence_mode,mig.mode.current'.split(
    ',',
  );

const stripUnit = (v) => v.replace(/\s+(MiB|W|MHz|%|C|KB\/s|us)$/, '').trim();

function fromCsv(text, fields) {
  const lines = text.split('\n').filter((l) => l.trim());
  let header = fields;
  if (!header)
    header = lines
      .shift()
      .split(', ')
      .map((h) => h.replace(/\s*\[.*\]$/, '').trim());
  return lines.map((line) => {
    const cells = line.split(', ');
    return Object.fromEntries(header.map((h, i) => [h, stripUnit(cells[i] ?? '[N/A]')]));
  });
}

function capabilities(deviceQuery) {
  if (!deviceQuery) return [];
  return [...deviceQuery.matchAll(/CUDA Capability Major\/Minor version number:\s+(\d+\.\d+)/g)].map((m) => m[1]);
}

// The PCIe link as -q reports it ("Link Width ... 16x"); older drivers have no "Device Current" and
// their "Current" is what --query-gpu calls pcie.link.gen.current (gpucurrent on newer ones).
function link({ genMax, gen, genDevice, widthMax, width }) {
  const x = (v) => v?.replace(/x$/, '');
  return {
    'pcie.link.gen.max': genMax,
    'pcie.link.gen.current': gen,
    'pcie.link.gen.gpucurrent': genDevice ?? gen,
    'pcie.link.width.max': x(widthMax),
    'pcie.link.width.current': x(width),
  };
}

function fromQText(text, deviceQuery) {
  const { globals, gpus } = parseQText(text);
  const ccs = capabilities(deviceQuery);
  return gpus.map((g, index) => ({
    index: String(index),
    name: pick(g, 'Product Name'),
    uuid: pick(g, 'GPU UUID'),
    'pci.bus_id': pick(g, 'PCI/Bus Id') ?? g.__id,
    driver_version: globals['Driver Version'],
    'memory.total': pick(g, 'FB Memory Usage/Total'),
    'memory.used': pick(g, 'FB Memory Usage/Used'),
    'memory.free': pick(g, 'FB Memory Usage/Free'),
    compute_cap: ccs[index],
    'power.limit': pick(g, 'GPU Power Readings/Requested Power Limit') ?? pick(g, 'Power Readings/Power Limit'),
    'power.draw':
      pick(g, 'GPU Power Readings/Power Draw') ??
      pick(g, 'GPU Power Readings/Instantaneous Power Draw') ??
      pick(g, 'Power Readings/Power Draw'),
    'clocks.max.sm': pick(g, 'Max Clocks/SM'),
    'clocks.max.mem': pick(g, 'Max Clocks/Memory'),
    'clocks.sm': pick(g, 'Clocks/SM'),
    'clocks.mem': pick(g, 'Clocks/Memory'),
    'mig.mode.current': pick(g, 'MIG Mode/Current'),
    'ecc.mode.current': pick(g, 'ECC Mode/Current'),
    persistence_mode: pick(g, 'Persistence Mode'),
    pstate: pick(g, 'Performance State'),
    'temperature.gpu': pick(g, 'Temperature/GPU Current Temp'),
    'utilization.gpu': pick(g, 'Utilization/Gpu'),
    'utilization.memory': pick(g, 'Utilization/Memory'),
    ...link({
      genMax: pick(g, 'PCI/GPU Link Info/PCIe Generation/Max'),
      gen: pick(g, 'PCI/GPU Link Info/PCIe Generation/Current'),
      genDevice: pick(g, 'PCI/GPU Link Info/PCIe Generation/Device Current'),
      widthMax: pick(g, 'PCI/GPU Link Info/Link Width/Max'),
      width: pick(g, 'PCI/GPU Link Info/Link Width/Current'),
    }),
  }));
}

function fromXml(text) {
  const log = new XMLParser({ ignoreAttributes: false, parseTagValue: false }).parse(text).nvidia_smi_log;
  const gpus = Array.isArray(log.gpu) ? log.gpu : [log.gpu];
  const s = (v) => (v === undefined || v === null || typeof v === 'object' ? undefined : stripUnit(String(v).trim()));
  return gpus.map((g, index) => {
    const power = g.gpu_power_readings ?? g.power_readings ?? {};
    return {
      index: String(index),
      name: s(g.product_name),
      uuid: s(g.uuid),
      'pci.bus_id': s(g.pci?.pci_bus_id) ?? g['@_id'],
      driver_version: s(log.driver_version),
      'memory.total': s(g.fb_memory_usage?.total),
      'memory.used': s(g.fb_memory_usage?.used),
      'memory.free': s(g.fb_memory_usage?.free),
      'power.limit': s(power.requested_power_limit ?? power.power_limit),
      'power.draw': s(power.power_draw ?? power.instant_power_draw),
      'clocks.max.sm': s(g.max_clocks?.sm_clock),
      'clocks.max.mem': s(g.max_clocks?.mem_clock),
      'mig.mode.current': s(g.mig_mode?.current_mig),
      'ecc.mode.current': s(g.ecc_mode?.current_ecc),
      persistence_mode: s(g.persistence_mode),
      pstate: s(g.performance_state),
      ...link({
        genMax: s(g.pci?.pci_gpu_link_info?.pcie_gen?.max_link_gen),
        gen: s(g.pci?.pci_gpu_link_info?.pcie_gen?.current_link_gen),
        genDevice: s(g.pci?.pci_gpu_link_info?.pcie_gen?.device_current_link_gen),
        widthMax: s(g.pci?.pci_gpu_link_info?.link_widths?.max_link_width),
        width: s(g.pci?.pci_gpu_link_info?.link_widths?.current_link_width),
      }),
    };
  });
}

/** Reads the capture at `path`; returns { records, files } where files maps an invocation to its recorded text. */
export function loadCapture(path) {
  const text = readFileSync(path, 'utf8');
  const name = basename(path);
  const dir = dirname(path);
  const sibling = (suffix) => {
    const p = path.replace(/\.[^.]*\.txt$|\.q-x\.xml$|\.(query-gpu\.)?csv$/, suffix);
    return p !== path && existsSync(p) ? readFileSync(p, 'utf8') : undefined;
  };
  const inDir = (file) => (existsSync(join(dir, file)) ? readFileSync(join(dir, file), 'utf8') : undefined);
  let records;
  if (name.endsWith('.query-gpu.csv')) records = fromCsv(text);
  else if (name === 'query.csv') records = fromCsv(text, H200_QUERY);
  else if (name.endsWith('.q-x.xml')) records = fromXml(text);
  else if (name.endsWith('nvidia-smi-q.txt') || name.endsWith('.q.txt')) records = fromQText(text, sibling('.deviceQuery.txt'));
  else throw new Error(`fake nvidia-smi: no loader for ${name}`);
  const state = name.split('.')[0];
  const files = {
    table: name.startsWith('gls__') ? sibling('.nvidia-smi-table.txt') : (inDir(`${state}.table.txt`) ?? inDir('nvidia-smi.txt')),
    list: inDir('capabilities.L.txt') ?? inDir('nvidia-smi-L.txt'),
    q:
      name.includes('-q') || name.endsWith('.q.txt')
        ? name.endsWith('.xml')
          ? undefined
          : text
        : (inDir(`${state}.q.txt`) ?? inDir('nvidia-smi-q.txt')),
    xml: name.endsWith('.xml') ? text : inDir('nvidia-smi-q.xml'),
    topo: inDir('topo-m.txt'),
    nvlink: inDir('nvlink-status.txt'),
  };
  return { records, files };
}
