/* keymap.c - the built-in US layout and keymap files.
 *
 * A keymap file (e.g. /usr/share/fbvnc/keymaps/de) has one key per line:
 *     CODE  PLAIN  [SHIFT  [ALTGR  [SHIFT+ALTGR]]]
 * CODE is the Linux evdev key code in decimal (KEY_Q = 16, see
 * <linux/input-event-codes.h>); each keysym is a single UTF-8 character
 * (q, Q, @, é, €), 0xHEX (an X keysym), "-" (nothing on that level), or a
 * name: space, dead_grave, dead_acute, dead_circumflex, dead_tilde,
 * dead_diaeresis, dead_cedilla, ISO_Level3_Shift, Mode_switch, Multi_key,
 * Alt_R. A line replaces all four levels of its key. Lines whose first
 * non-blank character is # are comments. A missing Shift or AltGr level
 * falls back to the level below it. */
#include "keymap.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <linux/input-event-codes.h>
#include <rfb/keysym.h>

struct us_key {
    uint8_t code;
    uint16_t plain, shift;
};

static const struct us_key us_keys[] = {
    {KEY_ESC, XK_Escape, 0}, {KEY_1, '1', '!'}, {KEY_2, '2', '@'}, {KEY_3, '3', '#'},
    {KEY_4, '4', '$'}, {KEY_5, '5', '%'}, {KEY_6, '6', '^'}, {KEY_7, '7', '&'},
    {KEY_8, '8', '*'}, {KEY_9, '9', '('}, {KEY_0, '0', ')'}, {KEY_MINUS, '-', '_'},
    {KEY_EQUAL, '=', '+'}, {KEY_BACKSPACE, XK_BackSpace, 0}, {KEY_TAB, XK_Tab, XK_ISO_Left_Tab},
    {KEY_Q, 'q', 'Q'}, {KEY_W, 'w', 'W'}, {KEY_E, 'e', 'E'}, {KEY_R, 'r', 'R'},
    {KEY_T, 't', 'T'}, {KEY_Y, 'y', 'Y'}, {KEY_U, 'u', 'U'}, {KEY_I, 'i', 'I'},
    {KEY_O, 'o', 'O'}, {KEY_P, 'p', 'P'}, {KEY_LEFTBRACE, '[', '{'}, {KEY_RIGHTBRACE, ']', '}'},
    {KEY_ENTER, XK_Return, 0}, {KEY_LEFTCTRL, XK_Control_L, 0},
    {KEY_A, 'a', 'A'}, {KEY_S, 's', 'S'}, {KEY_D, 'd', 'D'}, {KEY_F, 'f', 'F'},
    {KEY_G, 'g', 'G'}, {KEY_H, 'h', 'H'}, {KEY_J, 'j', 'J'}, {KEY_K, 'k', 'K'},
    {KEY_L, 'l', 'L'}, {KEY_SEMICOLON, ';', ':'}, {KEY_APOSTROPHE, '\'', '"'},
    {KEY_GRAVE, '`', '~'}, {KEY_LEFTSHIFT, XK_Shift_L, 0}, {KEY_BACKSLASH, '\\', '|'},
    {KEY_Z, 'z', 'Z'}, {KEY_X, 'x', 'X'}, {KEY_C, 'c', 'C'}, {KEY_V, 'v', 'V'},
    {KEY_B, 'b', 'B'}, {KEY_N, 'n', 'N'}, {KEY_M, 'm', 'M'}, {KEY_COMMA, ',', '<'},
    {KEY_DOT, '.', '>'}, {KEY_SLASH, '/', '?'}, {KEY_RIGHTSHIFT, XK_Shift_R, 0},
    {KEY_KPASTERISK, XK_KP_Multiply, 0}, {KEY_LEFTALT, XK_Alt_L, 0}, {KEY_SPACE, ' ', 0},
    {KEY_CAPSLOCK, XK_Caps_Lock, 0},
    {KEY_F1, XK_F1, 0}, {KEY_F2, XK_F2, 0}, {KEY_F3, XK_F3, 0}, {KEY_F4, XK_F4, 0},
    {KEY_F5, XK_F5, 0}, {KEY_F6, XK_F6, 0}, {KEY_F7, XK_F7, 0}, {KEY_F8, XK_F8, 0},
    {KEY_F9, XK_F9, 0}, {KEY_F10, XK_F10, 0}, {KEY_F11, XK_F11, 0}, {KEY_F12, XK_F12, 0},
    {KEY_NUMLOCK, XK_Num_Lock, 0}, {KEY_SCROLLLOCK, XK_Scroll_Lock, 0},
    /* keypad: the Shift level is what Num Lock gives */
    {KEY_KP7, XK_KP_Home, XK_KP_7}, {KEY_KP8, XK_KP_Up, XK_KP_8}, {KEY_KP9, XK_KP_Prior, XK_KP_9},
    {KEY_KPMINUS, XK_KP_Subtract, 0}, {KEY_KP4, XK_KP_Left, XK_KP_4}, {KEY_KP5, XK_KP_Begin, XK_KP_5},
    {KEY_KP6, XK_KP_Right, XK_KP_6}, {KEY_KPPLUS, XK_KP_Add, 0}, {KEY_KP1, XK_KP_End, XK_KP_1},
    {KEY_KP2, XK_KP_Down, XK_KP_2}, {KEY_KP3, XK_KP_Next, XK_KP_3}, {KEY_KP0, XK_KP_Insert, XK_KP_0},
    {KEY_KPDOT, XK_KP_Delete, XK_KP_Decimal}, {KEY_KPENTER, XK_KP_Enter, 0},
    {KEY_KPSLASH, XK_KP_Divide, 0}, {KEY_KPEQUAL, XK_KP_Equal, 0},
    {KEY_102ND, '<', '>'}, {KEY_RIGHTCTRL, XK_Control_R, 0}, {KEY_SYSRQ, XK_Print, 0},
    {KEY_RIGHTALT, XK_Alt_R, 0}, {KEY_HOME, XK_Home, 0}, {KEY_UP, XK_Up, 0},
    {KEY_PAGEUP, XK_Prior, 0}, {KEY_LEFT, XK_Left, 0}, {KEY_RIGHT, XK_Right, 0},
    {KEY_END, XK_End, 0}, {KEY_DOWN, XK_Down, 0}, {KEY_PAGEDOWN, XK_Next, 0},
    {KEY_INSERT, XK_Insert, 0}, {KEY_DELETE, XK_Delete, 0}, {KEY_PAUSE, XK_Pause, 0},
    {KEY_LEFTMETA, XK_Super_L, 0}, {KEY_RIGHTMETA, XK_Super_R, 0}, {KEY_COMPOSE, XK_Menu, 0},
};

