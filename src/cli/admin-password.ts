import type { Readable, Writable } from 'node:stream';

export interface PasswordSources {
  argv: readonly string[];
  /** ADMIN_PASSWORD from the environment (config.ts reads it). */
  envPassword: string | undefined;
  stdin: Readable & { isTTY?: boolean };
  stderr: Writable;
}

async function readAll(stream: Readable): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const c of stream) chunks.push(Buffer.isBuffer(c) ? c : Buffer.from(String(c)));
  return Buffer.concat(chunks).toString('utf8');
}

/** Reads one line typed at a terminal without echoing it (raw mode; listeners, so stdin stays usable after). */
function prompt(stdin: Readable & { setRawMode?: (raw: boolean) => void }, stderr: Writable, question: string): Promise<string> {
  stderr.write(question);
  stdin.setRawMode?.(true);
  stdin.resume();
  return new Promise((resolve, reject) => {
    let typed = '';
    const done = (err: Error | null) => {
      stdin.off('data', onData);
      stdin.setRawMode?.(false);
      stdin.pause();
      stderr.write('\n');
      if (err) reject(err);
      else resolve(typed);
    };
    const onData = (chunk: Buffer | string) => {
      for (const ch of String(chunk)) {
        if (ch === '\r' || ch === '\n') return done(null);
        if (ch === '\u0003') return done(new Error('cancelled'));
        typed = ch === '\u007f' || ch === '\b' ? typed.slice(0, -1) : typed + ch;
      }
    };
    stdin.on('data', onData);
  });
}

/**
 * The new administrator's password, never from the command line by default (argv shows in `ps` and shell history):
 * ADMIN_PASSWORD, else standard input (piped: its first line; a terminal: typed twice, not echoed).
 * `--password` still works, with a warning.
 */
export async function readAdminPassword(src: PasswordSources): Promise<string> {
  const i = src.argv.indexOf('--password');
  if (i >= 0 && src.argv[i + 1] !== undefined) {
    src.stderr.write('Warning: --password puts the password in the process list and your shell history; use ADMIN_PASSWORD or standard input.\n');
    return src.argv[i + 1];
  }
  if (src.envPassword) return src.envPassword;
  if (!src.stdin.isTTY) return (await readAll(src.stdin)).split(/\r?\n/)[0];
  const first = await prompt(src.stdin, src.stderr, 'Password for the new SYSTEM_ADMIN: ');
  const again = await prompt(src.stdin, src.stderr, 'Repeat it: ');
  if (first !== again) throw new Error('The two passwords differ.');
  return first;
}
