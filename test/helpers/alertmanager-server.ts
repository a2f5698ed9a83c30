/**
 * The REAL Alertmanager for tests (Debian's `prometheus-alertmanager`): one route to a webhook, grouped by
 * alertname, flushed after 1 s, resolved notifications on; clustering off, loopback only, a temp data dir.
 * `startAlertmanager` waits until /-/ready answers; `stop` always ends it and removes its files.
 */
import { existsSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { delimiter, join } from 'node:path';
import { startDaemon } from './daemon.js';
import { freePort } from './prometheus-server.js';

export interface AlertmanagerServer {
  /** host:port, for Prometheus' alerting config. */
  address: string;
  stop(): Promise<void>;
}

export function findAlertmanager(): string {
  const dirs = (process.env.PATH ?? '').split(delimiter);
  const candidates = [
    process.env.ALERTMANAGER_BIN,
    ...dirs.flatMap((d) => [join(d, 'prometheus-alertmanager'), join(d, 'alertmanager')]),
    '/usr/bin/prometheus-alertmanager',
  ];
  const found = candidates.find((c): c is string => !!c && existsSync(c));
  if (!found)
    throw new Error(
      'This test needs the real Alertmanager, which is not installed: run `apt-get install -y prometheus-alertmanager` (Debian), or set ALERTMANAGER_BIN.',
    );
  return found;
}

export async function startAlertmanager(webhookUrl: string): Promise<AlertmanagerServer> {
  const bin = findAlertmanager();
  const dir = mkdtempSync(join(tmpdir(), 'gpuctl-am-'));
  writeFileSync(
    join(dir, 'alertmanager.yml'),
    [
      'route:',
      '  receiver: webhook',
      "  group_by: ['alertname']",
      '  group_wait: 1s',
      '  group_interval: 1s',
      '  repeat_interval: 1h',
      'receivers:',
      '  - name: webhook',
      '    webhook_configs:',
      `      - url: ${JSON.stringify(webhookUrl)}`,
      '        send_resolved: true',
      '',
    ].join('\n'),
  );
  const port = await freePort();
  const address = `127.0.0.1:${port}`;
  const args = [
    `--config.file=${join(dir, 'alertmanager.yml')}`,
    `--storage.path=${join(dir, 'data')}`,
    `--web.listen-address=${address}`,
    '--cluster.listen-address=',
    '--log.level=warn',
  ];
  const stop = await startDaemon('alertmanager', bin, args, dir, `http://${address}/-/ready`);
  return { address, stop };
}
