/* cmd_layer.c — `tinynetboot layer -o FILE ...`: a site layer from plain files.
 * Its options, its usage text and its exit status; cmd_common.h has what every
 * command shares. */
#define _GNU_SOURCE
#include "cmd_common.h"

#include <getopt.h>
#include <stdlib.h>
#include <string.h>

#include "cpio_spec.h"
#include "layer.h"

static const char usage_layer[] =
    "usage: tinynetboot layer -o FILE.cpio.xz [--from DIR] [--file SRC:DEST[:MODE]]... [--entry LINE]...\n"
    "Make a site layer from plain files: no toolchain, no root, no network. The result\n"
    "stacks on top of a release (initrd=base.cpio.xz,...,FILE.cpio.xz); its files override\n"
    "lower layers' files at the same path.\n"
    "  -o, --output FILE    the layer to write (written whole, or not at all)\n"
    "  --from DIR           everything under DIR, at the same paths (symlinks kept)\n"
    "  --file SRC:DEST[:MODE]  one file; MODE in octal (default: normalised, see below)\n"
    "  --entry LINE         a special entry in gen_init_cpio syntax, e.g.\n"
    "                       'nod /dev/ttyUSB0 0660 0 0 c 188 0' or 'slink /bin/vi busybox 0777 0 0'\n"
    "Owner is root; modes are normalised: directories 0755, files 0755 if executable\n"
    "else 0644, but owner-only files (0600/0700: keys, passwords) stay owner-only.\n"
    "An explicit MODE (--file, --entry) is kept whatever the order of the options.\n"
    "The layer file is written 0644, or 0600 when any file or directory in it is not\n"
    "world-readable (a password, a key): give your TFTP/HTTP server access deliberately.\n"
    "Device nodes, FIFOs and sockets in DIR are refused: declare them with --entry.\n"
    "Timestamps are SOURCE_DATE_EPOCH (default 1735689600), so the same files give the same bytes.\n";

static int layer_options(int argc, char **argv, const char **output, struct cpio_tree *tree,
                         struct diag *d)
{
    static const struct option opts[] = {
        {"output", required_argument, NULL, 'o'}, {"from", required_argument, NULL, 'f'},
        {"file", required_argument, NULL, 'F'},   {"entry", required_argument, NULL, 'e'},
        {NULL, 0, NULL, 0},
    };
    int c;
    optind = 1;
    opterr = 0;
    while ((c = getopt_long(argc, argv, "o:", opts, NULL)) != -1) {
        switch (c) {
        case 'o': *output = optarg; break;
        case 'f':
            if (!is_dir(optarg))
                return diag_fail(d, EXIT_INPUT, "--from %s: not a directory", optarg);
            if (layer_add_from_dir(tree, optarg, d) < 0)
                return -1;
            break;
        case 'F':
            if (layer_add_file_arg(tree, optarg, d) < 0)
                return -1;
            break;
        case 'e': {
            struct cpio_entry e;
            memset(&e, 0, sizeof e);
            struct diag inner = {0};
            int rc = cpio_parse_spec_line(optarg, ".", &e, &inner);
            if (rc == 0)
                rc = cpio_entry_check_source(&e, &inner);
            if (rc == 0) {
                e.origin = xasprintf("--entry %s", optarg);
                rc = cpio_add(tree, &e, CPIO_DUP_REPLACE, &inner);
            }
            cpio_entry_free(&e);
            if (rc < 0)
                return diag_fail(d, EXIT_INPUT, "--entry %s: %s", optarg, inner.msg);
            break;
        }
        default:
            return diag_fail(d, EXIT_INPUT, "layer: unknown option or missing value: %s", argv[optind - 1]);
        }
    }
    if (optind < argc)
        return diag_fail(d, EXIT_INPUT, "layer: unexpected argument \"%s\"", argv[optind]);
    if (!*output)
        return diag_fail(d, EXIT_INPUT, "layer: -o FILE is required");
    if (tree->n == 0)
        return diag_fail(d, EXIT_INPUT, "layer: nothing to put in it (give --from, --file or --entry)");
    return 0;
}

static int run_layer(const struct globals *g, int argc, char **argv)
{
    (void)g;
    struct diag d = {0};
    struct cpio_tree tree = {0};
    struct buf xz = {0};
    const char *output = NULL;
    long long epoch;
    int rc = cmd_epoch(&epoch, &d);
    if (rc == 0)
        rc = layer_options(argc, argv, &output, &tree, &d);
    if (rc == 0)
        rc = layer_pack(&tree, epoch, &xz, &d);
    char *outdir = rc == 0 ? dir_name(output) : NULL;
    if (rc == 0)
        rc = mkdir_p(outdir, &d);
    if (rc == 0)
        rc = write_file_atomic(output, xz.data, xz.len, layer_file_mode(&tree), &d);
    free(outdir);
    cpio_tree_free(&tree);
    buf_free(&xz);
    return rc < 0 ? cmd_fail(&d) : 0;
}

const struct command cmd_layer = {"layer", usage_layer, run_layer};
