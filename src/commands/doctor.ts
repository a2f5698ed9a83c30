import { OPTIONAL_CHECKS, type OptionalCheckId } from '../doctor/checks.js';
import { ExitCode, UsageError } from '../errors.js';
import { str, type OptionKeys, type RawInput } from '../shared/options.js';
import { defineCommand } from './define.js';

const REQUIRABLE = OPTIONAL_CHECKS;
type Requirable = OptionalCheckId;

export interface DoctorOptions {
  require: Requirable[];
}

export function parseRequire(value: string | undefined): Requirable[] {
  if (value === undefined) return [];
  const items = value
    .split(',')
    .map((s) => s.trim())
    .filter(Boolean);
  // `--require "$CHECKS"` with CHECKS unset would otherwise require nothing and pass a gate it was meant to hold.
  if (items.length === 0)
    throw new UsageError(`--require "${value}" names no check.`, {
      hint: `Name one or more of ${REQUIRABLE.join(', ')}, or leave --require out.`,
    });
  const unknown = items.filter((item) => !(REQUIRABLE as readonly string[]).includes(item));
  if (unknown.length)
    throw new UsageError(`Unknown check for --require: ${unknown.join(', ')}.`, { hint: `Choose from ${REQUIRABLE.join(', ')}.` });
  return items as Requirable[];
}

const options = [{ flags: '--require <checks>', description: `treat these as required (comma list: ${REQUIRABLE.join(',')})` }] as const;

export function parseDoctorOptions(raw: RawInput<OptionKeys<typeof options>>): DoctorOptions {
  return { require: parseRequire(str(raw, 'require')) };
}

export const doctorCommand = defineCommand({
  name: 'doctor',
  summary: 'Check that this machine is ready to build, bench and deploy',
  description:
    'One row per check, with a remedy: Node.js, the NVIDIA driver, nvcc and the architectures it targets, whether the\n' +
    'driver runs what nvcc builds, flyctl, Fly authentication (the token is never printed), the Docker client, and the\n' +
    'container engine `gpuctl smoke` would use (docker, else podman).\n' +
    'Exits 1 when a check fails; missing optional tools are warnings unless named in --require, and a required\n' +
    'tool or device that is missing exits 3.',
  options,
  examples: [
    ['gpuctl doctor', 'check everything'],
    ['gpuctl doctor --require gpu,nvcc', 'in CI on a GPU runner: fail unless the GPU toolchain is ready'],
    ['gpuctl doctor --require flyctl,fly-auth --json', 'before a deploy job'],
  ],
  parse: parseDoctorOptions,
  run: async (options, ctx) => {
    const [{ gatherDoctorFacts }, { decideDoctor, doctorExitCode, missingChecks }] = await Promise.all([
      import('../doctor/probe.js'),
      import('../doctor/decide.js'),
    ]);
    const spinner = ctx.spinner('Checking tools');
    const facts = await gatherDoctorFacts(ctx);
    spinner.stop();
    const rows = decideDoctor(facts, options.require);
    const exitCode = doctorExitCode(rows, missingChecks(facts));
    const { renderDoctor } = await import('../doctor/render.js');
    ctx.print({ schemaVersion: 1, ok: exitCode === ExitCode.ok, checks: rows }, (result, style) => renderDoctor(result.checks, style));
    return exitCode;
  },
});
