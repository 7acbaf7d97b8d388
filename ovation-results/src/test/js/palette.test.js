import assert from 'node:assert/strict';
import { test } from 'node:test';
import { createPalette } from '../../main/resources/dev/ovation/results/web/js/palette.js';

test('a band keeps the hue it first got whatever comes after it', () => {
  const palette = createPalette();

  assert.equal(palette.bandColor('Queen'), 'hsl(222 62% 46%)');
  assert.equal(palette.bandColor('Abba'), 'hsl(18 62% 46%)');
  assert.equal(palette.bandColor('Queen'), 'hsl(222 62% 46%)');
});

test('hues come round again after twelve bands', () => {
  const palette = createPalette();
  for (let i = 0; i < 12; i++) palette.bandColor('band ' + i);

  assert.equal(palette.bandColor('band 12'), 'hsl(222 62% 46%)');
});

test('albums are shades of their band from dark to light', () => {
  const palette = createPalette();
  palette.bandColor('Queen');

  assert.equal(palette.albumColor('Queen', 0, 1), 'hsl(222 58% 46%)');
  assert.deepEqual([0, 1, 2].map((i) => palette.albumColor('Queen', i, 3)),
    ['hsl(222 58% 34%)', 'hsl(222 58% 51%)', 'hsl(222 58% 68%)']);
});

test('clear forgets the hues, for another contest', () => {
  const palette = createPalette();
  palette.bandColor('Queen');
  palette.clear();

  assert.equal(palette.bandColor('Abba'), 'hsl(222 62% 46%)');
});
