/* test_pool.c: the pooled outcomes' privacy mechanism (src/clinic/pool.c) on synthetic
 * groups whose truth is known: the noise's distribution and its privacy ratio, an
 * attacker who knows everyone but one person and reads that person's outcome off a
 * snapshot, the exponential mechanism's median, withholding of small groups, and the
 * stated margins against what the noise does. */
#include <math.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>
#include <jansson.h>
#include <sodium.h>

#include "pool.h"

static const char *const muscles[] = { "soleus", "trapezius_upper", "masseter" };

static void person(struct pool_person *p, const char *muscle, const char *technique, int pct, int median2,
		   int better4)
{
	memset(p, 0, sizeof *p);
	snprintf(p->muscle, sizeof p->muscle, "%s", muscle);
	snprintf(p->technique, sizeof p->technique, "%s", technique);
	snprintf(p->pattern, sizeof p->pattern, "%s", muscle);
	p->sessions = 10;
	p->meaningful_pct = pct;
	p->median_change2 = median2;
	p->better[1] = p->better[2] = better4;
	p->verdict = pct >= 50 ? 1 : 0;
}

/* The noise: mean 0 and the variance of the two-sided geometric, 2 alpha / (1 - alpha)^2. */
static void geometric_moments(void **state)
{
	struct pool_rng g;
	double sum = 0, sq = 0, alpha = exp(-0.5), var = 2 * alpha / ((1 - alpha) * (1 - alpha));
	int i, n = 200000;

	(void)state;
	pool_rng_init(&g, "moments");
	for (i = 0; i < n; i++) {
		double v = (double)pool_geometric(&g, 0.5, 1);

		sum += v;
		sq += v * v;
	}
	assert_true(fabs(sum / n) < 4 * sqrt(var / n));
	assert_true(fabs(sq / n - var) < 0.05 * var);
}

/* Differential privacy of a count: P(n + noise = k) / P(n + 1 + noise = k) stays within
 * e^eps, checked on the outputs that carry enough draws to measure. */
static void count_ratio(void **state)
{
	enum { N = 400000, SPAN = 60 };
	static long a[2 * SPAN + 1], b[2 * SPAN + 1];
	struct pool_rng g;
	double eps = 1.0, worst = 0;
	int i, checked = 0;

	(void)state;
	pool_rng_init(&g, "ratio");
	for (i = 0; i < N; i++) {
		int64_t x = 20 + pool_geometric(&g, eps, 1), y = 21 + pool_geometric(&g, eps, 1);

		if (x >= 20 - SPAN && x <= 20 + SPAN)
			a[x - 20 + SPAN]++;
		if (y >= 20 - SPAN && y <= 20 + SPAN)
			b[y - 20 + SPAN]++;
	}
	for (i = 0; i <= 2 * SPAN; i++)
		if (a[i] > 2000 && b[i] > 2000) {
			double r = (double)a[i] / (double)b[i];

			if (r < 1)
				r = 1 / r;
			if (r > worst)
				worst = r;
			checked++;
		}
	assert_true(checked >= 5);
	/* the exact ratio is e^eps at every output; sampling error on >= 2000 draws ~ 5% */
	assert_true(worst < exp(eps) * 1.1);
	assert_true(worst > exp(eps) * 0.9);
}

/* The share in a released group, read from a snapshot's JSON. */
static double released_share(const char *json, const char *muscle, int *people)
{
	json_t *root = json_loads(json, 0, NULL), *m, *t;
	size_t i, j;
	double share = -1;

	*people = 0;
	json_array_foreach(json_object_get(root, "muscles"), i, m)
		if (strcmp(json_string_value(json_object_get(m, "muscle")), muscle) == 0)
			json_array_foreach(json_object_get(m, "techniques"), j, t) {
				share = json_number_value(json_object_get(t, "meaningful_share"));
				*people = (int)json_integer_value(json_object_get(t, "people"));
			}
	json_decref(root);
	return share;
}

/* An attacker who knows every other person in a group of 30 and sees the snapshot made
 * after the last one joined guesses whether that person's sessions helped (all of them,
 * or none). Whatever rule they use, differential privacy bounds their accuracy by
 * e^eps / (1 + e^eps) for the figures that carry the outcome (here the share of
 * meaningful sessions alone: the median is the same in both worlds); the best rule's
 * accuracy is 1 - e^(-eps/2) / 2 for this noise, so the noise is neither weaker nor
 * much stronger than stated. */
static void differencing_attack(void **state)
{
	enum { BASE = 30, RUNS = 3000 };
	struct pool_person people[BASE + 1];
	struct pool_params p;
	struct pool_rng g;
	int run, world, right = 0, total = 0, i, n;
	double bound, best, acc, se;
	char seed[32];

	(void)state;
	pool_params_default(&p, 1);
	for (run = 0; run < RUNS; run++)
		for (world = 0; world < 2; world++) {
			char *json;
			double share, truth0 = (15 * 100.0) / (BASE + 1) / 100, truth1 = (15 * 100.0 + 100) / (BASE + 1) / 100;

			for (i = 0; i < BASE; i++)
				person(&people[i], "trapezius_upper", "pressure", i < 15 ? 100 : 0, -4, 1);
			person(&people[BASE], "trapezius_upper", "pressure", world ? 100 : 0, -4, 1);
			people[BASE].verdict = 0;
			snprintf(seed, sizeof seed, "attack-%d-%d", run, world);
			pool_rng_init(&g, seed);
			json = pool_snapshot(people, BASE + 1, muscles, 3, &p, &g, "c", "2026-01", "2026-12", "2026-12");
			assert_non_null(json);
			share = released_share(json, "trapezius_upper", &n);
			free(json);
			if (n == 0)
				continue;
			/* the rule: the share scaled back to the noisy count, against the midpoint */
			right += ((share * n > (truth0 + truth1) / 2 * (BASE + 1)) == world);
			total++;
		}
	assert_true(total > RUNS * 2 * 0.95);
	acc = (double)right / total;
	se = sqrt(0.25 / total);
	bound = exp(p.eps_meaningful) / (1 + exp(p.eps_meaningful));
	best = 1 - exp(-p.eps_meaningful / 2) / 2;
	printf("# differencing attack: accuracy %.3f over %d snapshots (DP bound %.3f, best rule %.3f)\n", acc,
	       total, bound, best);
	assert_true(acc <= bound + 3 * se);
	assert_true(acc >= best - 0.06);
}

