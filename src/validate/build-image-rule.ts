/**
 * fly.toml's [build] image must be an image reference (the grammar docker and flyctl parse, shared/image-ref.ts):
 * flyctl deploys that image instead of building, and a name that is not one fails there, after the preflight.
 */
import { finding, type Finding } from '../shared/findings.js';
import { imageRefProblem } from '../shared/image-ref.js';
import type { RuleContext } from './fly-gpu-rules.js';

export function buildImageRule(doc: Record<string, unknown>, { file, at }: RuleContext): Finding[] {
  const build = doc.build;
  if (typeof build !== 'object' || build === null || Array.isArray(build)) return [];
  const image = (build as Record<string, unknown>).image;
  // Not a string at all is a type error, reported by the type rules; an empty one means "build".
  if (typeof image !== 'string' || image === '') return [];
  const problem = imageRefProblem(image);
  if (problem === null) return [];
  return [
    finding(
      'build-image-invalid',
      file,
      at(['build', 'image']),
      `[build] image = ${JSON.stringify(image)} is not a container image reference: ${problem}.`,
      'Write [registry[:port]/]name[:tag][@sha256:digest] with a lowercase name (e.g. registry.fly.io/my-app:v3 or python:3.12-slim), or remove image to build the Dockerfile.',
    ),
  ];
}
