/*
 * chart.c: the report's charts. Daily pain over time (a point a day, its least-squares
 * trend, the sessions marked under the days, coloured by treatment), and each
 * treatment's immediate effect: a table of the figures beside a plot of each median
 * change with its 95% interval on one axis (a forest plot).
 */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "render_impl.h"

#define INK 0x1f2328
#define MUTED 0x4a5058
#define GRID 0xe6e1d9
#define AXIS 0x8c8478
#define LINE 0x0b5f5a
#define STRIPE 0xf6f3ee
#define WARN 0x8a4b00

unsigned treatment_colour(int treatment)
{
	/* Okabe and Ito's colours first; then shades that stay apart from them */
	static const unsigned colours[TRP_TREATMENT_COUNT] = {
		0x0072b2, 0xe69f00, 0x009e73, 0xcc79a7, 0xd55e00,
		0x56b4e9, 0x000000, 0x8f7f00, 0x7a7a7a, 0x8b5a2b
	};

	return treatment >= 0 && treatment < TRP_TREATMENT_COUNT ? colours[treatment] : 0x7a7a7a;
}

const char *verdict_words(const char *v)
{
	if (!v)
		return "";
	return strcmp(v, "instant_relief") == 0 ? "instant relief"
	     : strcmp(v, "builds_over_weeks") == 0 ? "builds over weeks"
	     : strcmp(v, "not_helping_yet") == 0 ? "not helping yet"
	     : strcmp(v, "cannot_tell_yet") == 0 ? "cannot tell yet"
	     : strcmp(v, "too_little_data") == 0 ? "too little data" : v;
}

/* "24 Nov" for a local day. */
static void short_day(int64_t day, char *buf, size_t size)
{
	static const char *const months[] = { "Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul",
					      "Aug", "Sep", "Oct", "Nov", "Dec" };
	char iso[48];
	int m;

	trp_day_format(day, iso, sizeof iso);
	m = atoi(iso + 5);
	snprintf(buf, size, "%d %s", atoi(iso + 8), months[m >= 1 && m <= 12 ? m - 1 : 0]);
}

/* A small triangle pointing up, its top at (x, y). */
static void triangle(cairo_t *cr, double x, double y, double w, double h)
{
	cairo_move_to(cr, x, y);
	cairo_line_to(cr, x + w / 2, y + h);
	cairo_line_to(cr, x - w / 2, y + h);
	cairo_close_path(cr);
	cairo_fill(cr);
}

