/* layout.c — see layout.h. */
#define _GNU_SOURCE
#include "layout.h"

char *layout_kernel_file(const char *kernel)
{
    return xasprintf("%s.bzImage", kernel);
}

char *layout_layer_file(const char *layer)
{
    return xasprintf("%s.cpio.xz", layer);
}

char *layout_modules_file(const char *layer, const char *kernel)
{
    return xasprintf("%s.%s.cpio.xz", layer, kernel);
}

void layout_stack(const struct graph *g, const struct recipe *kernel, const struct strv *layers, struct strv *files)
{
    strv_push_owned(files, layout_kernel_file(kernel->name));
    for (size_t i = 0; i < layers->n; i++) {
        const struct recipe *layer = graph_find(g, layers->v[i]);
        strv_push_owned(files, layout_layer_file(layers->v[i]));
        if (layer && layer->modules.n)
            strv_push_owned(files, layout_modules_file(layers->v[i], kernel->name));
    }
}

void layout_image_stack(const struct graph *g, const struct recipe *image, enum firmware fw, struct strv *files)
{
    const struct recipe *k = graph_image_kernel(g, image, fw);
    if (k)
        layout_stack(g, k, &image->layers, files);
}
