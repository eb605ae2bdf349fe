/*
 * pool.c: pooled outcomes as differentially private snapshots (pool.h).
 *
 * The mechanism (docs/clinic.md says it for people):
 * - each person enters at most two groups: their main muscle x technique, and their
 *   latest map's pattern x that technique; within a group they count once, through
 *   figures clipped to known bounds (pool_person);
 * - every released figure is a sum over the group's people plus two-sided geometric
 *   noise (the discrete Laplace mechanism) scaled to what one person can change in it;
 *   the median change comes from the exponential mechanism over half-point candidates;
 * - a group is released only when its noisy count of people reaches the threshold,
 *   chosen so that a group of one person is released with chance at most delta (the
 *   partition selection of Wilson et al., "Differentially private SQL with bounded user
 *   contribution", PoPETs 2020); the withheld counts are noisy too, over every muscle of
 *   the atlas;
 * - shares are noisy sums over the noisy count, clamped to 0..1; counts never below 0.
 * By basic composition one snapshot costs each person at most the sum of the epsilons of
 * their two groups; the snapshot says it, and the total for a year of snapshots.
 */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <jansson.h>
#include <sodium.h>

#include "pool.h"

void pool_params_default(struct pool_params *p, double scale)
{
	double alpha;
	int k;

	p->eps_people = 1.0 * scale;
	p->eps_sessions = 0.25 * scale;
	p->eps_meaningful = 0.5 * scale;
	p->eps_median = 0.5 * scale;
	p->eps_better = 0.75 * scale;
	p->eps_verdict = 0.25 * scale;
	p->eps_withheld = 0.25 * scale;
	p->delta = 1e-6;
	p->per_year = 12;
	/* the smallest threshold (>= 10) at which one person alone passes with chance
	 * P(noise >= threshold - 1) = alpha^k / (1 + alpha) <= delta */
	alpha = exp(-p->eps_people);
	for (k = 9; k < 100000 && pow(alpha, k) / (1 + alpha) > p->delta; k++)
		;
	p->threshold = k + 1;
}

void pool_rng_init(struct pool_rng *g, const char *seed)
{
	memset(g, 0, sizeof *g);
	g->pos = sizeof g->buf;
	if (seed && *seed) {
		g->seeded = 1;
		crypto_generichash(g->key, sizeof g->key, (const unsigned char *)seed, strlen(seed), NULL, 0);
	}
}

static void fill(struct pool_rng *g, unsigned char *out, size_t n)
{
	size_t take;

	while (n) {
		if (g->pos == sizeof g->buf) {
			if (g->seeded) {
				unsigned char block_seed[randombytes_SEEDBYTES], ctr[8];
				int i;

				for (i = 0; i < 8; i++)
					ctr[i] = (unsigned char)(g->counter >> (8 * i));
				g->counter++;
				crypto_generichash(block_seed, sizeof block_seed, ctr, sizeof ctr, g->key,
						   sizeof g->key);
				randombytes_buf_deterministic(g->buf, sizeof g->buf, block_seed);
			} else {
				randombytes_buf(g->buf, sizeof g->buf);
			}
			g->pos = 0;
		}
		take = sizeof g->buf - g->pos < n ? sizeof g->buf - g->pos : n;
		memcpy(out, g->buf + g->pos, take);
		g->pos += take;
		out += take;
		n -= take;
	}
}

/* Uniform in (0, 1], from 53 random bits. */
static double uniform(struct pool_rng *g)
{
	unsigned char b[8];
	uint64_t x = 0;
	int i;

	fill(g, b, sizeof b);
	for (i = 0; i < 8; i++)
		x = x << 8 | b[i];
	x >>= 11;
	return ((double)x + 1.0) / 9007199254740992.0;
}

/* One-sided geometric: P(k) = (1 - alpha) alpha^k, k >= 0. */
static int64_t geometric1(struct pool_rng *g, double log_alpha)
{
	double k = floor(log(uniform(g)) / log_alpha);

	return k > 1e12 ? (int64_t)1e12 : (int64_t)k;
}

