/* cmd_common.h — what every `tinynetboot COMMAND` shares, and the commands' entry points.
 *
 * Contract
 *  - main.c parses the global options into a struct globals and hands each command its
 *    own argv (argv[0] is the command's name). Only main.c and the cmd_*.c files read
 *    argv: everything below them takes plain values and structs.
 *  - Each cmd_NAME.c defines one `const struct command cmd_NAME`: its name, its usage
 *    text and its run function. main.c answers `COMMAND --help` from the usage text, so a
 *    run function never sees --help or -h.
 *  - A command returns the process exit status: 0 ok, EXIT_BUILD (1) build failure,
 *    EXIT_INPUT (2) bad input; its messages go to stderr as "tinynetboot: <msg>".
 *  - No state kept between calls; each command that uses getopt resets optind first. */
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
/* 1 when a command's args ask for help (--help or -h anywhere after its name). */
int cmd_wants_help(int argc, char **argv);
/* SOURCE_DATE_EPOCH, or the fixed default 1735689600 when unset, so outputs don't
   change by themselves; -1 + diag (EXIT_INPUT) if it is not a number of seconds. */
int cmd_epoch(long long *out, struct diag *d);
/* Every recipe of the tree (-1 + diag EXIT_INPUT when it has no recipes/ directory). */
int cmd_load_graph(const struct globals *g, struct graph *graph, struct diag *d);

/* A command's options with getopt_long (long options only, GNU argument permutation,
   started afresh): each option found goes to fn(ctx, its val, its argument or NULL, d),
   which returns 0 or -1 + diag. An unknown option or one missing its value is
   "NAME: unknown option or missing value: ARG" (EXIT_INPUT). Returns the index of the
   first operand in argv (argc when none), or -1. */
struct option;
typedef int cmd_option_fn(void *ctx, int c, char *arg, struct diag *d);
int cmd_parse_options(const char *name, int argc, char **argv, const struct option *opts, cmd_option_fn *fn,
                      void *ctx, struct diag *d);

/* A command: main.c finds it by name, prints its usage text for `COMMAND --help` (or -h
   anywhere in its args) and otherwise runs it with its own argv. */
struct command {
    const char *name;
    const char *usage;
    int (*run)(const struct globals *g, int argc, char **argv);
};

extern const struct command cmd_build, cmd_sizes, cmd_lint, cmd_pin, cmd_layer, cmd_menu, cmd_stack,
    cmd_sshkey, cmd_run, cmd_serve;

#endif
