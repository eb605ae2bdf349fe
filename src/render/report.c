/*
 * report.c: the diary's report for a clinician, on A4 pages: the pain map at the start
 * and now, daily pain over time, what each treatment does right away, the recent
 * sessions and the screening outcome. The figures are the report's own (the JSON of
 * trp_report_json, trp_report_days, trp_report_median_change), so the picture says what
 * `trp report` says.
 *
 * The layout runs twice: once on a scratch surface to count the pages (a section that
 * does not fit on what is left of a page starts the next), then on the real one, so
 * every footer can say "page 1 of 2" and PNG and SVG know their height. Every section
 * has a most height (10 treatments, TRP_REPORT_SESSIONS_SHOWN sessions, FLAGS_SHOWN
 * flags of two lines), and with them the first page always holds the header, the maps
 * and the trend, and the second the rest: two pages at most.
 */
#include <ctype.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <jansson.h>

#include "render_impl.h"

#define PAGE_W 595.276            /* A4, in points */
#define PAGE_H 841.89
#define LEFT 42.0
#define WIDTH (PAGE_W - 2 * LEFT)
#define TOP 40.0
#define BOTTOM (PAGE_H - 50)      /* the footer lies below */
#define GAP 16.0                  /* between sections */
#define MAP_HEIGHT 170.0          /* one small figure */
#define FLAGS_SHOWN 5

#define INK 0x1f2328
#define MUTED 0x4a5058
#define RULE 0xd9d4cc
#define ACCENT 0x0b5f5a
#define STRIPE 0xf6f3ee
#define DANGER 0xa4161a
#define WARN 0x8a4b00
#define OK 0x1e6b34

/* What the report shows, gathered once for both passes. */
struct report_data {
	const trp_report_picture *in;
	json_t *json;                          /* trp_report_json */
	const trp_report_day *days;
	size_t ndays;
	struct effect_row rows[TRP_TREATMENT_COUNT];
	size_t nrows;
	int sessions;                          /* sessions in all */
	char today[32];
};

/* The state of one pass of the layout. */
struct doc {
	cairo_t *cr;
	struct canvas *canvas;                 /* NULL in the counting pass */
	const struct report_data *data;
	double y;
	int page;                              /* from 1 */
	int pages;                             /* the total; 0 while counting */
};

static double real(json_t *o, const char *key)
{
	return json_is_number(json_object_get(o, key)) ? json_number_value(json_object_get(o, key)) : NAN;
}

static const char *str(json_t *o, const char *key)
{
	const char *s = json_string_value(json_object_get(o, key));

	return s ? s : "";
}

/* ---------------------------------------------------------------- pages */

static void footer(struct doc *d)
{
	char page[48];
	cairo_t *cr = d->cr;

	if (d->pages)
		snprintf(page, sizeof page, "page %d of %d", d->page, d->pages);
	else
		snprintf(page, sizeof page, "page %d", d->page);
	set_colour(cr, RULE, 1);
	cairo_rectangle(cr, LEFT, PAGE_H - 40, WIDTH, 0.6);
	cairo_fill(cr);
	set_colour(cr, MUTED, 1);
	text_font(cr, 7, 0);
	text_at(cr, LEFT, PAGE_H - 29, ALIGN_LEFT, WIDTH - text_width(cr, page) - 12,
		"trp informs; it does not diagnose. Worsening pain, or pain with numbness, weakness, "
		"fever or weight loss, needs a clinician.");
	text_at(cr, LEFT + WIDTH, PAGE_H - 29, ALIGN_RIGHT, 0, page);
}

static void next_page(struct doc *d)
{
	footer(d);
	if (d->canvas)
		canvas_next_page(d->canvas);
	d->page++;
	d->y = TOP;
	set_colour(d->cr, MUTED, 1);
	text_font(d->cr, 8.5, 0);
	text_at(d->cr, LEFT, d->y + 8, ALIGN_LEFT, 0, "Trigger point diary: report (continued)");
	text_at(d->cr, LEFT + WIDTH, d->y + 8, ALIGN_RIGHT, 0, d->data->today);
	d->y += 24;
}