void keymap_init_us(struct keymap *km)
{
    memset(km, 0, sizeof *km);
    for (size_t i = 0; i < sizeof us_keys / sizeof *us_keys; i++) {
        km->sym[us_keys[i].code][0] = us_keys[i].plain;
        km->sym[us_keys[i].code][1] = us_keys[i].shift;
    }
}

/* A lower-case Latin-1 letter whose Shift level is its capital. */
static int caps_applies(const uint32_t *s)
{
    uint32_t c = s[0];
    int lower = (c >= 'a' && c <= 'z') || (c >= 0xe0 && c <= 0xfe && c != 0xf7);
    return lower && s[1] == c - 0x20;
}

static int is_keypad(uint32_t sym)
{
    return sym >= XK_KP_Home && sym <= XK_KP_Delete;
}

uint32_t keymap_lookup(const struct keymap *km, unsigned code, unsigned mods)
{
    if (code >= KEYMAP_CODES)
        return 0;
    const uint32_t *s = km->sym[code];
    int shift = (mods & MOD_SHIFT) != 0;
    if ((mods & MOD_CAPS) && caps_applies(s))
        shift = !shift;
    if ((mods & MOD_NUM) && is_keypad(s[0]))
        shift = !shift;
    int level = ((mods & MOD_ALTGR) ? 2 : 0) + shift;
    if (!s[level] && (level & 1))
        level &= 2;   /* no Shift symbol: the unshifted one of that group */
    if (!s[level])
        level = shift && s[1] ? 1 : 0;
    return s[level];
}

