// The manual holds together: every relative link in README.md and docs/ points at a file that exists,
// and every command the README's table names answers --help with examples.
import { spawnSync } from 'node:child_process';
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { dirname, join, relative } from 'node:path';
import { cliPath, packageRoot } from '../cli.js';

function markdownFiles(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const path = join(dir, name);
    return statSync(path).isDirectory() ? markdownFiles(path) : name.endsWith('.md') ? [path] : [];
  });
}

const pages = [join(packageRoot, 'README.md'), ...markdownFiles(join(packageRoot, 'docs'))];

/** Link targets of [text](target) and ![alt](target), outside fenced code blocks. */
function linkTargets(markdown: string): string[] {
  const prose = markdown.replace(/^```[\s\S]*?^```/gm, '');
  return [...prose.matchAll(/!?\[[^\]]*\]\(([^)\s]+)(?:\s+"[^"]*")?\)/g)].map((m) => m[1]);
}

test('the README is a front page and docs/ has an index', () => {
  const readme = readFileSync(pages[0], 'utf8');
  expect(readme.split('\n').length).toBeLessThanOrEqual(200);
  expect(linkTargets(readme)).toContain('docs/README.md');
  const index = linkTargets(readFileSync(join(packageRoot, 'docs', 'README.md'), 'utf8'));
  const topPages = readdirSync(join(packageRoot, 'docs')).filter(
    (f) => f.endsWith('.md') && f !== 'README.md',
  );
  for (const page of topPages) expect(index).toContain(page);
});

test('every relative link in README.md and docs/ resolves', () => {
  const broken: string[] = [];
  let checked = 0;
  for (const page of pages) {
    for (const target of linkTargets(readFileSync(page, 'utf8'))) {
      if (/^[a-z]+:/i.test(target) || target.startsWith('#')) continue; // https:, mailto:, in-page
      const path = decodeURI(target.split('#')[0]);
      checked += 1;
      if (!existsSync(join(dirname(page), path))) broken.push(`${relative(packageRoot, page)}: ${target}`);
    }
  }
  expect(broken).toEqual([]);
  expect(checked).toBeGreaterThan(50);
});

test('every command in the README table answers --help with examples', () => {
  const readme = readFileSync(pages[0], 'utf8');
  const commands = [...new Set([...readme.matchAll(/^\| \[?`gradflow ([a-z-]+)/gm)].map((m) => m[1]))];
  expect(commands.length).toBeGreaterThanOrEqual(13);
  for (const command of commands) {
    const r = spawnSync(process.execPath, [cliPath, command, '--help'], { encoding: 'utf8' });
    expect({ command, status: r.status }).toEqual({ command, status: 0 });
    expect(r.stdout).toContain(`gradflow ${command}`);
    expect(r.stdout).toMatch(/Examples:/);
  }
});
