/**
 * The one module that talks to @inquirer/prompts. Everything else calls ctx.prompt.*; tests pass a
 * scripted Prompter. A cancelled prompt (Ctrl-C) becomes InterruptedError: nothing is changed (init writes no file,
 * scale touches no machine), exit 130.
 */
import { InterruptedError, UsageError } from '../errors.js';

export interface Choice<T extends string> {
  value: T;
  name?: string;
  description?: string;
}

export interface Prompter {
  confirm(message: string, defaultValue?: boolean): Promise<boolean>;
  input(message: string, options?: { default?: string; validate?: (value: string) => true | string }): Promise<string>;
  select<T extends string>(message: string, choices: readonly Choice<T>[], defaultValue?: T): Promise<T>;
}

async function cancellable<T>(ask: () => Promise<T>): Promise<T> {
  try {
    return await ask();
  } catch (error) {
    if (error instanceof Error && (error.name === 'ExitPromptError' || error.name === 'AbortPromptError')) {
      throw new InterruptedError('Cancelled; nothing was changed.');
    }
    throw error;
  }
}

export function inquirerPrompter(): Prompter {
  const load = () => import('@inquirer/prompts');
  return {
    confirm: async (message, defaultValue) => {
      const { confirm } = await load();
      return cancellable(() => confirm({ message, default: defaultValue }));
    },
    input: async (message, options = {}) => {
      const { input } = await load();
      return cancellable(() => input({ message, default: options.default, validate: options.validate }));
    },
    select: async (message, choices, defaultValue) => {
      const { select } = await load();
      return cancellable(() => select({ message, choices: [...choices], default: defaultValue }));
    },
  };
}

/** Used when no person can answer: every question is a usage error naming the flag to pass. */
export function nonInteractivePrompter(): Prompter {
  const refuse = (message: string): never => {
    throw new UsageError(`Cannot ask "${message}" without a terminal.`, {
      hint: 'Pass the value as a flag (see --help), or --yes to accept the defaults.',
    });
  };
  return {
    confirm: async (message) => refuse(message),
    input: async (message) => refuse(message),
    select: async (message) => refuse(message),
  };
}
