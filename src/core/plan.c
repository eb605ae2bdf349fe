/*
 * plan.c: the release plan (docs/release.md). For each muscle it lays out the steps of a
 * session: moist heat first, then pressure on each trigger point (or a ball against the
 * wall or the floor), then the foam roller, then the stretch, each with a dose a person
 * can follow. It caps the trigger points of one session and rotates the rest across
 * days, applies the atlas's site cautions and the screening precautions (dropping or
 * softening techniques, with the reason), lists what a professional may offer, and
 * refuses when the screening found an emergency or a reason to see a doctor first.
 *
 * The instructions come from the atlas's self-care, location and palpation texts; the
 * planner adds doses and cautions, never a needling or injection instruction.
 */
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "atlas_impl.h"
#include "plan_impl.h"
#include "screen_impl.h"

#define TEXT_MAX 8192     /* one composed instruction */
#define CAUTIONS_MAX 32   /* cautions on one step */
#define POINTS_MAX 64     /* trigger points of one muscle the planner considers */

/* ---------------------------------------------------------------- doses */

/* The doses: normal, and softened to light pressure by a precaution (where a technique
 * can be kept light at all). docs/release.md gives the sources. */
static const trp_dose doses[TRP_TECHNIQUE_COUNT][2] = {
	[TRP_PRESSURE] = {
		{ 5, 7, 30, 90, 3, 5, 15, 0,
		  "Press until it is uncomfortable but easy to bear, about 5-7 of 10. Hold 30-90 "
		  "seconds, or until the tenderness eases; when it eases, press a little deeper, back "
		  "to 5-7. Let go for about 15 seconds and repeat: 3-5 rounds. Stop at once if it "
		  "turns sharp, burning, tingling or numb." },
		{ 2, 3, 30, 60, 2, 3, 15, 1,
		  "Light pressure only: about 2-3 of 10, a firm touch that never hurts and never "
		  "leaves a bruise. Hold 30-60 seconds, let go for about 15 seconds and repeat: 2-3 "
		  "rounds. Stop if it hurts." },
	},
	[TRP_BALL_WALL] = {
		{ 5, 7, 30, 90, 3, 5, 15, 0,
		  "Lean into the ball until it is uncomfortable but easy to bear, about 5-7 of 10; "
		  "stand more upright to ease off. Hold 30-90 seconds, or until the tenderness eases. "
		  "Step away for about 15 seconds and repeat: 3-5 rounds. Stop at once if it turns "
		  "sharp, burning, tingling or numb." },
		{ 2, 3, 30, 60, 2, 3, 15, 1,
		  "Lean only lightly: about 2-3 of 10, never enough to hurt or bruise. Hold 30-60 "
		  "seconds, step away for about 15 seconds and repeat: 2-3 rounds." },
	},
	[TRP_BALL_FLOOR] = {
		{ 5, 7, 30, 90, 3, 5, 15, 0,
		  "Lower your weight onto the ball slowly, propping on your hands, forearms or feet "
		  "to keep it at about 5-7 of 10. Hold 30-90 seconds, or until the tenderness eases. "
		  "Roll off for about 15 seconds and repeat: 3-5 rounds. Stop at once if it turns "
		  "sharp, burning, tingling or numb." },
		{ 0, 0, 0, 0, 0, 0, 0, 1, NULL },   /* body weight cannot be kept light */
	},
	[TRP_FOAM_ROLLER] = {
		{ 4, 6, 30, 60, 2, 3, 15, 0,
		  "Roll slowly, about 2-3 cm a second, along the length of the muscle for 30-60 "
		  "seconds, pausing 20-30 seconds on a tender spot; keep it at about 4-6 of 10 by "
		  "taking weight on your hands or the other leg. Rest about 15 seconds: 2-3 rounds." },
		{ 0, 0, 0, 0, 0, 0, 0, 1, NULL },
	},
	[TRP_STRETCH] = {
		{ 0, 0, 30, 30, 3, 3, 10, 0,
		  "Move into the stretch slowly until you feel a gentle pull, never pain. Hold 30 "
		  "seconds, breathing out slowly, relax for about 10 seconds: 3 times. Stretches may "
		  "be repeated up to 3 times a day." },
		{ 0, 0, 30, 30, 3, 3, 10, 0, NULL },
	},
	[TRP_HEAT] = {
		{ 0, 0, 900, 1200, 1, 1, 0, 0,
		  "Moist heat (a warm, damp towel or a moist heat pack), warm but never hot, with a "
		  "cloth between the pack and the skin: 15-20 minutes, just before pressure and "
		  "stretching. Look at the skin every 5 minutes and stop if it turns blotchy red." },
		{ 0, 0, 900, 1200, 1, 1, 0, 0, NULL },
	},
};