double chart_trend(cairo_t *cr, double x, double y, double w, double h,
		   const trp_report_day *days, size_t n, double slope_per_week)
{
	static const int steps[] = { 1, 2, 7, 14, 28, 56, 91, 182, 364, 728, 1456 };
	static const double dash[] = { 4, 2.5 };
	double px = x + 22, pw = w - 22 - 4, py = y + 4, ph = h - 4 - 44;
	double strip, kx, ky = y + h - 3, key = 0;
	int64_t d0, d1, span;
	unsigned used = 0;
	size_t i;
	int v, step = 1, t;

	/* the key of the treatments takes a second row when one is too narrow */
	for (i = 0; i < n; i++)
		used |= days[i].treatments;
	text_font(cr, 7.5, 0);
	key = 18 + text_width(cr, "daily pain") + 12 + 18 + text_width(cr, "trend") + 12 +
	      text_width(cr, "sessions:") + 6;
	for (t = 0; t < TRP_TREATMENT_COUNT; t++)
		if ((used >> t) & 1)
			key += 8 + text_width(cr, trp_treatment_label((trp_treatment)t)) + 10;
	if (key > pw) {
		ph -= 11;
		ky -= 11;
	}
	strip = py + ph + 2;

	/* the grid: pain 0 to 10 */
	cairo_set_line_width(cr, 0.5);
	text_font(cr, 7, 0);
	for (v = 0; v <= 10; v += 2) {
		char label[8];
		double gy = py + ph - v / 10.0 * ph;

		set_colour(cr, v ? GRID : AXIS, 1);
		cairo_move_to(cr, px, gy);
		cairo_line_to(cr, px + pw, gy);
		cairo_stroke(cr);
		snprintf(label, sizeof label, "%d", v);
		set_colour(cr, MUTED, 1);
		text_at(cr, px - 4, gy + 2.5, ALIGN_RIGHT, 0, label);
	}
	if (n == 0) {
		set_colour(cr, MUTED, 1);
		text_font(cr, 9, 0);
		text_at(cr, px + pw / 2, py + ph / 2, ALIGN_CENTER, 0, "No pain logged yet ('trp pain')");
		return h;
	}
	d0 = days[0].day;
	d1 = days[n - 1].day > d0 + 6 ? days[n - 1].day : d0 + 6;
	span = d1 - d0 + 1;
	for (i = 0; i < sizeof steps / sizeof steps[0]; i++) {
		step = steps[i];
		if (span / step <= 7)
			break;
	}
#define DAY_X(d) (px + ((double)((d) - d0) + 0.5) / (double)span * pw)
	/* the dates */
	text_font(cr, 7, 0);
	for (i = 0; d0 + (int64_t)i * step <= d1; i++) {
		int64_t d = d0 + (int64_t)i * step;
		char label[32];

		set_colour(cr, GRID, 1);
		cairo_move_to(cr, DAY_X(d), py);
		cairo_line_to(cr, DAY_X(d), py + ph);
		cairo_stroke(cr);
		short_day(d, label, sizeof label);
		set_colour(cr, MUTED, 1);
		text_at(cr, DAY_X(d), strip + 19, ALIGN_CENTER, 0, label);
	}
	/* the trend: the least-squares line goes through the means */
	if (isfinite(slope_per_week) && n >= 3) {
		double md = 0, mp = 0, a, b;

		for (i = 0; i < n; i++) {
			md += (double)(days[i].day - d0) / (double)n;
			mp += days[i].pain / (double)n;
		}
		a = mp + slope_per_week / 7 * (0 - md);
		b = mp + slope_per_week / 7 * ((double)(days[n - 1].day - d0) - md);
		cairo_save(cr);
		cairo_rectangle(cr, px, py, pw, ph);
		cairo_clip(cr);
		set_colour(cr, MUTED, 1);
		cairo_set_line_width(cr, 1);
		cairo_set_dash(cr, dash, 2, 0);
		cairo_move_to(cr, DAY_X(d0), py + ph - a / 10 * ph);
		cairo_line_to(cr, DAY_X(days[n - 1].day), py + ph - b / 10 * ph);
		cairo_stroke(cr);
		cairo_restore(cr);
	}
	/* daily pain */
	set_colour(cr, LINE, 1);
	cairo_set_line_width(cr, 1.3);
	cairo_set_line_join(cr, CAIRO_LINE_JOIN_ROUND);
	for (i = 0; i < n; i++) {
		double dx = DAY_X(days[i].day), dy = py + ph - days[i].pain / 10 * ph;

		if (i == 0)
			cairo_move_to(cr, dx, dy);
		else
			cairo_line_to(cr, dx, dy);
	}
	cairo_stroke(cr);
	for (i = 0; n <= 120 && i < n; i++) {
		cairo_arc(cr, DAY_X(days[i].day), py + ph - days[i].pain / 10 * ph, 1.8, 0, 2 * M_PI);
		cairo_fill(cr);
	}
	/* the sessions, under their days */
	for (i = 0; i < n; i++) {
		int count = 0, k = 0;
		double gap = 4.5;

		for (t = 0; t < TRP_TREATMENT_COUNT; t++)
			count += (days[i].treatments >> t) & 1;
		/* several on one day side by side, within the day's width */
		if (count > 1 && gap * (count - 1) > pw / (double)span)
			gap = pw / (double)span / (count - 1);
		for (t = 0; t < TRP_TREATMENT_COUNT; t++) {
			if (!((days[i].treatments >> t) & 1))
				continue;
			set_colour(cr, treatment_colour(t), 1);
			triangle(cr, DAY_X(days[i].day) + (k - (count - 1) / 2.0) * gap, strip + 1, 5, 7);
			k++;
		}
	}
#undef DAY_X
	/* the key */
	text_font(cr, 7.5, 0);
	kx = px;
	set_colour(cr, LINE, 1);
	cairo_set_line_width(cr, 1.3);
	cairo_move_to(cr, kx, ky - 2.5);
	cairo_line_to(cr, kx + 14, ky - 2.5);
	cairo_stroke(cr);
	set_colour(cr, INK, 1);
	text_at(cr, kx + 18, ky, ALIGN_LEFT, 0, "daily pain");
	kx += 18 + text_width(cr, "daily pain") + 12;
	if (isfinite(slope_per_week) && n >= 3) {
		set_colour(cr, MUTED, 1);
		cairo_set_line_width(cr, 1);
		cairo_set_dash(cr, dash, 2, 0);
		cairo_move_to(cr, kx, ky - 2.5);
		cairo_line_to(cr, kx + 14, ky - 2.5);
		cairo_stroke(cr);
		cairo_set_dash(cr, NULL, 0, 0);
		set_colour(cr, INK, 1);
		text_at(cr, kx + 18, ky, ALIGN_LEFT, 0, "trend");
		kx += 18 + text_width(cr, "trend") + 12;
	}
	if (used) {
		set_colour(cr, INK, 1);
		text_at(cr, kx, ky, ALIGN_LEFT, 0, "sessions:");
		kx += text_width(cr, "sessions:") + 6;
	}
	for (t = 0; t < TRP_TREATMENT_COUNT; t++) {
		double item;

		if (!((used >> t) & 1))
			continue;
		item = 8 + text_width(cr, trp_treatment_label((trp_treatment)t));
		if (kx + item > px + pw) {
			kx = px + 6 + text_width(cr, "sessions:");
			ky += 11;
		}
		set_colour(cr, treatment_colour(t), 1);
		triangle(cr, kx + 3, ky - 6.5, 5, 7);
		set_colour(cr, INK, 1);
		text_at(cr, kx + 8, ky, ALIGN_LEFT, 0, trp_treatment_label((trp_treatment)t));
		kx += 8 + text_width(cr, trp_treatment_label((trp_treatment)t)) + 10;
	}
	return h;
}

