/*
 * pool.h: the clinic's pooled outcomes ("what helped others with the same pattern"),
 * released as differentially private snapshots (docs/clinic.md, "Shared experiences").
 *
 * Each consenting person is reduced to one record of clipped figures for their main
 * muscle and technique (the pair they did most sessions of) and the pain pattern of their
 * latest map; pool_snapshot() groups the records, adds noise and writes the snapshot as
 * JSON. Nothing here touches a database: pool_pg.c gathers the records.
 */
#ifndef TRP_POOL_H
#define TRP_POOL_H

#include <stddef.h>
#include <stdint.h>

/* One person, as their figures enter the pool (each clipped to its bounds). */
struct pool_person {
	char muscle[64];       /* the muscle of their main pair (an atlas id, no side) */
	char technique[32];    /* its technique (trp_treatment_name) */
	char pattern[256];     /* the muscles that explain their latest map, '+'-joined, sorted; "" none */
	int sessions;          /* sessions of the pair, clipped to POOL_SESSIONS_CLIP */
	int meaningful_pct;    /* 0..100: their share of those sessions with a meaningful drop */
	int median_change2;    /* twice their median change after - before, -20..20 */
	int better[3];         /* 0/1: 30% better within 2, 4 and 8 weeks of their first session */
	int verdict;           /* their own report's verdict: 1 instant relief, 2 builds over weeks, 0 other */
};

#define POOL_SESSIONS_CLIP 20

/* The privacy budget of one group, per figure, and the release threshold. */
struct pool_params {
	double eps_people, eps_sessions, eps_meaningful, eps_median, eps_better, eps_verdict,
		eps_withheld;
	double delta;          /* chance that a group of one person is released at all */
	int threshold;         /* noisy people below this: withheld (at least 10) */
	int per_year;          /* snapshots a year, for the yearly total stated */
};

/* The defaults, documented in docs/clinic.md; `scale` multiplies every epsilon. */
void pool_params_default(struct pool_params *p, double scale);

/* Randomness: the system's (libsodium's randombytes), or for tests a stream made from
 * `seed` (TRP_DP_SEED), so that a snapshot can be made again. */
struct pool_rng {
	unsigned char key[32];
	uint64_t counter;
	int seeded;
	unsigned char buf[512];
	size_t pos;
};
void pool_rng_init(struct pool_rng *g, const char *seed);

/* A draw of the two-sided geometric distribution, P(k) proportional to alpha^|k| with
 * alpha = exp(-eps / sensitivity): the discrete Laplace mechanism. */
int64_t pool_geometric(struct pool_rng *g, double eps, double sensitivity);

/* The exponential mechanism's median of values (twice the change, -20..20) at eps:
 * returns twice the chosen median. */
int pool_median2(struct pool_rng *g, const int *values, size_t n, double eps);

/* The snapshot as JSON (malloc'd), or NULL when out of memory. `muscles` lists every
 * atlas muscle (the fixed set whose withheld counts are released); `clinic`, `from`,
 * `to` and `made` (YYYY-MM) describe it. The records are sorted in place. */
char *pool_snapshot(struct pool_person *people, size_t n, const char *const *muscles, size_t nmuscles,
		    const struct pool_params *p, struct pool_rng *g, const char *clinic, const char *from,
		    const char *to, const char *made);

/* Half-width of the central 95% of the noise on a figure: a count (people) or a share
 * of people in a group of n (meaningful sessions, 30% better), for the page's
 * "about +/- N points". */
double pool_margin_count(double eps, double sensitivity);

/* pool_pg.c, over the clinic database (a PGconn). Makes a snapshot from the consenting
 * patients' diaries as they are now and stores it (*out: its JSON); 0, or -1 with msg. */
struct trp_atlas;
int pool_make_snapshot(void *conn, const struct trp_atlas *atlas, const char *clinic, double scale,
		       const char *seed, char **out, char *msg, size_t msgsize);

/* The latest snapshot's JSON; NULL with *none set when there is none yet, or with msg. */
char *pool_latest(void *conn, int *none, char *msg, size_t msgsize);

/* For `trp clinic experiences`: connects to conninfo and makes a snapshot (make != 0) or
 * reads the latest; the JSON, or NULL with msg (*none: there is no snapshot yet). */
char *pool_cli(const char *conninfo, const struct trp_atlas *atlas, int make, const char *clinic,
	       double scale, const char *seed, int *none, char *msg, size_t msgsize);

#endif
