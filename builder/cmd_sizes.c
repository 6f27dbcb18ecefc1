/* cmd_sizes.c — `tinynetboot sizes DIR`: the size table of a release directory.
 * Its options, its usage text and its exit status; cmd_common.h has what every
 * command shares. */
#define _GNU_SOURCE
#include "cmd_common.h"

#include <stdlib.h>
#include <string.h>

#include "sizes.h"

static const char usage_sizes[] =
    "usage: tinynetboot sizes DIR\n"
    "Print the size of the kernel and every layer found in DIR against the budgets in the\n"
    "recipes, and the total of the whole stack against the kernel budget (1.44 MB floppy).\n";

static int run_sizes(const struct globals *g, int argc, char **argv)
{
    if (argc != 2)
        return cmd_usage_error("sizes: expected one release directory", usage_sizes);
    struct diag d = {0};
    struct graph graph;
    if (cmd_load_graph(g, &graph, &d) < 0)
        return cmd_fail(&d);
    struct buf out = {0};
    int rc = sizes_command(&graph, argv[1], &out, &d);
    if (rc == 0)
        fputs((char *)out.data, stdout);
    buf_free(&out);
    graph_free(&graph);
    return rc < 0 ? cmd_fail(&d) : 0;
}

const struct command cmd_sizes = {"sizes", usage_sizes, run_sizes};