typedef double (*section_fn)(struct doc *d, double y, int draw);

/* Places a section whole: on this page if it fits, else at the top of the next. */
static void place(struct doc *d, section_fn section)
{
	double h = section(d, d->y, 0);

	if (h <= 0)
		return;
	if (d->y + h > BOTTOM && d->y > TOP + 30)
		next_page(d);
	section(d, d->y, 1);
	d->y += h + GAP;
}

/* Draws a section's title with a rule after it, and a line of smaller words under it
 * when words is not NULL (16 points high, or 26 with the words). */
static void heading(cairo_t *cr, double y, const char *title, const char *words)
{
	double w;

	set_colour(cr, ACCENT, 1);
	text_font(cr, 11, 1);
	text_at(cr, LEFT, y + 11, ALIGN_LEFT, WIDTH, title);
	w = text_width(cr, title);
	set_colour(cr, RULE, 1);
	cairo_rectangle(cr, LEFT + w + 8, y + 7, WIDTH - w - 8, 0.6);
	cairo_fill(cr);
	if (words) {
		set_colour(cr, MUTED, 1);
		text_font(cr, 7.5, 0);
		text_at(cr, LEFT, y + 22, ALIGN_LEFT, WIDTH, words);
	}
}

/* ---------------------------------------------------------------- sections */

static double section_header(struct doc *d, double y, int draw)
{
	const struct report_data *r = d->data;
	json_t *trend = json_object_get(r->json, "trend");
	cairo_t *cr = d->cr;
	char line[512];

	if (!draw)
		return 40;
	set_colour(cr, INK, 1);
	text_font(cr, 16, 1);
	text_at(cr, LEFT, y + 15, ALIGN_LEFT, WIDTH - 120, "Trigger point diary: report");
	text_font(cr, 9, 0);
	set_colour(cr, MUTED, 1);
	snprintf(line, sizeof line, "as of %s", r->today);
	text_at(cr, LEFT + WIDTH, y + 15, ALIGN_RIGHT, 0, line);
	if (r->ndays)
		snprintf(line, sizeof line, "Pain logged on %zu days, %s to %s; %d session%s.", r->ndays,
			 str(trend, "first_day"), str(trend, "last_day"), r->sessions, r->sessions == 1 ? "" : "s");
	else
		snprintf(line, sizeof line, "Nothing logged yet: 'trp pain' records pain, 'trp log' a session.");
	set_colour(cr, INK, 1);
	text_at(cr, LEFT, y + 31, ALIGN_LEFT, WIDTH - 80, line);
	set_colour(cr, MUTED, 1);
	text_font(cr, 7.5, 0);
	text_at(cr, LEFT + WIDTH, y + 31, ALIGN_RIGHT, 0, "made by trp " TRP_VERSION);
	return 40;
}

/* "temple.l 6 aching, neck_side.l 3" for a pain entry. */
static void map_words(const trp_entry *e, char *buf, size_t size)
{
	size_t i;

	buf[0] = '\0';
	for (i = 0; i < e->nregions; i++) {
		const trp_pain_region *p = &e->regions[i];

		text_append(buf, size, "%s%s.%s %d%s%s", i ? ", " : "", trp_region_name(p->region),
			    trp_side_code(p->side), p->intensity, p->quality ? " " : "",
			    p->quality ? trp_quality_name(p->quality) : "");
	}
}

/* "2026-11-24 08:30" for a time with its offset. */
static void when_words(int64_t at, int tz, char *buf, size_t size)
{
	char iso[64];

	trp_time_format(at, tz, iso, sizeof iso);
	snprintf(buf, size, "%.10s %.5s", iso, iso + 11);
}

