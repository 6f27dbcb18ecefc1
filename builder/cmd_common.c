/* cmd_common.c — see cmd_common.h. */
#define _GNU_SOURCE
#include "cmd_common.h"

#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* SOURCE_DATE_EPOCH when none is given: fixed, so outputs don't change by themselves. */
#define DEFAULT_EPOCH 1735689600LL   /* 2025-01-01T00:00:00Z */

int cmd_fail(const struct diag *d)
{
    fprintf(stderr, "tinynetboot: %s\n", d->msg);
    return d->status ? d->status : EXIT_BUILD;
}

int cmd_usage_error(const char *msg, const char *usage)
{
    fprintf(stderr, "tinynetboot: %s\n%s", msg, usage);
    return EXIT_INPUT;
}

int cmd_wants_help(int argc, char **argv)
{
    for (int i = 1; i < argc; i++)
        if (!strcmp(argv[i], "--help") || !strcmp(argv[i], "-h"))
            return 1;
    return 0;
}

int cmd_parse_options(const char *name, int argc, char **argv, const struct option *opts, cmd_option_fn *fn,
                      void *ctx, struct diag *d)
{
    optind = 0;   /* 0: GNU getopt starts afresh (main.c's "+" must not carry over), permuting */
    opterr = 0;
    int c;
    while ((c = getopt_long(argc, argv, "", opts, NULL)) != -1) {
        if (c == '?' || c == ':')
            return diag_fail(d, EXIT_INPUT, "%s: unknown option or missing value: %s", name, argv[optind - 1]);
        if (fn(ctx, c, optarg, d) < 0)
            return -1;
    }
    return optind;
}

int cmd_epoch(long long *out, struct diag *d)
{
    const char *v = getenv("SOURCE_DATE_EPOCH");
    *out = DEFAULT_EPOCH;
    if (!v || !*v)
        return 0;
    char *end;
    long long e = strtoll(v, &end, 10);
    if (*end || e < 0 || e > 0xffffffffLL)
        return diag_fail(d, EXIT_INPUT, "SOURCE_DATE_EPOCH \"%s\" is not a number of seconds", v);
    *out = e;
    return 0;
}

int cmd_load_graph(const struct globals *g, struct graph *graph, struct diag *d)
{
    if (!is_dir(g->recipes_dir))
        return diag_fail(d, EXIT_INPUT, "%s: no recipes directory (use -C to name the tree)", g->recipes_dir);
    return graph_load(g->recipes_dir, graph, d);
}
