/* libFuzzer harness: the recipe parser must never crash, leak or read out of
 * bounds, whatever the bytes; an error must always come with a message. */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "recipe.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    char *text = malloc(size + 1);
    memcpy(text, data, size);
    text[size] = 0;
    struct recipe r;
    struct diag d = {0};
    if (recipe_parse("recipes/fuzz/recipe", text, &r, &d) < 0 && (d.status != EXIT_INPUT || !d.msg[0]))
        abort();   /* a failure without a bad-input message is a bug */
    recipe_free(&r);
    free(text);
    return 0;
}