/* One pain entry as a pair of small figures, centred in a column of width w at x. */
static void pain_pair(cairo_t *cr, const trp_entry *e, const char *label, double x, double y,
		      double w)
{
	double scale = MAP_HEIGHT / 840.0, fw = 360 * scale, pair = 2 * fw + 10;
	double left = x + (w - pair) / 2;
	struct marks m;
	char line[160], when[64], words[2048];
	size_t i;
	int v;

	marks_clear(&m);
	for (i = 0; i < e->nregions; i++)
		m.level[e->regions[i].region * 2 + e->regions[i].side] = (signed char)e->regions[i].intensity;
	when_words(e->at, e->tz, when, sizeof when);
	snprintf(line, sizeof line, "%s: %.32s", label, when);
	set_colour(cr, INK, 1);
	text_font(cr, 8.5, 1);
	text_at(cr, x + w / 2, y + 9, ALIGN_CENTER, w, line);
	for (v = 0; v < 2; v++) {
		draw_view(cr, v, left + v * (fw + 10), y + 14, scale, &m, 30);
		set_colour(cr, MUTED, 1);
		text_font(cr, 7, 0);
		text_at(cr, left + v * (fw + 10) + fw / 2, y + 14 + MAP_HEIGHT + 9, ALIGN_CENTER, 0,
			v ? "back" : "front");
	}
	map_words(e, words, sizeof words);
	set_colour(cr, INK, 1);
	text_font(cr, 7.5, 0);
	text_wrap(cr, x + 8, y + 14 + MAP_HEIGHT + 21, w - 16, 9.5, 2, words, 1);
}

static double section_maps(struct doc *d, double y, int draw)
{
	const trp_report_picture *in = d->data->in;
	double h = 26 + 14 + MAP_HEIGHT + 21 + 2 * 9.5 + 16, half = WIDTH / 2;
	cairo_t *cr = d->cr;
	int one = !in->last_pain || !in->first_pain || in->first_pain == in->last_pain ||
		  in->first_pain->id == in->last_pain->id;

	if (!in->first_pain && !in->last_pain) {
		if (draw) {
			heading(cr, y, "Where it hurts", NULL);
			set_colour(cr, MUTED, 1);
			text_font(cr, 9, 0);
			text_at(cr, LEFT, y + 28, ALIGN_LEFT, WIDTH, "No pain map logged yet ('trp pain').");
		}
		return 34;
	}
	if (!draw)
		return h;
	heading(cr, y, "Where it hurts", one ? "the only pain map logged"
		: "the first pain map of this report and the latest; Left and Right are the person's own");
	y += 26;
	if (one) {
		const trp_entry *e = in->last_pain ? in->last_pain : in->first_pain;

		pain_pair(cr, e, "The pain map", LEFT + half / 2, y, half);
	} else {
		pain_pair(cr, in->first_pain, "At the start", LEFT, y, half);
		pain_pair(cr, in->last_pain, "Now", LEFT + half, y, half);
		set_colour(cr, RULE, 1);
		cairo_rectangle(cr, LEFT + half - 0.3, y + 14, 0.6, MAP_HEIGHT);
		cairo_fill(cr);
	}
	{
		double sw = 15, total, x;

		text_font(cr, 7.5, 0);
		total = 11 * sw + 8 + text_width(cr, "pain 0-10 (0: marked not painful)");
		x = LEFT + (WIDTH - total) / 2;
		draw_pain_scale(cr, x, y + h - 26 - 11, sw, 10, 6.5);
		set_colour(cr, INK, 1);
		text_font(cr, 7.5, 0);
		text_at(cr, x + 11 * sw + 8, y + h - 26 - 3, ALIGN_LEFT, 0, "pain 0-10 (0: marked not painful)");
	}
	return h;
}