int64_t pool_geometric(struct pool_rng *g, double eps, double sensitivity)
{
	double log_alpha = -eps / sensitivity;

	return geometric1(g, log_alpha) - geometric1(g, log_alpha);
}

int pool_median2(struct pool_rng *g, const int *values, size_t n, double eps)
{
	double logw[41], top = -HUGE_VAL, total = 0, u;
	size_t i;
	int j;

	for (j = -20; j <= 20; j++) {
		long below = 0, above = 0;

		for (i = 0; i < n; i++) {
			below += values[i] < j;
			above += values[i] > j;
		}
		/* utility -|below - above|: one person changes it by at most 1 */
		logw[j + 20] = -eps * (double)labs(below - above) / 2;
		if (logw[j + 20] > top)
			top = logw[j + 20];
	}
	for (j = 0; j < 41; j++)
		total += exp(logw[j] - top);
	u = uniform(g) * total;
	for (j = 0; j < 40; j++) {
		u -= exp(logw[j] - top);
		if (u <= 0)
			break;
	}
	return j - 20;
}

double pool_margin_count(double eps, double sensitivity)
{
	/* P(|noise| >= k) = 2 alpha^k / (1 + alpha) for k >= 1 */
	double alpha = exp(-eps / sensitivity);

	return ceil(log(0.05 * (1 + alpha) / 2) / log(alpha));
}

/* ---------------------------------------------------------------- groups */

static int by_muscle(const void *a, const void *b)
{
	const struct pool_person *x = a, *y = b;
	int c = strcmp(x->muscle, y->muscle);

	return c ? c : strcmp(x->technique, y->technique);
}

static int by_pattern(const void *a, const void *b)
{
	const struct pool_person *x = a, *y = b;
	int c = strcmp(x->pattern, y->pattern);

	return c ? c : strcmp(x->technique, y->technique);
}

static int64_t clamp(int64_t v, int64_t lo, int64_t hi)
{
	return v < lo ? lo : v > hi ? hi : v;
}

/* The released figures of one group (people[0..n)), or NULL when withheld. */
static json_t *release(const struct pool_person *people, size_t n, const struct pool_params *p,
		       struct pool_rng *g, int *values)
{
	int64_t sessions = 0, pct = 0, better[3] = { 0, 0, 0 }, instant = 0, builds = 0, noisy, v;
	json_t *o;
	size_t i;
	int k;

	noisy = (int64_t)n + pool_geometric(g, p->eps_people, 1);
	if (noisy < p->threshold)
		return NULL;
	for (i = 0; i < n; i++) {
		sessions += people[i].sessions;
		pct += people[i].meaningful_pct;
		for (k = 0; k < 3; k++)
			better[k] += people[i].better[k];
		instant += people[i].verdict == 1;
		builds += people[i].verdict == 2;
		values[i] = people[i].median_change2;
	}
	o = json_object();
	json_object_set_new(o, "technique", json_string(people[0].technique));
	json_object_set_new(o, "people", json_integer(noisy));
	v = sessions + pool_geometric(g, p->eps_sessions, POOL_SESSIONS_CLIP);
	json_object_set_new(o, "sessions", json_integer(clamp(v, 0, INT64_MAX)));
	v = pct + pool_geometric(g, p->eps_meaningful, 100);
	json_object_set_new(o, "meaningful_share",
			    json_real(round((double)clamp(v, 0, 100 * noisy) / (double)noisy) / 100.0));
	json_object_set_new(o, "median_change", json_real(pool_median2(g, values, n, p->eps_median) / 2.0));
	{
		static const char *const names[] = { "better_2w", "better_4w", "better_8w" };

		int64_t last = 0;

		/* the three together change by at most 3 when one person comes or goes; "within
		 * 4 weeks" holds everyone "within 2", so the noisy counts are made to rise
		 * (post-processing, which costs no privacy) */
		for (k = 0; k < 3; k++) {
			v = clamp(better[k] + pool_geometric(g, p->eps_better, 3), 0, noisy);
			last = v > last ? v : last;
			json_object_set_new(o, names[k], json_integer(last));
		}
	}
	/* one person is one verdict: the two counts change by at most 1 together */
	json_object_set_new(o, "instant_relief", json_integer(clamp(instant + pool_geometric(g, p->eps_verdict, 1), 0, noisy)));
	json_object_set_new(o, "builds_over_weeks", json_integer(clamp(builds + pool_geometric(g, p->eps_verdict, 1), 0, noisy)));
	return o;
}