/* The median: the exponential mechanism lands on the true median of a group that agrees,
 * and near it in a split one. */
static void median_mechanism(void **state)
{
	int values[100], i, hits = 0, runs = 2000;
	struct pool_rng g;

	(void)state;
	pool_rng_init(&g, "median");
	for (i = 0; i < 100; i++)
		values[i] = -6;
	for (i = 0; i < runs; i++)
		hits += pool_median2(&g, values, 100, 0.25) == -6;
	assert_true(hits > runs * 0.95);
	/* 60 at -6, 40 at -2: the median is -6; the mechanism gives -6 .. -3 (equal rank
	 * distance) far more often than anything at or past -2 */
	for (i = 0; i < 100; i++)
		values[i] = i < 60 ? -6 : -2;
	hits = 0;
	for (i = 0; i < runs; i++) {
		int m = pool_median2(&g, values, 100, 0.25);

		hits += m >= -6 && m <= -3;
	}
	assert_true(hits > runs * 0.9);
	/* a group of 36, 24 at -2.5 points and 12 at -1 (the clinic test's): the median
	 * lands within -2.5 .. -1 in at least 90% of snapshots at the default epsilon */
	for (i = 0; i < 36; i++)
		values[i] = i < 24 ? -5 : -2;
	hits = 0;
	for (i = 0; i < runs; i++) {
		int m = pool_median2(&g, values, 36, 0.5);

		hits += m >= -5 && m <= -2;
	}
	printf("# median of 36 at epsilon 0.5: within -2.5 .. -1 points in %.1f%% of draws\n", 100.0 * hits / runs);
	assert_true(hits > runs * 0.9);
}

/* Withholding: a group of 5 is never shown, one of 40 always; the stated threshold and
 * margins are what the default parameters give. */
static void withholding(void **state)
{
	struct pool_person people[45];
	struct pool_params p;
	struct pool_rng g;
	int i, n, shown_small = 0, shown_big = 0, run;
	char seed[32];

	(void)state;
	pool_params_default(&p, 1);
	assert_int_equal(p.threshold, 15);
	for (run = 0; run < 300; run++) {
		char *json;
		json_t *root;

		for (i = 0; i < 45; i++)
			person(&people[i], i < 5 ? "soleus" : "trapezius_upper", "stretch", 50, -2, 0);
		snprintf(seed, sizeof seed, "withhold-%d", run);
		pool_rng_init(&g, seed);
		json = pool_snapshot(people, 45, muscles, 3, &p, &g, "c", "2026-01", "2026-12", "2026-12");
		assert_non_null(json);
		shown_small += released_share(json, "soleus", &n) >= 0;
		shown_big += released_share(json, "trapezius_upper", &n) >= 0;
		root = json_loads(json, 0, NULL);
		assert_non_null(root);
		assert_true(json_is_array(json_object_get(root, "patterns")));
		json_decref(root);
		free(json);
	}
	assert_int_equal(shown_small, 0);
	assert_int_equal(shown_big, 300);
	/* "about +/- 6 points" on a share in a group of 100 */
	assert_true(fabs(pool_margin_count(p.eps_meaningful, 100) / 10000.0 - 0.06) < 0.005);
}

/* The seed makes a snapshot again; without one two snapshots differ. */
static void seeded(void **state)
{
	struct pool_person people[40], copy[40];
	struct pool_params p;
	struct pool_rng g;
	char *a, *b;
	int i;

	(void)state;
	pool_params_default(&p, 1);
	for (i = 0; i < 40; i++)
		person(&people[i], "masseter", "heat", i % 3 ? 100 : 0, -3, i % 2);
	memcpy(copy, people, sizeof people);
	pool_rng_init(&g, "same");
	a = pool_snapshot(people, 40, muscles, 3, &p, &g, "c", "2026-01", "2026-12", "2026-12");
	pool_rng_init(&g, "same");
	b = pool_snapshot(copy, 40, muscles, 3, &p, &g, "c", "2026-01", "2026-12", "2026-12");
	assert_string_equal(a, b);
	free(b);
	memcpy(copy, people, sizeof people);
	pool_rng_init(&g, NULL);
	b = pool_snapshot(copy, 40, muscles, 3, &p, &g, "c", "2026-01", "2026-12", "2026-12");
	assert_non_null(strstr(b, "\"seeded\":false"));
	assert_non_null(strstr(a, "\"seeded\":true"));
	free(a);
	free(b);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(geometric_moments), cmocka_unit_test(count_ratio),
		cmocka_unit_test(differencing_attack), cmocka_unit_test(median_mechanism),
		cmocka_unit_test(withholding), cmocka_unit_test(seeded),
	};

	if (sodium_init() < 0)
		return 1;
	return cmocka_run_group_tests(tests, NULL, NULL);
}
