/**
 * The autoscale policy file's schema (TOML, read with smol-toml, checked with zod). Durations are
 * written like flyctl's ("30s", "5m", "1h30m"), times of day as "HH:MM" in the window's IANA zone.
 * The parsed Policy has milliseconds and minutes, never strings. docs/autoscale.md is the reference.
 */
import { z } from 'zod';
import { isFlyAppName, isProcessGroupName } from '../flyio/app-name.js';
import { isKnownRegion, unknownRegion } from '../flyio/regions.js';
import { parseDuration } from '../shared/duration.js';

export const DEFAULT_METRIC = 'avg(DCGM_FI_DEV_GPU_UTIL{app="$APP_NAME"})';
export const DAYS = ['sun', 'mon', 'tue', 'wed', 'thu', 'fri', 'sat'] as const;
export type Day = (typeof DAYS)[number];

const duration = (what: string) =>
  z.string().transform((text, ctx) => {
    const ms = parseDuration(text);
    if (ms === undefined || ms <= 0) {
      ctx.addIssue({ code: 'custom', message: `${what} must be a duration such as "30s", "5m" or "1h30m", not "${text}"` });
      return z.NEVER;
    }
    return ms;
  });

const timeOfDay = z.string().transform((text, ctx) => {
  const m = /^(\d{2}):(\d{2})$/.exec(text);
  const minutes = m ? Number(m[1]) * 60 + Number(m[2]) : NaN;
  if (!m || Number(m[2]) > 59 || minutes > 24 * 60) {
    ctx.addIssue({ code: 'custom', message: `a time of day is "HH:MM" (00:00 to 24:00), not "${text}"` });
    return z.NEVER;
  }
  return minutes;
});

const timeZone = z.string().refine(
  (zone) => {
    try {
      new Intl.DateTimeFormat('en-US', { timeZone: zone });
      return true;
    } catch {
      return false;
    }
  },
  { message: 'an IANA time zone such as "America/New_York"' },
);

const count = z.number().int().min(0);
const step = z.number().int().min(1);

const threshold = z.strictObject({ query: z.string().min(1), above: z.number(), for: duration('for') });

export const policySchema = z
  .strictObject({
    app: z.string().refine(isFlyAppName, 'is not a valid Fly app name (lowercase letters, digits and dashes, starting with a letter)'),
    process_group: z
      .string()
      .refine(isProcessGroupName, 'is empty (name a group of fly.toml [processes], or leave the key out for app)')
      .default('app'),
    min: count,
    max: count,
    regions: z
      .array(
        z.string().superRefine((code, ctx) => {
          if (isKnownRegion(code)) return;
          const { message, hint } = unknownRegion(code);
          const near = /^Did you mean [^?]+\?/.exec(hint)?.[0];
          ctx.addIssue({ code: 'custom', message: near ? `${message} ${near}` : message });
        }),
      )
      .default([]),
    interval: duration('interval').default(15_000),
    metric: z.strictObject({ query: z.string().min(1).default(DEFAULT_METRIC) }).default({ query: DEFAULT_METRIC }),
    scale_up: z.strictObject({ above: z.number(), for: duration('scale_up.for'), step: step.default(1) }),
    scale_down: z.strictObject({ below: z.number(), for: duration('scale_down.for'), step: step.default(1) }),
    emergency: z
      .strictObject({
        above: z.number().default(95),
        samples: z.number().int().min(1).default(2),
        add: step.default(2),
        cooldown: duration('emergency.cooldown').default(60_000),
      })
      .optional(),
    error_rate: threshold.optional(),
    latency: threshold.optional(),
    cooldown: z
      .strictObject({ up: duration('cooldown.up').default(180_000), down: duration('cooldown.down').default(600_000) })
      .default({ up: 180_000, down: 600_000 }),
    schedule: z
      .array(
        z.strictObject({
          name: z.string().default('window'),
          timezone: timeZone,
          days: z.array(z.enum(DAYS)).min(1).default(['mon', 'tue', 'wed', 'thu', 'fri']),
          start: timeOfDay,
          end: timeOfDay,
          warmup: duration('warmup').optional(),
          min: count,
        }),
      )
      .default([]),
  })
  .superRefine((p, ctx) => {
    if (p.min > p.max) ctx.addIssue({ code: 'custom', path: ['min'], message: `min (${p.min}) is above max (${p.max})` });
    if (p.scale_down.for < p.scale_up.for) {
      ctx.addIssue({
        code: 'custom',
        path: ['scale_down', 'for'],
        message: 'scale_down.for must be at least scale_up.for (scale down more slowly than up)',
      });
    }
    if (p.scale_down.below >= p.scale_up.above) {
      ctx.addIssue({
        code: 'custom',
        path: ['scale_down', 'below'],
        message: `scale_down.below (${p.scale_down.below}) must be under scale_up.above (${p.scale_up.above})`,
      });
    }
    p.schedule.forEach((w, i) => {
      if (w.min > p.max)
        ctx.addIssue({ code: 'custom', path: ['schedule', i, 'min'], message: `the window's min (${w.min}) is above max (${p.max})` });
      if (w.start === w.end) ctx.addIssue({ code: 'custom', path: ['schedule', i, 'end'], message: 'the window is empty (start = end)' });
    });
  });

export type PolicyInput = z.input<typeof policySchema>;
type Raw = z.output<typeof policySchema>;

export interface Threshold {
  query: string;
  above: number;
  forMs: number;
}

export interface Window {
  name: string;
  timeZone: string;
  days: Day[];
  /** Minutes after local midnight; end <= start means the window runs past midnight. */
  start: number;
  end: number;
  warmupMs: number;
  min: number;
}

export interface Policy {
  app: string;
  group: string;
  min: number;
  max: number;
  regions: string[];
  intervalMs: number;
  metric: string;
  up: { above: number; forMs: number; step: number };
  down: { below: number; forMs: number; step: number };
  emergency: { above: number; samples: number; add: number; cooldownMs: number } | null;
  errorRate: Threshold | null;
  latency: Threshold | null;
  cooldown: { upMs: number; downMs: number };
  schedule: Window[];
}

const toThreshold = (t: Raw['error_rate']): Threshold | null => (t ? { query: t.query, above: t.above, forMs: t.for } : null);

export function toPolicy(raw: Raw): Policy {
  const e = raw.emergency;
  return {
    app: raw.app,
    group: raw.process_group,
    min: raw.min,
    max: raw.max,
    regions: raw.regions,
    intervalMs: raw.interval,
    metric: raw.metric.query,
    up: { above: raw.scale_up.above, forMs: raw.scale_up.for, step: raw.scale_up.step },
    down: { below: raw.scale_down.below, forMs: raw.scale_down.for, step: raw.scale_down.step },
    emergency: e ? { above: e.above, samples: e.samples, add: e.add, cooldownMs: e.cooldown } : null,
    errorRate: toThreshold(raw.error_rate),
    latency: toThreshold(raw.latency),
    cooldown: { upMs: raw.cooldown.up, downMs: raw.cooldown.down },
    schedule: raw.schedule.map((w) => ({
      name: w.name,
      timeZone: w.timezone,
      days: w.days,
      start: w.start,
      end: w.end,
      warmupMs: w.warmup ?? 0,
      min: w.min,
    })),
  };
}
