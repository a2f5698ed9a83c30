/**
 * `flyctl deploy` has no --json; its progress is text. These patterns turn its lines into four
 * phases (flyctl internal/command/deploy: "Verifying app config", "Building image", "Pushing image",
 * "Updating existing machines in '<app>' with rolling strategy", "Waiting for ... to become healthy",
 * "Visit your newly deployed app at"). Phases only move forward; unknown lines change nothing.
 */
export type Phase = 'preparing' | 'building' | 'pushing' | 'releasing' | 'checks' | 'done';

export const PHASE_ORDER: readonly Phase[] = ['preparing', 'building', 'pushing', 'releasing', 'checks', 'done'];

const RULES: ReadonlyArray<readonly [Phase, RegExp]> = [
  ['done', /^Visit your newly deployed app at/i],
  [
    'checks',
    /waiting for .*(healthy|health checks)|checking health|health check .* (is now )?passing|is now in a good state|smoke checks/i,
  ],
  [
    'releasing',
    /updating existing machines|creating (a )?release|release[ _]command|release v\d+ created|launching new machine|creating green machines|updating machine|watch your deployment at/i,
  ],
  ['pushing', /pushing image|^--> pushing|pushing manifest/i],
  ['building', /building image|depot builder|remote builder|^#\d+ |^\[\+\] Building|searching for image|image found:/i],
];

export function phaseOfLine(line: string): Phase | undefined {
  const text = line.replace(/^[\s✔✓✗→>=-]+/u, '').trim();
  if (!text) return undefined;
  return RULES.find(([, pattern]) => pattern.test(text))?.[0];
}

/** The next phase after `line`: the later of the current one and what the line announces. */
export function advance(current: Phase, line: string): Phase {
  const seen = phaseOfLine(line);
  if (!seen) return current;
  return PHASE_ORDER.indexOf(seen) > PHASE_ORDER.indexOf(current) ? seen : current;
}

/** The image flyctl built or deployed, from "image: registry.fly.io/app:deployment-…". */
export function imageOfLine(line: string): string | undefined {
  return /^\s*image:\s*(\S+)/i.exec(line)?.[1];
}

export const PHASE_LABEL: Record<Phase, { doing: string; done: string }> = {
  preparing: { doing: 'Verifying app config', done: 'Verified app config' },
  building: { doing: 'Building image', done: 'Built image' },
  pushing: { doing: 'Pushing image', done: 'Pushed image' },
  releasing: { doing: 'Releasing', done: 'Released' },
  checks: { doing: 'Waiting for health checks (flyctl)', done: 'Health checks passed (flyctl)' },
  done: { doing: 'Finishing', done: 'flyctl deploy finished' },
};

/** What a deploy interrupted in this phase may have left behind. */
export function interruptedNote(phase: Phase, app: string, previousVersion: number | undefined): string {
  const previous = previousVersion ? `v${previousVersion}` : 'its previous release';
  if (PHASE_ORDER.indexOf(phase) < PHASE_ORDER.indexOf('releasing')) {
    return `No release had started: ${app} should still run ${previous}. Check with \`gpuctl status -a ${app}\`.`;
  }
  return (
    `flyctl was updating machines: some may run the new release and others ${previous}. ` +
    `Check with \`gpuctl status -a ${app}\`, then run \`gpuctl deploy\` again or \`gpuctl deploy --rollback\`.`
  );
}