static int find_muscle(const char *const *muscles, size_t n, const char *id)
{
	size_t lo = 0, hi = n;

	while (lo < hi) {
		size_t mid = (lo + hi) / 2;
		int c = strcmp(muscles[mid], id);

		if (c == 0)
			return (int)mid;
		if (c < 0)
			lo = mid + 1;
		else
			hi = mid;
	}
	return -1;
}

static int cmp_str(const void *a, const void *b)
{
	return strcmp(*(const char *const *)a, *(const char *const *)b);
}

static json_t *privacy_json(const struct pool_params *p, struct pool_rng *g)
{
	double group = p->eps_people + p->eps_sessions + p->eps_meaningful + p->eps_median + p->eps_better +
		       p->eps_verdict;
	double alpha = exp(-p->eps_people);
	double delta = 2 * pow(alpha, p->threshold - 1) / (1 + alpha);
	json_t *o = json_object(), *f = json_object(), *m = json_object();

	json_object_set_new(o, "mechanism", json_string(
		"two-sided geometric noise (discrete Laplace) on every count and sum, the exponential "
		"mechanism for the median; groups released when their noisy count of people reaches "
		"the threshold"));
	json_object_set_new(o, "groups_per_person", json_integer(2));
	json_object_set_new(o, "epsilon_group", json_real(group + p->eps_withheld));
	json_object_set_new(o, "epsilon_pattern_group", json_real(group));
	json_object_set_new(o, "epsilon_snapshot", json_real(2 * group + p->eps_withheld));
	json_object_set_new(o, "snapshots_per_year", json_integer(p->per_year));
	json_object_set_new(o, "epsilon_year", json_real(p->per_year * (2 * group + p->eps_withheld)));
	json_object_set_new(o, "delta_snapshot", json_real(delta));
	json_object_set_new(o, "release_threshold", json_integer(p->threshold));
	json_object_set_new(f, "people", json_real(p->eps_people));
	json_object_set_new(f, "sessions", json_real(p->eps_sessions));
	json_object_set_new(f, "meaningful_share", json_real(p->eps_meaningful));
	json_object_set_new(f, "median_change", json_real(p->eps_median));
	json_object_set_new(f, "better", json_real(p->eps_better));
	json_object_set_new(f, "verdicts", json_real(p->eps_verdict));
	json_object_set_new(f, "withheld", json_real(p->eps_withheld));
	json_object_set_new(o, "epsilon_figures", f);
	json_object_set_new(o, "sessions_clip", json_integer(POOL_SESSIONS_CLIP));
	/* the noise's 95% half-width in a group of 100 people, as shares */
	json_object_set_new(m, "people", json_real(pool_margin_count(p->eps_people, 1)));
	json_object_set_new(m, "meaningful_share", json_real(pool_margin_count(p->eps_meaningful, 100) / 10000.0));
	json_object_set_new(m, "better_share", json_real(pool_margin_count(p->eps_better, 3) / 100.0));
	json_object_set_new(m, "verdict_share", json_real(pool_margin_count(p->eps_verdict, 1) / 100.0));
	json_object_set_new(o, "margin_100", m);
	json_object_set_new(o, "seeded", json_boolean(g->seeded));
	return o;
}