static double section_trend(struct doc *d, double y, int draw)
{
	const struct report_data *r = d->data;
	json_t *trend = json_object_get(r->json, "trend"), *rec = json_object_get(r->json, "recurrences");
	double chart = 150, h = 26 + chart + 6 + 2 * 10.5;
	char text[1024] = "";

	if (!draw)
		return h;
	heading(d->cr, y, "Daily pain over time",
		"each day's mean of its readings (a pain entry's worst region, the pain before each "
		"session), 0-10, with the sessions under their days");
	y += 28;
	chart_trend(d->cr, LEFT, y, WIDTH, chart, r->days, r->ndays, real(trend, "slope_per_week"));
	y += chart + 6 + 8;
	if (r->ndays == 0)
		return h;
	if (isfinite(real(trend, "slope_per_week")))
		text_append(text, sizeof text, "Trend: %+.2f points a week (95%% interval %+.2f to %+.2f). ",
			    real(trend, "slope_per_week"), real(trend, "low"), real(trend, "high"));
	else
		text_append(text, sizeof text, "Trend: needs 3 days or more. ");
	if (isfinite(real(trend, "first_week_mean")))
		text_append(text, sizeof text, "Daily pain %.1f in the first week, %.1f in the last. ",
			    real(trend, "first_week_mean"), real(trend, "last_week_mean"));
	if (json_is_integer(json_object_get(trend, "days_to_30_percent")))
		text_append(text, sizeof text, "30%% better than the first week after %lld days. ",
			    (long long)json_integer_value(json_object_get(trend, "days_to_30_percent")));
	text_append(text, sizeof text, "Regions back after a quiet week: %lld.",
		    (long long)json_integer_value(json_object_get(rec, "count")));
	set_colour(d->cr, INK, 1);
	text_font(d->cr, 8.5, 0);
	text_wrap(d->cr, LEFT, y, WIDTH, 10.5, 2, text, 1);
	return h;
}

#define COMPARISONS_SHOWN 4

static double section_effects(struct doc *d, double y, int draw)
{
	const struct report_data *r = d->data;
	json_t *comps = json_object_get(r->json, "comparisons"), *t;
	size_t n = json_array_size(comps), i, shown = n < COMPARISONS_SHOWN ? n : COMPARISONS_SHOWN;
	double h = 28 + chart_effects(d->cr, LEFT, y, WIDTH, r->rows, r->nrows, 0);
	cairo_t *cr = d->cr;

	if (shown)
		h += 6 + 11 * (double)(shown + 2);
	if (!draw)
		return h;
	heading(cr, y, "What each treatment does right away",
		"the change in pain from just before a session to just after; a meaningful drop is 2 "
		"points or 30% of the pain before (Farrar 2001)");
	y += 28;
	y += chart_effects(cr, LEFT, y, WIDTH, r->rows, r->nrows, 1);
	if (!shown)
		return h;
	y += 6 + 8;
	set_colour(cr, WARN, 1);
	text_font(cr, 8, 1);
	text_at(cr, LEFT, y, ALIGN_LEFT, WIDTH, "Treatment against treatment, unblinded");
	y += 11;
	text_font(cr, 7.5, 0);
	text_at(cr, LEFT, y, ALIGN_LEFT, WIDTH, "The sessions were neither randomised nor blinded: "
		"expectation and timing can make a difference appear.");
	json_array_foreach(comps, i, t) {
		const char *better = json_string_value(json_object_get(t, "better"));
		char line[512];

		if (i == shown)
			break;
		const char *la = trp_treatment_label((trp_treatment)trp_treatment_parse(str(t, "a")));
		const char *lb = trp_treatment_label((trp_treatment)trp_treatment_parse(str(t, "b")));
		const char *lbetter = better ? trp_treatment_label((trp_treatment)trp_treatment_parse(better)) : NULL;

		snprintf(line, sizeof line, "%s against %s: %+.1f points (95%% interval %+.1f to %+.1f): %s%s",
			 la ? la : "?", lb ? lb : "?", real(t, "difference"), real(t, "low"), real(t, "high"),
			 lbetter ? lbetter : "no clear difference", lbetter ? " relieves more right away" : "");
		y += 11;
		set_colour(cr, INK, 1);
		text_font(cr, 8, 0);
		text_at(cr, LEFT + 8, y, ALIGN_LEFT, WIDTH - 8, line);
	}
	return h;
}

