/* main.c — the command line of tinynetboot: the global options, then the command's
 * name looked up in one table. Each command's options and usage text live in its own
 * cmd_NAME.c; main.c and those files are the only code that reads argv.
 *
 *   tinynetboot [GLOBAL OPTIONS] COMMAND [ARGS]
 * Exit status: 0 ok, 1 build failure, 2 bad input (recipe, arguments). */
#define _GNU_SOURCE
#include <getopt.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "cmd_common.h"

static const char usage_main[] =
    "usage: tinynetboot [OPTIONS] COMMAND [ARGS]\n"
    "\n"
    "Builds a tiny network-bootable Linux release: a kernel under 1,474,560 bytes\n"
    "and stackable initramfs layers, from the recipes in recipes/.\n"
    "\n"
    "commands:\n"
    "  build [TARGET...]   build the release (or just the named recipes) into OUTPUT/release\n"
    "  sizes DIR           the size table of a release directory against the budgets\n"
    "  lint                check every recipe; prints nothing and exits 0 when all are fine\n"
    "  menu [OPTIONS]      boot menus (PXELINUX, iPXE, GRUB) and DHCP configs for the release\n"
    "  layer -o FILE ...   a site layer from plain files (no toolchain, no root)\n"
    "  stack LAYER...      which paths upper layers override in lower ones\n"
    "  pin [NAME...]       re-pin sources to what Debian's archive offers now (all stale ones)\n"
    "  sshkey -o FILE ...  a client's SSH key in a site layer, and its authorized_keys line\n"
    "  run IMAGE           boot an image of the release in QEMU here, as its menus serve it\n"
    "  serve [OPTIONS]     a boot server for the release: dnsmasq (proxy-DHCP), TFTP, HTTP\n"
    "\n"
    "options (before the command):\n"
    "  -C, --tree DIR      the source tree (recipes/, overlays/, kernel-configs/); default .\n"
    "  -o, --output DIR    where build products go; default TREE/output\n"
    "      --cache DIR     download and build cache; default $TINYNETBOOT_CACHE,\n"
    "                      else $XDG_CACHE_HOME/tinynetboot, else ~/.cache/tinynetboot\n"
    "  -j, --jobs N        parallel jobs for package builds; default: the number of CPUs\n"
    "  -h, --help          this text; `tinynetboot COMMAND --help` explains a command\n"
    "\n"
    "environment: SOURCE_DATE_EPOCH (default 1735689600) sets every timestamp in the outputs.\n"
    "exit status: 0 ok, 1 build failure, 2 bad input.\n";

static char *default_cache_dir(void)
{
    const char *v = getenv("TINYNETBOOT_CACHE");
    if (v && *v)
        return xstrdup(v);
    v = getenv("XDG_CACHE_HOME");
    if (v && *v)
        return xasprintf("%s/tinynetboot", v);
    v = getenv("HOME");
    return xasprintf("%s/.cache/tinynetboot", v && *v ? v : "/root");
}

static const struct command *const commands[] = {
    &cmd_build, &cmd_sizes, &cmd_lint, &cmd_pin, &cmd_layer, &cmd_menu, &cmd_stack, &cmd_sshkey,
    &cmd_run, &cmd_serve,
};

static const struct command *find_command(const char *name)
{
    for (size_t i = 0; i < sizeof commands / sizeof *commands; i++)
        if (strcmp(name, commands[i]->name) == 0)
            return commands[i];
    return NULL;
}

static int parse_jobs(const char *s, int *out)
{
    char *end;
    long v = strtol(s, &end, 10);
    if (*end || v < 1 || v > 1024)
        return -1;
    *out = (int)v;
    return 0;
}

int main(int argc, char **argv)
{
    static const struct option opts[] = {
        {"tree", required_argument, NULL, 'C'},  {"output", required_argument, NULL, 'o'},
        {"cache", required_argument, NULL, 'c'}, {"jobs", required_argument, NULL, 'j'},
        {"help", no_argument, NULL, 'h'},        {NULL, 0, NULL, 0},
    };
    struct globals g = {".", NULL, NULL, NULL, (int)sysconf(_SC_NPROCESSORS_ONLN)};
    const char *output = NULL, *cache = NULL;
    int c;
    while ((c = getopt_long(argc, argv, "+C:o:j:h", opts, NULL)) != -1) {
        switch (c) {
        case 'C': g.top = optarg; break;
        case 'o': output = optarg; break;
        case 'c': cache = optarg; break;
        case 'j':
            if (parse_jobs(optarg, &g.jobs) < 0)
                return cmd_usage_error("--jobs takes a number from 1 to 1024", "");
            break;
        case 'h': fputs(usage_main, stdout); return 0;
        default: fputs(usage_main, stderr); return EXIT_INPUT;
        }
    }
    if (optind >= argc)
        return cmd_usage_error("no command given", usage_main);
    if (g.jobs < 1)
        g.jobs = 1;
    /* messages name recipes as "recipes/x/recipe" when run from the tree itself */
    g.recipes_dir = strcmp(g.top, ".") ? xasprintf("%s/recipes", g.top) : xstrdup("recipes");
    /* absolute: build scripts run in other directories and get these paths */
    char *out_rel = output ? xstrdup(output) : xasprintf("%s/output", g.top);
    char *cache_rel = cache ? xstrdup(cache) : default_cache_dir();
    g.output_dir = abs_path(out_rel);
    g.cache_dir = abs_path(cache_rel);
    free(out_rel);
    free(cache_rel);
    const struct command *cmd = find_command(argv[optind]);
    int rc;
    if (!cmd) {
        fprintf(stderr, "tinynetboot: unknown command \"%s\"\n%s", argv[optind], usage_main);
        rc = EXIT_INPUT;
    } else if (cmd_wants_help(argc - optind, argv + optind)) {
        fputs(cmd->usage, stdout);
        rc = 0;
    } else {
        rc = cmd->run(&g, argc - optind, argv + optind);
    }
    free(g.recipes_dir);
    free(g.output_dir);
    free(g.cache_dir);
    return rc;
}
