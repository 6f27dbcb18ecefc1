/* libFuzzer harness: the clients-file parser (no release dir check). */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "clients.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    char *text = malloc(size + 1);
    memcpy(text, data, size);
    text[size] = 0;
    struct strv images = {0};
    strv_push(&images, "vnc");
    strv_push(&images, "shell");
    struct clients c;
    struct diag d = {0};
    if (clients_parse("clients", text, &images, NULL, &c, &d) == 0)
        clients_free(&c);
    else if (d.status != EXIT_INPUT || !d.msg[0])
        abort();
    strv_free(&images);
    free(text);
    return 0;
}
