/* cmd_common.h — what every `tinynetboot COMMAND` shares, and the commands' entry points.
 *
 * Contract
 *  - main.c parses the global options into a struct globals and hands each command its
 *    own argv (argv[0] is the command's name). Only main.c and the cmd_*.c files read
 *    argv: everything below them takes plain values and structs.
 *  - A command returns the process exit status: 0 ok, EXIT_BUILD (1) build failure,
 *    EXIT_INPUT (2) bad input; its messages go to stderr as "tinynetboot: <msg>", its
 *    usage text (`COMMAND --help`) to stdout.
 *  - No global state: getopt's optind is reset by each command that uses getopt. */
#ifndef TNB_CMD_COMMON_H
#define TNB_CMD_COMMON_H

#include "graph.h"
#include "util.h"

struct globals {
    const char *top;
    char *recipes_dir, *output_dir, *cache_dir;
    int jobs;
};

/* Print "tinynetboot: <d->msg>" and return its status (EXIT_BUILD when it has none). */
int cmd_fail(const struct diag *d);
/* Print "tinynetboot: <msg>" and the usage text; EXIT_INPUT. */
int cmd_usage_error(const char *msg, const char *usage);
/* 1 when the command's args ask for help (--help or -h anywhere after the name). */
int cmd_wants_help(int argc, char **argv);
/* SOURCE_DATE_EPOCH, or the fixed default 1735689600 when unset, so outputs don't
   change by themselves; -1 + diag (EXIT_INPUT) if it is not a number of seconds. */
int cmd_epoch(long long *out, struct diag *d);
/* Every recipe of the tree (-1 + diag EXIT_INPUT when it has no recipes/ directory). */
int cmd_load_graph(const struct globals *g, struct graph *graph, struct diag *d);

int cmd_build(const struct globals *g, int argc, char **argv);
int cmd_sizes(const struct globals *g, int argc, char **argv);
int cmd_lint(const struct globals *g, int argc, char **argv);
int cmd_pin(const struct globals *g, int argc, char **argv);
int cmd_layer(const struct globals *g, int argc, char **argv);
int cmd_menu(const struct globals *g, int argc, char **argv);
int cmd_stack(const struct globals *g, int argc, char **argv);
int cmd_sshkey(const struct globals *g, int argc, char **argv);

#endif