/* Heat on the face: short and never over the eyes unless the muscle's own self-care puts
 * it there ([1]: it does). Our convention, from the atlas entries of the face muscles
 * ("a few minutes", "several minutes"); docs/release.md. */
static const trp_dose face_heat[2] = {
	{ 0, 0, 180, 300, 1, 1, 0, 0,
	  "Warm, never hot, and short on the face: 3 to 5 minutes at most. Keep it off the eyes, "
	  "and take it away at once if the skin turns red or it feels hot." },
	{ 0, 0, 180, 300, 1, 1, 0, 0,
	  "Warm, never hot, and short on the face: 3 to 5 minutes at most, over closed eyes only "
	  "as the self-care says and never pressing on them. Take it away at once if the skin "
	  "turns red, it feels hot or the eyes sting." },
};

/* The regions of the face, where heat follows face_heat. */
static const char *const face_regions[] = {
	"forehead", "temple", "eye", "cheek", "jaw", "upper_teeth", "lower_teeth", "ear", NULL
};

/* Technique names in sentences. */
static const char *const technique_words[TRP_TECHNIQUE_COUNT] = {
	"finger or thumb pressure", "a ball against a wall", "a ball on the floor",
	"a foam roller", "stretching", "moist heat"
};

static const char *const professional_words[TRP_PROFESSIONAL_COUNT] = {
	"dry needling", "injection", "manual therapy", "spray and stretch"
};

static const char general_professional[] =
	"See a physiotherapist, doctor or other trained clinician if the pain is no better after "
	"2 weeks of this plan, keeps coming back, or stops you working or sleeping. They can "
	"confirm the trigger points and treat them by hand; dry needling and injections are "
	"done only by trained clinicians, never at home.";

/* ---------------------------------------------------------------- the plan's storage */

trp_plan *trp__plan_alloc(const trp_atlas *atlas)
{
	trp_plan *p = calloc(1, sizeof *p);

	if (p)
		p->atlas = atlas;
	return p;
}

int trp__plan_grow(void **items, size_t *cap, size_t n, size_t size)
{
	size_t want;
	void *grown;

	if (n < *cap)
		return 0;
	want = *cap ? *cap * 2 : 16;
	grown = realloc(*items, want * size);
	if (!grown)
		return -1;
	*items = grown;
	*cap = want;
	return 0;
}

void trp_plan_free(trp_plan *plan)
{
	if (!plan)
		return;
	free(plan->steps);
	free(plan->drops);
	free(plan->pro);
	free(plan->flags);
	trp__arena_free(plan->arena);
	free(plan);
}

/* A formatted string in the plan's arena; NULL when out of memory. */
static char *text(trp_plan *p, const char *fmt, ...) __attribute__((format(printf, 2, 3)));

static char *text(trp_plan *p, const char *fmt, ...)
{
	char buf[TEXT_MAX];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(buf, sizeof buf, fmt, ap);
	va_end(ap);
	return trp__arena_strdup(&p->arena, buf);
}

static trp_err add_flag(trp_plan *p, const char *code, const char *message)
{
	trp_caution_note *f;

	if (trp__plan_grow((void **)&p->flags, &p->capflags, p->nflags, sizeof *p->flags))
		return TRP_ENOMEM;
	f = &p->flags[p->nflags];
	f->code = trp__arena_strdup(&p->arena, code);
	f->message = trp__arena_strdup(&p->arena, message);
	if (!f->code || !f->message)
		return TRP_ENOMEM;
	p->nflags++;
	return TRP_OK;
}

static trp_err add_pro(trp_plan *p, const char *s)
{
	if (!s || trp__plan_grow((void **)&p->pro, &p->cappro, p->npro, sizeof *p->pro))
		return TRP_ENOMEM;
	p->pro[p->npro++] = s;
	return TRP_OK;
}