/* One UTF-8 character filling the whole token; -1 if it is not that. */
static long utf8_char(const unsigned char *t)
{
    long cp;
    int more;
    if (t[0] < 0x80) { cp = t[0]; more = 0; }
    else if ((t[0] & 0xe0) == 0xc0) { cp = t[0] & 0x1f; more = 1; }
    else if ((t[0] & 0xf0) == 0xe0) { cp = t[0] & 0x0f; more = 2; }
    else if ((t[0] & 0xf8) == 0xf0) { cp = t[0] & 0x07; more = 3; }
    else return -1;
    for (int i = 1; i <= more; i++) {
        if ((t[i] & 0xc0) != 0x80)
            return -1;
        cp = (cp << 6) | (t[i] & 0x3f);
    }
    return t[more + 1] == '\0' && cp >= 0x20 ? cp : -1;
}

static uint32_t unicode_keysym(long cp)
{
    if ((cp >= 0x20 && cp <= 0x7e) || (cp >= 0xa0 && cp <= 0xff))
        return (uint32_t)cp;          /* Latin-1 keysyms are the code points */
    if (cp == 0x20ac)
        return XK_EuroSign;
    return 0x1000000u | (uint32_t)cp; /* X's Unicode keysyms */
}

static const struct {
    const char *name;
    uint16_t sym;
} names[] = {
    {"space", ' '}, {"dead_grave", XK_dead_grave}, {"dead_acute", XK_dead_acute},
    {"dead_circumflex", XK_dead_circumflex}, {"dead_tilde", XK_dead_tilde},
    {"dead_diaeresis", XK_dead_diaeresis}, {"dead_cedilla", XK_dead_cedilla},
    {"ISO_Level3_Shift", XK_ISO_Level3_Shift}, {"Mode_switch", XK_Mode_switch},
    {"Multi_key", XK_Multi_key}, {"Alt_R", XK_Alt_R},
};

int keymap_parse_keysym(const char *tok, uint32_t *sym)
{
    if (strcmp(tok, "-") == 0) {
        *sym = 0;
        return 0;
    }
    if (tok[0] == '0' && tok[1] == 'x' && tok[2]) {
        char *end;
        errno = 0;
        unsigned long v = strtoul(tok + 2, &end, 16);
        if (*end || errno || v == 0 || v > 0x1ffffffUL)
            return -1;
        *sym = (uint32_t)v;
        return 0;
    }
    for (size_t i = 0; i < sizeof names / sizeof *names; i++)
        if (strcmp(tok, names[i].name) == 0) {
            *sym = names[i].sym;
            return 0;
        }
    long cp = utf8_char((const unsigned char *)tok);
    if (cp < 0)
        return -1;
    *sym = unicode_keysym(cp);
    return 0;
}

/* One non-comment line; returns 0 or -1 with the reason in why. */
static int parse_line(struct keymap *km, char *line, const char **why)
{
    char *save = NULL, *tok = strtok_r(line, " \t\r\n", &save);
    if (!tok || tok[0] == '#')
        return 0;
    char *end;
    long code = strtol(tok, &end, 10);
    if (*end || code <= 0 || code >= KEYMAP_CODES) {
        *why = "expected a key code 1..255 first";
        return -1;
    }
    uint32_t syms[KEYMAP_LEVELS] = {0, 0, 0, 0};
    int n = 0;
    while ((tok = strtok_r(NULL, " \t\r\n", &save)) != NULL) {
        if (n == KEYMAP_LEVELS) {
            *why = "more than four keysyms";
            return -1;
        }
        if (keymap_parse_keysym(tok, &syms[n++]) != 0) {
            *why = "bad keysym (one character, 0xHEX, - or a known name)";
            return -1;
        }
    }
    if (n == 0) {
        *why = "a key code without keysyms";
        return -1;
    }
    memcpy(km->sym[code], syms, sizeof syms);
    return 0;
}

int keymap_load(struct keymap *km, const char *path, char *err, size_t errlen)
{
    char line[256];
    int lineno = 0, rc = 0;
    const char *why = NULL;
    FILE *f = fopen(path, "r");
    if (!f) {
        snprintf(err, errlen, "%s: %s", path, strerror(errno));
        return -1;
    }
    while (rc == 0 && fgets(line, sizeof line, f)) {
        lineno++;
        rc = parse_line(km, line, &why);
    }
    fclose(f);
    if (rc)
        snprintf(err, errlen, "%s:%d: %s", path, lineno, why);
    return rc;
}
