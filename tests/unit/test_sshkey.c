/* test_sshkey.c — appending to authorized_keys (issue 15, defect 8): other
 * lines stay, a missing final newline is added, the same key is not added twice. */
#define _GNU_SOURCE
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "sshkey.h"
#include "tap.h"

#define KEY "ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIKeyKeyKeyKeyKeyKeyKeyKeyKeyKeyKeyKeyKeyKey1"
#define LINE "restrict,port-forwarding,permitopen=\"localhost:5901\" " KEY " pc17\n"

int main(void)
{
    struct tap t = {0};
    struct diag d = {0};
    char path[] = "/tmp/tnb-test-ak.XXXXXX";
    int fd = mkstemp(path);
    const char *old = "ssh-ed25519 AAAAOTHER admin";   /* no final newline */
    if (fd < 0 || write(fd, old, strlen(old)) != (ssize_t)strlen(old))
        tap_bail_out(&t, "cannot make a temp file");
    close(fd);
    chmod(path, 0640);
    ok(&t, sshkey_append_authorized(path, LINE, KEY, &d) == 0, "append to an existing file");
    ok(&t, sshkey_append_authorized(path, LINE, KEY, &d) == 0, "append the same key again");
    struct buf b = {0};
    read_file(path, &b, &d);
    is_str(&t, (char *)b.data, "ssh-ed25519 AAAAOTHER admin\n" LINE, "the other key stays, the new line once");
    struct stat st;
    ok(&t, stat(path, &st) == 0 && (st.st_mode & 07777) == 0640, "the file keeps its mode");
    unlink(path);
    ok(&t, sshkey_append_authorized(path, LINE, KEY, &d) == 0 && stat(path, &st) == 0 && (st.st_mode & 07777) == 0600,
       "a missing file is created 0600");
    unlink(path);
    buf_free(&b);
    return tap_done(&t);
}