/* What a treatment adds over weeks, and its next-day soreness, in a few words for a
 * clinician (the report's JSON and the diary page carry the longer ones). The verdict
 * is in the table above, so treatments with the same words share a line. */
static void course_words(json_t *t, char *line, size_t size)
{
	json_t *c = json_object_get(t, "course"), *sore = json_object_get(t, "soreness");
	const char *reason = str(c, "reason");
	const char *lwith = trp_treatment_label((trp_treatment)trp_treatment_parse(str(c, "with")));
	size_t n;

	if (strcmp(reason, "used_together") == 0 || strcmp(reason, "used_in_turn") == 0)
		n = (size_t)snprintf(line, size, "used %s %s, so not told apart; a trial comparing them can tell.",
				     strcmp(reason, "used_together") == 0 ? "on the same days as" : "in turn with",
				     lwith ? lwith : "another treatment");
	else if (*reason)
		n = (size_t)snprintf(line, size, "used %s, so not told apart from the overall course; a trial can tell.",
				     strcmp(reason, "steady_use") == 0 ? "at one rate all along"
				     : "more or less only as the pain changed");
	else if (json_is_number(json_object_get(c, "effect_per_week")))
		n = (size_t)snprintf(line, size, "a usual week of %.1f sessions, %+.1f points of daily pain "
				     "(90%% interval %+.1f to %+.1f), from %lld days.",
				     real(c, "sessions_per_week"), real(c, "effect_per_week"), real(c, "low"),
				     real(c, "high"), (long long)json_integer_value(json_object_get(c, "days")));
	else
		n = (size_t)snprintf(line, size, "no figure yet (%lld days of pain in the last 12 weeks, "
				     "%lld sessions; it needs %d and %d).",
				     (long long)json_integer_value(json_object_get(c, "days")),
				     (long long)json_integer_value(json_object_get(c, "sessions")), 21, 6);
	if (n < size && json_is_true(json_object_get(sore, "flag")))
		snprintf(line + n, size - n, " Sore the next day (5 or more of 10) after %lld of %lld.",
			 (long long)json_integer_value(json_object_get(sore, "high")),
			 (long long)json_integer_value(json_object_get(sore, "sessions")));
}

/* The lines of the course section: "Pressure, ball and heat: <their words>". */
static size_t course_lines(json_t *techs, char lines[][640])
{
	char words[TRP_TREATMENT_COUNT][400];
	int done[TRP_TREATMENT_COUNT] = { 0 };
	size_t n = json_array_size(techs), i, j, out = 0;

	if (n > TRP_TREATMENT_COUNT)
		n = TRP_TREATMENT_COUNT;
	for (i = 0; i < n; i++)
		course_words(json_array_get(techs, i), words[i], sizeof words[i]);
	for (i = 0; i < n; i++) {
		size_t len = 0, k, last = i;

		if (done[i])
			continue;
		for (j = i; j < n; j++)
			if (strcmp(words[j], words[i]) == 0)
				last = j;
		for (j = i, k = 0; j < n; j++) {
			const char *label;

			if (done[j] || strcmp(words[j], words[i]) != 0)
				continue;
			done[j] = 1;
			label = trp_treatment_label((trp_treatment)trp_treatment_parse(str(json_array_get(techs, j), "technique")));
			if (!label)
				label = "?";
			len += (size_t)snprintf(lines[out] + len, 640 - len, "%s%c%s", k == 0 ? "" : j == last ? " and " : ", ",
						k == 0 ? toupper((unsigned char)label[0]) : label[0], label + 1);
			k++;
			if (len >= 640)
				len = 639;
		}
		k = strlen(words[i]);
		if (len + 2 + k < 640) {
			memcpy(lines[out] + len, ": ", 2);
			memcpy(lines[out] + len + 2, words[i], k + 1);
		}
		out++;
	}
	return out;
}