/* Records a technique left out; the same muscle, side, technique and point once. */
static trp_err add_drop(trp_plan *p, const trp_target *t, trp_technique tech, const char *point,
			const char *reason)
{
	size_t i;

	for (i = 0; i < p->ndrops; i++) {
		const trp_plan_drop *d = &p->drops[i];

		if (d->muscle == t->muscle && d->side == t->side && d->technique == tech &&
		    (d->point == point || (d->point && point && strcmp(d->point, point) == 0)))
			return TRP_OK;
	}
	if (!reason || trp__plan_grow((void **)&p->drops, &p->capdrops, p->ndrops, sizeof *p->drops))
		return TRP_ENOMEM;
	p->drops[p->ndrops].muscle = t->muscle;
	p->drops[p->ndrops].side = t->side;
	p->drops[p->ndrops].technique = tech;
	p->drops[p->ndrops].point = point;
	p->drops[p->ndrops].reason = reason;
	p->ndrops++;
	return TRP_OK;
}

/* ---------------------------------------------------------------- precautions */

/* The precautions answered "yes". */
struct effects {
	const struct trp__screen_item *yes[TRP_SCREEN_MAX];
	size_t n;
	const struct trp__screen_item *light;     /* the first with max_pressure light */
	const struct trp__screen_item *no_heat;   /* the first with no_heat */
};

static void effects_of(const trp_answers *answers, struct effects *fx)
{
	size_t i;

	memset(fx, 0, sizeof *fx);
	for (i = 0; answers && i < trp__screen_n && i < TRP_SCREEN_MAX; i++) {
		const struct trp__screen_item *it = &trp__screen_items[i];

		if (!answers->yes[i] || it->q.group != TRP_GROUP_PRECAUTION)
			continue;
		fx->yes[fx->n++] = it;
		if (it->light_pressure && !fx->light)
			fx->light = it;
		if (it->no_heat && !fx->no_heat)
			fx->no_heat = it;
	}
}

static int in_list(const int *list, size_t n, int region)
{
	size_t i;

	for (i = 0; i < n; i++)
		if (list[i] == region)
			return 1;
	return 0;
}

/* The precaution that keeps pressure light at a point in `region`, or NULL. */
static const struct trp__screen_item *light_at(const struct effects *fx, int region)
{
	size_t i;

	if (fx->light)
		return fx->light;
	for (i = 0; i < fx->n; i++)
		if (in_list(fx->yes[i]->light_regions, fx->yes[i]->nlight, region))
			return fx->yes[i];
	return NULL;
}

/* The precaution that rules out pressure and heat at a point in `region`, or NULL. */
static const struct trp__screen_item *avoid_at(const struct effects *fx, int region)
{
	size_t i;

	for (i = 0; i < fx->n; i++)
		if (in_list(fx->yes[i]->avoid_regions, fx->yes[i]->navoid, region))
			return fx->yes[i];
	return NULL;
}

/* A region's name as words: "low back" for low_back. */
static const char *words(int region, char *buf, size_t size)
{
	size_t i;

	snprintf(buf, size, "%s", trp_region_name(region));
	for (i = 0; buf[i]; i++)
		if (buf[i] == '_')
			buf[i] = ' ';
	return buf;
}

/* "<what> (you answered yes to 'code')", what from fmt; NULL when out of memory. The
 * plan's flags carry the question's message. */
static char *because(trp_plan *p, const struct trp__screen_item *it, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));

static char *because(trp_plan *p, const struct trp__screen_item *it, const char *fmt, ...)
{
	char what[512];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(what, sizeof what, fmt, ap);
	va_end(ap);
	return text(p, "%s (you answered yes to '%s')", what, it->q.code);
}

/* ---------------------------------------------------------------- one muscle */

/* What the planner decided for one target before the steps are laid out. */
struct point {
	size_t target;
	size_t tp;                     /* index of the trigger point in the muscle */
	trp_technique technique;
	const struct trp__screen_item *light;   /* softened by this precaution, or NULL */
	unsigned others;               /* other pressing techniques allowed at this point */
	int day;
};

