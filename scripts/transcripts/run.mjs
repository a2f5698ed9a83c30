// Runs one transcript scenario (scripts/transcripts/scenarios.mjs) in a fresh directory and returns each shown
// step's transcript: `$ gpuctl <command>`, what it printed (stdout and stderr as they came), `(exit N)`.
// Step kinds: { run } a gpuctl command line (shown; `hidden: true` runs it as set-up), { edit } files of the
// directory, { tool } a fake tool run as set-up, { serve } a loopback HTTP server, { agent } `gpuctl agent` in the
// background with one request to it. Ports of servers are the page's in what is shown, whatever they were here.
import { execa } from 'execa';
import { closeSync, existsSync, mkdirSync, mkdtempSync, openSync, readFileSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:http';
import { tmpdir } from 'node:os';
import { delimiter, join } from 'node:path';

/** A directory holding node and the named fakes of test/bin, and nothing else: PATH for a scenario. */
function fakeBin(root, base, tools, host) {
  const bin = join(base, 'bin');
  mkdirSync(bin);
  symlinkSync(process.execPath, join(bin, 'node'));
  for (const tool of tools) symlinkSync(join(root, 'test/bin', tool), join(bin, tool));
  for (const tool of host) {
    const found = (process.env.PATH ?? '')
      .split(delimiter)
      .map((dir) => join(dir, tool))
      .find((file) => existsSync(file));
    if (!found) throw new Error(`${tool} is not on PATH; the transcripts need it`);
    symlinkSync(found, join(bin, tool));
  }
  return bin;
}

/** A loopback server answering `routes` (path → [status, body]) after `delayMs`; resolves to it and its port. */
async function serve({ routes, delayMs = 0 }) {
  const server = createServer((req, res) => {
    const [status, body] = routes[req.url] ?? [404, '{"error":"not found"}'];
    setTimeout(() => res.writeHead(status, { 'content-type': 'application/json' }).end(body), delayMs);
  });
  await new Promise((done) => server.listen(0, '127.0.0.1', done));
  return { server, port: server.address().port };
}

export async function runScenario(scenario, root) {
  const base = mkdtempSync(join(tmpdir(), 'gpuctl-transcripts-'));
  const cwd = join(base, scenario.dir);
  mkdirSync(cwd);
  const home = join(base, 'home');
  mkdirSync(home);
  const ctx = { base, cwd, home, root };
  const env = {
    PATH: fakeBin(root, base, scenario.tools ?? [], scenario.host ?? []),
    HOME: home,
    XDG_CACHE_HOME: join(home, '.cache'),
    NO_COLOR: '1',
    TMPDIR: tmpdir(),
    ...(scenario.env?.(ctx) ?? {}),
  };
  const ports = []; // [port shown on the page, port here]
  const servers = [];
  const shownText = (text) => {
    let out = text;
    for (const [actual, shown] of scenario.aliases?.(ctx) ?? []) out = out.replaceAll(actual, shown);
    for (const [page, here] of ports) out = out.replaceAll(`127.0.0.1:${here}`, `127.0.0.1:${page}`);
    return out.replaceAll(base, '<tmp>');
  };
  const argv = (line) => {
    let out = line;
    for (const [page, here] of ports) out = out.replaceAll(`127.0.0.1:${page}`, `127.0.0.1:${here}`);
    return out.split(' ');
  };
  const gpuctl = (args, extra = {}, stdio = undefined) =>
    execa(process.execPath, [join(root, 'bin/gpuctl.js'), ...args], {
      cwd,
      ...(stdio ? { stdio } : { all: true }),
      reject: false,
      timeout: 30_000,
      extendEnv: false,
      env: { ...env, ...extra },
    });
  const out = [];
  try {
    for (const step of scenario.steps) {
      if (step.edit) {
        if (typeof step.edit === 'function') step.edit(cwd, ctx);
        else for (const [name, text] of Object.entries(step.edit)) writeFileSync(join(cwd, name), text);
      } else if (step.tool) {
        const [tool, ...args] = step.tool;
        const r = await execa(join(env.PATH, tool), args, { cwd, reject: false, timeout: 30_000, extendEnv: false, env });
        if (r.exitCode !== 0) throw new Error(`${step.tool.join(' ')} failed: ${r.stderr}`);
      } else if (step.serve) {
        const { server, port } = await serve(step.serve);
        servers.push(server);
        ports.push([step.serve.port, port]);
      } else if (step.agent) {
        out.push({ step: { ...step, run: step.agent.run }, text: await agentTranscript(step.agent, gpuctl, shownText) });
      } else {
        // stdout and stderr into one file through one descriptor: in the order the command wrote them, as a terminal shows.
        const log = join(base, 'output.txt');
        const fd = openSync(log, 'w');
        const result = await gpuctl(argv(step.run), step.env, ['ignore', fd, fd]).finally(() => closeSync(fd));
        const all = readFileSync(log, 'utf8');
        if (step.hidden) {
          if (result.exitCode !== 0) throw new Error(`gpuctl ${step.run} failed:\n${all}`);
          continue;
        }
        const text = `$ gpuctl ${step.run}\n${all ? `${all.replace(/\n$/, '')}\n` : ''}(exit ${result.exitCode})\n`;
        out.push({ step, text: shownText(text) });
      }
    }
  } finally {
    for (const server of servers) server.close();
    rmSync(base, { recursive: true, force: true });
  }
  return out;
}

/** `gpuctl agent` on a free port: its first line, then one request as the page shows it (e.g. curl), then stopped. */
async function agentTranscript({ run, port, fetch: path, shown }, gpuctl, shownText) {
  const args = run.replace(`127.0.0.1:${port}`, '127.0.0.1:0').split(' ');
  const child = gpuctl(args);
  try {
    const first = await new Promise((done, fail) => {
      let text = '';
      child.stdout.on('data', (chunk) => {
        text += chunk;
        if (text.includes('\n')) done(text.split('\n')[0]);
      });
      child.then((r) => fail(new Error(`gpuctl ${run} exited ${r.exitCode}:\n${r.all}`)));
    });
    const here = /127\.0\.0\.1:(\d+)/.exec(first)?.[1];
    // One sample in: the fake nvidia-smi's first loop line.
    await new Promise((done) => setTimeout(done, 1500));
    const body = await (await globalThis.fetch(`http://127.0.0.1:${here}${path}`)).text();
    return shownText(
      `$ gpuctl ${run}\n${first.replace(`127.0.0.1:${here}`, `127.0.0.1:${port}`)}\n$ ${shown}\n${body.replace(/\n$/, '')}\n`,
    );
  } finally {
    child.kill('SIGTERM');
    await child;
  }
}
