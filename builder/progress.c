/* progress.c — see progress.h. */
#define _GNU_SOURCE
#include "progress.h"

#include <stdio.h>

double progress_seconds(const struct progress *p)
{
    struct timespec t1;
    clock_gettime(CLOCK_MONOTONIC, &t1);
    return (double)(t1.tv_sec - p->start.tv_sec) + (double)(t1.tv_nsec - p->start.tv_nsec) / 1e9;
}

void progress_start(struct progress *p, const char *name, const char *doing)
{
    clock_gettime(CLOCK_MONOTONIC, &p->start);
    progress_note(p, name, doing);
}

void progress_done(const struct progress *p, const char *name, const char *how)
{
    fprintf(stderr, "[%zu/%zu] %-14s %s %.0fs\n", p->index, p->total, name, how, progress_seconds(p));
}

void progress_note(const struct progress *p, const char *name, const char *msg)
{
    fprintf(stderr, "[%zu/%zu] %-14s %s\n", p->index, p->total, name, msg);
}
