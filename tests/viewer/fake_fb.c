/* fake_fb.c - fb.c for the host build of the viewer: an 800x600, 32-bit
 * framebuffer in ordinary memory (ASan sees every access to it). With
 * FBVNC_FAKE_FB_FAIL=N in the environment the first N opens fail, as on a
 * client without a framebuffer. */
#include "fb.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static int failures_left = -1;

int fb_open(struct fb *fb, const char *dev, char *err, size_t errlen)
{
    memset(fb, 0, sizeof *fb);
    fb->fd = -1;
    if (failures_left < 0) {
        const char *e = getenv("FBVNC_FAKE_FB_FAIL");
        failures_left = e ? atoi(e) : 0;
    }
    if (failures_left > 0) {
        failures_left--;
        snprintf(err, errlen, "%s: No such file or directory (fake)", dev);
        return -1;
    }
    fb->width = 800;
    fb->height = 600;
    fb->bytespp = 4;
    fb->stride = 800 * 4;
    fb->red = (struct fb_channel){16, 8};
    fb->green = (struct fb_channel){8, 8};
    fb->blue = (struct fb_channel){0, 8};
    fb->map_len = (size_t)fb->stride * (size_t)fb->height;
    fb->map = malloc(fb->map_len);
    if (!fb->map) {
        snprintf(err, errlen, "out of memory");
        return -1;
    }
    fb->pixels = fb->map;
    return 0;
}

void fb_close(struct fb *fb)
{
    free(fb->map);
    fb->map = NULL;
}

static uint32_t channel(uint8_t value, struct fb_channel c)
{
    return (uint32_t)(value >> (8 - c.length)) << c.offset;
}

uint32_t fb_color(const struct fb *fb, uint8_t r, uint8_t g, uint8_t b)
{
    return channel(r, fb->red) | channel(g, fb->green) | channel(b, fb->blue);
}

void fb_fill(const struct fb *fb, int x, int y, int w, int h, uint32_t pixel)
{
    if (x < 0) { w += x; x = 0; }
    if (y < 0) { h += y; y = 0; }
    if (x + w > fb->width) w = fb->width - x;
    if (y + h > fb->height) h = fb->height - y;
    for (int j = 0; j < h; j++)
        for (int i = 0; i < w; i++)
            fb_store(fb, fb_at(fb, x + i, y + j), pixel);
}
