/*
 * The charts' colours. Each band keeps the hue it first got, so a band overtaking another does not
 * change colour; a band's albums are lighter and darker shades of its hue.
 */

const HUES = [222, 18, 158, 290, 42, 192, 340, 96, 260, 28, 175, 0];

/** A palette for one contest; {@code clear} forgets the bands' hues when another contest is shown. */
export function createPalette() {
  const hues = new Map();

  function hueOf(band) {
    if (!hues.has(band)) hues.set(band, HUES[hues.size % HUES.length]);
    return hues.get(band);
  }

  function bandColor(band) {
    return 'hsl(' + hueOf(band) + ' 62% 46%)';
  }

  function albumColor(band, albumIndex, albumCount) {
    const light = albumCount <= 1 ? 46 : 34 + Math.round(34 * albumIndex / (albumCount - 1));
    return 'hsl(' + hueOf(band) + ' 58% ' + light + '%)';
  }

  return { bandColor, albumColor, clear: () => hues.clear() };
}