static double section_course(struct doc *d, double y, int draw)
{
	json_t *techs = json_object_get(d->data->json, "techniques");
	char lines[TRP_TREATMENT_COUNT][640];
	cairo_t *cr = d->cr;
	size_t n = course_lines(techs, lines), i;
	double h = 28;

	if (n == 0)
		return 0;
	text_font(cr, 7.5, 0);
	for (i = 0; i < n; i++)
		h += 9.5 * text_wrap(cr, LEFT, 0, WIDTH, 9.5, 2, lines[i], 0) + 1;
	if (!draw)
		return h;
	heading(cr, y, "Over weeks, each treatment apart from the overall course",
		"daily pain against each treatment's sessions in the week before, apart from a steady "
		"overall trend");
	y += 28;
	set_colour(cr, INK, 1);
	text_font(cr, 7.5, 0);
	for (i = 0; i < n; i++)
		y += 9.5 * text_wrap(cr, LEFT, y + 8, WIDTH, 9.5, 2, lines[i], 1) + 1;
	return h;
}

/* The columns of the sessions table. */
static const struct {
	const char *title;
	double width;
	int align;
} session_columns[] = {
	{ "When", 78, ALIGN_LEFT }, { "Treatment", 72, ALIGN_LEFT }, { "Muscle", 171, ALIGN_LEFT },
	{ "Minutes", 38, ALIGN_RIGHT }, { "Before", 36, ALIGN_RIGHT }, { "After", 34, ALIGN_RIGHT },
	{ "Change", 40, ALIGN_RIGHT }, { "Later", 36, ALIGN_RIGHT },
};
#define SESSION_COLUMNS (sizeof session_columns / sizeof session_columns[0])
#define SESSION_ROW 12.5

static double section_sessions(struct doc *d, double y, int draw)
{
	const trp_report_picture *in = d->data->in;
	size_t shown = in->nsessions < TRP_REPORT_SESSIONS_SHOWN ? in->nsessions : TRP_REPORT_SESSIONS_SHOWN;
	double h = 26 + 14 + shown * SESSION_ROW, x;
	cairo_t *cr = d->cr;
	char words[160];
	size_t i, c;

	if (shown == 0)
		h = 34;
	if (!draw)
		return h;
	snprintf(words, sizeof words, "the latest %zu of %d, newest first; pain 0-10; change is after minus before",
		 shown, d->data->sessions);
	heading(cr, y, "Recent sessions", shown ? words : NULL);
	if (shown == 0) {
		set_colour(cr, MUTED, 1);
		text_font(cr, 9, 0);
		text_at(cr, LEFT, y + 28, ALIGN_LEFT, WIDTH, "No sessions logged yet ('trp log').");
		return h;
	}
	y += 26;
	text_font(cr, 7.5, 1);
	set_colour(cr, INK, 1);
	for (c = 0, x = LEFT; c < SESSION_COLUMNS; x += session_columns[c].width, c++)
		text_at(cr, session_columns[c].align == ALIGN_RIGHT ? x + session_columns[c].width : x, y + 9,
			session_columns[c].align, 0, session_columns[c].title);
	set_colour(cr, MUTED, 1);
	cairo_rectangle(cr, LEFT, y + 12, WIDTH, 0.6);
	cairo_fill(cr);
	y += 14;
	for (i = 0; i < shown; i++) {
		const trp_entry *e = &in->sessions[in->nsessions - 1 - i];
		const trp_muscle *m = in->atlas && e->muscle[0] ? trp_atlas_find(in->atlas, e->muscle) : NULL;
		char cell[SESSION_COLUMNS][160];

		when_words(e->at, e->tz, cell[0], sizeof cell[0]);
		snprintf(cell[1], sizeof cell[1], "%s", trp_treatment_label(e->treatment));
		if (!e->muscle[0])
			snprintf(cell[2], sizeof cell[2], "-");
		else
			snprintf(cell[2], sizeof cell[2], "%s%s", m ? trp_muscle_name(m) : e->muscle,
				 e->side == TRP_LEFT ? ", left" : e->side == TRP_RIGHT ? ", right" : "");
		snprintf(cell[3], sizeof cell[3], e->minutes >= 0 ? "%d" : "-", e->minutes);
		snprintf(cell[4], sizeof cell[4], "%d", e->before);
		snprintf(cell[5], sizeof cell[5], "%d", e->after);
		snprintf(cell[6], sizeof cell[6], e->after != e->before ? "%+d" : "%d", e->after - e->before);
		snprintf(cell[7], sizeof cell[7], e->later >= 0 ? "%d" : "-", e->later);
		if (i % 2 == 0) {
			set_colour(cr, STRIPE, 1);
			cairo_rectangle(cr, LEFT, y + i * SESSION_ROW, WIDTH, SESSION_ROW);
			cairo_fill(cr);
		}
		text_font(cr, 7.5, 0);
		for (c = 0, x = LEFT; c < SESSION_COLUMNS; x += session_columns[c].width, c++) {
			set_colour(cr, c == 6 && e->after < e->before ? OK : INK, 1);
			text_at(cr, session_columns[c].align == ALIGN_RIGHT ? x + session_columns[c].width : x,
				y + i * SESSION_ROW + 9, session_columns[c].align, session_columns[c].width - 6, cell[c]);
		}
	}
	return h;
}

