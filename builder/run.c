/* run.c — see run.h. */
#define _GNU_SOURCE
#include "run.h"

#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <time.h>
#include <stdlib.h>
#include <string.h>
#include <sched.h>
#include <sys/prctl.h>
#include <sys/wait.h>
#include <unistd.h>

extern char **environ;

enum { TAIL_LINES = 25 };

void log_tail(const char *path, int lines, struct buf *b)
{
    struct buf all = {0};
    struct diag ignored = {0};
    if (read_file(path, &all, &ignored) < 0)
        return;
    size_t start = all.len;
    int seen = 0;
    if (start && all.data[start - 1] == '\n')
        start--;
    while (start > 0) {
        if (all.data[start - 1] == '\n' && ++seen == lines)
            break;
        start--;
    }
    buf_append(b, all.data + start, all.len - start);
    buf_free(&all);
}

static int open_log(const char *log_path)
{
    if (!log_path)
        return open("/dev/null", O_WRONLY | O_CLOEXEC);
    return open(log_path, O_WRONLY | O_CREAT | O_APPEND | O_CLOEXEC, 0644);
}

/* In the child: wire fds, cd, exec. Never returns. */
static void exec_child(const struct run_opts *o, int out_fd, int log_fd)
{
    sigset_t none;   /* a caller waiting with signals blocked (serve) must not pass that on */
    sigemptyset(&none);
    sigprocmask(SIG_SETMASK, &none, NULL);
    if (dup2(out_fd, STDOUT_FILENO) < 0 || dup2(log_fd, STDERR_FILENO) < 0)
        _exit(127);
    int null_in = open("/dev/null", O_RDONLY);
    if (null_in >= 0)
        dup2(null_in, STDIN_FILENO);
    if (o->cwd && chdir(o->cwd) < 0) {
        dprintf(STDERR_FILENO, "tinynetboot: cd %s: %s\n", o->cwd, strerror(errno));
        _exit(127);
    }
    char *const *env = o->envp ? (char *const *)o->envp : environ;
    execvpe(o->argv[0], (char *const *)o->argv, env);
    dprintf(STDERR_FILENO, "tinynetboot: cannot run %s: %s\n", o->argv[0], strerror(errno));
    _exit(127);
}

static int describe_failure(const struct run_opts *o, int status, struct diag *d)
{
    struct buf msg = {0};
    const char *what = o->what ? o->what : o->argv[0];
    if (WIFEXITED(status))
        buf_printf(&msg, "%s failed (exit status %d)", what, WEXITSTATUS(status));
    else
        buf_printf(&msg, "%s killed by signal %d", what, WTERMSIG(status));
    if (o->log_path) {
        buf_printf(&msg, "; last lines of %s:\n", o->log_path);
        log_tail(o->log_path, TAIL_LINES, &msg);
        buf_printf(&msg, "(full log: %s)", o->log_path);
    }
    diag_fail(d, EXIT_BUILD, "%s", (char *)msg.data);
    buf_free(&msg);
    return -1;
}

/* Fork, run, wait; child's stdout goes to out_fd (or the log when -1). */
static int run_with_stdout(const struct run_opts *o, int out_fd, struct diag *d)
{
    int log_fd = open_log(o->log_path);
    if (log_fd < 0)
        return diag_fail(d, EXIT_BUILD, "%s: %s", o->log_path, strerror(errno));
    fflush(NULL);
    pid_t pid = fork();
    if (pid < 0) {
        close(log_fd);
        return diag_fail(d, EXIT_BUILD, "fork: %s", strerror(errno));
    }
    if (pid == 0)
        exec_child(o, out_fd >= 0 ? out_fd : log_fd, log_fd);
    close(log_fd);
    return (int)pid;
}

static int wait_for(const struct run_opts *o, pid_t pid, struct diag *d)
{
    int status;
    while (waitpid(pid, &status, 0) < 0)
        if (errno != EINTR)
            return diag_fail(d, EXIT_BUILD, "waitpid: %s", strerror(errno));
    if (WIFEXITED(status) && WEXITSTATUS(status) == 0)
        return 0;
    return describe_failure(o, status, d);
}

int run_logged(const struct run_opts *o, struct diag *d)
{
    int pid = run_with_stdout(o, -1, d);
    if (pid < 0)
        return -1;
    return wait_for(o, pid, d);
}

int run_capture(const struct run_opts *o, struct buf *out, struct diag *d)
{
    int fds[2];
    if (pipe2(fds, O_CLOEXEC) < 0)
        return diag_fail(d, EXIT_BUILD, "pipe: %s", strerror(errno));
    int pid = run_with_stdout(o, fds[1], d);
    close(fds[1]);
    if (pid < 0) {
        close(fds[0]);
        return -1;
    }
    char chunk[4096];
    for (;;) {
        ssize_t r = read(fds[0], chunk, sizeof chunk);
        if (r < 0 && errno == EINTR)
            continue;
        if (r <= 0)
            break;
        buf_append(out, chunk, (size_t)r);
    }
    close(fds[0]);
    return wait_for(o, pid, d);
}

/* The signals run_foreground forwards, plus SIGCHLD: all blocked while it
   waits, and taken one at a time with sigwaitinfo (no handlers, no globals). */
static void foreground_signals(sigset_t *set)
{
    sigemptyset(set);
    sigaddset(set, SIGINT);
    sigaddset(set, SIGTERM);
    sigaddset(set, SIGHUP);
    sigaddset(set, SIGQUIT);
    sigaddset(set, SIGCHLD);
}

