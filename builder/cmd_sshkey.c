/* cmd_sshkey.c — `tinynetboot sshkey -o FILE ...`: its options, its usage text, its
 * exit status; sshkey.c does the work from a struct sshkey_options.
 * See cmd_common.h for what every command shares. */
#define _GNU_SOURCE
#include "cmd_common.h"

#include <getopt.h>
#include <stdio.h>
#include <string.h>

#include "layer.h"
#include "sshkey.h"

static const char usage_sshkey[] =
    "usage: tinynetboot sshkey -o SITE.cpio.xz --permit HOST:PORT [--known-host HOST=PUBFILE]...\n"
    "                          [--only-from PATTERNS] [--comment TEXT] [--authorized-keys FILE]\n"
    "                          [--file SRC:DEST[:MODE]]...\n"
    "Make a new ed25519 key pair for the fbvnc-ssh layer's SSH tunnel: the private half goes\n"
    "into a site layer as /" SSHKEY_PRIVATE_PATH " (mode 0600, dropbear's format), the\n"
    "public half is printed as an authorized_keys line for the SSH server that permits\n"
    "nothing but forwarding to HOST:PORT:\n"
    "  restrict,port-forwarding,permitopen=\"HOST:PORT\" ssh-ed25519 AAAA... COMMENT\n"
    "One key per client (a per-MAC site layer) is best: it can be revoked alone.\n"
    "  -o, --output FILE        the site layer to write (mode 0600: it holds a secret)\n"
    "  --permit HOST:PORT       the VNC server as the SSH server sees it (e.g. localhost:5901);\n"
    "                           must match fbvnc= on the client's command line\n"
    "  --known-host HOST=FILE   the SSH server's public host key (FILE: e.g. a copy of its\n"
    "                           /etc/ssh/ssh_host_ed25519_key.pub), for HOST exactly as in\n"
    "                           fbvnc.ssh=USER@HOST; written to /" SSHKEY_KNOWN_HOSTS_PATH "\n"
    "  --only-from PATTERNS     also from=\"PATTERNS\": the key works only from these addresses\n"
    "  --comment TEXT           the line's comment (default: the output's file name)\n"
    "  --authorized-keys FILE   also append the line to FILE (created 0600 if missing; the\n"
    "                           other keys stay; a key already there is not added twice)\n"
    "  --file SRC:DEST[:MODE]   another file in the layer, as for `tinynetboot layer`\n"
    "The key is random: two runs never give the same layer (everything else in it is\n"
    "reproducible). Keep the layer out of anything published; see README, Security.\n";

/* argv into o, in order: --known-host files are read and --file entries added as they come. */
static int sshkey_options(int argc, char **argv, struct sshkey_options *a, struct diag *d)
{
    static const struct option opts[] = {
        {"output", required_argument, NULL, 'o'},     {"permit", required_argument, NULL, 'p'},
        {"known-host", required_argument, NULL, 'k'}, {"only-from", required_argument, NULL, 'f'},
        {"comment", required_argument, NULL, 'c'},    {"authorized-keys", required_argument, NULL, 'a'},
        {"file", required_argument, NULL, 'F'},       {NULL, 0, NULL, 0},
    };
    int c;
    optind = 1;
    opterr = 0;
    while ((c = getopt_long(argc, argv, "o:", opts, NULL)) != -1) {
        switch (c) {
        case 'o': a->output = optarg; break;
        case 'p': a->permit = optarg; break;
        case 'f': a->only_from = optarg; break;
        case 'c': a->comment = optarg; break;
        case 'a': a->authorized_keys = optarg; break;
        case 'k':
            if (sshkey_add_known_host(optarg, &a->known, d) < 0)
                return -1;
            break;
        case 'F':
            if (layer_add_file_arg(&a->tree, optarg, d) < 0)
                return -1;
            break;
        default:
            return diag_fail(d, EXIT_INPUT, "sshkey: unknown option or missing value: %s", argv[optind - 1]);
        }
    }
    if (optind < argc)
        return diag_fail(d, EXIT_INPUT, "sshkey: unexpected argument \"%s\"", argv[optind]);
    return sshkey_options_check(a, d);
}

static int run_sshkey(const struct globals *g, int argc, char **argv)
{
    (void)g;
    struct diag d = {0};
    long long epoch;
    if (cmd_epoch(&epoch, &d) < 0)
        return cmd_fail(&d);
    struct sshkey_options o;
    memset(&o, 0, sizeof o);
    int rc = sshkey_options(argc, argv, &o, &d);
    if (rc == 0)
        rc = sshkey_make(&o, epoch, &d);
    sshkey_options_free(&o);
    if (rc < 0) {
        rc = cmd_fail(&d);
        if (d.status == EXIT_INPUT)
            fputs("(see tinynetboot sshkey --help)\n", stderr);
    }
    return rc;
}

const struct command cmd_sshkey = {"sshkey", usage_sshkey, run_sshkey};
