// Run a command module's handler as the CLI would after parsing, capturing what it prints.
import type { CommandModule } from 'yargs';

export async function runHandler(
  cmd: CommandModule<any, any>,
  args: Record<string, unknown>,
): Promise<{ stdout: string; stderr: string }> {
  const out: string[] = [];
  const err: string[] = [];
  const log = console.log;
  const error = console.error;
  const write = process.stdout.write;
  console.log = (...a: unknown[]) => void out.push(`${a.join(' ')}\n`);
  console.error = (...a: unknown[]) => void err.push(`${a.join(' ')}\n`);
  process.stdout.write = ((chunk: string) => out.push(String(chunk)) > 0) as typeof process.stdout.write;
  try {
    await (cmd.handler as (a: unknown) => Promise<void>)({ _: [], $0: 'gradflow', ...args });
  } finally {
    console.log = log;
    console.error = error;
    process.stdout.write = write;
  }
  return { stdout: out.join(''), stderr: err.join('') };
}
