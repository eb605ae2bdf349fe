/*
 * experiences.h: reading a clinic's pooled outcomes (a snapshot made by `trp clinic
 * experiences --snapshot`, pool.c) for one muscle. Part of libtrp's internals, so that
 * `trp experiences --load FILE` and the local page read a file without the clinic's
 * database; the schema is in docs/clinic.md.
 */
#ifndef TRP_EXPERIENCES_H
#define TRP_EXPERIENCES_H

#include <stddef.h>

/* 0 when text is a snapshot this version reads; 2 with msg saying what is wrong. */
int trp__experiences_check(const char *text, size_t len, char *msg, size_t msgsize);

/* The figures for one muscle (an atlas id) as GET /api/experiences?muscle=ID gives them:
 * {"muscle", "techniques": [...], "withheld", "patterns": [the pattern groups that hold
 * the muscle], "clinic", "made", "period", "privacy"}; a muscle the snapshot does not
 * name has no techniques and nothing withheld. malloc'd; NULL when text is not a
 * snapshot or memory ran out. */
char *trp__experiences_muscle(const char *text, size_t len, const char *muscle, int pretty);

#endif
