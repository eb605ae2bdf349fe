/*
 * stats.c: what the diary shows (the model and its thresholds are docs/diary.md).
 *
 *  - immediate effect per treatment: the change in pain from just before a session to
 *    just after (median), and the share of sessions with a meaningful drop;
 *  - over weeks: the trend of daily pain (least squares, slope per week, 95% t
 *    interval), the days until pain first fell by 30%, and regions that came back after
 *    a quiet week;
 *  - a verdict per treatment, treatment against treatment (unblinded), and n-of-1 trials.
 *
 * Entries come in one at a time (any store can feed it); the report keeps only what the
 * figures need. Pure computation: "today" is an argument.
 */
#include <math.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <jansson.h>

#include "internal.h"
#include "trp/diary.h"

/* Thresholds (docs/diary.md says where they come from). */
#define MEANINGFUL_POINTS 2      /* a drop of 2 points on 0-10 ... */
#define MEANINGFUL_SHARE 0.30    /* ... or of 30% is meaningful for one person */
#define MIN_SESSIONS 5           /* fewer sessions of a treatment: too little data */
#define WEEKS_MIN_DAYS 21        /* a trend over weeks needs three weeks of sessions */
#define WEEKS_MIN_SESSIONS 6
#define QUIET_DAYS 7             /* a region quiet this long that comes back recurs */
#define TRIAL_DELTA 1.0          /* a meaningful difference between mean daily pains */
#define TRIAL_SURE 0.8           /* probability that settles a trial's verdict */
#define RECURRENCES_SHOWN 20

struct reading {
	int64_t day;
	double value;
};

struct session {
	int64_t day;
	int treatment;
	int before, after;
};

struct days {
	int64_t *v;
	size_t n, cap;
};

struct trp_report {
	struct reading *readings;
	size_t nreadings, capreadings;
	struct session *sessions;
	size_t nsessions, capsessions;
	struct days region_days[TRP_MAP_MAX];   /* days each located region was painful */
	trp_trial trials[32];
	size_t ntrials;
	/* computed */
	struct reading *daily;                  /* mean pain per day, in day order */
	double *cumulative;                     /* cumulative[i]: sum of daily[0..i-1] */
	size_t ndaily;
	trp_report_day *days;                   /* trp_report_days(): daily, with treatments */
};

static int grow(void **v, size_t *cap, size_t n, size_t size)
{
	size_t c;
	void *p;

	if (n < *cap)
		return 0;
	c = *cap ? *cap * 2 : 256;
	p = realloc(*v, c * size);
	if (!p)
		return -1;
	*v = p;
	*cap = c;
	return 0;
}

trp_err trp_report_new(trp_report **out)
{
	*out = calloc(1, sizeof **out);
	return *out ? TRP_OK : TRP_ENOMEM;
}

void trp_report_free(trp_report *r)
{
	size_t i;

	if (!r)
		return;
	free(r->readings);
	free(r->sessions);
	free(r->daily);
	free(r->cumulative);
	free(r->days);
	for (i = 0; i < TRP_MAP_MAX; i++)
		free(r->region_days[i].v);
	free(r);
}

static trp_err add_reading(trp_report *r, int64_t day, double value)
{
	if (grow((void **)&r->readings, &r->capreadings, r->nreadings, sizeof *r->readings))
		return TRP_ENOMEM;
	r->readings[r->nreadings].day = day;
	r->readings[r->nreadings].value = value;
	r->nreadings++;
	return TRP_OK;
}

trp_err trp_report_add(trp_report *r, const trp_entry *e)
{
	int64_t day = trp_local_day(e->at, e->tz);
	size_t i;

	if (e->deleted)
		return TRP_OK;
	if (e->kind == TRP_PAIN_ENTRY) {
		for (i = 0; i < e->nregions; i++) {
			struct days *d = &r->region_days[e->regions[i].region * 2 + e->regions[i].side];

			if (e->regions[i].intensity <= 0 || (d->n && d->v[d->n - 1] == day))
				continue;
			if (grow((void **)&d->v, &d->cap, d->n, sizeof *d->v))
				return TRP_ENOMEM;
			d->v[d->n++] = day;
		}
		return add_reading(r, day, trp_entry_peak(e));
	}
	if (grow((void **)&r->sessions, &r->capsessions, r->nsessions, sizeof *r->sessions))
		return TRP_ENOMEM;
	r->sessions[r->nsessions].day = day;
	r->sessions[r->nsessions].treatment = e->treatment;
	r->sessions[r->nsessions].before = e->before;
	r->sessions[r->nsessions].after = e->after;
	r->nsessions++;
	/* the pain before a session is a reading of the day's pain too */
	return add_reading(r, day, e->before);
}

