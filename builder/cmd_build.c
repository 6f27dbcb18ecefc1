/* cmd_build.c — `tinynetboot build`: the release, or the named recipes.
 * Its options, its usage text and its exit status; cmd_common.h has what every
 * command shares. */
#define _GNU_SOURCE
#include "cmd_common.h"

#include <stdlib.h>
#include <string.h>

#include "build.h"

static const char usage_build[] =
    "usage: tinynetboot build [--frozen] [TARGET...]\n"
    "Build the release: every package, the kernel and every layer it needs, each cached by\n"
    "the hash of its inputs. Writes OUTPUT/release/{bzImage,<layer>.cpio.xz,sizes.txt,SOURCES,\n"
    "SHA256SUMS}. Every pinned source is checked first (apt metadata): a pin the archive no\n"
    "longer offers is built from what it offers now, said once per source and marked\n"
    "NOT PINNED in SOURCES.\n"
    "  --frozen   only pinned files (from the cache or the archive); a stale pin stops\n"
    "             the build before anything is built, naming every stale pin\n"
    "With TARGETs, build only those recipes (and what they depend on); the release is\n"
    "written only when the release recipe is among them. Progress goes to stderr, each\n"
    "package's full log to OUTPUT/logs/NAME.log.\n";

static int run_build(const struct globals *g, int argc, char **argv)
{
    struct diag d = {0};
    struct build_ctx ctx = {g->top, g->recipes_dir, g->output_dir, g->cache_dir, g->jobs, 0, 0, {0, 0}};
    if (cmd_epoch(&ctx.source_date_epoch, &d) < 0 || cmd_load_graph(g, &ctx.graph, &d) < 0)
        return cmd_fail(&d);
    struct strv targets = {0};
    for (int i = 1; i < argc; i++) {
        if (strcmp(argv[i], "--frozen") == 0) {
            ctx.frozen = 1;
            continue;
        }
        if (argv[i][0] == '-') {
            graph_free(&ctx.graph);
            strv_free(&targets);
            return cmd_usage_error("build: unknown option", usage_build);
        }
        strv_push(&targets, argv[i]);
    }
    int rc = build_run(&ctx, &targets, &d);
    strv_free(&targets);
    graph_free(&ctx.graph);
    return rc < 0 ? cmd_fail(&d) : 0;
}

const struct command cmd_build = {"build", usage_build, run_build};