/* The columns of the effect table: where each starts, its width and alignment. */
static const struct column {
	const char *title;
	double width;
	int align;
} columns[] = {
	{ "Treatment", 66, ALIGN_LEFT },
	{ "Sessions", 38, ALIGN_RIGHT },
	{ "Median", 38, ALIGN_RIGHT },
	{ "95% interval", 72, ALIGN_RIGHT },
	{ "Meaningful", 58, ALIGN_RIGHT },
	{ "Verdict", 84, ALIGN_LEFT },
};
#define NCOLUMNS (sizeof columns / sizeof columns[0])
#define ROW 15.0

/* The x of column c's text, by its alignment. */
static double column_x(double x, size_t c)
{
	size_t i;

	for (i = 0; i < c; i++)
		x += columns[i].width;
	if (columns[c].align == ALIGN_RIGHT)
		return x + columns[c].width;
	return c ? x + 10 : x;
}

double chart_effects(cairo_t *cr, double x, double y, double w, const struct effect_row *rows,
		     size_t n, int draw)
{
	double table = 0, px, pw, lo = -4, hi = 1, axis, tick;
	size_t i, c;
	int v;

	if (n == 0) {
		if (draw) {
			set_colour(cr, MUTED, 1);
			text_font(cr, 9, 0);
			text_at(cr, x, y + 10, ALIGN_LEFT, 0, "No sessions logged yet ('trp log').");
		}
		return 16;
	}
	if (!draw)
		return 14 + n * ROW + 26;
	for (c = 0; c < NCOLUMNS; c++)
		table += columns[c].width;
	px = x + table + 14;
	pw = x + w - px - 4;
	for (i = 0; i < n; i++) {
		double a = isfinite(rows[i].low) ? rows[i].low : rows[i].median;
		double b = isfinite(rows[i].high) ? rows[i].high : rows[i].median;

		if (isfinite(a) && a < lo)
			lo = floor(a);
		if (isfinite(b) && b > hi)
			hi = ceil(b);
	}
	lo = lo < -10 ? -10 : lo;
	hi = hi > 10 ? 10 : hi;
#define VAL_X(value) (px + ((value) - lo) / (hi - lo) * pw)
	/* the header */
	set_colour(cr, INK, 1);
	text_font(cr, 7.5, 1);
	for (c = 0; c < NCOLUMNS; c++)
		text_at(cr, column_x(x, c), y + 9, columns[c].align, 0, columns[c].title);
	text_at(cr, px + pw / 2, y + 9, ALIGN_CENTER, pw, "Median and 95% interval");
	set_colour(cr, AXIS, 1);
	cairo_set_line_width(cr, 0.6);
	cairo_move_to(cr, x, y + 12.5);
	cairo_line_to(cr, x + w, y + 12.5);
	cairo_stroke(cr);
	y += 14;
	/* the lines at 0 and at a meaningful drop of 2 points */
	for (v = 0; v < 2; v++) {
		static const double dots[] = { 1.5, 1.5 };
		double at = v ? -2 : 0;

		if (at < lo)
			continue;
		set_colour(cr, v ? WARN : AXIS, 1);
		cairo_set_line_width(cr, v ? 0.7 : 0.8);
		cairo_set_dash(cr, dots, v ? 2 : 0, 0);
		cairo_move_to(cr, VAL_X(at), y);
		cairo_line_to(cr, VAL_X(at), y + n * ROW + 3);
		cairo_stroke(cr);
	}
	cairo_set_dash(cr, NULL, 0, 0);
	for (i = 0; i < n; i++) {
		const struct effect_row *r = &rows[i];
		double ry = y + i * ROW, mid = ry + ROW / 2;
		char cell[NCOLUMNS][64];

		if (i % 2 == 0) {
			set_colour(cr, STRIPE, 1);
			cairo_rectangle(cr, x, ry, w, ROW);
			cairo_fill(cr);
		}
		snprintf(cell[0], sizeof cell[0], "%s", trp_treatment_label((trp_treatment)r->treatment));
		snprintf(cell[1], sizeof cell[1], "%d", r->sessions);
		if (isfinite(r->median))
			snprintf(cell[2], sizeof cell[2], "%+.1f", r->median);
		else
			snprintf(cell[2], sizeof cell[2], "-");
		if (isfinite(r->low))
			snprintf(cell[3], sizeof cell[3], "%+.1f to %+.1f", r->low, r->high);
		else
			snprintf(cell[3], sizeof cell[3], "needs 6 sessions");
		if (isfinite(r->share))
			snprintf(cell[4], sizeof cell[4], "%.0f%%", 100 * r->share);
		else
			snprintf(cell[4], sizeof cell[4], "-");
		snprintf(cell[5], sizeof cell[5], "%s", verdict_words(r->verdict));
		text_font(cr, 8, 0);
		for (c = 0; c < NCOLUMNS; c++) {
			set_colour(cr, c == 3 && !isfinite(r->low) ? MUTED : INK, 1);
			text_at(cr, column_x(x, c), ry + 10.5, columns[c].align, columns[c].width - 4, cell[c]);
		}
		/* the interval and the median */
		set_colour(cr, treatment_colour(r->treatment), 1);
		if (isfinite(r->low)) {
			cairo_set_line_width(cr, 1.4);
			cairo_move_to(cr, VAL_X(r->low), mid);
			cairo_line_to(cr, VAL_X(r->high), mid);
			cairo_move_to(cr, VAL_X(r->low), mid - 3);
			cairo_line_to(cr, VAL_X(r->low), mid + 3);
			cairo_move_to(cr, VAL_X(r->high), mid - 3);
			cairo_line_to(cr, VAL_X(r->high), mid + 3);
			cairo_stroke(cr);
		}
		if (isfinite(r->median)) {
			cairo_arc(cr, VAL_X(r->median), mid, 3, 0, 2 * M_PI);
			if (isfinite(r->low)) {
				cairo_fill_preserve(cr);
				set_colour(cr, 0xffffff, 1);
			} else {
				cairo_set_source_rgb(cr, 1, 1, 1);
				cairo_fill_preserve(cr);
				set_colour(cr, treatment_colour(r->treatment), 1);
			}
			cairo_set_line_width(cr, 0.8);
			cairo_stroke(cr);
		}
	}
	/* the axis of pain change */
	axis = y + n * ROW + 3;
	tick = hi - lo > 12 ? 2 : 1;
	set_colour(cr, AXIS, 1);
	cairo_set_line_width(cr, 0.6);
	cairo_move_to(cr, px, axis);
	cairo_line_to(cr, px + pw, axis);
	cairo_stroke(cr);
	text_font(cr, 6.5, 0);
	for (v = (int)lo; v <= (int)hi; v += (int)tick) {
		char label[8];

		set_colour(cr, AXIS, 1);
		cairo_move_to(cr, VAL_X(v), axis);
		cairo_line_to(cr, VAL_X(v), axis + 2.5);
		cairo_stroke(cr);
		snprintf(label, sizeof label, "%+d", v);
		set_colour(cr, MUTED, 1);
		text_at(cr, VAL_X(v), axis + 9.5, ALIGN_CENTER, 0, v ? label : "0");
	}
	text_at(cr, px + pw / 2, axis + 19, ALIGN_CENTER, pw, "points (left of 0: relief; dotted: -2)");
#undef VAL_X
	return 14 + n * ROW + 26;
}
