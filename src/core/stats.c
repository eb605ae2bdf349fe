/*
 * stats.c: what the diary shows (the model and its thresholds are docs/diary.md).
 *
 *  - immediate effect per treatment: the change in pain from just before a session to
 *    just after (median), and the share of sessions with a meaningful drop;
 *  - over weeks: the trend of daily pain (least squares, slope per week, 95% t
 *    interval), the days until pain first fell by 30%, and regions that came back after
 *    a quiet week;
 *  - each treatment's part in that course, apart from the course itself (fit_course:
 *    daily pain on a linear trend plus each treatment's sessions in the week before,
 *    Newey-West intervals), and next-day soreness after it;
 *  - a verdict per treatment, treatment against treatment (unblinded), and n-of-1 trials.
 *
 * Entries come in one at a time (any store can feed it); the report keeps only what the
 * figures need. Pure computation: "today" is an argument.
 */
#include <ctype.h>
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
#define WEEKS_MIN_SESSIONS 6     /* sessions in the window before the course model speaks */
#define QUIET_DAYS 7             /* a region quiet this long that comes back recurs */
#define TRIAL_DELTA 1.0          /* a meaningful difference between mean daily pains */
#define TRIAL_SURE 0.8           /* probability that settles a trial's verdict */
#define RECURRENCES_SHOWN 20
#define SORE_FLAG 5              /* next-day soreness this high after a technique is flagged */

/* The model of the course (fit_course; docs/diary.md, "Over weeks"). */
#define COURSE_WINDOW 84         /* days of daily pain it looks at: the last 12 weeks */
#define COURSE_DOSE_DAYS 7       /* a treatment's dose on a day: its sessions in the 7 before */
#define COURSE_MIN_DAYS 21       /* days with pain logged in the window */
#define COURSE_MEANINGFUL 1.0    /* a week of use worth 1 point of daily pain */
#define COURSE_MIN_SPREAD 0.25   /* sessions: a dose that varies less apart from the rest
				    of the model cannot be told apart from it */
#define COURSE_COLUMNS (2 + TRP_TREATMENT_COUNT)

struct reading {
	int64_t day;
	double value;
};

