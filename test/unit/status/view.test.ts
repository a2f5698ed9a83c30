/**
 * `gpuctl status`: its --json view of flyctl's status, and the text view (an app without machines: what brings machines
 * back depends on whether it was deployed; with machines: each one's state, release and checks, and the failing ones).
 */
import { readFileSync } from 'node:fs';
import { expect, it } from 'vitest';
import { decodeJson } from '../../../src/flyio/decode.js';
import { statusSchema, type FlyMachine } from '../../../src/flyio/schemas.js';
import { renderStatus, statusJson, type StatusJson } from '../../../src/status/view.js';
import { createStyle, type Style } from '../../../src/ui/style.js';

const view = (over: Partial<StatusJson>): StatusJson => ({
  schemaVersion: 1,
  app: 'quant-signals',
  hostname: 'quant-signals.fly.dev',
  url: 'https://quant-signals.fly.dev',
  release: 0,
  status: '',
  deployed: false,
  machines: [],
  ...over,
});

it('scaled to zero after a deploy: scale count brings a machine back (it said to deploy again)', () => {
  expect(renderStatus(view({ release: 2, status: 'deployed', deployed: true }), createStyle(false))).toBe(
    'quant-signals  https://quant-signals.fly.dev  release v2  deployed\n\nNo machines. `gpuctl scale count 1` creates one from release v2.\n',
  );
});

it('never deployed: deploy it', () => {
  expect(renderStatus(view({}), createStyle(false))).toBe(
    'quant-signals  https://quant-signals.fly.dev  release v0  not deployed\n\nNo machines. Deploy with `gpuctl deploy`.\n',
  );
});

it('deployed with no release, or a release but not deployed: deploy it', () => {
  const deployIt = 'No machines. Deploy with `gpuctl deploy`.';
  expect(renderStatus(view({ deployed: true }), createStyle(false))).toContain(`deployed\n\n${deployIt}`);
  expect(renderStatus(view({ release: 3 }), createStyle(false))).toContain(`not deployed\n\n${deployIt}`);
});

const decoded = decodeJson(readFileSync(new URL('../../fixtures/flyctl/status.json', import.meta.url), 'utf8'), statusSchema);
if (!decoded.ok) throw new Error(decoded.reason);
const status = decoded.value;
const [first, second] = status.machines as [FlyMachine, FlyMachine];
/** Marks what each colour wraps, so a test reads which cells are green, yellow, red or dim. */
const tags = ['bold', 'dim', 'green', 'yellow', 'red'].map((name) => [name, (text: string) => `<${name}>${text}</${name}>`]);
const tagged = Object.fromEntries(tags) as unknown as Style;
const rowOf = (text: string, id: string) => text.split('\n').find((line) => line.startsWith(id)) ?? '';

it('--json: the app URL, each machine with its own release and why it rests (autostop counts)', () => {
  const idle: FlyMachine = { ...second, state: 'stopped', releaseVersion: 6 };
  const json = statusJson({ ...status, machines: [first, idle] });
  expect(json).toMatchObject({ schemaVersion: 1, app: 'quant-signals', url: 'https://quant-signals.fly.dev', release: 7 });
  expect(json.machines.map((m) => [m.id, m.state, m.atRest, m.release])).toEqual([
    [first.id, 'started', null, 7],
    [second.id, 'stopped', 'autostop', 6],
  ]);
});

it("the text view: each machine's state, short image, release and checks; the failing checks under the table", () => {
  const machines: FlyMachine[] = [
    first,
    { ...second, id: 'idle', state: 'stopped' },
    { ...second, id: 'made', state: 'created', checks: [] },
    {
      ...second,
      id: 'sick',
      releaseVersion: null,
      checks: [
        { name: 'http', status: 'critical', output: 'connection refused', updatedAt: null },
        { name: 'tcp', status: 'warning', output: '', updatedAt: null },
        { name: 'ready', status: 'passing', output: 'ok', updatedAt: null },
      ],
    },
    { ...second, id: 'dead', state: 'failed', checks: [] },
  ];
  const text = renderStatus(statusJson({ ...status, machines }), tagged);
  expect(text.split('\n')[0]).toBe('<bold>quant-signals</bold>  https://quant-signals.fly.dev  release v7  deployed');
  expect(rowOf(text, first.id)).toMatch(/<green>started<\/green> .* quant-signals:deployment-01JREL7 +v7 +<green>1\/1 passing<\/green>$/);
  expect(rowOf(text, 'idle')).toContain('<dim>stopped (autostop)</dim>');
  expect(rowOf(text, 'made')).toMatch(/<yellow>created<\/yellow>.*<dim>none<\/dim>$/);
  expect(rowOf(text, 'sick')).toMatch(/ - +<red>1\/3 passing<\/red>$/);
  expect(rowOf(text, 'dead')).toContain('<red>failed</red>');
  expect(text).toContain('\nFailing checks:\n  sick http: critical (connection refused)\n  sick tcp: warning\n');
});

it("the head line gives Fly's own status where it has one", () => {
  const head = renderStatus(statusJson({ ...status, status: 'suspended' }), createStyle(false)).split('\n')[0];
  expect(head).toBe('quant-signals  https://quant-signals.fly.dev  release v7  suspended');
});

it('no failing checks, no list of them', () => {
  expect(renderStatus(statusJson(status), createStyle(false))).not.toContain('Failing checks');
});
