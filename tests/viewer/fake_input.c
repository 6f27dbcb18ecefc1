/* fake_input.c - input.c for the host build of the viewer: no devices (the
 * real one would grab the host's keyboards). */
#include "input.h"

#include <string.h>

void input_open(struct input *in)
{
    memset(in, 0, sizeof *in);
}

void input_close(struct input *in)
{
    in->n = 0;
}

int input_pollfds(const struct input *in, struct pollfd *p)
{
    (void)p;
    return in->n;
}

void input_handle(struct input *in, int i, short revents, const struct keymap *km,
                  const struct input_sink *sink)
{
    (void)in; (void)i; (void)revents; (void)km; (void)sink;
}
