/* fb.c - open, map and fill the Linux framebuffer (console graphics mode: vt.c). */
#include "fb.h"

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/mman.h>
#include <unistd.h>

#include <linux/fb.h>

static int check_format(const struct fb_var_screeninfo *v, const struct fb_fix_screeninfo *f,
                        char *err, size_t errlen)
{
    if (f->type != FB_TYPE_PACKED_PIXELS || f->visual != FB_VISUAL_TRUECOLOR) {
        snprintf(err, errlen, "framebuffer is not packed true colour (type %u, visual %u)",
                 f->type, f->visual);
        return -1;
    }
    if (v->bits_per_pixel != 16 && v->bits_per_pixel != 24 && v->bits_per_pixel != 32) {
        snprintf(err, errlen, "%u bits per pixel: only 16, 24 and 32 are supported", v->bits_per_pixel);
        return -1;
    }
    if (v->red.length == 0 || v->green.length == 0 || v->blue.length == 0 ||
        v->red.length > 8 || v->green.length > 8 || v->blue.length > 8 ||
        v->red.offset + v->red.length > v->bits_per_pixel ||
        v->green.offset + v->green.length > v->bits_per_pixel ||
        v->blue.offset + v->blue.length > v->bits_per_pixel) {
        snprintf(err, errlen, "unusable colour layout");
        return -1;
    }
    return 0;
}

static void set_geometry(struct fb *fb, const struct fb_var_screeninfo *v,
                         const struct fb_fix_screeninfo *f, size_t page_offset)
{
    fb->width = (int)v->xres;
    fb->height = (int)v->yres;
    fb->bytespp = (int)v->bits_per_pixel / 8;
    fb->stride = (int)f->line_length;
    fb->red = (struct fb_channel){(uint8_t)v->red.offset, (uint8_t)v->red.length};
    fb->green = (struct fb_channel){(uint8_t)v->green.offset, (uint8_t)v->green.length};
    fb->blue = (struct fb_channel){(uint8_t)v->blue.offset, (uint8_t)v->blue.length};
    fb->pixels = fb->map + page_offset + (size_t)v->yoffset * f->line_length +
                 (size_t)v->xoffset * (size_t)fb->bytespp;
}

int fb_open(struct fb *fb, const char *dev, char *err, size_t errlen)
{
    struct fb_var_screeninfo v;
    struct fb_fix_screeninfo f;
    memset(fb, 0, sizeof *fb);
    fb->fd = open(dev, O_RDWR | O_CLOEXEC);
    if (fb->fd < 0) {
        snprintf(err, errlen, "%s: %s", dev, strerror(errno));
        return -1;
    }
    if (ioctl(fb->fd, FBIOGET_VSCREENINFO, &v) != 0 || ioctl(fb->fd, FBIOGET_FSCREENINFO, &f) != 0) {
        snprintf(err, errlen, "%s: cannot read its mode: %s", dev, strerror(errno));
        goto fail;
    }
    if (check_format(&v, &f, err, errlen) != 0)
        goto fail;
    size_t page_offset = f.smem_start & (size_t)(sysconf(_SC_PAGESIZE) - 1);
    size_t need = (size_t)(v.yoffset + v.yres) * f.line_length;
    fb->map_len = page_offset + f.smem_len;
    if (f.smem_len < need) {
        snprintf(err, errlen, "%s: %u bytes of video memory for a %ux%u mode", dev, f.smem_len, v.xres, v.yres);
        goto fail;
    }
    fb->map = mmap(NULL, fb->map_len, PROT_READ | PROT_WRITE, MAP_SHARED, fb->fd, 0);
    if (fb->map == MAP_FAILED) {
        snprintf(err, errlen, "%s: mmap: %s", dev, strerror(errno));
        fb->map = NULL;
        goto fail;
    }
    set_geometry(fb, &v, &f, page_offset);
    return 0;
fail:
    close(fb->fd);
    fb->fd = -1;
    return -1;
}

void fb_close(struct fb *fb)
{
    if (fb->map)
        munmap(fb->map, fb->map_len);
    if (fb->fd >= 0)
        close(fb->fd);
    fb->fd = -1;
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
    if (w <= 0 || h <= 0)
        return;
    uint8_t *row = fb_at(fb, x, y);
    for (int i = 0; i < w; i++)
        fb_store(fb, row + (size_t)i * (size_t)fb->bytespp, pixel);
    for (int j = 1; j < h; j++)
        memcpy(row + (size_t)j * (size_t)fb->stride, row, (size_t)w * (size_t)fb->bytespp);
}
