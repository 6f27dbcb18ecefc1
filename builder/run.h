/* run.h — the only module that starts other programs.
 *
 * Children get exactly the environment they are given (an emptied one for
 * build scripts), their output goes to a log file, and a failure is reported
 * with the last lines of that log and its path. */
#ifndef TNB_RUN_H
#define TNB_RUN_H

#include "util.h"

struct run_opts {
    const char *const *argv;   /* argv[0] is looked up in PATH of the *builder* */
    const char *const *envp;   /* full environment of the child; NULL = inherit */
    const char *cwd;           /* NULL = current directory */
    const char *log_path;      /* stdout+stderr appended here; NULL = /dev/null */
    const char *what;          /* for messages, e.g. "busybox build" */
};

/* Run and wait. Non-zero exit or a signal -> -1 + diag (EXIT_BUILD) holding
 * the log's last lines and its path. */
int run_logged(const struct run_opts *o, struct diag *d);
/* Run with stdout captured into out (stderr to the log or /dev/null). */
int run_capture(const struct run_opts *o, struct buf *out, struct diag *d);
/* Run in the foreground: the child shares our stdin, stdout and stderr (a
 * console on the terminal). SIGINT, SIGTERM, SIGHUP and SIGQUIT sent to us
 * while it runs are forwarded to it, and we wait for it to end; *forwarded is
 * the first signal forwarded (0: none). Returns the child's exit status
 * (0..255; 127 when it could not be started), 128+N when signal N killed it,
 * or -1 + diag (EXIT_BUILD) when it could not be forked. */
int run_foreground(const char *const *argv, int *forwarded, struct diag *d);
/* Start a server in the background (stdin /dev/null, stdout and stderr
 * appended to o->log_path): its pid, or -1 + diag (EXIT_BUILD). */
int run_start(const struct run_opts *o, struct diag *d);
/* Whether it still runs (0 once it ended: *status holds its wait status). */
int run_alive(int pid, int *status);
/* SIGTERM, then SIGKILL after `grace_ms`; waits for it. */
void run_stop(int pid, int grace_ms);
/* From now on, the programs this process starts run in a PID namespace of
 * their own, whose init is a child of ours that only reaps and dies with us
 * (PR_SET_PDEATHSIG SIGKILL: it never drops privileges, so the kernel keeps
 * that setting, unlike on dnsmasq or lighttpd). When a PID namespace's init
 * dies the kernel kills every process in it: whatever ends us, SIGKILL too,
 * takes our servers along. Needs CAP_SYS_ADMIN (serve runs as root). Once
 * it is ended, this process can start no other program. 0, or -1 + diag
 * (EXIT_BUILD). */
struct run_pidns {
    int init_pid;
    int alive_fd;   /* the init sees EOF on its end once this is closed */
};
int run_pid_namespace(struct run_pidns *ns, struct diag *d);
/* Kills the namespace's init, and with it whatever still runs in it; waits. */
void run_pid_namespace_end(struct run_pidns *ns);
/* Append the last `lines` lines of a file to b. */
void log_tail(const char *path, int lines, struct buf *b);

#endif