struct decision {
	int heat, roller, stretch;     /* allowed */
	const trp_dose *heat_dose;     /* face_heat for a muscle of the face, else NULL */
	const char *how[TRP_TECHNIQUE_COUNT];
	size_t first, npoints;         /* its points: pts[first .. first + npoints - 1] */
};

/* Whether text names the eye or the eyes as a word ("eyebrow" does not count). */
static int names_eyes(const char *text)
{
	const char *at;

	for (at = text; (at = strstr(at, "eye")) != NULL; at += 3) {
		char next = at[3] == 's' ? at[4] : at[3];

		if (!(next >= 'a' && next <= 'z') && (at == text || at[-1] < 'a' || at[-1] > 'z'))
			return 1;
	}
	return 0;
}

/* Decides, for target t, which muscle-level techniques stay and which pressing technique
 * each trigger point gets; appends the points to pts and records what is left out. */
static trp_err decide(trp_plan *p, const trp_target *t, size_t ti, const struct effects *fx,
		      struct decision *d, struct point *pts, size_t *npts)
{
	const trp_self_care *care;
	const trp_trigger_point *tps;
	size_t nc = trp_muscle_self_care(t->muscle, &care), ntp, i, k;
	const struct trp__screen_item *avoided = NULL, *lightened = NULL;
	int avoided_region = -1, lightened_region = -1;
	char w1[64];
	trp_err err;

	memset(d, 0, sizeof *d);
	ntp = trp_muscle_trigger_points(t->muscle, &tps);
	if (ntp > POINTS_MAX)
		ntp = POINTS_MAX;
	for (i = 0; i < nc; i++)
		d->how[care[i].technique] = care[i].how;
	for (k = 0; k < ntp; k++)
		if (d->how[TRP_HEAT] && trp__word_index(face_regions, trp_region_name(tps[k].region)) >= 0)
			d->heat_dose = &face_heat[names_eyes(d->how[TRP_HEAT])];
	for (k = 0; k < ntp; k++) {
		if (!avoided && (avoided = avoid_at(fx, tps[k].region)))
			avoided_region = tps[k].region;
		if (!lightened && !fx->light && (lightened = light_at(fx, tps[k].region)))
			lightened_region = tps[k].region;
	}

	err = TRP_OK;
	if (d->how[TRP_HEAT] && fx->no_heat)
		err = add_drop(p, t, TRP_HEAT, NULL, because(p, fx->no_heat, "No heat"));
	else if (d->how[TRP_HEAT] && avoided)
		err = add_drop(p, t, TRP_HEAT, NULL, because(p, avoided, "No heat over the %s",
			       words(avoided_region, w1, sizeof w1)));
	else
		d->heat = d->how[TRP_HEAT] != NULL;
	if (err)
		return err;
	if (d->how[TRP_FOAM_ROLLER] && fx->light)
		err = add_drop(p, t, TRP_FOAM_ROLLER, NULL, because(p, fx->light, "Light pressure "
			       "only, and body weight on a roller cannot be kept light"));
	else if (d->how[TRP_FOAM_ROLLER] && avoided)
		err = add_drop(p, t, TRP_FOAM_ROLLER, NULL, because(p, avoided, "No rolling over the %s",
			       words(avoided_region, w1, sizeof w1)));
	else if (d->how[TRP_FOAM_ROLLER] && lightened)
		err = add_drop(p, t, TRP_FOAM_ROLLER, NULL, because(p, lightened, "Light pressure "
			       "only over the %s, and body weight on a roller cannot be kept light",
			       words(lightened_region, w1, sizeof w1)));
	else
		d->roller = d->how[TRP_FOAM_ROLLER] != NULL;
	if (err)
		return err;
	d->stretch = d->how[TRP_STRETCH] != NULL;
	if (d->how[TRP_BALL_FLOOR] && fx->light &&
	    (err = add_drop(p, t, TRP_BALL_FLOOR, NULL, because(p, fx->light, "Light pressure only, "
			    "and body weight on a ball on the floor cannot be kept light"))))
		return err;

