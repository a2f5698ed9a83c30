/**
 * validate's CI outputs, pure: GitHub workflow commands (escaped as @actions/core escapes them), the
 * SARIF 2.1.0 log (validated against the OASIS schema with ajv), and the step-summary markdown.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { Ajv } from 'ajv';
import addFormatsModule from 'ajv-formats';
import { describe, expect, test } from 'vitest';
import { escapeData, escapeProperty, renderGithub, repoPath, workflowCommand } from '../../../src/validate/github.js';
import { RULES, validateFiles, type Finding } from '../../../src/validate/index.js';
import { renderValidateMarkdown } from '../../../src/validate/markdown.js';
import type { ValidateJson } from '../../../src/validate/run.js';
import { toSarif } from '../../../src/validate/sarif.js';
import { FIXTURES } from '../../helpers/cli.js';

const addFormats = addFormatsModule as unknown as (ajv: Ajv) => Ajv;

function resultOf(findings: Finding[], files: ValidateJson['files'] = [{ path: 'fly.toml', kind: 'fly.toml' }]): ValidateJson {
  const errors = findings.filter((f) => f.severity === 'error').length;
  return {
    schemaVersion: 1,
    ok: errors === 0,
    exitCode: errors ? 1 : 0,
    files,
    errors,
    warnings: findings.length - errors,
    findings,
    notChecked: [],
  };
}

const RETIRED = "app = 'quant-signals'\nprimary_region = 'ord'\n\n[[vm]]\n  gpu_kind = 'a10'\n";
const ROOT_DOCKERFILE = 'FROM python:3.12-slim\nCMD ["python", "-m", "app"]\n';
const sample = () =>
  resultOf(
    validateFiles({
      flyToml: { path: 'deploy/fly.toml', text: RETIRED },
      dockerfile: { path: 'deploy/Dockerfile', text: ROOT_DOCKERFILE },
    }),
    [
      { path: 'deploy/fly.toml', kind: 'fly.toml' },
      { path: 'deploy/Dockerfile', kind: 'Dockerfile' },
    ],
  );

describe('GitHub workflow commands', () => {
  test.each([
    ['100% done', '100%25 done'],
    ['a\nb', 'a%0Ab'],
    ['a\r\nb', 'a%0D%0Ab'],
    ['%0A stays literal', '%250A stays literal'],
    ['key: value, more', 'key: value, more'],
  ])('escapeData(%j) = %j', (input, output) => expect(escapeData(input)).toBe(output));

  test.each([
    ['fly.toml', 'fly.toml'],
    ['C:\\x', 'C%3A\\x'],
    ['a,b', 'a%2Cb'],
    ['50%\n', '50%25%0A'],
  ])('escapeProperty(%j) = %j', (input, output) => expect(escapeProperty(input)).toBe(output));

  test('a finding is one line: severity, file, line, col, the rule id as title, the message and fix', () => {
    const finding: Finding = {
      id: 'gpu-kind-unknown',
      severity: 'error',
      file: 'fly.toml',
      line: 12,
      column: 3,
      message: "gpu_kind 'h100' is unknown: 100%",
      fix: 'Use a10,\nor l40s.',
    };
    expect(workflowCommand(finding, 'dir,x/fly.toml')).toBe(
      "::error file=dir%2Cx/fly.toml,line=12,col=3,title=gpu-kind-unknown::gpu_kind 'h100' is unknown: 100%25%0AFix: Use a10,%0Aor l40s.",
    );
    expect(workflowCommand({ ...finding, severity: 'warning', column: undefined }, 'fly.toml')).toMatch(
      /^::warning file=fly\.toml,line=12,title=gpu-kind-unknown::/,
    );
  });

  test('paths are relative to GITHUB_WORKSPACE when set and inside it', () => {
    expect(repoPath('fly.toml', '/w/repo/deploy', '/w/repo')).toBe('deploy/fly.toml');
    expect(repoPath('../fly.toml', '/w/repo/deploy', '/w/repo')).toBe('fly.toml');
    expect(repoPath('/elsewhere/fly.toml', '/w/repo', '/w/repo')).toBe('/elsewhere/fly.toml');
    expect(repoPath('deploy/fly.toml', '/w/repo', undefined)).toBe('deploy/fly.toml');
  });

  test('the whole output: a command per finding, then the summary', () => {
    const out = renderGithub(sample(), '/w/repo', '/w/repo');
    expect(out.split('\n').filter(Boolean)).toEqual([
      expect.stringMatching(
        /^::warning file=deploy\/Dockerfile,line=1,title=dockerfile-runs-as-root::The application runs as root: .*%0AFix: /,
      ),
      expect.stringMatching(
        /^::error file=deploy\/fly\.toml,line=5,col=3,title=fly-gpu-retired::Fly\.io retired GPU Machines on 2026-08-01: .*\(gpu_kind "a10"\).*%0AFix: /,
      ),
      expect.stringMatching(/^::warning file=deploy\/fly\.toml,line=4,col=1,title=gpu-without-volume::A GPU layout without a volume/),
      'gpuctl validate: 1 error, 2 warnings in deploy/fly.toml, deploy/Dockerfile.',
    ]);
  });
});

describe('SARIF 2.1.0', () => {
  // The OASIS schema (SARIF 2.1.0 errata 01) is written in JSON Schema draft-04; ajv 8 reads draft-07 and
  // later. The keywords the schema uses mean the same in both drafts; only the root `id` is spelled `$id`
  // since draft-06. So the schema is read as is, with those two root keys renamed, and this test checks
  // first that it uses no keyword whose meaning changed (exclusiveMinimum/Maximum, dependencies, …).
  const schemaFile = join(FIXTURES, 'sarif/sarif-schema-2.1.0.json');
  const official = JSON.parse(readFileSync(schemaFile, 'utf8')) as Record<string, unknown>;
  const keywords = new Set<string>();
  const collect = (node: unknown, parent?: string): void => {
    if (Array.isArray(node)) node.forEach((item) => collect(item));
    else if (node && typeof node === 'object') {
      for (const [key, value] of Object.entries(node)) {
        if (parent !== 'properties' && parent !== 'definitions') keywords.add(key);
        collect(value, key);
      }
    }
  };
  collect(official);
  const id = official.id as string;
  const draft07: Record<string, unknown> = { ...official, $id: id, $schema: 'http://json-schema.org/draft-07/schema#' };
  delete draft07.id;
  const ajv = new Ajv({ allErrors: true });
  addFormats(ajv);
  const validate = ajv.compile(draft07);

  test('the schema is the OASIS one and uses only keywords that draft-04 and draft-07 read alike', () => {
    expect(id).toBe('https://docs.oasis-open.org/sarif/sarif/v2.1.0/errata01/os/schemas/sarif-schema-2.1.0.json');
    expect([...keywords].sort()).toEqual(
      [
        '$ref',
        '$schema',
        'additionalProperties',
        'anyOf',
        'default',
        'definitions',
        'description',
        'enum',
        'format',
        'id',
        'items',
        'maximum',
        'minItems',
        'minimum',
        'oneOf',
        'pattern',
        'properties',
        'required',
        'title',
        'type',
        'uniqueItems',
      ].sort(),
    );
  });

  test('the validator can fail: a result without a message, a region without a start, a bad level', () => {
    const log = toSarif(sample(), '0.1.0', '/w/repo', '/w/repo');
    const broken = structuredClone(log) as unknown as { runs: Array<{ results: Array<Record<string, unknown>> }> };
    delete broken.runs[0]!.results[0]!.message;
    expect(validate(broken)).toBe(false);
    const noStart = structuredClone(log) as unknown as {
      runs: Array<{ results: Array<{ locations: Array<{ physicalLocation: { region: object } }> }> }>;
    };
    noStart.runs[0]!.results[0]!.locations[0]!.physicalLocation.region = { startColumn: 3 };
    expect(validate(noStart)).toBe(false);
    expect(validate({ ...log, runs: [{ ...log.runs[0], results: [{ ...log.runs[0]!.results[0], level: 'fatal' }] }] })).toBe(false);
  });

  test('a log with findings is valid SARIF 2.1.0 and says what GitHub code scanning needs', () => {
    const log = toSarif(sample(), '0.1.0', '/w/repo', '/w/repo');
    expect(validate(log), JSON.stringify(validate.errors)).toBe(true);
    const run = log.runs[0]!;
    expect(run.tool.driver).toMatchObject({ name: 'gpuctl', version: '0.1.0' });
    expect(run.tool.driver.rules.map((r) => r.id)).toEqual(Object.keys(RULES));
    expect(run.results.map((r) => r.ruleId)).toEqual(['dockerfile-runs-as-root', 'fly-gpu-retired', 'gpu-without-volume']);
    expect(run.results[1]).toMatchObject({
      ruleId: 'fly-gpu-retired',
      level: 'error',
      locations: [{ physicalLocation: { artifactLocation: { uri: 'deploy/fly.toml' }, region: { startLine: 5, startColumn: 3 } } }],
    });
    for (const result of run.results) expect(run.tool.driver.rules[result.ruleIndex]?.id).toBe(result.ruleId);
  });

  test('a clean log is valid too, and odd file names are URI-encoded', () => {
    expect(validate(toSarif(resultOf([]), '0.1.0', '/w', undefined))).toBe(true);
    const odd: Finding = {
      id: 'toml-syntax',
      severity: 'error',
      file: 'my dir/fly#1.toml',
      line: 2,
      column: 14,
      message: 'Not valid TOML',
      fix: 'Fix it.',
    };
    const log = toSarif(resultOf([odd]), '0.1.0', '/w', undefined);
    expect(validate(log), JSON.stringify(validate.errors)).toBe(true);
    expect(log.runs[0]!.results[0]!.locations[0]!.physicalLocation.artifactLocation.uri).toBe('my%20dir/fly%231.toml');
  });
});

test('the step summary: verdict, then a row per finding with pipes escaped', () => {
  const md = renderValidateMarkdown(sample());
  expect(md).toContain('### ❌ gpuctl validate: 1 error, 2 warnings\n\nChecked `deploy/fly.toml`, `deploy/Dockerfile`.\n');
  expect(md).toContain('| `deploy/fly.toml:5:3` | error | `fly-gpu-retired` | Fly.io retired GPU Machines on 2026-08-01');
  expect(renderValidateMarkdown(resultOf([]))).toBe('### ✅ gpuctl validate: no problems found\n\nChecked `fly.toml`.\n\n');
  const piped: Finding = { id: 'toml-syntax', severity: 'error', file: 'fly.toml', line: 1, message: 'a | b', fix: 'c\nd' };
  expect(renderValidateMarkdown(resultOf([piped]))).toContain('| a \\| b | c d |');
});
