/** Start-up (issue 19 item 11): a command line that names a command loads that definition alone; the table must stay the registry. */
import { describe, expect, it } from 'vitest';
import { registry } from '../../../src/commands/index.js';
import { COMMAND_LOADERS, COMMAND_NAMES, commandNamed, commandsFor } from '../../../src/commands/names.js';

describe('the command loaders', () => {
  it('name every command of the registry, in help order, and load the very same definition', async () => {
    expect(COMMAND_NAMES).toEqual(registry.map((c) => c.name));
    for (const spec of registry) expect(await COMMAND_LOADERS[spec.name]!()).toBe(spec);
  });

  it('find the command after the global flags, and nothing for help, unknown names or a bare gpuctl', () => {
    expect(commandNamed(['validate', '-c', 'x/fly.toml'])).toBe('validate');
    expect(commandNamed(['--json', '--no-color', 'scale', 'count', '2'])).toBe('scale');
    expect(commandNamed(['--help'])).toBeUndefined();
    expect(commandNamed(['help', 'validate'])).toBeUndefined();
    expect(commandNamed(['valdate'])).toBeUndefined();
    expect(commandNamed(['constructor'])).toBeUndefined();
    expect(commandNamed([])).toBeUndefined();
  });

  it('give the program one definition for a named command and all of them otherwise (so help and "did you mean" see every name)', async () => {
    expect((await commandsFor(['deploy', '--dry-run'])).map((c) => c.name)).toEqual(['deploy']);
    expect(await commandsFor(['valdate'])).toBe(registry);
    expect(await commandsFor(['--help'])).toBe(registry);
  });
});