static double section_screening(struct doc *d, double y, int draw)
{
	static const char *const outcome_words[] = {
		"clear: self-care as usual", "self-care with precautions", "see a doctor first",
		"EMERGENCY: call for help now",
	};
	static const unsigned outcome_colours[] = { OK, WARN, WARN, DANGER };
	const trp_answers *answers = d->data->in->answers;
	trp_flag flags[TRP_SCREEN_FLAGS_MAX];
	cairo_t *cr = d->cr;
	double h = 26;
	size_t n, i;
	trp_outcome outcome;
	char line[512];

	if (!answers) {
		if (draw) {
			heading(cr, y, "Safety screening", NULL);
			set_colour(cr, MUTED, 1);
			text_font(cr, 8.5, 0);
			text_at(cr, LEFT, y + 28, ALIGN_LEFT, WIDTH, "Not given with this report ('trp screen "
				"--save FILE', then 'trp report --screen FILE').");
		}
		return 34;
	}
	outcome = trp_screen_outcome(answers);
	n = trp_screen_flags(answers, flags, TRP_SCREEN_FLAGS_MAX);
	if (n > TRP_SCREEN_FLAGS_MAX)
		n = TRP_SCREEN_FLAGS_MAX;
	text_font(cr, 8, 0);
	h = 16 + 14;
	for (i = 0; i < n && i < FLAGS_SHOWN; i++) {
		snprintf(line, sizeof line, "%s", flags[i].message);
		h += 10 * text_wrap(cr, LEFT + 10, 0, WIDTH - 10, 10, 2, line, 0) + 2;
	}
	if (n > FLAGS_SHOWN)
		h += 12;
	h += 4 + 10 * text_wrap(cr, LEFT, 0, WIDTH, 10, 3, trp_screen_advice(outcome), 0);
	if (!draw)
		return h;
	heading(cr, y, "Safety screening", NULL);
	y += 16;
	snprintf(line, sizeof line, "Outcome: %s", outcome_words[outcome]);
	set_colour(cr, outcome_colours[outcome], 1);
	text_font(cr, 9.5, 1);
	text_at(cr, LEFT, y + 10, ALIGN_LEFT, WIDTH, line);
	y += 14;
	for (i = 0; i < n && i < FLAGS_SHOWN; i++) {
		snprintf(line, sizeof line, "%s", flags[i].message);
		set_colour(cr, outcome_colours[flags[i].outcome], 1);
		text_font(cr, 8, 1);
		text_at(cr, LEFT + 1, y + 8, ALIGN_LEFT, 0, "!");
		set_colour(cr, INK, 1);
		text_font(cr, 8, 0);
		y += 10 * text_wrap(cr, LEFT + 10, y + 8, WIDTH - 10, 10, 2, line, 1) + 2;
	}
	if (n > FLAGS_SHOWN) {
		snprintf(line, sizeof line, "and %zu more (the screening on the diary page lists them all)",
			 n - FLAGS_SHOWN);
		set_colour(cr, MUTED, 1);
		text_at(cr, LEFT + 10, y + 8, ALIGN_LEFT, WIDTH - 10, line);
		y += 12;
	}
	set_colour(cr, INK, 1);
	text_font(cr, 8, 0);
	text_wrap(cr, LEFT, y + 12, WIDTH, 10, 3, trp_screen_advice(outcome), 1);
	return h;
}