trp_err trp_report_add_trial(trp_report *r, const trp_trial *t)
{
	if (r->ntrials == sizeof r->trials / sizeof r->trials[0])
		return TRP_EINVAL;
	r->trials[r->ntrials++] = *t;
	return TRP_OK;
}

/* ---------------------------------------------------------------- the t distribution */

/* The continued fraction of the regularised incomplete beta function, evaluated by the
 * modified Lentz method; converges for x < (a + 1) / (a + b + 2). */
static double beta_fraction(double a, double b, double x)
{
	const double tiny = 1e-300;
	double c = 1, d = 1 - (a + b) * x / (a + 1), h;
	int m;

	if (fabs(d) < tiny)
		d = tiny;
	d = 1 / d;
	h = d;
	for (m = 1; m <= 300; m++) {
		double m2 = 2.0 * m, num, delta;

		/* even step */
		num = m * (b - m) * x / ((a + m2 - 1) * (a + m2));
		d = 1 + num * d;
		c = 1 + num / c;
		d = fabs(d) < tiny ? 1 / tiny : 1 / d;
		if (fabs(c) < tiny)
			c = tiny;
		h *= d * c;
		/* odd step */
		num = -(a + m) * (a + b + m) * x / ((a + m2) * (a + m2 + 1));
		d = 1 + num * d;
		c = 1 + num / c;
		d = fabs(d) < tiny ? 1 / tiny : 1 / d;
		if (fabs(c) < tiny)
			c = tiny;
		delta = d * c;
		h *= delta;
		if (fabs(delta - 1) < 1e-14)
			break;
	}
	return h;
}

/* I_x(a, b), the regularised incomplete beta function. */
static double incomplete_beta(double a, double b, double x)
{
	double front;

	if (x <= 0)
		return 0;
	if (x >= 1)
		return 1;
	front = exp(lgamma(a + b) - lgamma(a) - lgamma(b) + a * log(x) + b * log(1 - x));
	if (x < (a + 1) / (a + b + 2))
		return front * beta_fraction(a, b, x) / a;
	return 1 - front * beta_fraction(b, a, 1 - x) / b;
}

/* P(T <= t) for Student's t with df degrees of freedom. */
static double t_cdf(double t, double df)
{
	double tail = 0.5 * incomplete_beta(df / 2, 0.5, df / (df + t * t));

	return t >= 0 ? 1 - tail : tail;
}

/* The t with P(T <= t) = p, by bisection (p in 0.5 .. 1). */
static double t_quantile(double p, double df)
{
	double lo = 0, hi = 1000;
	int i;

	for (i = 0; i < 64; i++) {
		double mid = (lo + hi) / 2;

		if (t_cdf(mid, df) < p)
			lo = mid;
		else
			hi = mid;
	}
	return (lo + hi) / 2;
}

double trp__t_cdf(double t, double df);
double trp__t_quantile(double p, double df);

/* For the unit tests. */
double trp__t_cdf(double t, double df)
{
	return t_cdf(t, df);
}

double trp__t_quantile(double p, double df)
{
	return t_quantile(p, df);
}

/* ---------------------------------------------------------------- helpers */

static int by_double(const void *a, const void *b)
{
	double x = *(const double *)a, y = *(const double *)b;

	return (x > y) - (x < y);
}

static int by_day(const void *a, const void *b)
{
	const struct reading *x = a, *y = b;

	return (x->day > y->day) - (x->day < y->day);
}

static int by_int64(const void *a, const void *b)
{
	int64_t x = *(const int64_t *)a, y = *(const int64_t *)b;

	return (x > y) - (x < y);
}