char *pool_snapshot(struct pool_person *people, size_t n, const char *const *muscles, size_t nmuscles,
		    const struct pool_params *p, struct pool_rng *g, const char *clinic, const char *from,
		    const char *to, const char *made)
{
	const char **sorted = malloc((nmuscles ? nmuscles : 1) * sizeof *sorted);
	int64_t *withheld = calloc(nmuscles ? nmuscles : 1, sizeof *withheld);
	json_t **techniques = calloc(nmuscles ? nmuscles : 1, sizeof *techniques);
	int *values = malloc((n ? n : 1) * sizeof *values);
	json_t *root = json_object(), *ms = json_array(), *ps = json_array(), *period = json_object();
	size_t i, j, k;
	char *out = NULL;

	if (!sorted || !withheld || !techniques || !values || !root || !ms || !ps || !period)
		goto done;
	memcpy(sorted, muscles, nmuscles * sizeof *sorted);
	qsort(sorted, nmuscles, sizeof *sorted, cmp_str);
	/* muscle x technique */
	qsort(people, n, sizeof *people, by_muscle);
	for (i = 0; i < n; i = j) {
		int at;
		json_t *t;

		for (j = i + 1; j < n && by_muscle(&people[i], &people[j]) == 0; j++)
			;
		at = find_muscle(sorted, nmuscles, people[i].muscle);
		if (at < 0)
			continue;   /* a muscle the atlas no longer has */
		t = release(people + i, j - i, p, g, values);
		if (!t) {
			withheld[at]++;
			continue;
		}
		if (!techniques[at])
			techniques[at] = json_array();
		json_array_append_new(techniques[at], t);
	}
	for (k = 0; k < nmuscles; k++) {
		int64_t w = clamp(withheld[k] + pool_geometric(g, p->eps_withheld, 1), 0, INT64_MAX);

		if (!techniques[k] && w == 0)
			continue;
		json_array_append_new(ms, json_pack("{s:s, s:o, s:I}", "muscle", sorted[k], "techniques",
						    techniques[k] ? techniques[k] : json_array(), "withheld",
						    (json_int_t)w));
		techniques[k] = NULL;
	}
	/* pattern x technique */
	qsort(people, n, sizeof *people, by_pattern);
	for (i = 0; i < n; i = j) {
		json_t *t, *list;
		char *save = NULL, buf[sizeof people[i].pattern], *tok;

		for (j = i + 1; j < n && by_pattern(&people[i], &people[j]) == 0; j++)
			;
		if (!people[i].pattern[0])
			continue;
		t = release(people + i, j - i, p, g, values);
		if (!t)
			continue;
		list = json_array();
		snprintf(buf, sizeof buf, "%s", people[i].pattern);
		for (tok = strtok_r(buf, "+", &save); tok; tok = strtok_r(NULL, "+", &save))
			json_array_append_new(list, json_string(tok));
		json_object_set_new(t, "muscles", list);
		json_array_append_new(ps, t);
	}
	json_object_set_new(period, "from", json_string(from));
	json_object_set_new(period, "to", json_string(to));
	json_object_set_new(root, "format", json_string("trp-experiences"));
	json_object_set_new(root, "version", json_integer(1));
	json_object_set_new(root, "clinic", json_string(clinic));
	json_object_set_new(root, "made", json_string(made));
	json_object_set_new(root, "period", period);
	period = NULL;
	json_object_set_new(root, "privacy", privacy_json(p, g));
	json_object_set_new(root, "muscles", ms);
	json_object_set_new(root, "patterns", ps);
	ms = ps = NULL;
	out = json_dumps(root, JSON_COMPACT | JSON_REAL_PRECISION(6));
done:
	for (k = 0; techniques && k < nmuscles; k++)
		json_decref(techniques[k]);
	json_decref(root);
	json_decref(ms);
	json_decref(ps);
	json_decref(period);
	free(sorted);
	free(withheld);
	free(techniques);
	free(values);
	return out;
}
