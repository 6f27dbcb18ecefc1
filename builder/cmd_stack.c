/* cmd_stack.c — `tinynetboot stack LAYER...`: which paths upper layers override.
 * Its options, its usage text and its exit status; cmd_common.h has what every
 * command shares. */
#define _GNU_SOURCE
#include "cmd_common.h"

#include <stdlib.h>
#include <string.h>

#include "stack.h"

static const char usage_stack[] =
    "usage: tinynetboot stack [--strict] LAYER...\n"
    "Report, for layers stacked bottom to top, every path an upper layer overrides in a\n"
    "lower one (the kernel unpacks them in order: the last one wins). Overriding on purpose\n"
    "is what site layers are for; this makes accidents visible. LAYER is a .cpio.xz/.gz/.cpio\n"
    "file, or the name of a layer in OUTPUT/release (base, fbvnc, ...).\n"
    "  --strict   exit 1 if anything is overridden\n";

static int run_stack(const struct globals *g, int argc, char **argv)
{
    int strict = 0;
    struct strv files = {0};
    struct diag d = {0};
    int rc = 0;
    for (int i = 1; i < argc && rc == 0; i++) {
        if (!strcmp(argv[i], "--strict")) {
            strict = 1;
            continue;
        }
        if (argv[i][0] == '-') {
            strv_free(&files);
            return cmd_usage_error("stack: unknown option", usage_stack);
        }
        char *named = xasprintf("%s/release/%s.cpio.xz", g->output_dir, argv[i]);
        if (path_exists(argv[i]))
            strv_push(&files, argv[i]);
        else if (!strchr(argv[i], '/') && path_exists(named))
            strv_push(&files, named);
        else
            rc = diag_fail(&d, EXIT_INPUT, "stack: %s: no such file, nor a layer in %s/release", argv[i], g->output_dir);
        free(named);
    }
    if (rc == 0 && files.n < 2)
        rc = diag_fail(&d, EXIT_INPUT, "stack: give at least two layers, bottom first");
    struct buf out = {0};
    size_t count = 0;
    if (rc == 0)
        rc = stack_check(&files, &out, &count, &d);
    if (rc == 0) {
        fputs(out.data ? (char *)out.data : "", stdout);
        printf("%zu path%s overridden\n", count, count == 1 ? "" : "s");
    }
    buf_free(&out);
    strv_free(&files);
    if (rc < 0)
        return cmd_fail(&d);
    return strict && count ? EXIT_BUILD : 0;
}

const struct command cmd_stack = {"stack", usage_stack, run_stack};
