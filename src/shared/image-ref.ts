/**
 * Container image references: the one check every image name passes where it enters gpuctl
 * (deploy --image, the previous release's image --rollback deploys again, fly.toml [build] image).
 * The grammar is distribution/reference's (regexp.go, the one docker and flyctl parse with):
 *
 *   reference := name [ ":" tag ] [ "@" digest ]
 *   name      := [ domain "/" ] path-component [ "/" path-component ]*   (at most 255 characters)
 *   domain    := host [ ":" port ], host a DNS-like name (letters, digits, inner dashes, dots) or [IPv6]
 *   path-component := [a-z0-9]+ ( ( "." | "_" | "__" | "-"+ ) [a-z0-9]+ )*
 *   tag       := [A-Za-z0-9_][A-Za-z0-9_.-]{0,127}
 *   digest    := algorithm ":" hex{32,}, algorithm [A-Za-z][A-Za-z0-9]* joined by - _ + .
 *
 * So a reference never starts with "-" and never holds a space or a control character: it can never
 * be read as a flag, even where a value is not given in the --flag=value form.
 */
import { UsageError } from '../errors.js';

const DOMAIN_COMPONENT = '(?:[a-zA-Z0-9]|[a-zA-Z0-9][a-zA-Z0-9-]*[a-zA-Z0-9])';
const DOMAIN = `(?:${DOMAIN_COMPONENT}(?:\\.${DOMAIN_COMPONENT})*|\\[[a-fA-F0-9:]+\\])(?::[0-9]+)?`;
const PATH_COMPONENT = '[a-z0-9]+(?:(?:[._]|__|-+)[a-z0-9]+)*';
const NAME = `(?:${DOMAIN}/)?${PATH_COMPONENT}(?:/${PATH_COMPONENT})*`;
const TAG = '[\\w][\\w.-]{0,127}';
const DIGEST = '[A-Za-z][A-Za-z0-9]*(?:[-_+.][A-Za-z][A-Za-z0-9]*)*:[0-9a-fA-F]{32,}';
const REFERENCE = new RegExp(`^(${NAME})(?::(${TAG}))?(?:@(${DIGEST}))?$`);
const NAME_MAX = 255;

export type ImageRefProblem = string | null;

/** Why `ref` is not an image reference docker would parse; null when it is one. */
export function imageRefProblem(ref: string): ImageRefProblem {
  if (ref === '') return 'it is empty';
  const m = REFERENCE.exec(ref);
  if (!m) {
    if (ref.startsWith('-')) return 'it starts with "-"';
    if (/\s/.test(ref)) return 'it holds white space';
    // Docker's own wording for the commonest mistake (a registry and a tag may hold capitals, the name not).
    if (REFERENCE.test(ref.toLowerCase())) return 'the repository name must be lowercase';
    return 'it does not follow the reference format [registry[:port]/]name[:tag][@digest]';
  }
  if (m[1]!.length > NAME_MAX) return `the repository name is longer than ${NAME_MAX} characters`;
  return null;
}

export function isImageRef(ref: string): boolean {
  return imageRefProblem(ref) === null;
}

/** The one check for an image name that came from outside; `source` says where (e.g. "--image"). */
export function checkImageRef(ref: string, source: string): string {
  const problem = imageRefProblem(ref);
  if (problem === null) return ref;
  throw new UsageError(`${source} ${JSON.stringify(ref)} is not a container image reference: ${problem}.`, {
    hint: 'An image is [registry[:port]/]name[:tag][@sha256:digest] with a lowercase name, e.g. registry.fly.io/my-app:deployment-01H8 or python:3.12-slim.',
  });
}
