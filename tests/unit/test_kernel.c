/* test_kernel.c — unit tests of kconfig fragments, .config verification and
 * the kernel budget (builder/kernel.c). */
#include <stdlib.h>
#include <string.h>

#include "kernel.h"
#include "tap.h"

static void test_parse(struct tap *t)
{
    struct kconfig_reqs reqs = {0};
    struct diag d = {0};
    const char *frag = "# comment\n\nCONFIG_NET=y\n# CONFIG_64BIT is not set\nCONFIG_E1000=m\n"
                       "CONFIG_LOG_BUF_SHIFT=12\nCONFIG_CMDLINE=\"console=ttyS0\"\n  CONFIG_INET=y  \n";
    ok(t, kconfig_parse_fragment("core.config", frag, &reqs, &d) == 0, "a fragment parses");
    is_int(t, reqs.n, 6, "six requests");
    is_str(t, reqs.v[1].symbol, "CONFIG_64BIT", "'is not set' line is a request");
    ok(t, reqs.v[1].value == NULL, "... for not set");
    is_int(t, reqs.v[1].line, 4, "... with its line");
    is_str(t, reqs.v[4].value, "\"console=ttyS0\"", "string value kept with quotes");
    is_str(t, reqs.v[5].symbol, "CONFIG_INET", "surrounding blanks ignored");

    d = (struct diag){0};
    ok(t, kconfig_parse_fragment("net.config", "CONFIG_NET=y\n", &reqs, &d) == 0, "same request twice is fine");
    ok(t, kconfig_parse_fragment("net.config", "\n# CONFIG_NET is not set\n", &reqs, &d) < 0, "conflict is an error");
    is_str(t, d.msg, "net.config:2: CONFIG_NET=not set conflicts with CONFIG_NET=y at core.config:3", "... naming both places");
    is_int(t, d.status, EXIT_INPUT, "... exit 2");
    ok(t, kconfig_parse_fragment("f", "NET=y\n", &reqs, &d) < 0, "symbol without CONFIG_ is an error");
    is_str(t, d.msg, "f:1: expected CONFIG_NAME=value or \"# CONFIG_NAME is not set\"", "... message");
    ok(t, kconfig_parse_fragment("f", "CONFIG_X=n\n", &reqs, &d) < 0, "=n is refused");
    is_str(t, d.msg, "f:1: write \"# CONFIG_X is not set\" instead of =n", "... with the right spelling");
    ok(t, kconfig_parse_fragment("f", "CONFIG_X=\n", &reqs, &d) < 0, "empty value is refused");
    ok(t, kconfig_parse_fragment("f", "CONFIG_X-Y=y\n", &reqs, &d) < 0, "bad symbol characters are refused");
    kconfig_reqs_free(&reqs);
}

/* A layer asks for a driver as a module; a kernel may build it in. */
static void test_builtin_meets_module(struct tap *t)
{
    struct kconfig_reqs reqs = {0};
    struct diag d = {0};
    kconfig_parse_fragment("nics.config", "CONFIG_E1000=y\nCONFIG_NET=y\n", &reqs, &d);
    ok(t, kconfig_parse_fragment("drivers.config", "CONFIG_E1000=m\nCONFIG_E1000E=m\n", &reqs, &d) == 0,
       "=m after =y is no conflict");
    is_str(t, reqs.v[0].value, "y", "... built in wins");
    is_str(t, reqs.v[0].file, "nics.config", "... from the fragment that built it in");
    ok(t, reqs.v[0].restate && !reqs.v[1].restate && !reqs.v[2].restate, "... and only it is restated");
    ok(t, kconfig_parse_fragment("late.config", "CONFIG_E1000E=y\n", &reqs, &d) == 0, "=y after =m is no conflict");
    is_str(t, reqs.v[2].value, "y", "... built in wins");
    is_str(t, reqs.v[2].file, "late.config", "... named at the =y line");
    ok(t, kconfig_parse_fragment("x.config", "# CONFIG_E1000E is not set\n", &reqs, &d) < 0,
       "not set against =y still conflicts");
    ok(t, kconfig_parse_fragment("x.config", "CONFIG_NET=m\n", &reqs, &d) == 0, "=m for a =y symbol is met");
    kconfig_reqs_free(&reqs);
}

static void test_verify(struct tap *t)
{
    struct kconfig_reqs reqs = {0};
    struct diag d = {0};
    kconfig_parse_fragment("a.config", "CONFIG_NET=y\n# CONFIG_64BIT is not set\nCONFIG_E1000=m\n", &reqs, &d);
    const char *good = "CONFIG_NET=y\nCONFIG_E1000=m\n# CONFIG_64BIT is not set\n";
    ok(t, kconfig_verify(good, &reqs, &d) == 0, "a .config granting everything passes");
    const char *missing = "CONFIG_NET=y\n# CONFIG_E1000 is not set\n";
    ok(t, kconfig_verify(missing, &reqs, &d) < 0, "a dropped symbol fails");
    is_str(t, d.msg,
           "a.config:3: CONFIG_E1000=m was requested, but kconfig made it not set (an unmet dependency, "
           "a symbol this kernel or arch lacks, or a typo)",
           "... at the fragment's file:line");
    const char *wrong = "CONFIG_NET=y\nCONFIG_E1000=y\n";
    ok(t, kconfig_verify(wrong, &reqs, &d) < 0, "y where m was asked fails");
    const char *set = "CONFIG_NET=y\nCONFIG_E1000=m\nCONFIG_64BIT=y\n";
    ok(t, kconfig_verify(set, &reqs, &d) < 0, "a symbol that must be unset but is set fails");
    const char *prefix = "CONFIG_NETX=y\nCONFIG_E1000=m\n";
    ok(t, kconfig_verify(prefix, &reqs, &d) < 0, "CONFIG_NETX does not satisfy CONFIG_NET");
    kconfig_reqs_free(&reqs);
}

static void test_budget(struct tap *t)
{
    struct diag d = {0};
    ok(t, kernel_check_budget("k", 1474560, 1474560, "x", &d) == 0, "exactly on budget passes");
    ok(t, kernel_check_budget("k", 1474561, 1474560, "drivers 5\n", &d) < 0, "one byte over fails");
    is_str(t, d.msg, "k is 1474561 bytes, over its budget of 1474560 bytes by 1; what takes the space:\ndrivers 5\n",
           "... with the overrun and the breakdown");
    is_int(t, d.status, EXIT_BUILD, "... exit 1");
}

int main(void)
{
    struct tap t = {0};
    test_parse(&t);
    test_builtin_meets_module(&t);
    test_verify(&t);
    test_budget(&t);
    return tap_done(&t);
}
