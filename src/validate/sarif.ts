/**
 * `gpuctl validate --format sarif`: the findings as a SARIF 2.1.0 log for GitHub code scanning
 * (github/codeql-action/upload-sarif). One run; the driver lists every rule (id, summary, default
 * level), each result names its rule by id and index and points at the file (relative to the
 * repository when GITHUB_WORKSPACE is set) and line. A test validates the output against the OASIS
 * schema (test/fixtures/sarif/).
 */
import { repoPath } from './github.js';
import { RULES, type RuleId } from '../shared/findings.js';
import type { ValidateJson } from './run.js';

export const SARIF_SCHEMA = 'https://docs.oasis-open.org/sarif/sarif/v2.1.0/errata01/os/schemas/sarif-schema-2.1.0.json';

export interface SarifLog {
  $schema: string;
  version: '2.1.0';
  runs: Array<{
    tool: { driver: { name: string; version: string; semanticVersion: string; rules: SarifRule[] } };
    results: SarifResult[];
    columnKind: 'utf16CodeUnits';
  }>;
}

interface SarifRule {
  id: string;
  shortDescription: { text: string };
  defaultConfiguration: { level: 'error' | 'warning' };
  properties: { tags: string[] };
}

interface SarifResult {
  ruleId: string;
  ruleIndex: number;
  level: 'error' | 'warning';
  message: { text: string };
  locations: Array<{ physicalLocation: { artifactLocation: { uri: string }; region: { startLine: number; startColumn?: number } } }>;
}

const RULE_IDS = Object.keys(RULES) as RuleId[];

/** A relative path as a URI reference: each segment percent-encoded, slashes kept. */
const uriOf = (path: string) => path.split('/').map(encodeURIComponent).join('/');

export function toSarif(result: ValidateJson, version: string, cwd: string, workspace: string | undefined): SarifLog {
  const rules = RULE_IDS.map((id) => ({
    id,
    shortDescription: { text: RULES[id].summary },
    defaultConfiguration: { level: RULES[id].severity },
    properties: { tags: [RULES[id].file] },
  }));
  const results = result.findings.map((f) => ({
    ruleId: f.id,
    ruleIndex: RULE_IDS.indexOf(f.id),
    level: f.severity,
    message: { text: `${f.message} Fix: ${f.fix}` },
    locations: [
      {
        physicalLocation: {
          artifactLocation: { uri: uriOf(repoPath(f.file, cwd, workspace)) },
          region: { startLine: f.line, ...(f.column ? { startColumn: f.column } : {}) },
        },
      },
    ],
  }));
  return {
    $schema: SARIF_SCHEMA,
    version: '2.1.0',
    runs: [{ tool: { driver: { name: 'gpuctl', version, semanticVersion: version, rules } }, results, columnKind: 'utf16CodeUnits' }],
  };
}