/* Runs the layout: on a scratch context to count pages (canvas NULL), or on the canvas. */
static int layout(cairo_t *cr, struct canvas *canvas, const struct report_data *data, int pages)
{
	struct doc d = { cr, canvas, data, TOP, 1, pages };

	place(&d, section_header);
	place(&d, section_screening);   /* what needs a doctor first */
	place(&d, section_maps);
	place(&d, section_trend);
	place(&d, section_effects);
	place(&d, section_course);
	place(&d, section_sessions);
	footer(&d);
	return d.page;
}

/* Gathers the report's figures; TRP_ENOMEM. */
static trp_err gather(const trp_report_picture *in, struct report_data *r)
{
	json_t *techs, *t;
	char *text;
	trp_err err;
	size_t i;

	memset(r, 0, sizeof *r);
	r->in = in;
	trp_day_format(in->today, r->today, sizeof r->today);
	text = trp_report_json(in->report, in->today, 0);
	if (!text)
		return TRP_ENOMEM;
	r->json = json_loads(text, 0, NULL);
	free(text);
	if (!r->json)
		return TRP_ENOMEM;
	err = trp_report_days(in->report, &r->days, &r->ndays);
	if (err)
		return err;
	techs = json_object_get(r->json, "techniques");
	json_array_foreach(techs, i, t) {
		struct effect_row *row = &r->rows[r->nrows];
		int tr = trp_treatment_parse(str(t, "technique"));

		if (tr < 0 || r->nrows == TRP_TREATMENT_COUNT)
			continue;
		row->treatment = tr;
		err = trp_report_median_change(in->report, (trp_treatment)tr, &row->sessions, &row->median,
					       &row->low, &row->high);
		if (err)
			return err;
		row->share = real(t, "meaningful_share");
		row->verdict = str(t, "verdict");
		r->sessions += row->sessions;
		r->nrows++;
	}
	return TRP_OK;
}

trp_err trp_render_report(const trp_report_picture *in, trp_image_format format,
			  unsigned char **data, size_t *size, int *pages, char *msg, size_t msgsize)
{
	struct report_data r;
	struct canvas c;
	cairo_t *scratch = NULL;
	char title[64];
	trp_err err;
	int n;

	*data = NULL;
	*size = 0;
	if (pages)
		*pages = 0;
	if (!in || !in->report || (in->nsessions && !in->sessions)) {
		trp__msg(msg, msgsize, "no report to draw");
		return TRP_EINVAL;
	}
	if (!trp_image_format_name(format)) {
		trp__msg(msg, msgsize, "unknown picture format %d (expected png, pdf or svg)", (int)format);
		return TRP_EINVAL;
	}
	err = gather(in, &r);
	if (err) {
		trp__msg(msg, msgsize, "out of memory");
		goto done;
	}
	scratch = canvas_measure();
	if (!scratch) {
		err = TRP_ENOMEM;
		trp__msg(msg, msgsize, "out of memory");
		goto done;
	}
	n = layout(scratch, NULL, &r, 0);
	snprintf(title, sizeof title, "trp report, %s", r.today);
	err = canvas_open(&c, format, PAGE_W, PAGE_H, n, TRP_REPORT_PNG_SCALE, title, r.today, msg, msgsize);
	if (err)
		goto done;
	layout(c.cr, &c, &r, n);
	err = canvas_close(&c, data, size, msg, msgsize);
	if (!err && pages)
		*pages = n;
done:
	if (scratch)
		cairo_destroy(scratch);
	json_decref(r.json);
	return err;
}