	d->first = *npts;
	for (k = 0; k < ntp; k++) {
		const struct trp__screen_item *avoid = avoid_at(fx, tps[k].region);
		const struct trp__screen_item *light = light_at(fx, tps[k].region);
		struct point pt = { ti, k, TRP_PRESSURE, light, 0, 0 };
		int chosen = 0;

		for (i = 0; i < nc; i++) {
			trp_technique tech = care[i].technique;

			if (!((1u << tech) & TRP__PRESSING) || tech == TRP_FOAM_ROLLER)
				continue;
			if (avoid) {
				err = add_drop(p, t, tech, tps[k].name, because(p, avoid, "No pressure "
					       "on the %s", words(tps[k].region, w1, sizeof w1)));
				if (err)
					return err;
				continue;
			}
			if (light && tech == TRP_BALL_FLOOR) {
				if (light != fx->light &&
				    (err = add_drop(p, t, tech, tps[k].name, because(p, light, "Light "
					"pressure only on the %s, and body weight on a ball cannot be kept "
					"light", words(tps[k].region, w1, sizeof w1)))))
					return err;
				continue;
			}
			if (!chosen) {
				pt.technique = tech;
				chosen = 1;
			} else {
				pt.others |= 1u << tech;
			}
		}
		if (chosen) {
			pts[(*npts)++] = pt;
			d->npoints++;
		}
	}
	return TRP_OK;
}

/* ---------------------------------------------------------------- steps */

/* The cautions of a step: the precautions first (every one that touches it: that keeps
 * its pressure light, or names its technique), then the atlas's site cautions for the
 * technique, then the muscle's general cautions. */
static trp_err step_cautions(trp_plan *p, trp_plan_step *s, const struct effects *fx)
{
	const char *list[CAUTIONS_MAX];
	const trp_caution *cautions;
	size_t n = 0, nc = trp_muscle_cautions(s->muscle, &cautions), i;
	const char **copy;
	int pass, pressing = s->point && ((1u << s->technique) & TRP__PRESSING);

	for (i = 0; i < fx->n && n < CAUTIONS_MAX; i++) {
		const struct trp__screen_item *it = fx->yes[i];

		if (pressing && (it->light_pressure || in_list(it->light_regions, it->nlight, s->point_region)))
			list[n++] = text(p, "Light pressure only ('%s'): %s", it->q.code, it->q.message);
		else if (it->caution_techniques & (1u << s->technique))
			list[n++] = text(p, "'%s': %s", it->q.code, it->q.message);
	}
	for (pass = 0; pass < 2; pass++)
		for (i = 0; i < nc && n < CAUTIONS_MAX; i++)
			if (pass == 0 ? (cautions[i].techniques & (1u << s->technique)) != 0
				      : cautions[i].techniques == 0)
				list[n++] = cautions[i].text;
	for (i = 0; i < n; i++)
		if (!list[i])
			return TRP_ENOMEM;
	copy = n ? trp__arena_alloc(&p->arena, n * sizeof *copy) : NULL;
	if (n && !copy)
		return TRP_ENOMEM;
	if (n)
		memcpy(copy, list, n * sizeof *copy);
	s->cautions = copy;
	s->ncautions = n;
	return TRP_OK;
}

static trp_err add_step(trp_plan *p, const trp_target *t, trp_technique tech, int day,
			const struct point *pt, const char *instructions, const struct effects *fx,
			const trp_dose *dose)
{
	trp_plan_step *s;
	const trp_trigger_point *tps;
	int cap = tech == TRP_HEAT ? TRP_HEAT_MAX_SECONDS : TRP_HOLD_MAX_SECONDS;

	if (!instructions || trp__plan_grow((void **)&p->steps, &p->capsteps, p->nsteps, sizeof *p->steps))
		return TRP_ENOMEM;
	s = &p->steps[p->nsteps];
	memset(s, 0, sizeof *s);
	s->muscle = t->muscle;
	s->side = t->side;
	s->technique = tech;
	s->day = day;
	s->point_region = -1;
	s->instructions = instructions;
	s->dose = dose ? *dose : doses[tech][pt && pt->light ? 1 : 0];
	/* no timer runs longer than the caps, whatever the table says */
	if (s->dose.hold_max > cap)
		s->dose.hold_max = cap;
	if (s->dose.hold_min > s->dose.hold_max)
		s->dose.hold_min = s->dose.hold_max;
	if (pt) {
		trp_muscle_trigger_points(t->muscle, &tps);
		s->point = tps[pt->tp].name;
		s->point_region = tps[pt->tp].region;
	}
	if (step_cautions(p, s, fx))
		return TRP_ENOMEM;
	p->nsteps++;
	return TRP_OK;
}

