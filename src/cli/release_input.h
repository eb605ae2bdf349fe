/*
 * release_input.h: what `trp screen`, `trp plan` and `trp session` read alike: answers
 * files, plan files, and the muscles or the pain map a plan is made for.
 */
#ifndef TRP_CLI_RELEASE_INPUT_H
#define TRP_CLI_RELEASE_INPUT_H

#include "cli.h"
#include "trp/release.h"

/* Reads the whole of `path` ("-" for standard input), at most `max` bytes, into a
 * NUL-terminated buffer the caller frees. On failure prints "trp: CMD: ..." and returns
 * EXIT_FAILED (unreadable) or EXIT_USAGE (too large); else EXIT_DONE. */
int release_read(const char *cmd, const char *path, size_t max, char **text, size_t *len);

/* Reads an answers file into *out. A file that is not an answers file is bad input:
 * prints "trp: CMD: FILE: what is wrong" and returns EXIT_USAGE. */
int release_answers(const char *cmd, const char *path, trp_answers *out);

/* Parses MUSCLE[.SIDE] arguments (an identifier or alias; a family stands for its
 * parts; SIDE l, r, left or right) into out (room for TRP_PLAN_TARGETS_MAX).
 * Prints the error and returns EXIT_USAGE on bad input, the atlas's failure code when
 * it cannot be opened. */
int release_targets(struct cli *cli, const char *cmd, char **args, int n, trp_target *out,
		    size_t *nout);

/* Runs the find engine on the pain map in args and turns the muscles that explain it
 * into targets; notes (room for 8) gets the map's cautions, as static strings. */
int release_find_targets(struct cli *cli, const char *cmd, char **args, int n,
			 trp_target *out, size_t *nout, trp_caution_note *notes, size_t *nnotes);

/* Makes the plan for `targets` with the answers of `screen_path` (NULL: not screened);
 * prints the error and returns an exit code on failure. */
int release_plan(struct cli *cli, const char *cmd, const trp_target *targets, size_t n,
		 const char *screen_path, size_t points, const trp_caution_note *notes,
		 size_t nnotes, trp_plan **out);

/* Parses a --points value (1..TRP_PLAN_POINTS_MAX); EXIT_USAGE after printing. */
int release_points(const char *cmd, const char *text, size_t *out);

/* "left", "right" or "either side". */
const char *release_side_words(int side);

#endif
