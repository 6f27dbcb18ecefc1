/* libFuzzer harness: a whole layer as `stack` reads it (.xz, .gz or plain, then
 * the cpio reader), with the decoding limits of xz.h (issue 15). */
#include <stdint.h>

#include "cpio_read.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    struct cpio_tree t = {0};
    struct diag d = {0};
    cpio_read_layer(data, size, &t, &d);
    cpio_tree_free(&t);
    return 0;
}
