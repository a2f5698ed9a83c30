/**
 * Option keys are tied to the declared flags by the types: tsc (npm run typecheck, part of npm test)
 * checks this file, and each `@ts-expect-error` line fails the build if the misspelt key compiled.
 */
import { describe, expect, expectTypeOf, it } from 'vitest';
import { defineCommand } from '../../../src/commands/define.js';
import { bool, str, type FlagKey, type OptionKeys, type RawInput } from '../../../src/shared/options.js';

const options = [
  { flags: '-a, --app <name>', description: 'app' },
  { flags: '--dry-run', description: 'plan only' },
  { flags: '--no-probe', description: 'no probes' },
  { flags: '--max-per-region <n>', description: 'at most n' },
] as const;

describe('option keys from flags', () => {
  it('commander camel-cases long flags, drops --no- and the value placeholder', () => {
    expectTypeOf<FlagKey<'-a, --app <name>'>>().toEqualTypeOf<'app'>();
    expectTypeOf<FlagKey<'--dry-run'>>().toEqualTypeOf<'dryRun'>();
    expectTypeOf<FlagKey<'--no-probe'>>().toEqualTypeOf<'probe'>();
    expectTypeOf<FlagKey<'--max-per-region <n>'>>().toEqualTypeOf<'maxPerRegion'>();
    expectTypeOf<OptionKeys<typeof options>>().toEqualTypeOf<'app' | 'dryRun' | 'probe' | 'maxPerRegion' | 'json' | 'verbose' | 'color'>();
  });

  it('a reader takes only declared keys; a misspelt key does not compile', () => {
    const raw: RawInput<OptionKeys<typeof options>> = { args: [], opts: { app: 'q', dryRun: true } };
    expect(str(raw, 'app')).toBe('q');
    expect(bool(raw, 'dryRun')).toBe(true);
    // @ts-expect-error 'dryrun' is not a declared option key (the flag is --dry-run → dryRun)
    expect(bool(raw, 'dryrun')).toBe(false);
    // @ts-expect-error 'ap' is not a declared option key
    expect(str(raw, 'ap')).toBeUndefined();
  });

  it('defineCommand infers the keys from its options, inline or declared', () => {
    const command = defineCommand({
      name: 'demo',
      summary: 'a command for the type test',
      options,
      parse: (raw) => ({
        app: str(raw, 'app'),
        // @ts-expect-error 'maxPerRgion' is misspelt
        max: str(raw, 'maxPerRgion'),
      }),
    });
    expect(command.parse?.({ args: [], opts: { app: 'q', maxPerRgion: '2' } as Record<string, unknown> })).toEqual({ app: 'q', max: '2' });
  });

  it('a parser that reads any key (RawInput<string>) cannot be handed to a command', () => {
    const loose = (raw: RawInput<string>) => ({ app: str(raw, 'anything') });
    defineCommand({
      name: 'demo',
      summary: 'a command for the type test',
      options,
      // @ts-expect-error a parse must take the command's own keys
      parse: loose,
    });
    expect(loose({ args: [], opts: { anything: 'x' } })).toEqual({ app: 'x' });
  });
});
