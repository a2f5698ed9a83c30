/** `gpuctl status`: the --json contract (schemaVersion 1) and the text view. Pure. */
import { describeGuest } from '../flyio/app-name.js';
import { restingState, restReason } from '../flyio/machines.js';
import type { FlyAppStatus } from '../flyio/schemas.js';
import type { Style } from '../ui/style.js';
import { renderTable } from '../ui/table.js';

export interface StatusJson {
  schemaVersion: 1;
  app: string;
  hostname: string;
  url: string;
  release: number;
  status: string;
  deployed: boolean;
  machines: Array<{
    id: string;
    name: string;
    region: string;
    state: string;
    /**
     * Stopped on purpose, by the rule health and deploy use: a --ha standby, idle by its services' autostop, or
     * (`idle exit`) exited cleanly with a service that autostarts it.
     */
    atRest: 'standby' | 'autostop' | 'idle exit' | null;
    processGroup: string;
    guest: { cpuKind: string | null; cpus: number | null; memoryMb: number | null; gpuKind: string | null; gpus: number };
    image: string;
    release: number | null;
    checks: Array<{ name: string; status: string; output: string }>;
  }>;
}

export function statusJson(status: FlyAppStatus): StatusJson {
  return {
    schemaVersion: 1,
    app: status.name,
    hostname: status.hostname,
    url: `https://${status.hostname}`,
    release: status.releaseVersion,
    status: status.status,
    deployed: status.deployed,
    machines: status.machines.map((m) => ({
      id: m.id,
      name: m.name,
      region: m.region,
      state: m.state,
      atRest: restReason(m, true),
      processGroup: m.processGroup,
      guest: m.guest,
      image: m.image,
      release: m.releaseVersion,
      checks: m.checks.map(({ name, status: s, output }) => ({ name, status: s, output })),
    })),
  };
}

function checksCell(checks: StatusJson['machines'][number]['checks'], style: Style): string {
  if (checks.length === 0) return style.dim('none');
  const passing = checks.filter((c) => c.status === 'passing').length;
  const text = `${passing}/${checks.length} passing`;
  return passing === checks.length ? style.green(text) : style.red(text);
}

function stateCell({ state, atRest: rest }: StatusJson['machines'][number], style: Style): string {
  if (rest) return style.dim(restingState(state, rest));
  return state === 'started'
    ? style.green(state)
    : ['stopped', 'suspended', 'created'].includes(state)
      ? style.yellow(state)
      : style.red(state);
}

/** "registry.fly.io/app:deployment-01J…" → "app:deployment-01J…": the registry is always Fly's. */
const shortImage = (image: string) => image.replace(/^registry\.fly\.io\//, '');

export function renderStatus(view: StatusJson, style: Style): string {
  const head = `${style.bold(view.app)}  ${view.url}  release v${view.release}  ${view.status || (view.deployed ? 'deployed' : 'not deployed')}\n`;
  // Scaled to zero (or every machine destroyed) after a deploy: a new deploy is not the way back, a count is.
  if (view.machines.length === 0)
    return view.deployed && view.release > 0
      ? `${head}\nNo machines. \`gpuctl scale count 1\` creates one from release v${view.release}.\n`
      : `${head}\nNo machines. Deploy with \`gpuctl deploy\`.\n`;
  const rows = view.machines.map((m) => [
    m.id,
    m.region,
    stateCell(m, style),
    m.processGroup,
    describeGuest(m.guest),
    shortImage(m.image),
    m.release === null ? '-' : `v${m.release}`,
    checksCell(m.checks, style),
  ]);
  const table = renderTable(['Machine', 'Region', 'State', 'Group', 'Guest', 'Image', 'Release', 'Checks'], rows);
  const failing = view.machines.flatMap((m) =>
    m.checks.filter((c) => c.status !== 'passing').map((c) => `  ${m.id} ${c.name}: ${c.status}${c.output ? ` (${c.output})` : ''}`),
  );
  return `${head}\n${table}${failing.length ? `\nFailing checks:\n${failing.join('\n')}\n` : ''}`;
}