static int exit_code(int status)
{
    return WIFEXITED(status) ? WEXITSTATUS(status) : 128 + WTERMSIG(status);
}

int run_foreground(const char *const *argv, int *forwarded, struct diag *d)
{
    sigset_t set, old;
    foreground_signals(&set);
    sigprocmask(SIG_BLOCK, &set, &old);
    *forwarded = 0;
    fflush(NULL);
    pid_t pid = fork();
    if (pid < 0) {
        sigprocmask(SIG_SETMASK, &old, NULL);
        return diag_fail(d, EXIT_BUILD, "fork: %s", strerror(errno));
    }
    if (pid == 0) {
        sigprocmask(SIG_SETMASK, &old, NULL);
        execvp(argv[0], (char *const *)argv);
        dprintf(STDERR_FILENO, "tinynetboot: cannot run %s: %s\n", argv[0], strerror(errno));
        _exit(127);
    }
    int status = 0;
    for (;;) {
        pid_t w = waitpid(pid, &status, WNOHANG);
        if (w == pid)
            break;
        if (w < 0 && errno != EINTR) {
            status = 0;
            break;
        }
        siginfo_t si;
        int sig = sigwaitinfo(&set, &si);
        if (sig > 0 && sig != SIGCHLD) {
            if (!*forwarded)
                *forwarded = sig;
            kill(pid, sig);
        }
    }
    /* a signal still pending for us was forwarded already: drop it */
    struct timespec zero = {0, 0};
    while (sigtimedwait(&set, NULL, &zero) > 0)
        ;
    sigprocmask(SIG_SETMASK, &old, NULL);
    return exit_code(status);
}

int run_start(const struct run_opts *o, struct diag *d)
{
    return run_with_stdout(o, -1, d);
}

int run_alive(int pid, int *status)
{
    pid_t w = waitpid(pid, status, WNOHANG);
    return w == 0 || (w < 0 && errno == EINTR);
}

void run_stop(int pid, int grace_ms)
{
    int status;
    if (!run_alive(pid, &status))
        return;
    kill(pid, SIGTERM);
    for (int waited = 0; waited < grace_ms; waited += 50) {
        if (!run_alive(pid, &status))
            return;
        nanosleep(&(struct timespec){0, 50 * 1000 * 1000}, NULL);
    }
    kill(pid, SIGKILL);
    while (waitpid(pid, &status, 0) < 0 && errno == EINTR)
        ;
}

/* The PID namespace's init (run_pid_namespace), never returning: dies with its
 * parent, reaps whatever is orphaned into it. alive_fd is the read end of a
 * pipe whose write end only the parent holds: at EOF the parent died before
 * PR_SET_PDEATHSIG was in place. */
static void ns_init(int alive_fd)
{
    if (prctl(PR_SET_PDEATHSIG, SIGKILL) < 0)
        _exit(1);
    char c;
    if (read(alive_fd, &c, 1) == 0)   /* non-blocking: -1 EAGAIN while the parent lives */
        _exit(0);
    int null = open("/dev/null", O_RDWR);
    for (int fd = 0; fd < 3 && null >= 0; fd++)
        dup2(null, fd);
    if (alive_fd != 3 && dup2(alive_fd, 3) < 0)
        _exit(1);
    close_range(4, ~0U, 0);
    sigset_t chld;
    sigemptyset(&chld);
    sigaddset(&chld, SIGCHLD);
    sigprocmask(SIG_SETMASK, &chld, NULL);   /* blocked: pending for sigwaitinfo, never ignored */
    for (;;) {
        while (waitpid(-1, NULL, WNOHANG) > 0)
            ;
        sigwaitinfo(&chld, NULL);
    }
}

int run_pid_namespace(struct run_pidns *ns, struct diag *d)
{
    ns->init_pid = ns->alive_fd = -1;
    int alive[2];
    if (pipe2(alive, O_CLOEXEC) < 0)
        return diag_fail(d, EXIT_BUILD, "pipe: %s", strerror(errno));
    if (fcntl(alive[0], F_SETFL, O_NONBLOCK) < 0 || unshare(CLONE_NEWPID) < 0) {
        int e = errno;
        close(alive[0]);
        close(alive[1]);
        return diag_fail(d, EXIT_BUILD, "a PID namespace for the servers (unshare CLONE_NEWPID): %s", strerror(e));
    }
    fflush(NULL);
    pid_t pid = fork();   /* the first child after unshare is the namespace's init */
    if (pid == 0) {
        close(alive[1]);
        ns_init(alive[0]);
    }
    int e = errno;
    close(alive[0]);
    if (pid < 0) {
        close(alive[1]);
        return diag_fail(d, EXIT_BUILD, "fork: %s", strerror(e));
    }
    ns->init_pid = (int)pid;
    ns->alive_fd = alive[1];   /* open (close-on-exec) until run_pid_namespace_end or our death */
    return 0;
}

void run_pid_namespace_end(struct run_pidns *ns)
{
    int status;
    if (ns->init_pid > 0) {
        kill(ns->init_pid, SIGKILL);
        while (waitpid(ns->init_pid, &status, 0) < 0 && errno == EINTR)
            ;
    }
    if (ns->alive_fd >= 0)
        close(ns->alive_fd);
    ns->init_pid = ns->alive_fd = -1;
}
