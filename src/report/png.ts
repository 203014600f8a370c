// SVG -> PNG with resvg. resvg draws text only with fonts it has loaded, so a known TTF is loaded
// explicitly (DejaVu Sans on Debian) and the generic families vega emits map to it; without one
// it falls back to the system's fonts.
import { existsSync } from 'node:fs';
import { Resvg } from '@resvg/resvg-js';

const FONT_CANDIDATES = [
  '/usr/share/fonts/truetype/dejavu/DejaVuSans.ttf',
  '/usr/share/fonts/truetype/liberation/LiberationSans-Regular.ttf',
  '/usr/share/fonts/TTF/DejaVuSans.ttf',
];
const BOLD_CANDIDATES = ['/usr/share/fonts/truetype/dejavu/DejaVuSans-Bold.ttf'];

export function svgToPng(svg: string, scale = 2): Buffer {
  const regular = FONT_CANDIDATES.find((f) => existsSync(f));
  const bold = BOLD_CANDIDATES.find((f) => existsSync(f));
  const family = regular?.includes('Liberation') ? 'Liberation Sans' : 'DejaVu Sans';
  const resvg = new Resvg(svg, {
    fitTo: { mode: 'zoom', value: scale },
    background: 'white',
    font: {
      loadSystemFonts: regular === undefined,
      fontFiles: [regular, bold].filter((f): f is string => f !== undefined),
      defaultFontFamily: family,
      sansSerifFamily: family,
    },
  });
  return resvg.render().asPng();
}
