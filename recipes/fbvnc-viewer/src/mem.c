/* mem.c - available RAM, for the cap on the server screen's shadow copy. */
#include "mem.h"

#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/sysinfo.h>

static size_t clamp_size(uint64_t bytes)
{
    return bytes > SIZE_MAX ? SIZE_MAX : (size_t)bytes;
}

size_t mem_available(void)
{
    char line[128];
    FILE *f = fopen("/proc/meminfo", "r");
    if (f) {   /* "MemAvailable:   12345 kB" (no sscanf: it brings in musl's float scanner) */
        while (fgets(line, sizeof line, f))
            if (strncmp(line, "MemAvailable:", 13) == 0) {
                fclose(f);
                return clamp_size((uint64_t)strtoull(line + 13, NULL, 10) * 1024);
            }
        fclose(f);
    }
    struct sysinfo si;
    if (sysinfo(&si) != 0)
        return 0;
    return clamp_size(((uint64_t)si.freeram + si.bufferram) * si.mem_unit);
}