/* Rounds for the JSON: two decimals are more than the data carries. */
static json_t *num(double v)
{
	return isfinite(v) ? json_real(round(v * 100) / 100) : json_null();
}

static json_t *day_text(int64_t day)
{
	char buf[48];

	trp_day_format(day, buf, sizeof buf);
	return json_string(buf);
}

struct line {
	int n;
	double slope, low, high;   /* NAN when n < 3 */
};

/* Least squares of y on x, with the 95% t interval of the slope. */
static struct line fit_line(const double *x, const double *y, int n)
{
	struct line l = { n, NAN, NAN, NAN };
	double mx = 0, my = 0, sxx = 0, sxy = 0, sse = 0, se;
	int i;

	if (n < 3)
		return l;
	for (i = 0; i < n; i++) {
		mx += x[i];
		my += y[i];
	}
	mx /= n;
	my /= n;
	for (i = 0; i < n; i++) {
		sxx += (x[i] - mx) * (x[i] - mx);
		sxy += (x[i] - mx) * (y[i] - my);
	}
	if (sxx <= 0)
		return l;
	l.slope = sxy / sxx;
	for (i = 0; i < n; i++) {
		double e = y[i] - (my + l.slope * (x[i] - mx));

		sse += e * e;
	}
	se = sqrt(sse / (n - 2) / sxx);
	l.low = l.slope - t_quantile(0.975, n - 2) * se;
	l.high = l.slope + t_quantile(0.975, n - 2) * se;
	return l;
}

/* The first index of r->daily whose day is at least `day`. */
static size_t first_from(const trp_report *r, int64_t day)
{
	size_t lo = 0, hi = r->ndaily;

	while (lo < hi) {
		size_t mid = lo + (hi - lo) / 2;

		if (r->daily[mid].day < day)
			lo = mid + 1;
		else
			hi = mid;
	}
	return lo;
}

/* The mean daily pain of the days in [from, to], and how many days had readings. */
static double mean_between(const trp_report *r, int64_t from, int64_t to, int *ndays)
{
	size_t a = first_from(r, from), b = to == INT64_MAX ? r->ndaily : first_from(r, to + 1);

	*ndays = b > a ? (int)(b - a) : 0;
	return *ndays ? (r->cumulative[b] - r->cumulative[a]) / *ndays : NAN;
}

/* ---------------------------------------------------------------- the parts */

static trp_err build_daily(trp_report *r)
{
	size_t i, j;

	free(r->daily);
	free(r->cumulative);
	r->daily = NULL;
	r->cumulative = NULL;
	r->ndaily = 0;
	if (r->nreadings == 0)
		return TRP_OK;
	qsort(r->readings, r->nreadings, sizeof *r->readings, by_day);
	r->daily = malloc(r->nreadings * sizeof *r->daily);
	r->cumulative = malloc((r->nreadings + 1) * sizeof *r->cumulative);
	if (!r->daily || !r->cumulative)
		return TRP_ENOMEM;
	for (i = 0; i < r->nreadings; i = j) {
		double sum = 0;

		for (j = i; j < r->nreadings && r->readings[j].day == r->readings[i].day; j++)
			sum += r->readings[j].value;
		r->daily[r->ndaily].day = r->readings[i].day;
		r->daily[r->ndaily].value = sum / (double)(j - i);
		r->ndaily++;
	}
	r->cumulative[0] = 0;
	for (i = 0; i < r->ndaily; i++)
		r->cumulative[i + 1] = r->cumulative[i] + r->daily[i].value;
	return TRP_OK;
}

