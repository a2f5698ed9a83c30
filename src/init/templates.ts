/**
 * The template files in templates/ and the one operation on them: filling `{{name}}` placeholders.
 * No logic lives in a template; the typed render functions (render.ts) decide which fragment goes
 * where. Loading is the only effect, kept apart so that rendering stays pure.
 */
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { packageRoot } from '../shared/paths.js';

export const TEMPLATE_NAMES = [
  'fly.toml',
  'fly-vm-gpu.toml',
  'fly-vm-cpu.toml',
  'fly-retired.toml',
  'fly-local-gpu.toml',
  'compose.yaml',
  'Dockerfile.gpu',
  'Dockerfile.cpu',
  'dockerignore',
  'gpuctl-start.sh',
] as const;
export type TemplateName = (typeof TEMPLATE_NAMES)[number];
export type Templates = Readonly<Record<TemplateName, string>>;

/** templates/ sits at the package root (shared/paths.ts finds it from src/init in tests, dist/ or dist/chunks built). */
export function templatesDir(from: string = fileURLToPath(import.meta.url)): string {
  let root: string | undefined;
  try {
    root = packageRoot(from);
  } catch {
    root = undefined;
  }
  if (root && existsSync(join(root, 'templates', 'fly.toml'))) return join(root, 'templates');
  throw new Error(`gpuctl's templates/ directory was not found above ${from}; the installation is incomplete.`);
}

export function loadTemplates(dir: string = templatesDir()): Templates {
  const entries = TEMPLATE_NAMES.map((name) => [name, readFileSync(join(dir, name), 'utf8')] as const);
  return Object.fromEntries(entries) as Record<TemplateName, string>;
}

const PLACEHOLDER = /\{\{(\w+)\}\}/g;

/**
 * Replaces every `{{name}}`. A placeholder alone on its line whose value is empty removes the line.
 * Strict both ways: a placeholder without a value, or a value no placeholder uses, is a bug.
 */
export function fill(template: string, values: Readonly<Record<string, string | number>>, name = 'template'): string {
  const used = new Set<string>();
  const lookup = (key: string): string => {
    const value = values[key];
    if (value === undefined) throw new Error(`${name}: no value for {{${key}}}`);
    used.add(key);
    return String(value);
  };
  const lines = template.split('\n').flatMap((line) => {
    const alone = /^\s*\{\{(\w+)\}\}\s*$/.exec(line);
    if (alone?.[1] !== undefined && lookup(alone[1]) === '') return [];
    return [line.replace(PLACEHOLDER, (_, key: string) => lookup(key))];
  });
  const unused = Object.keys(values).filter((key) => !used.has(key));
  if (unused.length) throw new Error(`${name}: values never used: ${unused.join(', ')}`);
  return lines.join('\n');
}
