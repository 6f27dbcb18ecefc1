/* mem.h - how much RAM this client can spare (a thin client may have 24 MB). */
#ifndef FBVNC_MEM_H
#define FBVNC_MEM_H

#include <stddef.h>

/* Bytes of RAM available now: MemAvailable from /proc/meminfo, else free
 * plus buffer RAM from sysinfo(); 0 if neither can be read. */
size_t mem_available(void);

#endif
