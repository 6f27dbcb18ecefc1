/* text.c - text on the framebuffer: glyph blitting and the status screen. */
#include "text.h"

#include <string.h>

static const uint8_t *glyph(char c)
{
    unsigned char u = (unsigned char)c;
    if (u < TEXT_FIRST || u >= TEXT_FIRST + TEXT_GLYPHS)
        u = '?';
    return text_font[u - TEXT_FIRST];
}

static void draw_glyph(const struct fb *fb, int x, int y, const uint8_t *rows,
                       uint32_t fg, uint32_t bg, int scale)
{
    for (int r = 0; r < TEXT_FONT_H; r++)
        for (int c = 0; c < TEXT_FONT_W; c++) {
            uint32_t px = (rows[r] & (0x80 >> c)) ? fg : bg;
            fb_fill(fb, x + c * scale, y + r * scale, scale, scale, px);
        }
}

int text_draw(const struct fb *fb, int x, int y, const char *s, uint32_t fg, uint32_t bg, int scale)
{
    for (; *s; s++, x += TEXT_FONT_W * scale)
        if (x < fb->width)
            draw_glyph(fb, x, y, glyph(*s), fg, bg, scale);
    return x;
}

int text_width(const char *s, int scale)
{
    return (int)strlen(s) * TEXT_FONT_W * scale;
}

void text_screen(const struct fb *fb, const char *const *lines, int n)
{
    /* a dark blue-grey background: visibly "not the remote desktop" */
    uint32_t bg = fb_color(fb, 0x20, 0x28, 0x38), fg = fb_color(fb, 0xe0, 0xe0, 0xe0);
    uint32_t title = fb_color(fb, 0xff, 0xd0, 0x40);
    int scale = fb->width >= 1600 ? 2 : 1;
    int line_h = (TEXT_FONT_H + 8) * scale;
    int y = (fb->height - n * line_h) / 2;
    fb_fill(fb, 0, 0, fb->width, fb->height, bg);
    for (int i = 0; i < n; i++, y += line_h) {
        int x = (fb->width - text_width(lines[i], scale)) / 2;
        text_draw(fb, x < 0 ? 0 : x, y, lines[i], i == 0 ? title : fg, bg, scale);
    }
}