/* "Where ... Find it: ... Release: ... Other ways: ..." for a pressing step. */
static char *point_instructions(trp_plan *p, const trp_target *t, const struct point *pt,
				const struct decision *d)
{
	const trp_trigger_point *tps;
	char others[512];
	size_t used = 0;
	unsigned k;

	trp_muscle_trigger_points(t->muscle, &tps);
	others[0] = '\0';
	for (k = 0; k < TRP_TECHNIQUE_COUNT; k++)
		if (pt->others & (1u << k)) {
			int w = snprintf(others + used, sizeof others - used, "%s%s",
					 used ? " or " : " Other ways: ", technique_words[k]);

			if (w > 0 && (size_t)w < sizeof others - used)
				used += (size_t)w;
		}
	if (used)
		snprintf(others + used, sizeof others - used, " ('trp muscle %s' shows how).",
			 trp_muscle_id(t->muscle));
	return text(p, "%s (%s): %s Find it: %s Release it with %s: %s%s", tps[pt->tp].name,
		    trp_region_name(tps[pt->tp].region), tps[pt->tp].location,
		    tps[pt->tp].palpation, technique_words[pt->technique], d->how[pt->technique],
		    others);
}

/* Lays out day by day: for each muscle that has points that day (or none at all), heat,
 * its points of the day, the roller, the stretch; a muscle whose points all rest that day
 * gets its stretch alone. */
static trp_err lay_out(trp_plan *p, const trp_target *targets, size_t n,
		       const struct decision *dec, const struct point *pts, const struct effects *fx)
{
	int day;
	size_t ti, k;
	trp_err err;

	for (day = 1; day <= p->days; day++)
		for (ti = 0; ti < n; ti++) {
			const trp_target *t = &targets[ti];
			const struct decision *d = &dec[ti];
			const struct point *mine = pts + d->first;
			size_t today = 0;

			for (k = 0; k < d->npoints; k++)
				today += mine[k].day == day;
			if (d->npoints && !today) {
				/* its points rest today; the stretch does not */
				if (d->stretch && (err = add_step(p, t, TRP_STRETCH, day, NULL,
								  d->how[TRP_STRETCH], fx, NULL)))
					return err;
				continue;
			}
			if (d->heat && (err = add_step(p, t, TRP_HEAT, day, NULL, d->how[TRP_HEAT], fx,
						       d->heat_dose)))
				return err;
			for (k = 0; k < d->npoints; k++)
				if (mine[k].day == day &&
				    (err = add_step(p, t, mine[k].technique, day, &mine[k],
						    point_instructions(p, t, &mine[k], d), fx, NULL)))
					return err;
			if (d->roller && (err = add_step(p, t, TRP_FOAM_ROLLER, day, NULL,
							 d->how[TRP_FOAM_ROLLER], fx, NULL)))
				return err;
			if (d->stretch && (err = add_step(p, t, TRP_STRETCH, day, NULL,
							  d->how[TRP_STRETCH], fx, NULL)))
				return err;
		}
	return TRP_OK;
}

/* Spreads the points over days, at most `cap` a day: every muscle's first point before
 * any muscle's second, so each day covers as many muscles as it can. */
static int schedule(struct point *pts, size_t npts, size_t cap)
{
	size_t order = 0, round, k;

	for (round = 0; order < npts; round++)
		for (k = 0; k < npts; k++)
			if (pts[k].tp == round)
				pts[k].day = (int)(order++ / cap) + 1;
	return npts ? (int)((npts + cap - 1) / cap) : 0;
}

