/**
 * WCAG 2.1 contrast: relative luminance, contrast ratio, and the smallest change of a
 * colour (mixed towards black or white, hue kept) that reaches a required ratio.
 */
function channels(hex: string): [number, number, number] {
  const h = hex.replace('#', '');
  const full = h.length === 3 ? [...h].map((c) => c + c).join('') : h;
  return [0, 2, 4].map((i) => parseInt(full.slice(i, i + 2), 16)) as [number, number, number];
}

function toHex(rgb: readonly number[]): string {
  return `#${rgb
    .map((c) =>
      Math.round(Math.min(255, Math.max(0, c)))
        .toString(16)
        .padStart(2, '0'),
    )
    .join('')}`;
}

export function relativeLuminance(hex: string): number {
  const [r, g, b] = channels(hex).map((c) => {
    const s = c / 255;
    return s <= 0.03928 ? s / 12.92 : ((s + 0.055) / 1.055) ** 2.4;
  }) as [number, number, number];
  return 0.2126 * r + 0.7152 * g + 0.0722 * b;
}

export function contrastRatio(a: string, b: string): number {
  const [l1, l2] = [relativeLuminance(a), relativeLuminance(b)].sort((x, y) => y - x) as [number, number];
  return (l1 + 0.05) / (l2 + 0.05);
}

/** `color` itself when it meets `min` against `background`, else the closest mix towards black or white that does. */
export function ensureContrast(color: string, background: string, min: number): string {
  if (contrastRatio(color, background) >= min) return color;
  const towards = relativeLuminance(background) > 0.18 ? [0, 0, 0] : [255, 255, 255];
  const rgb = channels(color);
  for (let step = 1; step <= 20; step++) {
    const t = step / 20;
    const mixed = toHex(rgb.map((c, i) => c + (towards[i]! - c) * t));
    if (contrastRatio(mixed, background) >= min) return mixed;
  }
  return toHex(towards);
}