static json_t *trend(const trp_report *r)
{
	double *x, *y, base, recent;
	struct line l;
	json_t *o;
	int64_t first, last, improved = -1;
	int nb, nr;
	size_t i;

	if (r->ndaily == 0)
		return json_pack("{s:n, s:n, s:n, s:i}", "slope_per_week", "low", "high", "days", 0);
	x = malloc(r->ndaily * sizeof *x);
	y = malloc(r->ndaily * sizeof *y);
	if (!x || !y) {
		free(x);
		free(y);
		return NULL;
	}
	first = r->daily[0].day;
	last = r->daily[r->ndaily - 1].day;
	for (i = 0; i < r->ndaily; i++) {
		x[i] = (double)(r->daily[i].day - first) / 7.0;
		y[i] = r->daily[i].value;
	}
	l = fit_line(x, y, (int)r->ndaily);
	free(x);
	free(y);
	/* the first week against a rolling week */
	base = mean_between(r, first, first + 6, &nb);
	recent = mean_between(r, last - 6, last, &nr);
	if (base > 0) {
		for (i = 0; i < r->ndaily && improved < 0; i++) {
			int64_t d = r->daily[i].day;
			int n;
			double m;

			if (d < first + 7)
				continue;
			m = mean_between(r, d - 6, d, &n);
			if (n >= 3 && m <= (1 - MEANINGFUL_SHARE) * base)
				improved = d - first;
		}
	}
	o = json_pack("{s:o, s:o, s:o, s:i, s:o, s:o, s:o, s:o, s:o}",
		      "slope_per_week", num(l.slope), "low", num(l.low), "high", num(l.high),
		      "days", (int)r->ndaily, "first_day", day_text(first), "last_day", day_text(last),
		      "first_week_mean", num(base), "last_week_mean", num(recent),
		      "days_to_30_percent", improved >= 0 ? json_integer(improved) : json_null());
	return o;
}

struct recurrence {
	int located;
	int64_t day;    /* the day it came back */
	int64_t quiet;  /* days without it before */
};

static int latest_first(const void *a, const void *b)
{
	const struct recurrence *x = a, *y = b;

	if (x->day != y->day)
		return (x->day < y->day) - (x->day > y->day);
	return x->located - y->located;
}

static json_t *recurrences(trp_report *r)
{
	struct recurrence *list = NULL;
	size_t n = 0, cap = 0, k, i;
	json_t *latest = json_array(), *o = NULL;

	if (!latest)
		return NULL;
	for (k = 0; k < TRP_MAP_MAX; k++) {
		struct days *d = &r->region_days[k];

		if (d->n > 1)
			qsort(d->v, d->n, sizeof *d->v, by_int64);
		for (i = 1; i < d->n; i++) {
			int64_t gap = d->v[i] - d->v[i - 1] - 1;

			if (gap < QUIET_DAYS)
				continue;
			if (grow((void **)&list, &cap, n, sizeof *list))
				goto done;
			list[n].located = (int)k;
			list[n].day = d->v[i];
			list[n].quiet = gap;
			n++;
		}
	}
	if (n)
		qsort(list, n, sizeof *list, latest_first);
	for (i = 0; i < n && i < RECURRENCES_SHOWN; i++) {
		char loc[64];

		snprintf(loc, sizeof loc, "%s.%s", trp_region_name(list[i].located / 2),
			 trp_side_code((trp_side)(list[i].located % 2)));
		if (json_array_append_new(latest, json_pack("{s:s, s:o, s:I}", "region", loc,
				"back_on", day_text(list[i].day), "quiet_days", (json_int_t)list[i].quiet)))
			goto done;
	}
	o = json_pack("{s:I, s:O}", "count", (json_int_t)n, "latest", latest);
done:
	json_decref(latest);
	free(list);
	return o;
}

struct treatment_figures {
	int n;
	double median, mean, sd, share;
	struct line weeks;      /* pain before sessions, per week */
	int span_days;
	const char *verdict;
	double median_low, median_high;   /* the median's 95% interval (median_interval) */
};

/* The distribution-free 95% interval of the median of sorted x[0..n-1]: the order
 * statistics x(k) and x(n+1-k) for the largest k with P(B < k) <= 0.025, B binomial
 * (n, 1/2), so that it covers the median at least 95% of the time. NAN when n < 6: no
 * such k exists. */
static void median_interval(const double *x, int n, double *low, double *high)
{
	double cdf = 0;
	int j, k = 0;

	*low = *high = NAN;
	for (j = 0; j < n; j++) {
		cdf += exp(lgamma(n + 1.0) - lgamma(j + 1.0) - lgamma(n - j + 1.0) - n * log(2.0));
		if (cdf > 0.025)
			break;
		k = j + 1;
	}
	if (k < 1)
		return;
	*low = x[k - 1];
	*high = x[n - k];
}

