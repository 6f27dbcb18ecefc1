/* text.h - draw ASCII text on the framebuffer with the built-in 8x16 font
 * (the status screen shown while the viewer is not connected). */
#ifndef FBVNC_TEXT_H
#define FBVNC_TEXT_H

#include <stdint.h>

#include "fb.h"

#define TEXT_FONT_W 8
#define TEXT_FONT_H 16
#define TEXT_FIRST 32
#define TEXT_GLYPHS 95

extern const uint8_t text_font[TEXT_GLYPHS][TEXT_FONT_H];

/* Draws s with its top-left corner at (x, y), each font pixel scale x scale
 * screen pixels; characters outside 32..126 show as '?'; clipped to the
 * screen. Returns the x after the last character. */
int text_draw(const struct fb *fb, int x, int y, const char *s, uint32_t fg, uint32_t bg, int scale);

/* Width in pixels of s at that scale. */
int text_width(const char *s, int scale);

/* Shows a status screen: background colour, then the lines centred
 * horizontally, the block of lines centred vertically. */
void text_screen(const struct fb *fb, const char *const *lines, int n);

#endif
