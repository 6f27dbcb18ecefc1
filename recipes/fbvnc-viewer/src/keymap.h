/* keymap.h - evdev key codes to X keysyms (what RFB key events carry).
 *
 * Each key code has up to four levels: plain, Shift, AltGr, Shift+AltGr.
 * The built-in table is the US layout plus every non-printing key; a keymap
 * file then replaces the entries it lists (format in keymap.c). */
#ifndef FBVNC_KEYMAP_H
#define FBVNC_KEYMAP_H

#include <stddef.h>
#include <stdint.h>

#define KEYMAP_CODES 256
#define KEYMAP_LEVELS 4

/* modifier state bits, for keymap_lookup() */
enum {
    MOD_SHIFT = 1,  /* a Shift key is held */
    MOD_ALTGR = 2,  /* a key whose keysym is ISO_Level3_Shift/Mode_switch is held */
    MOD_CAPS = 4,   /* Caps Lock is on */
    MOD_NUM = 8     /* Num Lock is on */
};

struct keymap {
    uint32_t sym[KEYMAP_CODES][KEYMAP_LEVELS];  /* 0 = nothing on that level */
};

/* The built-in US layout. */
void keymap_init_us(struct keymap *km);

/* Applies a keymap file on top of km. Returns 0, or -1 with "FILE:LINE: why"
 * in err (entries before the bad line stay applied). */
int keymap_load(struct keymap *km, const char *path, char *err, size_t errlen);

/* The keysym for key code under the modifier state, 0 if none. */
uint32_t keymap_lookup(const struct keymap *km, unsigned code, unsigned mods);

/* Parses one keysym token: a single UTF-8 character, 0xHEX, "-" (none), or
 * one of a few names (dead_acute, ISO_Level3_Shift, ...). Returns 0 or -1. */
int keymap_parse_keysym(const char *tok, uint32_t *sym);

#endif
