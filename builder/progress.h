/* progress.h — the build's progress lines on stderr: "[3/9] busybox  built in 41s". */
#ifndef TNB_PROGRESS_H
#define TNB_PROGRESS_H

#include <stddef.h>
#include <time.h>

struct progress {
    size_t index, total;
    struct timespec start;
};

void progress_start(struct progress *p, const char *name, const char *doing);
void progress_done(const struct progress *p, const char *name, const char *how);
/* "[i/n] NAME   MESSAGE" without timing (cached, waiting, ...). */
void progress_note(const struct progress *p, const char *name, const char *msg);
double progress_seconds(const struct progress *p);

#endif
