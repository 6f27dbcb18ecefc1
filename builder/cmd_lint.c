/* cmd_lint.c — `tinynetboot lint`: every recipe parsed and cross-checked.
 * Its options, its usage text and its exit status; cmd_common.h has what every
 * command shares. */
#define _GNU_SOURCE
#include "cmd_common.h"

#include <stdlib.h>
#include <string.h>

#include "kernel.h"

static const char usage_lint[] =
    "usage: tinynetboot lint\n"
    "Parse every recipe and check cross-references, files and dependency cycles.\n";

static int run_lint(const struct globals *g, int argc, char **argv)
{
    (void)argv;
    if (argc != 1)
        return cmd_usage_error("lint: takes no arguments", usage_lint);
    struct diag d = {0};
    struct graph graph;
    if (cmd_load_graph(g, &graph, &d) < 0)
        return cmd_fail(&d);
    const struct recipe *rel = graph_release(&graph, &d);
    int rc = rel ? 0 : -1;
    for (size_t i = 0; rc == 0 && i < graph.n; i++)
        if (graph.r[i].kind == KIND_KERNEL)
            rc = kernel_fragments_check(g->top, &graph, &graph.r[i], &d);
    graph_free(&graph);
    return rc < 0 ? cmd_fail(&d) : 0;
}

const struct command cmd_lint = {"lint", usage_lint, run_lint};