static struct treatment_figures figures(const trp_report *r, int t)
{
	struct treatment_figures f = { 0, NAN, NAN, NAN, NAN, { 0, NAN, NAN, NAN }, 0, "too_little_data",
					NAN, NAN };
	double *changes, *x, *y, sum = 0, ss = 0;
	int64_t first = 0, last = 0;
	int meaningful = 0, n = 0;
	size_t i;

	changes = malloc((r->nsessions + 1) * sizeof *changes);
	x = malloc((r->nsessions + 1) * sizeof *x);
	y = malloc((r->nsessions + 1) * sizeof *y);
	if (!changes || !x || !y)
		goto done;
	for (i = 0; i < r->nsessions; i++) {
		const struct session *s = &r->sessions[i];
		int drop;

		if (s->treatment != t)
			continue;
		if (n == 0 || s->day < first)
			first = s->day;
		if (n == 0 || s->day > last)
			last = s->day;
		drop = s->before - s->after;
		changes[n] = s->after - s->before;
		sum += changes[n];
		meaningful += drop >= MEANINGFUL_POINTS ||
			      (s->before > 0 && drop >= MEANINGFUL_SHARE * s->before);
		x[n] = (double)s->day / 7.0;
		y[n] = s->before;
		n++;
	}
	f.n = n;
	if (n == 0)
		goto done;
	f.mean = sum / n;
	for (i = 0; i < (size_t)n; i++)
		ss += (changes[i] - f.mean) * (changes[i] - f.mean);
	f.sd = n > 1 ? sqrt(ss / (n - 1)) : NAN;
	qsort(changes, (size_t)n, sizeof *changes, by_double);
	f.median = n % 2 ? changes[n / 2] : (changes[n / 2 - 1] + changes[n / 2]) / 2;
	median_interval(changes, n, &f.median_low, &f.median_high);
	f.share = (double)meaningful / n;
	f.span_days = (int)(last - first);
	if (f.span_days >= WEEKS_MIN_DAYS && n >= WEEKS_MIN_SESSIONS)
		f.weeks = fit_line(x, y, n);
	if (n < MIN_SESSIONS)
		f.verdict = "too_little_data";
	else if (f.median <= -MEANINGFUL_POINTS || (f.share >= 0.5 && f.median <= -1))
		f.verdict = "instant_relief";
	else if (isfinite(f.weeks.high) && f.weeks.high < 0)
		f.verdict = "builds_over_weeks";
	else if (f.span_days < WEEKS_MIN_DAYS)
		f.verdict = "not_helping_yet";
	else
		f.verdict = "not_helping_yet";
done:
	free(changes);
	free(x);
	free(y);
	return f;
}

static json_t *comparison(const struct treatment_figures *a, int ta,
			  const struct treatment_figures *b, int tb)
{
	double diff = a->mean - b->mean, va = a->sd * a->sd / a->n, vb = b->sd * b->sd / b->n;
	double se = sqrt(va + vb), df, q, low, high;
	const char *better = NULL;

	/* Welch-Satterthwaite degrees of freedom */
	df = se > 0 ? (va + vb) * (va + vb) / (va * va / (a->n - 1) + vb * vb / (b->n - 1)) : a->n + b->n - 2;
	if (!isfinite(df) || df < 1)
		df = 1;
	q = t_quantile(0.975, df);
	low = diff - q * se;
	high = diff + q * se;
	if (high < 0)
		better = trp_treatment_name((trp_treatment)ta);
	else if (low > 0)
		better = trp_treatment_name((trp_treatment)tb);
	return json_pack("{s:s, s:s, s:o, s:o, s:o, s:o, s:b, s:s}",
		"a", trp_treatment_name((trp_treatment)ta), "b", trp_treatment_name((trp_treatment)tb),
		"difference", num(diff), "low", num(low), "high", num(high),
		"better", better ? json_string(better) : json_null(), "unblinded", 1,
		"note", "Mean change in pain after minus before, A minus B (negative: A relieves "
		"more). Sessions were neither randomised nor blinded: expectation, timing and the "
		"reasons each was chosen can all make a difference appear.");
}

