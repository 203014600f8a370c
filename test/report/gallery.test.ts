// The committed galleries are reports of their committed rows: rebuilding each one from its runs gives
// the committed report.html, apart from the time it was generated. A change to figures or findings
// that moves a gallery's report shows up here, so the gallery is rebuilt with it.
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { buildReport } from '../../src/report/build.js';
import { removeTempDirs, tempDir } from './fake-results.js';

afterAll(removeTempDirs);

const GALLERY = 'docs/gallery';
const galleries = readdirSync(GALLERY).filter((name) => existsSync(join(GALLERY, name, 'report.html')));
const withoutTime = (html: string) => html.replace(/ · generated [0-9T:.Z-]+ by gradflow/, '');

test('there is a committed gallery to check', () => {
  expect(galleries).toEqual(expect.arrayContaining(['fashion-mnist-degradation', 'fashion-mnist-accuracy']));
});

test.each(galleries)(
  '%s: its report rebuilds from the committed rows',
  async (name) => {
    const out = join(await tempDir('gallery'), 'report.html');
    const dir = join(GALLERY, name);
    const result = await buildReport([dir], { out });
    const runs = readdirSync(dir).filter((entry) => existsSync(join(dir, entry, 'manifest.json')));
    expect(result.runs).toBe(runs.length);
    expect(withoutTime(readFileSync(out, 'utf8'))).toBe(
      withoutTime(readFileSync(join(dir, 'report.html'), 'utf8')),
    );
  },
  120_000,
);
