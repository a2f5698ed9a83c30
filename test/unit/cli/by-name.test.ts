import { describe, expect, test } from 'vitest';
import { COMMANDS_BY_NAME, definitionsFor } from '../../../src/commands/by-name.js';
import { registry } from '../../../src/commands/index.js';

describe('commands by name (start-up: one definition per run)', () => {
  test('names every command of the registry, in its order, each loading that definition', async () => {
    expect(Object.keys(COMMANDS_BY_NAME)).toEqual(registry.map((c) => c.name));
    for (const spec of registry) expect(await COMMANDS_BY_NAME[spec.name]!()).toBe(spec);
  });

  test('a command named first gets its definition alone; help, flags first and unknown names get the registry', async () => {
    expect(await definitionsFor(['validate', '-c', 'x/fly.toml'])).toEqual([registry.find((c) => c.name === 'validate')]);
    expect(await definitionsFor(['scale', 'count', '2'])).toEqual([registry.find((c) => c.name === 'scale')]);
    for (const argv of [[], ['--help'], ['help', 'validate'], ['--json', 'validate'], ['valdate'], ['toString'], ['__proto__']]) {
      expect(await definitionsFor(argv)).toBe(registry);
    }
  });
});
