/* fb.h - the Linux framebuffer (/dev/fb0), mapped into memory: true-colour
 * 16, 24 and 32 bits per pixel. (While it is in use, vt.c keeps the console
 * in graphics mode so that no console text is drawn over it.) */
#ifndef FBVNC_FB_H
#define FBVNC_FB_H

#include <stddef.h>
#include <stdint.h>

struct fb_channel {
    uint8_t offset, length;  /* bit position and width of a colour channel */
};

struct fb {
    int fd;
    uint8_t *map;            /* the mmap()ed area */
    size_t map_len;
    uint8_t *pixels;         /* top-left visible pixel */
    int width, height;       /* visible size */
    int stride;              /* bytes per line */
    int bytespp;             /* 2, 3 or 4 */
    struct fb_channel red, green, blue;
};

/* Opens and maps dev; on failure returns -1 with a reason in err. */
int fb_open(struct fb *fb, const char *dev, char *err, size_t errlen);
void fb_close(struct fb *fb);

/* A pixel value in the framebuffer's format. */
uint32_t fb_color(const struct fb *fb, uint8_t r, uint8_t g, uint8_t b);

/* Fills a rectangle (clipped to the screen) with a pixel value. */
void fb_fill(const struct fb *fb, int x, int y, int w, int h, uint32_t pixel);

/* Address of pixel (x, y); x and y must be on the screen. */
static inline uint8_t *fb_at(const struct fb *fb, int x, int y)
{
    return fb->pixels + (size_t)y * (size_t)fb->stride + (size_t)x * (size_t)fb->bytespp;
}

/* Stores one pixel value at p (2, 3 or 4 bytes, little-endian). */
static inline void fb_store(const struct fb *fb, uint8_t *p, uint32_t pixel)
{
    p[0] = (uint8_t)pixel;
    p[1] = (uint8_t)(pixel >> 8);
    if (fb->bytespp > 2)
        p[2] = (uint8_t)(pixel >> 16);
    if (fb->bytespp > 3)
        p[3] = (uint8_t)(pixel >> 24);
}

#endif
