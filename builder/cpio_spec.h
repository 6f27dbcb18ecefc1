/* cpio_spec.h — gen_init_cpio-style spec lines (`file`, `dir`, `nod`, `slink`, `pipe`,
 * `sock`) as cpio entries: a layer recipe's `entry` lines and `tinynetboot layer --entry`.
 *
 * Contract
 *  - Pure parsing: nothing is read from the file system except by
 *    cpio_entry_check_source, which the caller runs when it wants the input checked.
 *  - Messages carry no FILE:LINE: the caller knows where the line came from.
 *  - No global state. */
#ifndef TNB_CPIO_SPEC_H
#define TNB_CPIO_SPEC_H

#include "cpio.h"

/* 1 if line is blank or a "#" comment (cpio_parse_spec_line refuses those), else 0. */
int cpio_spec_line_is_blank(const char *line);
/* A parsed "file" entry's source must exist and be a regular file: it is part
 * of the input (a recipe's entry line, --entry), so a bad one is EXIT_INPUT
 * when the line is read, not a failure later while writing. 0 for other types. */
int cpio_entry_check_source(const struct cpio_entry *e, struct diag *d);

/* Parse one gen_init_cpio-style spec line (fields separated by blanks; a trailing newline
   is fine) into *out, which the caller frees with cpio_entry_free; out->origin is left
   NULL for the caller to set ("FILE:LINE").
     file NAME LOCATION MODE UID GID      (LOCATION relative to base_dir unless absolute;
                                           base_dir NULL or "" = as written)
     dir NAME MODE UID GID
     nod NAME MODE UID GID c|b MAJ MIN
     slink NAME TARGET MODE UID GID
     pipe NAME MODE UID GID
     sock NAME MODE UID GID
   MODE is octal (at most 07777); UID, GID, MAJ and MIN are decimal. A malformed line gives
   -1 + diag EXIT_INPUT with a message without file:line (the caller prefixes it), e.g.
   `nod: expected 8 fields, got 5`, `bad mode "0x12" (expected octal, at most 07777)`,
   `unknown entry type "dev"`. */
int cpio_parse_spec_line(const char *line, const char *base_dir, struct cpio_entry *out,
                         struct diag *d);

#endif
