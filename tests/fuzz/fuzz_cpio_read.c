/* libFuzzer harness: the cpio reader (stack reads layers anyone made). */
#include <stdint.h>

#include "cpio_read.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    struct cpio_tree t = {0};
    struct diag d = {0};
    cpio_read(data, size, &t, &d);
    cpio_tree_free(&t);
    return 0;
}
