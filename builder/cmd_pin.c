/* cmd_pin.c — `tinynetboot pin [NAME...]`: re-pin the named recipes, or every stale one.
 * Its options, its usage text and its exit status; cmd_common.h has what every
 * command shares. */
#define _GNU_SOURCE
#include "cmd_common.h"

#include <stdlib.h>
#include <string.h>

#include "pin.h"
#include "sources.h"

static const char usage_pin[] =
    "usage: tinynetboot pin [NAME...]\n"
    "Download what Debian's archive offers now for each recipe NAME, and rewrite its\n"
    "version, source file and sha256 lines to pin it (adding them to a new recipe that\n"
    "has none yet). With no NAME, re-pin every recipe whose pinned version the archive\n"
    "no longer offers. Prints one line per change. Review the diff, then rebuild.\n";

/* Recipes to re-pin: the named ones, or every stale one. */
static int pin_targets(const struct globals *g, const struct graph *graph, int argc, char **argv,
                       struct strv *names, struct diag *d)
{
    for (int i = 1; i < argc; i++) {
        const struct recipe *r = graph_find(graph, argv[i]);
        if (!r)
            return diag_fail(d, EXIT_INPUT, "pin: no recipe named \"%s\"", argv[i]);
        if (graph_source_owner(graph, r) != r)
            return diag_fail(d, EXIT_INPUT, "pin: %s pins no Debian source of its own%s%s", argv[i],
                             r->source_type == SOURCE_RECIPE ? "; its source is pinned in recipe " : "",
                             r->source_type == SOURCE_RECIPE ? r->source_package : "");
        strv_push(names, r->name);
    }
    if (argc > 1)
        return 0;
    char *log = xasprintf("%s/logs/pin.log", g->output_dir);
    int rc = sources_stale(graph, log, names, d);
    free(log);
    return rc;
}

static int run_pin(const struct globals *g, int argc, char **argv)
{
    struct diag d = {0};
    struct graph graph;
    struct strv names = {0};
    char *logdir = xasprintf("%s/logs", g->output_dir);
    int rc = cmd_load_graph(g, &graph, &d);
    if (rc < 0) {
        free(logdir);
        return cmd_fail(&d);
    }
    rc = mkdir_p(logdir, &d);
    if (rc == 0)
        rc = pin_targets(g, &graph, argc, argv, &names, &d);
    if (rc == 0 && names.n == 0)
        printf("every pin is current: the archive offers each pinned version\n");
    for (size_t i = 0; rc == 0 && i < names.n; i++) {
        char *log = xasprintf("%s/pin-%s.log", logdir, names.v[i]);
        rc = pin_recipe(graph_find(&graph, names.v[i]), g->cache_dir, log, &d);
        free(log);
    }
    strv_free(&names);
    free(logdir);
    graph_free(&graph);
    return rc < 0 ? cmd_fail(&d) : 0;
}

const struct command cmd_pin = {"pin", usage_pin, run_pin};
