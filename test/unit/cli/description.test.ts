/** `gpuctl --help` and package.json describe every command (issue 19 item 10: they named half of them). */
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { registry } from '../../../src/commands/index.js';
import { programDescription } from '../../../src/program.js';

const pkg = JSON.parse(readFileSync(new URL('../../../package.json', import.meta.url), 'utf8')) as { description: string };

describe('the one-line description', () => {
  it("names every command, in --help and in package.json's description alike", () => {
    const text = programDescription(registry);
    const listed = /: (.*)\.$/.exec(text)?.[1]?.split(', ');
    expect(listed).toEqual(registry.map((c) => c.name));
    expect(pkg.description).toBe(text);
  });
});