static trp_err professional(trp_plan *p, const trp_target *targets, size_t n)
{
	size_t ti, j, k;
	trp_err err;

	if ((err = add_pro(p, trp__arena_strdup(&p->arena, general_professional))))
		return err;
	for (ti = 0; ti < n; ti++) {
		const trp_professional *pro;
		size_t np = trp_muscle_professional(targets[ti].muscle, &pro);
		int seen = 0;

		for (j = 0; j < ti; j++)
			seen |= targets[j].muscle == targets[ti].muscle;
		for (k = 0; !seen && k < np; k++)
			if ((err = add_pro(p, text(p, "%s, %s: %s", trp_muscle_name(targets[ti].muscle),
						    professional_words[pro[k].option], pro[k].note))))
				return err;
	}
	return TRP_OK;
}

static char *frequency(trp_plan *p, size_t npts, size_t cap)
{
	char rotation[512] = "";

	if (p->days > 1)
		snprintf(rotation, sizeof rotation, "%zu trigger points, at most %zu a session: the "
			 "plan rotates over %d days (day 1, day 2 and so on, then day 1 again), so "
			 "each point rests between treatments and soreness does not build up. ",
			 npts, cap, p->days);
	return text(p, "%sOnce a day for 2 weeks, then judge the result: compare the pain (0-10) "
		    "and what you can do with how it was on the first day. Treat each trigger point "
		    "at most once a day, and give a point that is still sore the next day a day "
		    "off. If it is no better after 2 weeks, check the technique and what keeps the "
		    "points going ('trp muscle ID'); if it is no better after 4-6 weeks of "
		    "self-care, see a doctor or physiotherapist.", rotation);
}

/* ---------------------------------------------------------------- the plan */

static trp_err refuse(trp_plan *p, trp_outcome outcome, const trp_answers *answers)
{
	trp_flag flags[TRP_SCREEN_FLAGS_MAX];
	size_t n = trp_screen_flags(answers, flags, TRP_SCREEN_FLAGS_MAX), i, used = 0;
	char codes[1024];

	codes[0] = '\0';
	for (i = 0; i < n && i < TRP_SCREEN_FLAGS_MAX && used < sizeof codes; i++) {
		int w;

		if (flags[i].outcome != outcome)
			continue;
		w = snprintf(codes + used, sizeof codes - used, "%s%s", used ? ", " : "", flags[i].code);
		if (w < 0)
			break;
		used += (size_t)w;
	}
	p->refused = 1;
	p->reason = outcome == TRP_OUTCOME_EMERGENCY
		? text(p, "No self-treatment: the screening found an emergency sign (%s). %s", codes,
		       trp_screen_advice(outcome))
		: text(p, "No self-treatment yet: the screening found a reason to see a doctor first "
		       "(%s). %s Once a doctor has seen you and agrees to self-care, answer the "
		       "screening again and make a new plan.", codes, trp_screen_advice(outcome));
	p->frequency = trp__arena_strdup(&p->arena, "None until a doctor has seen you.");
	return p->reason && p->frequency ? TRP_OK : TRP_ENOMEM;
}