struct session {
	int64_t day;
	int treatment;
	int before, after;
	int soreness;    /* next day, or -1 */
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
	r->sessions[r->nsessions].soreness = e->soreness;
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

/* A treatment's part in the course of daily pain (fit_course). */
struct course {
	int days;               /* days with pain logged in the analysis window */
	int sessions;           /* the treatment's sessions in the window (and the week before) */
	double per_week;        /* its usual sessions in a week of use */
	double effect, low, high;   /* change in daily pain after such a week; NAN: none */
	int with;               /* unidentifiable: used together with this treatment, or -1 */
	int steady;             /* unidentifiable: used at the same rate throughout */
};

struct treatment_figures {
	int n;
	double median, mean, sd, share;
	int span_days;
	const char *verdict;
	double median_low, median_high;   /* the median's 95% interval (median_interval) */
	struct course course;
	int sore_n;                       /* sessions with next-day soreness given */
	double sore_median;
	int sore_high;                    /* of them, soreness >= SORE_FLAG */
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

/* ---------------------------------------------------------------- the course model */

/*
 * What each treatment adds to the course of daily pain, apart from the course itself.
 * Over the last COURSE_WINDOW days of the diary, daily pain on day d is modelled as
 *
 *     pain(d) = a + b * weeks(d) + sum over treatments k of c_k * dose_k(d) + error
 *
 * where dose_k(d) counts k's sessions in the COURSE_DOSE_DAYS days before d (not d
 * itself, whose pain before a session is among the day's readings). The window starts
 * no sooner than a week after the diary's first day, since the doses of earlier days
 * reach back before anything was written down.
 *
 * A bad day tends to make a bad next day, and plain least squares would then be far too
 * sure of itself. So the errors are taken to follow a first-order autoregression with
 * correlation rho from one day to the next: the fit is feasible generalised least
 * squares (Prais-Winsten), rho estimated from the residuals and the fit redone, three
 * times. The standard error of c_k is the classical one of the prewhitened fit, with
 * n - p - 1 degrees of freedom (rho is one more thing estimated). A treatment's effect
 * is c_k times its usual sessions in a week of use, with the 90% interval whose ends
 * are each one-sided 95% bounds.
 *
 * Measured on synthetic diaries (test_course_error_rates, docs/diary.md): a treatment
 * that does nothing is called builds_over_weeks in about 7% of diaries rather than
 * the nominal 5%, since rho is estimated from one short diary; a sandwich (Newey-West)
 * estimator without prewhitening did worse, 11-12%.
 *
 * A treatment whose dose hardly varies apart from the other columns (used at the same
 * rate throughout, always with another one, or changing only along with the overall
 * course) cannot be told apart from them: it gets no figure and a reason.
 */

enum { REASON_NONE, REASON_TOGETHER, REASON_IN_TURN, REASON_STEADY, REASON_WITH_COURSE };

static double dot(const double *a, const double *b, size_t n)
{
	double s = 0;
	size_t i;

	for (i = 0; i < n; i++)
		s += a[i] * b[i];
	return s;
}

/* The Cholesky factor of the symmetric m x m matrix a (row-major, lower triangle), in
 * place. A column whose remaining pivot is (numerically) zero depends on those before it:
 * it is dropped (dropped[j] = 1) and takes no part in solve(). */
static void cholesky(double *a, int m, int *dropped)
{
	int i, j, k;

	for (j = 0; j < m; j++) {
		double d0 = a[j * m + j], d = d0;

		for (k = 0; k < j; k++)
			d -= a[j * m + k] * a[j * m + k];
		dropped[j] = !(d0 > 0) || d <= 1e-9 * d0;
		if (dropped[j]) {
			for (i = j; i < m; i++)
				a[i * m + j] = 0;
			continue;
		}
		a[j * m + j] = sqrt(d);
		for (i = j + 1; i < m; i++) {
			double v = a[i * m + j];

			for (k = 0; k < j; k++)
				v -= a[i * m + k] * a[j * m + k];
			a[i * m + j] = v / a[j * m + j];
		}
	}
}

/* Solves L L' x = b with the factor from cholesky(); dropped unknowns are 0. */
static void solve(const double *l, int m, const int *dropped, const double *b, double *x)
{
	double z[COURSE_COLUMNS];
	int i, k;

	for (i = 0; i < m; i++) {
		double v = b[i];

		if (dropped[i]) {
			z[i] = 0;
			continue;
		}
		for (k = 0; k < i; k++)
			v -= l[i * m + k] * z[k];
		z[i] = v / l[i * m + i];
	}
	for (i = m - 1; i >= 0; i--) {
		double v = z[i];

		if (dropped[i]) {
			x[i] = 0;
			continue;
		}
		for (k = i + 1; k < m; k++)
			v -= l[k * m + i] * x[k];
		x[i] = v / l[i * m + i];
	}
}

/* Least squares of y on the columns use[0..nu-1] of X (column-major, n rows): the
 * coefficients into beta (0 for a dropped column), the factor of X'X into l, and the
 * residual sum of squares. */
static double least_squares(const double *X, size_t n, const int *use, int nu, const double *y,
			    double *beta, double *l, int *dropped)
{
	double b[COURSE_COLUMNS], rss = 0;
	size_t row;
	int i, j;

	for (i = 0; i < nu; i++) {
		for (j = 0; j <= i; j++)
			l[i * nu + j] = l[j * nu + i] = dot(X + (size_t)use[i] * n, X + (size_t)use[j] * n, n);
		b[i] = dot(X + (size_t)use[i] * n, y, n);
	}
	cholesky(l, nu, dropped);
	solve(l, nu, dropped, b, beta);
	for (row = 0; row < n; row++) {
		double e = y[row];

		for (i = 0; i < nu; i++)
			e -= beta[i] * X[(size_t)use[i] * n + row];
		rss += e * e;
	}
	return rss;
}

static double correlation(const double *a, const double *b, size_t n)
{
	double ma = 0, mb = 0, sab = 0, saa = 0, sbb = 0;
	size_t i;

	for (i = 0; i < n; i++) {
		ma += a[i];
		mb += b[i];
	}
	ma /= (double)n;
	mb /= (double)n;
	for (i = 0; i < n; i++) {
		sab += (a[i] - ma) * (b[i] - mb);
		saa += (a[i] - ma) * (a[i] - ma);
		sbb += (b[i] - mb) * (b[i] - mb);
	}
	return saa > 0 && sbb > 0 ? sab / sqrt(saa * sbb) : 0;
}

static void fit_course(const trp_report *r, struct treatment_figures *f)
{
	int active[TRP_TREATMENT_COUNT], reason[TRP_TREATMENT_COUNT], with[TRP_TREATMENT_COUNT];
	int use[COURSE_COLUMNS], dropped[COURSE_COLUMNS], nactive = 0, p, i, j, k, changed;
	double l[COURSE_COLUMNS * COURSE_COLUMNS], beta[COURSE_COLUMNS], inv[COURSE_COLUMNS * COURSE_COLUMNS];
	double *X = NULL, *y, *e = NULL, *Z = NULL, rho = 0, s2 = 0;
	int zuse[COURSE_COLUMNS], iter;
	int64_t last, from, base, start;
	unsigned short *count = NULL;
	size_t a, n, row, s, span;
	const int cols = COURSE_COLUMNS;

	for (k = 0; k < TRP_TREATMENT_COUNT; k++) {
		f[k].course = (struct course){ 0, 0, NAN, NAN, NAN, NAN, -1, 0 };
		reason[k] = REASON_NONE;
		with[k] = -1;
	}
	if (r->ndaily == 0)
		return;
	last = r->daily[r->ndaily - 1].day;
	from = last - COURSE_WINDOW + 1;
	/* a day's dose needs the whole week before it inside the diary: before the diary
	 * began nobody knows what was done, so its first week gives no rows */
	start = r->daily[0].day;
	for (s = 0; s < r->nsessions; s++)
		if (r->sessions[s].day < start)
			start = r->sessions[s].day;
	if (from < start + COURSE_DOSE_DAYS)
		from = start + COURSE_DOSE_DAYS;
	if (from > last)
		return;
	a = first_from(r, from);
	n = r->ndaily - a;
	base = from - COURSE_DOSE_DAYS;
	span = (size_t)(last - base + 1);
	for (k = 0; k < TRP_TREATMENT_COUNT; k++)
		f[k].course.days = (int)n;
	count = calloc((size_t)TRP_TREATMENT_COUNT * span, sizeof *count);
	X = malloc((size_t)(cols + 1) * n * sizeof *X);
	e = malloc(n * sizeof *e);
	if (!count || !X || !e)
		goto done;
	for (s = 0; s < r->nsessions; s++) {
		const struct session *x = &r->sessions[s];

		if (x->day < base || x->day > last)
			continue;
		if (count[(size_t)x->treatment * span + (size_t)(x->day - base)] < 1000)
			count[(size_t)x->treatment * span + (size_t)(x->day - base)]++;
		f[x->treatment].course.sessions++;
	}
	/* columns: 0 the intercept, 1 weeks, 2 + k the dose of treatment k; y after them */
	y = X + (size_t)cols * n;
	for (row = 0; row < n; row++) {
		int64_t d = r->daily[a + row].day;

		X[row] = 1;
		X[n + row] = (double)(d - from) / 7.0;
		y[row] = r->daily[a + row].value;
		for (k = 0; k < TRP_TREATMENT_COUNT; k++) {
			unsigned dose = 0;
			int64_t q;

			for (q = d - COURSE_DOSE_DAYS; q < d; q++)
				dose += count[(size_t)k * span + (size_t)(q - base)];
			X[(size_t)(2 + k) * n + row] = dose;
		}
	}
	for (k = 0; k < TRP_TREATMENT_COUNT; k++) {
		/* its usual sessions in a week of use: the window's weeks (7-day blocks from its
		 * first day) that hold a session of it, and how many they hold on average */
		double used = 0, weeks = 0;
		int64_t w, q;

		for (w = from; w <= last; w += 7) {
			unsigned in_week = 0;

			for (q = w; q < w + 7 && q <= last; q++)
				in_week += count[(size_t)k * span + (size_t)(q - base)];
			used += in_week;
			weeks += in_week > 0;
		}
		f[k].course.per_week = weeks ? used / weeks : NAN;
		if (n >= COURSE_MIN_DAYS && f[k].n >= MIN_SESSIONS && f[k].course.sessions >= WEEKS_MIN_SESSIONS)
			active[nactive++] = k;
	}
	/* drop the treatments that cannot be told apart from the rest, until none is left */
	do {
		int keep[TRP_TREATMENT_COUNT], nkeep = 0;

		changed = 0;
		for (i = 0; i < nactive; i++) {
			double rss, best = 0;
			int nu = 0, t = active[i];

			use[nu++] = 0;
			use[nu++] = 1;
			for (j = 0; j < nactive; j++)
				if (j != i)
					use[nu++] = 2 + active[j];
			rss = least_squares(X, n, use, nu, X + (size_t)(2 + t) * n, beta, l, dropped);
			if (sqrt(rss / (double)n) >= COURSE_MIN_SPREAD) {
				keep[nkeep++] = t;
				continue;
			}
			/* why: with another treatment, steady, or along with the course */
			for (j = 0; j < nactive; j++) {
				double c = j == i ? 0 : correlation(X + (size_t)(2 + t) * n,
								    X + (size_t)(2 + active[j]) * n, n);

				if (fabs(c) > fabs(best)) {
					best = c;
					with[t] = active[j];
				}
			}
			use[0] = 0;
			rss = least_squares(X, n, use, 1, X + (size_t)(2 + t) * n, beta, l, dropped);
			if (fabs(best) > 0.9)
				reason[t] = best > 0 ? REASON_TOGETHER : REASON_IN_TURN;
			else {
				with[t] = -1;
				reason[t] = sqrt(rss / (double)n) < COURSE_MIN_SPREAD ? REASON_STEADY : REASON_WITH_COURSE;
			}
			changed = 1;
		}
		memcpy(active, keep, (size_t)nkeep * sizeof *keep);
		nactive = nkeep;
	} while (changed && nactive > 0);
	for (k = 0; k < TRP_TREATMENT_COUNT; k++) {
		f[k].course.with = with[k];
		f[k].course.steady = reason[k];
	}
	if (nactive == 0)
		goto done;
	p = 0;
	use[p++] = 0;
	use[p++] = 1;
	for (i = 0; i < nactive; i++)
		use[p++] = 2 + active[i];
	if ((int)n - p - 1 < 10)
		goto done;
	/* Errors that carry over from day to day (a bad day makes a bad next day) make plain
	 * least squares overconfident, and Newey-West alone corrects only part of it in a
	 * diary this short. So the columns are first prewhitened with the residuals' lag-1
	 * correlation rho (Prais-Winsten: each day minus rho times the day before, the first
	 * day of a run scaled by sqrt(1 - rho^2)), rho re-estimated from the new fit twice,
	 * and Newey-West is applied to what correlation is left. */
	Z = malloc((size_t)(p + 1) * n * sizeof *Z);
	if (!Z)
		goto done;
	for (i = 0; i < p; i++)
		zuse[i] = i;
	for (iter = 0; iter < 3; iter++) {
		double num_ = 0, den = 0, s1 = sqrt(1 - rho * rho);

		for (row = 0; row < n; row++) {
			int run = row > 0 && r->daily[a + row].day == r->daily[a + row - 1].day + 1;

			for (i = 0; i <= p; i++) {
				const double *col = i < p ? X + (size_t)use[i] * n : y;

				Z[(size_t)i * n + row] = run ? col[row] - rho * col[row - 1] : s1 * col[row];
			}
		}
		least_squares(Z, n, zuse, p, Z + (size_t)p * n, beta, l, dropped);
		for (i = 0; i < p; i++)
			if (dropped[i])
				goto done;   /* cannot happen after the checks above; no figures if it does */
		/* residuals on the diary's own scale, for the next rho */
		for (row = 0; row < n; row++) {
			e[row] = y[row];
			for (i = 0; i < p; i++)
				e[row] -= beta[i] * X[(size_t)use[i] * n + row];
		}
		if (iter == 2)
			break;
		for (row = 1; row < n; row++)
			if (r->daily[a + row].day == r->daily[a + row - 1].day + 1) {
				num_ += e[row] * e[row - 1];
				den += e[row - 1] * e[row - 1];
			}
		rho = den > 0 ? num_ / den : 0;
		rho = rho < 0 ? 0 : rho > 0.95 ? 0.95 : rho;
	}
	/* the prewhitened residuals */
	for (row = 0; row < n; row++) {
		e[row] = Z[(size_t)p * n + row];
		for (i = 0; i < p; i++)
			e[row] -= beta[i] * Z[(size_t)i * n + row];
	}
	/* the residual variance of the prewhitened fit */
	for (row = 0; row < n; row++)
		s2 += e[row] * e[row];
	s2 /= (double)((int)n - p - 1);
	for (j = 0; j < p; j++) {
		double unit[COURSE_COLUMNS] = { 0 }, colv[COURSE_COLUMNS];

		unit[j] = 1;
		solve(l, p, dropped, unit, colv);
		for (i = 0; i < p; i++)
			inv[i * p + j] = colv[i];
	}
	for (i = 2; i < p; i++) {
		double v = 0, q = t_quantile(0.95, (double)((int)n - p - 1)), se;
		struct course *c = &f[use[i] - 2].course;

		v = s2 * inv[i * p + i];
		se = sqrt(v > 0 ? v : 0) * c->per_week;
		c->effect = beta[i] * c->per_week;
		c->low = c->effect - q * se;
		c->high = c->effect + q * se;
	}
done:
	free(count);
	free(X);
	free(Z);
	free(e);
}

/* A treatment's figures from its own sessions: the immediate change and next-day
 * soreness. Its part in the course and its verdict come after (fit_course, verdict). */
static struct treatment_figures figures(const trp_report *r, int t)
{
	struct treatment_figures f = { 0, NAN, NAN, NAN, NAN, 0, "too_little_data", NAN, NAN,
				       { 0, 0, NAN, NAN, NAN, NAN, -1, 0 }, 0, NAN, 0 };
	double *changes, *sore, sum = 0, ss = 0;
	int64_t first = 0, last = 0;
	int meaningful = 0, n = 0;
	size_t i;

