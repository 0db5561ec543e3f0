import fs from 'node:fs';
import path from 'node:path';

/** One Dockerfile instruction, continuation lines joined, flags (--from, --mount) split off. */
export interface Instruction {
  op: string;
  flags: Record<string, string>;
  args: string;
}

export interface Stage {
  name: string;
  image: string;
  steps: Instruction[];
}

export function parseDockerfile(text: string): Stage[] {
  const stages: Stage[] = [];
  const logical = text.replace(/\\\n/g, ' ').split('\n').map((l) => l.trim()).filter((l) => l && !l.startsWith('#'));
  for (const line of logical) {
    const [, op, rest] = /^(\w+)\s+(.*)$/.exec(line)!;
    const flags: Record<string, string> = {};
    let args = rest;
    for (let m = /^--([\w-]+)=(\S+)\s+/.exec(args); m; m = /^--([\w-]+)=(\S+)\s+/.exec(args)) {
      flags[m[1]] = m[2];
      args = args.slice(m[0].length);
    }
    if (op.toUpperCase() === 'FROM') {
      const [, image, name] = /^(\S+)(?:\s+AS\s+(\S+))?/i.exec(args)!;
      stages.push({ name: name ?? String(stages.length), image, steps: [] });
    } else stages[stages.length - 1].steps.push({ op: op.toUpperCase(), flags, args });
  }
  return stages;
}

/** JSON (exec) form or shell form of CMD / HEALTHCHECK CMD, as an argv. */
export function execForm(args: string): string[] {
  const json = args.replace(/^CMD\s+/, '');
  return json.startsWith('[') ? (JSON.parse(json) as string[]) : ['/bin/sh', '-c', json];
}

/** The build context: files under `root` that .dockerignore does not exclude (relative paths). */
export function buildContext(root: string): string[] {
  const ignore = fs.existsSync(path.join(root, '.dockerignore'))
    ? fs.readFileSync(path.join(root, '.dockerignore'), 'utf8').split('\n').map((l) => l.trim()).filter((l) => l && !l.startsWith('#'))
    : [];
  const patterns = ignore.map((p) => {
    const negate = p.startsWith('!');
    const body = (negate ? p.slice(1) : p).replace(/^\/+|\/+$/g, '');
    const re = body.split('/').map((seg) => (seg === '**' ? '(?:.*/)?' : `${seg.replace(/[.+^${}()|[\]\\]/g, '\\$&').replace(/\*/g, '[^/]*').replace(/\?/g, '[^/]')}/`)).join('');
    return { negate, re: new RegExp(`^${re.replace(/\(\?:\.\*\/\)\?\//g, '(?:.*/)?')}`) };
  });
  const excluded = (rel: string) => {
    let out = false;
    for (const p of patterns) if (p.re.test(`${rel}/`)) out = !p.negate;
    return out;
  };
  const files: string[] = [];
  const walk = (dir: string) => {
    for (const e of fs.readdirSync(path.join(root, dir), { withFileTypes: true })) {
      const rel = dir ? `${dir}/${e.name}` : e.name;
      if (excluded(rel)) continue;
      if (e.isDirectory()) walk(rel);
      else files.push(rel);
    }
  };
  walk('');
  return files;
}