static json_t *trial_json(const trp_report *r, const trp_trial *t, int64_t today)
{
	double diffs[TRP_TRIAL_BLOCKS_MAX], mean = 0, ss = 0;
	json_t *list = json_array(), *o, *current = json_null();
	int complete = 0, b, block, period;
	int64_t end = t->start_day + (int64_t)t->blocks * 2 * t->days - 1;
	const char *status, *verdict = NULL;
	char use = trp_trial_on(t, today, &block, &period);

	if (!list)
		return NULL;
	for (b = 0; b < t->blocks; b++) {
		int64_t p0 = t->start_day + (int64_t)b * 2 * t->days, p1 = p0 + t->days;
		int n0, n1;
		double m0 = mean_between(r, p0, p0 + t->days - 1, &n0);
		double m1 = mean_between(r, p1, p1 + t->days - 1, &n1);
		double pa = t->order[2 * b] == 'A' ? m0 : m1, pb = t->order[2 * b] == 'A' ? m1 : m0;

		if (p1 + t->days - 1 >= today || n0 == 0 || n1 == 0)
			continue;    /* not over yet, or a period without any pain logged */
		diffs[complete++] = pb - pa;
		json_array_append_new(list, json_pack("{s:i, s:s, s:o, s:o, s:o}", "block", b + 1,
			"order", t->order[2 * b] == 'A' ? "AB" : "BA", "pain_a", num(pa), "pain_b", num(pb),
			"difference", num(pb - pa)));
	}
	status = t->stopped ? "stopped" : today > end ? "complete" : today < t->start_day ? "not_started" : "running";
	if (use && !t->stopped)
		current = json_pack("{s:i, s:i, s:s}", "block", block + 1, "period", period + 1, "use",
				    trp_treatment_name(use == 'A' ? t->a : t->b));
	o = json_pack("{s:I, s:s, s:s, s:i, s:i, s:o, s:s, s:s, s:o, s:i, s:o}",
		"id", (json_int_t)t->id, "a", trp_treatment_name(t->a), "b", trp_treatment_name(t->b),
		"blocks", t->blocks, "days", t->days, "start", day_text(t->start_day), "order", t->order,
		"status", status, "current", current ? current : json_null(),
		"blocks_complete", complete, "block_differences", list);
	if (!o)
		return NULL;
	if (complete >= 3) {
		double sd, se, q, pa, pb;

		for (b = 0; b < complete; b++)
			mean += diffs[b];
		mean /= complete;
		for (b = 0; b < complete; b++)
			ss += (diffs[b] - mean) * (diffs[b] - mean);
		sd = sqrt(ss / (complete - 1));
		se = sd / sqrt(complete);
		q = t_quantile(0.975, complete - 1);
		if (se > 0) {
			pa = 1 - t_cdf((TRIAL_DELTA - mean) / se, complete - 1);
			pb = t_cdf((-TRIAL_DELTA - mean) / se, complete - 1);
		} else {
			pa = mean > TRIAL_DELTA;
			pb = mean < -TRIAL_DELTA;
		}
		verdict = pa >= TRIAL_SURE ? "A_better" : pb >= TRIAL_SURE ? "B_better"
			: 1 - pa - pb >= TRIAL_SURE ? "no_meaningful_difference" : "inconclusive";
		json_object_set_new(o, "mean_effect", num(mean));
		json_object_set_new(o, "low", num(mean - q * se));
		json_object_set_new(o, "high", num(mean + q * se));
		json_object_set_new(o, "p_meaningful", num(pa + pb));
		json_object_set_new(o, "p_a_better", num(pa));
		json_object_set_new(o, "p_b_better", num(pb));
	}
	json_object_set_new(o, "verdict", json_string(verdict ? verdict : "inconclusive"));
	json_object_set_new(o, "note", json_string(complete >= 3
		? "Effect: mean daily pain with B minus with A, per block (positive: A better). "
		  "Inconclusive means: log another block."
		: "Needs 3 complete blocks, each period with pain logged, before a verdict."));
	return o;
}