	changes = malloc((r->nsessions + 1) * sizeof *changes);
	sore = malloc((r->nsessions + 1) * sizeof *sore);
	if (!changes || !sore)
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
		if (s->soreness >= 0) {
			sore[f.sore_n++] = s->soreness;
			f.sore_high += s->soreness >= SORE_FLAG;
		}
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
	if (f.sore_n) {
		qsort(sore, (size_t)f.sore_n, sizeof *sore, by_double);
		f.sore_median = f.sore_n % 2 ? sore[f.sore_n / 2]
					     : (sore[f.sore_n / 2 - 1] + sore[f.sore_n / 2]) / 2;
	}
done:
	free(changes);
	free(sore);
	return f;
}

/* The verdict, from the immediate change first and the course after. */
static const char *verdict(const struct treatment_figures *f)
{
	if (f->n < MIN_SESSIONS)
		return "too_little_data";
	if (f->median <= -MEANINGFUL_POINTS || (f->share >= 0.5 && f->median <= -1))
		return "instant_relief";
	if (f->course.steady != REASON_NONE)
		return "cannot_tell_yet";
	if (!isfinite(f->course.effect))
		return "too_little_data";
	if (f->course.high < 0)
		return "builds_over_weeks";
	if (f->course.low > -COURSE_MEANINGFUL)
		return "not_helping_yet";
	return "cannot_tell_yet";
}

static const char *const treatment_words[TRP_TREATMENT_COUNT] = {
	"pressure", "a ball", "a foam roller", "stretching", "heat", "massage", "dry needling",
	"medication", "exercise", "the other treatment"
};

/* "1.2 points lower", "0.3 points higher", "no different" */
static void points(char *buf, size_t size, double v)
{
	if (fabs(v) < 0.05)
		snprintf(buf, size, "no different");
	else
		snprintf(buf, size, "%.1f point%s %s", fabs(v), fabs(fabs(v) - 1) < 0.05 ? "" : "s",
			 v < 0 ? "lower" : "higher");
}

/* The course of one treatment in JSON, with what it means in plain words. */
static json_t *course_json(const struct treatment_figures *f, int t)
{
	const struct course *c = &f->course;
	const char *reason = c->steady == REASON_TOGETHER ? "used_together"
			   : c->steady == REASON_IN_TURN ? "used_in_turn"
			   : c->steady == REASON_STEADY ? "steady_use"
			   : c->steady == REASON_WITH_COURSE ? "changed_with_course" : NULL;
	char meaning[480], e[40], lo[40], hi[40];

	if (c->steady == REASON_TOGETHER)
		snprintf(meaning, sizeof meaning, "%c%s was used on the same days as %s, so what each "
			 "adds over weeks cannot be told apart. A trial that alternates them can.",
			 toupper((unsigned char)treatment_words[t][0]), treatment_words[t] + 1, treatment_words[c->with]);
	else if (c->steady == REASON_IN_TURN)
		snprintf(meaning, sizeof meaning, "%c%s and %s took turns: when you used one more, you "
			 "used the other less, so what each adds over weeks cannot be told apart. A trial "
			 "that compares them can.",
			 toupper((unsigned char)treatment_words[t][0]), treatment_words[t] + 1, treatment_words[c->with]);
	else if (c->steady == REASON_STEADY)
		snprintf(meaning, sizeof meaning, "%c%s was used at about the same rate all along, so "
			 "what it adds cannot be told apart from the overall course of your pain. A "
			 "trial that alternates it with something else can.",
			 toupper((unsigned char)treatment_words[t][0]), treatment_words[t] + 1);
	else if (c->steady == REASON_WITH_COURSE)
		snprintf(meaning, sizeof meaning, "%c%s was used more or less often only as your pain "
			 "changed overall, so what it adds cannot be told apart from that change. A "
			 "trial that alternates it with something else can.",
			 toupper((unsigned char)treatment_words[t][0]), treatment_words[t] + 1);
	else if (!isfinite(c->effect))
		snprintf(meaning, sizeof meaning, "Needs at least %d days with pain logged in the last "
			 "%d weeks and %d sessions, with weeks of more use and of less.",
			 COURSE_MIN_DAYS, COURSE_WINDOW / 7, WEEKS_MIN_SESSIONS);
	else {
		points(e, sizeof e, c->effect);
		points(lo, sizeof lo, c->low);
		points(hi, sizeof hi, c->high);
		snprintf(meaning, sizeof meaning, "Over the %d days with pain logged in the last %d "
			 "weeks, after allowing for how your pain went overall, a week with your usual "
			 "%.1f sessions of %s went with daily pain %s (likely between %s and %s). %s",
			 c->days, COURSE_WINDOW / 7, c->per_week, treatment_words[t], e, lo, hi,
			 c->high < 0 ? "Even the least hopeful end of that range is lower pain."
			 : c->low > -COURSE_MEANINGFUL ? "That rules out, for now, that it lowers "
			   "your pain by a point or more."
			 : "That range holds both no effect and a real one: a trial can tell.");
	}
	return json_pack("{s:o, s:o, s:o, s:i, s:i, s:o, s:s, s:o, s:o, s:s}",
		"effect_per_week", num(c->effect), "low", num(c->low), "high", num(c->high),
		"days", c->days, "sessions", c->sessions, "sessions_per_week", num(c->per_week),
		"method", "trend_and_weekly_dose_prais_winsten",
		"reason", reason ? json_string(reason) : json_null(),
		"with", c->with >= 0 ? json_string(trp_treatment_name((trp_treatment)c->with)) : json_null(),
		"meaning", meaning);
}

static json_t *soreness_json(const struct treatment_figures *f)
{
	return json_pack("{s:i, s:o, s:i, s:b}", "sessions", f->sore_n, "median", num(f->sore_median),
			 "high", f->sore_high, "flag", f->sore_high > 0);
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
	for (t = 0; t < TRP_TREATMENT_COUNT; t++)
		f[t] = figures(r, t);
	fit_course(r, f);
	for (t = 0; t < TRP_TREATMENT_COUNT; t++) {
		if (f[t].n == 0)
			continue;
		f[t].verdict = verdict(&f[t]);
		json_array_append_new(techs, json_pack("{s:s, s:i, s:o, s:o, s:o, s:s, s:o, s:o}",
			"technique", trp_treatment_name((trp_treatment)t), "sessions", f[t].n,
			"median_change", num(f[t].median), "mean_change", num(f[t].mean),
			"meaningful_share", num(f[t].share), "verdict", f[t].verdict,
			"course", course_json(&f[t], t), "soreness", soreness_json(&f[t])));
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
