/**
 * fly.toml read the way flyctl reads it, for the decisions built on it: the memory a [[vm]] wrote, the value of an
 * [env] name, the process groups, and what flyctl's skipLaunch reads per group (launchConfigOf).
 */
import { parse } from 'smol-toml';
import { expect, test } from 'vitest';
import { envValue, flyModel, launchConfigOf, writtenMemory } from '../../../src/flyio/fly-model.js';

const model = (text: string) => flyModel(parse(text));

test('the memory a [[vm]] wrote: memory_mb over memory, a number as its text, anything else none', () => {
  expect(writtenMemory({ memory: '32gb', memoryMb: 24_576 })).toBe('24576');
  expect(writtenMemory({ memory: '32gb' })).toBe('32gb');
  expect(writtenMemory({ memory: true })).toBeUndefined();
  const [vm] = model('[[vm]]\n  memory = "32gb"\n  memory_mb = 24576\n').vms;
  expect(vm?.memoryPath).toEqual(['vm', 0, 'memory_mb']);
});

test('[env]: the last value of a name wins; groups: [processes] sorted, else app; [[mount]] is a mount too', () => {
  const m = model('[[env]]\n  MODE = "a"\n[[env]]\n  MODE = "b"\n[processes]\n  web = "x"\n  api = "y"\n[[mount]]\n  source = "m"\n');
  expect(envValue(m, 'MODE')).toBe('b');
  expect(m.processGroups).toEqual(['api', 'web']);
  expect(m.mounts).toHaveLength(1);
  expect(model('app = "a"\n').processGroups).toEqual(['app']);
});

test('services: auto_stop_machines as flyctl reads it; an http_service check of type tcp is a TCP check', () => {
  const autoStops = ['true', 'false', '"off"', '"stop"', '"suspend"', '"sometimes"'].map(
    (v) => model(`[http_service]\n  internal_port = 8080\n  auto_stop_machines = ${v}\n`).services[0]?.autoStop,
  );
  expect(autoStops).toEqual(['stop', 'off', 'off', 'stop', 'suspend', null]);
  const m = model('[http_service]\n  auto_start_machines = false\n  [[http_service.checks]]\n    type = "tcp"\n');
  expect(m.services[0]).toMatchObject({ autoStart: false, checks: [{ kind: 'TCP' }] });
  // an array of tables skips what is not a table
  expect(model('vm = [1, { size = "a10" }]\n').vms.map((v) => v.size)).toEqual(['a10']);
  // nor is a date (smol-toml gives an object)
  expect(model('vm = 2026-12-05\n').vms).toEqual([]);
});

test("launchConfigOf: a service without processes is the default group's (app, else the first); autostop or autostart autoscales", () => {
  const two = '[processes]\n  zeta = "z"\n  worker = "w"\n';
  expect(launchConfigOf(model(`${two}[http_service]\n  auto_stop_machines = "stop"\n`), 'worker')).toEqual({
    services: true,
    autoscales: true,
  });
  expect(launchConfigOf(model(`${two}[http_service]\n  auto_stop_machines = "stop"\n`), 'zeta')).toEqual({
    services: false,
    autoscales: false,
  });
  const withApp = '[processes]\n  app = "a"\n  aaa = "b"\n[http_service]\n  internal_port = 8080\n';
  expect(launchConfigOf(model(withApp), 'app').services).toBe(true);
  expect(launchConfigOf(model(withApp), 'aaa').services).toBe(false);
  const named = `${two}[[services]]\n  processes = ["zeta"]\n  auto_stop_machines = "off"\n  auto_start_machines = true\n`;
  expect(launchConfigOf(model(named), 'zeta')).toEqual({ services: true, autoscales: true });
  expect(launchConfigOf(model(named), 'worker')).toEqual({ services: false, autoscales: false });
  expect(launchConfigOf(model('[http_service]\n  auto_stop_machines = "off"\n'), 'app')).toEqual({ services: true, autoscales: false });
});