char *trp_report_json(trp_report *r, int64_t today, int pretty)
{
	struct treatment_figures f[TRP_TREATMENT_COUNT];
	json_t *o = NULL, *techs, *comps, *trials;
	char *s = NULL;
	int t, u;
	size_t i;

	if (build_daily(r))
		return NULL;
	techs = json_array();
	comps = json_array();
	trials = json_array();
	if (!techs || !comps || !trials)
		goto done;
	for (t = 0; t < TRP_TREATMENT_COUNT; t++) {
		f[t] = figures(r, t);
		if (f[t].n == 0)
			continue;
		json_array_append_new(techs, json_pack("{s:s, s:i, s:o, s:o, s:o, s:s, s:{s:i, s:o, s:o, s:o}}",
			"technique", trp_treatment_name((trp_treatment)t), "sessions", f[t].n,
			"median_change", num(f[t].median), "mean_change", num(f[t].mean),
			"meaningful_share", num(f[t].share), "verdict", f[t].verdict,
			"weeks", "span_days", f[t].span_days, "slope_per_week", num(f[t].weeks.slope),
			"low", num(f[t].weeks.low), "high", num(f[t].weeks.high)));
	}
	for (t = 0; t < TRP_TREATMENT_COUNT; t++)
		for (u = t + 1; u < TRP_TREATMENT_COUNT; u++)
			if (f[t].n >= MIN_SESSIONS && f[u].n >= MIN_SESSIONS)
				json_array_append_new(comps, comparison(&f[t], t, &f[u], u));
	for (i = 0; i < r->ntrials; i++)
		json_array_append_new(trials, trial_json(r, &r->trials[i], today));
	o = json_pack("{s:o, s:o, s:o, s:o, s:o, s:o}", "today", day_text(today),
		      "techniques", techs, "trend", trend(r), "recurrences", recurrences(r),
		      "comparisons", comps, "trials", trials);
	techs = comps = trials = NULL;
	if (o)
		s = json_dumps(o, (pretty ? JSON_INDENT(2) : JSON_COMPACT) | JSON_REAL_PRECISION(6));
done:
	json_decref(techs);
	json_decref(comps);
	json_decref(trials);
	json_decref(o);
	return s;
}

/* ---------------------------------------------------------------- for pictures */

trp_err trp_report_days(trp_report *r, const trp_report_day **days, size_t *n)
{
	size_t i;

	*days = NULL;
	*n = 0;
	if (build_daily(r))
		return TRP_ENOMEM;
	free(r->days);
	r->days = NULL;
	if (r->ndaily == 0)
		return TRP_OK;
	r->days = malloc(r->ndaily * sizeof *r->days);
	if (!r->days)
		return TRP_ENOMEM;
	for (i = 0; i < r->ndaily; i++) {
		r->days[i].day = r->daily[i].day;
		r->days[i].pain = r->daily[i].value;
		r->days[i].treatments = 0;
	}
	/* every session's pain before is a reading, so its day is among them */
	for (i = 0; i < r->nsessions; i++) {
		size_t k = first_from(r, r->sessions[i].day);

		if (k < r->ndaily && r->daily[k].day == r->sessions[i].day)
			r->days[k].treatments |= 1u << r->sessions[i].treatment;
	}
	*days = r->days;
	*n = r->ndaily;
	return TRP_OK;
}

trp_err trp_report_median_change(const trp_report *r, trp_treatment t, int *sessions,
				 double *median, double *low, double *high)
{
	struct treatment_figures f;
	int n = 0;
	size_t i;

	*sessions = 0;
	*median = *low = *high = NAN;
	if ((int)t < 0 || t >= TRP_TREATMENT_COUNT)
		return TRP_EINVAL;
	for (i = 0; i < r->nsessions; i++)
		n += r->sessions[i].treatment == (int)t;
	if (n == 0)
		return TRP_OK;
	f = figures(r, (int)t);
	if (f.n != n)
		return TRP_ENOMEM;   /* figures() gives up only when out of memory */
	*sessions = n;
	*median = f.median;
	*low = f.median_low;
	*high = f.median_high;
	return TRP_OK;
}