trp_err trp_plan_new(const trp_atlas *atlas, const trp_target *targets, size_t n,
		     const trp_plan_options *options, trp_plan **out, char *msg, size_t msgsize)
{
	static const trp_plan_options defaults = { 0, NULL, NULL, 0 };
	const trp_plan_options *o = options ? options : &defaults;
	trp_target uniq[TRP_PLAN_TARGETS_MAX];
	struct decision *dec = NULL;
	struct point *pts = NULL;
	trp_flag flags[TRP_SCREEN_FLAGS_MAX];
	struct effects fx;
	trp_plan *p = NULL;
	trp_outcome outcome = TRP_OUTCOME_CLEAR;
	size_t cap = o->points_per_session ? o->points_per_session : TRP_PLAN_POINTS_DEFAULT;
	size_t nu = 0, npts = 0, nflags, i, j;
	trp_err err = TRP_OK;

	if (out)
		*out = NULL;
	if (!atlas || !out || !targets || n == 0) {
		trp__msg(msg, msgsize, "no muscles given (expected at least one muscle of the atlas)");
		return TRP_EINVAL;
	}
	if (n > TRP_PLAN_TARGETS_MAX) {
		trp__msg(msg, msgsize, "%zu muscles given (a plan takes at most %d)", n, TRP_PLAN_TARGETS_MAX);
		return TRP_EINVAL;
	}
	if (o->points_per_session > TRP_PLAN_POINTS_MAX) {
		trp__msg(msg, msgsize, "%zu points a session (expected 1 to %d)", o->points_per_session,
			 TRP_PLAN_POINTS_MAX);
		return TRP_EINVAL;
	}
	for (i = 0; i < o->nnotes; i++)
		if (!o->notes || !o->notes[i].code || !o->notes[i].message) {
			trp__msg(msg, msgsize, "note %zu has no code or message", i);
			return TRP_EINVAL;
		}
	for (i = 0; i < n; i++) {
		int dup = 0;

		if (!targets[i].muscle || targets[i].side < TRP_SIDE_ANY || targets[i].side > TRP_RIGHT) {
			trp__msg(msg, msgsize, "target %zu: %s", i, targets[i].muscle ? "side out of range"
				 : "no muscle");
			return TRP_EINVAL;
		}
		for (j = 0; j < nu; j++)
			dup |= uniq[j].muscle == targets[i].muscle && uniq[j].side == targets[i].side;
		if (!dup)
			uniq[nu++] = targets[i];
	}
	p = trp__plan_alloc(atlas);
	if (!p) {
		err = TRP_ENOMEM;
		goto done;
	}
	if (o->answers) {
		outcome = trp_screen_outcome(o->answers);
		nflags = trp_screen_flags(o->answers, flags, TRP_SCREEN_FLAGS_MAX);
		for (i = 0; i < nflags && i < TRP_SCREEN_FLAGS_MAX; i++)
			if ((err = add_flag(p, flags[i].code, flags[i].message)))
				goto done;
	}
	for (i = 0; i < o->nnotes; i++)
		if ((err = add_flag(p, o->notes[i].code, o->notes[i].message)))
			goto done;
	if (outcome >= TRP_OUTCOME_SEE_DOCTOR) {
		err = refuse(p, outcome, o->answers);
		goto done;
	}

	effects_of(o->answers, &fx);
	dec = calloc(nu, sizeof *dec);
	pts = calloc(nu * POINTS_MAX, sizeof *pts);
	if (!dec || !pts) {
		err = TRP_ENOMEM;
		goto done;
	}
	for (i = 0; i < nu; i++)
		if ((err = decide(p, &uniq[i], i, &fx, &dec[i], pts, &npts)))
			goto done;
	p->days = schedule(pts, npts, cap);
	for (i = 0; i < nu && p->days == 0; i++)
		if (dec[i].heat || dec[i].roller || dec[i].stretch)
			p->days = 1;
	if ((err = lay_out(p, uniq, nu, dec, pts, &fx)) ||
	    (err = professional(p, uniq, nu)))
		goto done;
	p->frequency = frequency(p, npts, cap);
	if (!p->frequency)
		err = TRP_ENOMEM;
done:
	free(dec);
	free(pts);
	if (err) {
		if (err == TRP_ENOMEM)
			trp__msg(msg, msgsize, "out of memory");
		trp_plan_free(p);
		return err;
	}
	*out = p;
	return TRP_OK;
}

/* ---------------------------------------------------------------- reading */

int trp_plan_refused(const trp_plan *plan, const char **reason)
{
	if (reason)
		*reason = plan->reason;
	return plan->refused;
}

size_t trp_plan_steps(const trp_plan *plan, const trp_plan_step **steps)
{
	*steps = plan->steps;
	return plan->nsteps;
}

int trp_plan_days(const trp_plan *plan)
{
	return plan->days;
}

const char *trp_plan_frequency(const trp_plan *plan)
{
	return plan->frequency;
}

size_t trp_plan_professional(const trp_plan *plan, const char *const **items)
{
	*items = plan->pro;
	return plan->npro;
}

size_t trp_plan_flags(const trp_plan *plan, const trp_caution_note **items)
{
	*items = plan->flags;
	return plan->nflags;
}

size_t trp_plan_dropped(const trp_plan *plan, const trp_plan_drop **items)
{
	*items = plan->drops;
	return plan->ndrops;
}

const char *trp_technique_words(trp_technique technique)
{
	return (unsigned)technique < TRP_TECHNIQUE_COUNT ? technique_words[technique] : NULL;
}

const char *trp_plan_side_code(int side)
{
	return side == TRP_LEFT || side == TRP_RIGHT ? trp_side_code((trp_side)side) : NULL;
}
