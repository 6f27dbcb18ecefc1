/* libFuzzer harness: gen_init_cpio-style entry lines, and what the writer
 * makes of the entries that parse. */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "cpio.h"
#include "cpio_spec.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    char *line = malloc(size + 1);
    memcpy(line, data, size);
    line[size] = 0;
    struct cpio_entry e;
    struct diag d = {0};
    memset(&e, 0, sizeof e);
    if (!strchr(line, '\n') && cpio_parse_spec_line(line, "/nonexistent", &e, &d) == 0 && e.type != CPIO_FILE) {
        struct cpio_tree t = {0};
        struct buf out = {0};
        if (cpio_add(&t, &e, CPIO_DUP_ERROR, &d) == 0)
            cpio_write(&t, 0, &out, &d);
        buf_free(&out);
        cpio_tree_free(&t);
    }
    cpio_entry_free(&e);
    free(line);
    return 0;
}
