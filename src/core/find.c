/*
 * find.c: from a pain map to the muscles that may cause it (the model is docs/find.md).
 *
 * A candidate is a muscle on one side. The finder indexes, for each located region and
 * each symptom (on a side, or without one), the candidates whose referral zones (or
 * trigger points, or coded symptoms) reach it, so a query touches only the candidates
 * its items name. A query then
 *   1. scores every touched candidate: the share of the map (painful regions and
 *      symptoms) it accounts for, damped when the map lacks much of its essential
 *      pattern, and weighed a little by how common the muscle is as a source (its prior);
 *   2. finds the smallest set of candidates that covers every painful region and symptom
 *      (exact branch and bound over bit sets, ties broken by fit), and attributes each;
 *   3. raises cautions for maps that can signal something other than muscle.
 * No allocation happens per query: the result holds all of the working storage.
 */
#include <assert.h>
#include <ctype.h>
#include <math.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "atlas_impl.h"

/* The model's parameters (docs/find.md explains each). */
#define W_ESSENTIAL 1.0f     /* a painful region in an essential zone */
#define W_SPILLOVER 0.5f     /* in a spillover zone */
#define W_LOCAL 0.35f        /* where the trigger point itself lies */
#define PATTERN_FLOOR 0.6f   /* the score kept when none of the essential pattern is there */
#define ZERO_ESSENTIAL 0.7f  /* factor for each essential zone marked as painless (=0) */
#define ZERO_SPILLOVER 0.85f /* for each spillover zone marked as painless */
#define BOTH_FAR_SIDE 0.9f   /* a zone on both sides, on the side away from the muscle */
#define DEFAULT_INTENSITY 5  /* a region given without =N, and every symptom */
#define W_SYMPTOM 1.0f       /* a symptom the muscle gives, like an essential zone */
#define PRIOR_WEIGHT 0.15f   /* how much of the score the prior can move */
#define PRIOR_DEFAULT 0.25f  /* the prior of a muscle no study gives a figure for */

#define LOCATED (TRP_MAP_MAX)             /* located regions: region * 2 + side */
#define ITEMS (TRP_MAP_MAX + TRP_SYMPTOMS_MAX)   /* painful regions and symptoms of a map */
#define WORDS ((ITEMS + 63) / 64)         /* a bit set over the items of a map */
#define SYMPTOM_SLOTS (256 * 3)           /* symptom * 3 + left, right, without a side */
#define KEPT_MAX 64                       /* candidates the cover search considers */
#define RANK_POOL 16                      /* ranked at least, whatever `top` asks */
#define SEARCH_NODES 20000                /* cap on the cover search; then greedy stands */
#define CAUTION_MAX 12

struct bits {
	uint64_t w[WORDS];
};

/* One candidate reaching one located region. */
struct entry {
	uint16_t cand;       /* muscle index * 2 + side */
	uint8_t link;        /* trp_link */
	uint8_t zone;        /* index of the zone in the muscle's pattern (essential ones); for
			      * a symptom, the side it is explained on */
	float weight;
};

struct trp_finder {
	const trp_atlas *atlas;
	size_t ncand;
	uint32_t start[LOCATED + 1];   /* entries of located region L: start[L] .. start[L+1] */
	struct entry *entries;
	uint32_t sstart[SYMPTOM_SLOTS + 1];  /* the same for each symptom slot */
	struct entry *sentries;
	uint8_t *n_essential;          /* per muscle: zones of kind essential */
	float *prior;                  /* per muscle: the factor of its prior in the score */
	uint8_t group[LOCATED / 2];    /* per region: the caution groups (G_*) it belongs to */
	uint8_t symptom_caution[256];  /* per symptom: its caution (C_*) + 1, or 0 */
	char *heads;                   /* each candidate's compact JSON head (trp__find_heads) */
	uint32_t *head_at;
};

static void resolve_groups(uint8_t *group, uint8_t *symptom_caution);

/* A candidate's links to the items of the map: bit p of link[k] is set when the
 * candidate reaches painful region p by link kind k (trp_link); the symptoms are the
 * items after the painful regions, and a symptom given is an essential link. */
struct links {
	struct bits link[3];
};

/* A ranked candidate with what it accounts for. */
struct ranked {
	uint16_t cand;
	float score;
	struct links links;
};

struct trp_find_result {
	const trp_finder *finder;
	/* the query */
	trp_located map[TRP_MAP_MAX];
	float weight[TRP_MAP_MAX];
	size_t n;
	int painful[TRP_MAP_MAX];      /* map indices of the painful regions, in map order */
	int painful_of[TRP_MAP_MAX];   /* painful index of a map index, or -1 */
	size_t npainful;
	trp_located_symptom symptoms[TRP_SYMPTOMS_MAX];
	size_t nsymptoms;
	size_t nitems;                 /* npainful + nsymptoms */
	float item_weight[ITEMS];      /* intensity weight of each item */
	/* per candidate working storage, cleared sparsely after each query */
	float *cover;                  /* weighted pain accounted for */
	uint64_t *essential;           /* bit set of essential zones present */
	float *zero;                   /* product of the painless-zone factors */
	struct links *links;
	uint8_t *touched_flag;         /* 1 touched, 2 ranked */
	uint16_t *touched;
	float *touched_score;
	size_t ntouched;
	/* ranking: the best max(top, RANK_POOL), best first */
	struct ranked *ranked;
	trp_candidate *shown;          /* the same, in the public form */
	size_t top, nranked;
	/* explanation */
	trp_candidate members[KEPT_MAX];
	size_t nmembers;
	int8_t attributed[TRP_MAP_MAX];
	int8_t sym_attributed[TRP_SYMPTOMS_MAX];
	/* cautions */
	trp_caution_note cautions[CAUTION_MAX];
	size_t ncautions;
};

static unsigned located_index(int region, trp_side side)
{
	return (unsigned)region * 2u + (unsigned)side;
}

/* ---------------------------------------------------------------- the index */

/* Calls add(L, entry) for every located region a candidate reaches; a region reached
 * both by a zone and by a trigger point keeps the zone. */
static size_t candidate_entries(const struct trp_muscle *m, trp_side side, unsigned *where,
				struct entry *out)
{
	size_t n = 0, i, j;
	uint16_t cand = (uint16_t)(m->index * 2 + (size_t)side);

	for (i = 0; i < m->nzones; i++) {
		const trp_zone *z = &m->zones[i];
		trp_side sides[2];
		int ns = 0, k;

		if (z->side == TRP_SAME_SIDE || z->side == TRP_BOTH_SIDES)
			sides[ns++] = side;
		if (z->side == TRP_OPPOSITE_SIDE || z->side == TRP_BOTH_SIDES)
			sides[ns++] = (trp_side)!side;
		for (k = 0; k < ns; k++) {
			where[n] = located_index(z->region, sides[k]);
			out[n].cand = cand;
			out[n].link = z->kind == TRP_ESSENTIAL ? TRP_LINK_ESSENTIAL : TRP_LINK_SPILLOVER;
			out[n].zone = (uint8_t)i;
			out[n].weight = z->kind == TRP_ESSENTIAL ? W_ESSENTIAL : W_SPILLOVER;
			if (z->side == TRP_BOTH_SIDES && sides[k] != side)
				out[n].weight *= BOTH_FAR_SIDE;
			n++;
		}
	}
	for (i = 0; i < m->ntps; i++) {
		unsigned L = located_index(m->tps[i].region, side);

		for (j = 0; j < n && where[j] != L; j++)
			;
		if (j < n)
			continue;
		where[n] = L;
		out[n].cand = cand;
		out[n].link = TRP_LINK_LOCAL;
		out[n].zone = 0;
		out[n].weight = W_LOCAL;
		n++;
	}
	return n;
}

/* The symptom entries of a candidate: for each coded symptom, the slots of the sides it
 * is felt on by the muscle's rule, and the slot without a side (once). */
static size_t symptom_entries(const struct trp_muscle *m, trp_side side, unsigned *where,
			      struct entry *out)
{
	size_t n = 0, i;
	uint16_t cand = (uint16_t)(m->index * 2 + (size_t)side);

	for (i = 0; i < m->ncoded; i++) {
		const trp_coded_symptom *c = &m->coded[i];
		unsigned base = (unsigned)c->symptom * 3u;
		trp_side felt = c->side == TRP_OPPOSITE_SIDE ? (trp_side)!side : side;
		int k;

		for (k = 0; k < 3; k++) {
			int on = k == 2 || (trp_symptom_sided(c->symptom) &&
					    (c->side == TRP_BOTH_SIDES ? 1 : (trp_side)k == felt));

			if (!on)
				continue;
			where[n] = base + (unsigned)k;
			out[n].cand = cand;
			out[n].link = TRP_LINK_ESSENTIAL;
			out[n].zone = (uint8_t)(k == 2 ? felt : (trp_side)k);
			out[n].weight = W_SYMPTOM;
			n++;
		}
	}
	return n;
}

float trp__prior_factor(const struct trp_muscle *m);

/* The factor of a muscle's prior in its score (docs/find.md). */
float trp__prior_factor(const struct trp_muscle *m)
{
	float share = m->prior.share < 0 ? PRIOR_DEFAULT : (float)m->prior.share;

	return 1.0f - PRIOR_WEIGHT + PRIOR_WEIGHT * share;
}

double trp_muscle_prior_share(const trp_muscle *m)
{
	return m->prior.share < 0 ? PRIOR_DEFAULT : m->prior.share;
}

/* Fills an index of `nslots` lists (start, entries) from gen(muscle, side). */
static trp_err build_index(const trp_atlas *atlas, size_t nslots, uint32_t *start,
			   struct entry **entries,
			   size_t (*gen)(const struct trp_muscle *, trp_side, unsigned *, struct entry *))
{
	/* a muscle has at most 64 zones (two located regions each) and 64 trigger points,
	 * or 64 coded symptoms (three slots each) */
	unsigned where[3 * 64];
	struct entry tmp[3 * 64];
	uint32_t *fill = malloc(nslots * sizeof *fill);
	size_t m, total = 0, i;
	int s;

	if (!fill)
		return TRP_ENOMEM;
	/* two passes: count per slot, then fill */
	for (m = 0; m < atlas->n; m++)
		for (s = 0; s < 2; s++) {
			size_t n = gen(&atlas->muscles[m], (trp_side)s, where, tmp);

			for (i = 0; i < n; i++)
				start[where[i] + 1]++;
			total += n;
		}
	for (i = 0; i < nslots; i++)
		start[i + 1] += start[i];
	*entries = malloc((total ? total : 1) * sizeof **entries);
	if (!*entries) {
		free(fill);
		return TRP_ENOMEM;
	}
	memcpy(fill, start, nslots * sizeof *fill);
	for (m = 0; m < atlas->n; m++)
		for (s = 0; s < 2; s++) {
			size_t n = gen(&atlas->muscles[m], (trp_side)s, where, tmp);

			for (i = 0; i < n; i++)
				(*entries)[fill[where[i]]++] = tmp[i];
		}
	free(fill);
	return TRP_OK;
}

trp_err trp_finder_new(const trp_atlas *atlas, trp_finder **out)
{
	trp_finder *f;
	size_t m, i;

	*out = NULL;
	f = calloc(1, sizeof *f);
	if (!f)
		return TRP_ENOMEM;
	f->atlas = atlas;
	f->ncand = atlas->n * 2;
	f->n_essential = calloc(atlas->n ? atlas->n : 1, 1);
	f->prior = calloc(atlas->n ? atlas->n : 1, sizeof *f->prior);
	if (!f->n_essential || !f->prior)
		goto nomem;
	for (m = 0; m < atlas->n; m++) {
		for (i = 0; i < atlas->muscles[m].nzones; i++)
			f->n_essential[m] += atlas->muscles[m].zones[i].kind == TRP_ESSENTIAL;
		f->prior[m] = trp__prior_factor(&atlas->muscles[m]);
	}
	if (build_index(atlas, LOCATED, f->start, &f->entries, candidate_entries) ||
	    build_index(atlas, SYMPTOM_SLOTS, f->sstart, &f->sentries, symptom_entries))
		goto nomem;
	resolve_groups(f->group, f->symptom_caution);
	f->heads = trp__find_heads(atlas, &f->head_at);
	if (!f->heads)
		goto nomem;
	*out = f;
	return TRP_OK;
nomem:
	trp_finder_free(f);
	return TRP_ENOMEM;
}

void trp_finder_free(trp_finder *f)
{
	if (!f)
		return;
	free(f->entries);
	free(f->sentries);
	free(f->n_essential);
	free(f->prior);
	free(f->heads);
	free(f->head_at);
	free(f);
}

trp_err trp_find_result_new(const trp_finder *finder, trp_find_result **out)
{
	trp_find_result *r;
	size_t nc = finder->ncand ? finder->ncand : 1, i;

	*out = NULL;
	r = calloc(1, sizeof *r);
	if (!r)
		return TRP_ENOMEM;
	r->finder = finder;
	r->cover = calloc(nc, sizeof *r->cover);
	r->essential = calloc(nc, sizeof *r->essential);
	r->zero = malloc(nc * sizeof *r->zero);
	r->links = calloc(nc, sizeof *r->links);
	r->touched_flag = calloc(nc, 1);
	r->touched = malloc(nc * sizeof *r->touched);
	r->touched_score = malloc(nc * sizeof *r->touched_score);
	r->ranked = malloc(nc * sizeof *r->ranked);
	r->shown = malloc(nc * sizeof *r->shown);
	if (!r->cover || !r->essential || !r->zero || !r->links || !r->touched_flag ||
	    !r->touched || !r->touched_score || !r->ranked || !r->shown) {
		trp_find_result_free(r);
		return TRP_ENOMEM;
	}
	for (i = 0; i < nc; i++)
		r->zero[i] = 1.0f;
	*out = r;
	return TRP_OK;
}

void trp_find_result_free(trp_find_result *r)
{
	if (!r)
		return;
	free(r->cover);
	free(r->essential);
	free(r->zero);
	free(r->links);
	free(r->touched_flag);
	free(r->touched);
	free(r->touched_score);
	free(r->ranked);
	free(r->shown);
	free(r);
}

/* ---------------------------------------------------------------- parsing a map */

/* Adds a located region to out[0..*n), merging a repeat (the higher intensity wins). */
static trp_err add_region(const char *text, trp_located *out, size_t *n, int16_t *seen, char *msg,
			  size_t msgsize)
{
	trp_located loc;
	unsigned L;

	if (trp_located_parse(text, &loc, msg, msgsize) != TRP_OK)
		return TRP_EINVAL;
	L = located_index(loc.region, loc.side);
	if (seen[L] >= 0) {
		if (loc.intensity > out[seen[L]].intensity)
			out[seen[L]].intensity = loc.intensity;
		return TRP_OK;
	}
	seen[L] = (int16_t)*n;
	out[(*n)++] = loc;
	return TRP_OK;
}

trp_err trp_map_parse(const char *const *texts, size_t ntexts, trp_located *out,
		      size_t *n_out, char *msg, size_t msgsize)
{
	int16_t seen[LOCATED];
	size_t i, n = 0;

	*n_out = 0;
	if (ntexts == 0) {
		trp__msg(msg, msgsize, "no regions given (expected NAME.SIDE[=N]..., such as temple.l=7)");
		return TRP_EINVAL;
	}
	for (i = 0; i < LOCATED; i++)
		seen[i] = -1;
	for (i = 0; i < ntexts; i++)
		if (add_region(texts[i], out, &n, seen, msg, msgsize) != TRP_OK)
			return TRP_EINVAL;
	*n_out = n;
	return TRP_OK;
}

/* Whether a token names a symptom (its name before any '.' or '='), and, for a name of
 * neither vocabulary, whether a symptom is the nearer guess. */
static int is_symptom_token(const char *text)
{
	char lower[TRP__NAME_MAX + 1];
	size_t n = strcspn(text, ".="), i;
	int near[1];

	if (n > TRP__NAME_MAX)
		return 0;
	for (i = 0; i < n; i++)
		lower[i] = (char)tolower((unsigned char)text[i]);
	lower[n] = '\0';
	if (trp__symptom_find_n(lower, n) >= 0)
		return 1;
	if (trp_region_find(lower) >= 0)
		return 0;
	if (!trp__suggest(lower, n, trp_symptom_name, trp__symptom_n, near, 1))
		return 0;
	{
		int rnear[1], d, rd;

		if (!trp__suggest(lower, n, trp_region_name, trp__region_n, rnear, 1))
			return 1;
		d = trp__edit_distance(lower, n, trp_symptom_name(near[0]),
				       strlen(trp_symptom_name(near[0])), 64);
		rd = trp__edit_distance(lower, n, trp_region_name(rnear[0]),
					strlen(trp_region_name(rnear[0])), 64);
		return d < rd;
	}
}

trp_err trp_query_parse(const char *const *texts, size_t ntexts, trp_located *regions,
			size_t *nregions, trp_located_symptom *symptoms, size_t *nsymptoms,
			char *msg, size_t msgsize)
{
	int16_t seen[LOCATED];
	unsigned char sym_seen[256] = { 0 };
	size_t i, n = 0;

	*nregions = 0;
	*nsymptoms = 0;
	if (ntexts == 0) {
		trp__msg(msg, msgsize, "nothing given (expected regions NAME.SIDE[=N] such as "
			 "temple.l=7, or symptoms such as tinnitus.l)");
		return TRP_EINVAL;
	}
	for (i = 0; i < LOCATED; i++)
		seen[i] = -1;
	for (i = 0; i < ntexts; i++) {
		trp_err err = !texts[i] ? trp_located_parse(NULL, NULL, msg, msgsize)
			      : is_symptom_token(texts[i]) ? trp__symptom_mark(texts[i], sym_seen, msg, msgsize)
			      : add_region(texts[i], regions, &n, seen, msg, msgsize);

		if (err != TRP_OK)
			return TRP_EINVAL;
	}
	*nregions = n;
	*nsymptoms = trp__symptoms_collect(sym_seen, symptoms);
	return TRP_OK;
}

/* ---------------------------------------------------------------- scoring */

static int bits_empty(const struct bits *b)
{
	int i;

	for (i = 0; i < WORDS; i++)
		if (b->w[i])
			return 0;
	return 1;
}

static int bits_count(const struct bits *b)
{
	int i, n = 0;

	for (i = 0; i < WORDS; i++)
		n += __builtin_popcountll(b->w[i]);
	return n;
}

static int bits_subset(const struct bits *a, const struct bits *b)
{
	int i;

	for (i = 0; i < WORDS; i++)
		if (a->w[i] & ~b->w[i])
			return 0;
	return 1;
}

static int bits_has(const struct bits *b, size_t i)
{
	return (int)((b->w[i / 64] >> (i % 64)) & 1u);
}

static void bits_set(struct bits *b, size_t i)
{
	b->w[i / 64] |= 1ull << (i % 64);
}

static struct bits links_any(const struct links *l)
{
	struct bits b;
	int i;

	for (i = 0; i < WORDS; i++)
		b.w[i] = l->link[0].w[i] | l->link[1].w[i] | l->link[2].w[i];
	return b;
}

/* The strongest link of l to painful region p, or -1. */
static int link_at(const struct links *l, size_t p)
{
	int k;

	for (k = 0; k < 3; k++)
		if (bits_has(&l->link[k], p))
			return k;
	return -1;
}

static const float link_weight[] = { W_ESSENTIAL, W_SPILLOVER, W_LOCAL };

/* The score of docs/find.md from its parts: coverage (0..1), the share of the essential
 * pattern present (0..1), the painless-zone factors and the prior's factor. */
static float score_from(float coverage, float pattern, float zero, float prior)
{
	if (pattern > 1)
		pattern = 1;
	return coverage * (PATTERN_FLOOR + (1 - PATTERN_FLOOR) * pattern) * zero * prior;
}

static float score_of(const trp_find_result *r, uint16_t c, float total)
{
	unsigned ess = r->finder->n_essential[c / 2];
	float coverage = total > 0 ? r->cover[c] / total : 0;
	float pattern = ess ? (float)__builtin_popcountll(r->essential[c]) / (float)ess : 1.0f;

	return score_from(coverage, pattern, r->zero[c], r->finder->prior[c / 2]);
}

int trp__tie_order(const struct trp_muscle *a, const struct trp_muscle *b)
{
	float pa = trp__prior_factor(a), pb = trp__prior_factor(b);

	if (pa != pb)
		return pa > pb ? -1 : 1;
	if (a->nzones != b->nzones)
		return a->nzones < b->nzones ? -1 : 1;
	return 0;
}

double trp__alone_score(const struct trp_muscle *m, int region)
{
	float best = 0;
	unsigned ess = 0;
	size_t i;

	for (i = 0; i < m->nzones; i++)
		ess += m->zones[i].kind == TRP_ESSENTIAL;
	for (i = 0; i < m->nzones; i++)
		if (m->zones[i].region == region) {
			int e = m->zones[i].kind == TRP_ESSENTIAL;
			float s = score_from(e ? W_ESSENTIAL : W_SPILLOVER, e && ess ? 1.0f / (float)ess : 0,
					     1, trp__prior_factor(m));

			if (s > best)
				best = s;
		}
	if (best > 0)
		return best;
	for (i = 0; i < m->ntps; i++)
		if (m->tps[i].region == region)
			return score_from(W_LOCAL, 0, 1, trp__prior_factor(m));
	return 0;
}

double trp__symptom_alone_score(const struct trp_muscle *m)
{
	unsigned ess = 0;
	size_t i;

	for (i = 0; i < m->nzones; i++)
		ess += m->zones[i].kind == TRP_ESSENTIAL;
	return score_from(W_SYMPTOM, ess ? 0 : 1, 1, trp__prior_factor(m));
}

/* Ranking order: score, then the more common source (the prior), then the more specific
 * pattern (fewer zones); atlas order and side only where all of these are equal, so
 * that the order is always the same. */
static int better(const trp_find_result *r, float sa, uint16_t a, float sb, uint16_t b)
{
	const trp_finder *f = r->finder;
	size_t za, zb;

	if (sa != sb)
		return sa > sb;
	if (f->prior[a / 2] != f->prior[b / 2])
		return f->prior[a / 2] > f->prior[b / 2];
	za = f->atlas->muscles[a / 2].nzones;
	zb = f->atlas->muscles[b / 2].nzones;
	if (za != zb)
		return za < zb;
	return a < b;
}

/* ---------------------------------------------------------------- the explanation */

struct cover_search {
	const trp_find_result *r;
	size_t nkept;
	uint16_t cand[KEPT_MAX];
	float score[KEPT_MAX];
	struct bits mask[KEPT_MAX];
	float fit[KEPT_MAX][ITEMS];   /* intensity weight x link weight, per item */
	int maxsize;
	int chosen[KEPT_MAX];
	int best[KEPT_MAX];
	int best_k;
	float best_fit;
	long nodes;
};

/* How well a set of kept candidates accounts for the map: each painful region counts
 * with its best link among the members; the members' scores break remaining ties. */
static float cover_fit(const struct cover_search *x, const int *set, int k)
{
	float fit = 0;
	size_t p;
	int i;

	for (p = 0; p < x->r->nitems; p++) {
		float best = 0;

		for (i = 0; i < k; i++)
			if (x->fit[set[i]][p] > best)
				best = x->fit[set[i]][p];
		fit += best;
	}
	for (i = 0; i < k; i++)
		fit += 0.001f * x->score[set[i]];
	return fit;
}

static void search(struct cover_search *x, struct bits uncovered, int depth)
{
	size_t p, i;
	int fewest = -1, nfewest = KEPT_MAX + 1, left;

	if (++x->nodes > SEARCH_NODES)
		return;
	if (bits_empty(&uncovered)) {
		float fit = cover_fit(x, x->chosen, depth);

		if (depth < x->best_k || fit > x->best_fit) {
			x->best_k = depth;
			x->best_fit = fit;
			memcpy(x->best, x->chosen, (size_t)depth * sizeof x->best[0]);
		}
		return;
	}
	left = bits_count(&uncovered);
	if (depth + (left + x->maxsize - 1) / x->maxsize > x->best_k)
		return;
	/* branch on the uncovered item that the fewest candidates cover */
	for (p = 0; p < x->r->nitems; p++) {
		int n = 0;

		if (!bits_has(&uncovered, p))
			continue;
		for (i = 0; i < x->nkept; i++)
			n += bits_has(&x->mask[i], p);
		if (n < nfewest) {
			nfewest = n;
			fewest = (int)p;
		}
	}
	for (i = 0; i < x->nkept; i++) {
		struct bits next;
		int w;

		if (!bits_has(&x->mask[i], (size_t)fewest))
			continue;
		for (w = 0; w < WORDS; w++)
			next.w[w] = uncovered.w[w] & ~x->mask[i].w[w];
		x->chosen[depth] = (int)i;
		search(x, next, depth + 1);
	}
}

/* Adds a candidate to the search unless a kept one (scored at least as high) covers
 * every region it covers. */
static void keep(struct cover_search *x, uint16_t c, float score, const struct links *l)
{
	const trp_find_result *r = x->r;
	struct bits mask = links_any(l);
	size_t i, p;

	if (x->nkept == KEPT_MAX || bits_empty(&mask))
		return;
	for (i = 0; i < x->nkept; i++)
		if (bits_subset(&mask, &x->mask[i]))
			return;
	x->cand[x->nkept] = c;
	x->score[x->nkept] = score;
	x->mask[x->nkept] = mask;
	for (p = 0; p < r->nitems; p++) {
		int k = link_at(l, p);

		x->fit[x->nkept][p] = k < 0 ? 0 : r->item_weight[p] *
				      (p < r->npainful ? link_weight[k] : W_SYMPTOM);
	}
	if (bits_count(&mask) > x->maxsize)
		x->maxsize = bits_count(&mask);
	x->nkept++;
}

static void explain(trp_find_result *r, const float *touched_score)
{
	const trp_finder *f = r->finder;
	struct cover_search x;
	struct bits all = { { 0 } }, uncovered;
	size_t t, p, i;
	int k;

	r->nmembers = 0;
	memset(r->attributed, -1, sizeof r->attributed);
	memset(r->sym_attributed, -1, sizeof r->sym_attributed);
	x.r = r;
	x.nkept = 0;
	x.maxsize = 0;
	x.nodes = 0;
	/* the ranked candidates best first, then any other that reaches the map */
	for (t = 0; t < r->nranked; t++)
		keep(&x, r->ranked[t].cand, r->ranked[t].score, &r->ranked[t].links);
	for (t = 0; t < r->ntouched; t++) {
		uint16_t c = r->touched[t];

		if (r->touched_flag[c] == 1 && touched_score[t] > 0)
			keep(&x, c, touched_score[t], &r->links[c]);
	}
	if (x.nkept == 0)
		return;
	for (i = 0; i < x.nkept; i++)
		for (k = 0; k < WORDS; k++)
			all.w[k] |= x.mask[i].w[k];

	/* greedy first: it bounds the exact search, and stands if the search is cut off */
	uncovered = all;
	x.best_k = 0;
	while (!bits_empty(&uncovered)) {
		int pick = 0, pick_n = 0;

		for (i = 0; i < x.nkept; i++) {
			int n = 0;

			for (k = 0; k < WORDS; k++)
				n += __builtin_popcountll(uncovered.w[k] & x.mask[i].w[k]);
			if (n > pick_n) {
				pick = (int)i;
				pick_n = n;
			}
		}
		x.best[x.best_k++] = pick;
		for (k = 0; k < WORDS; k++)
			uncovered.w[k] &= ~x.mask[pick].w[k];
	}
	x.best_fit = cover_fit(&x, x.best, x.best_k);
	if (x.best_k > 1)
		search(&x, all, 0);

	/* members in ranking order (kept candidates are in it already) */
	for (k = 0; k < x.best_k; k++)
		for (i = (size_t)k + 1; i < (size_t)x.best_k; i++)
			if (x.best[i] < x.best[k]) {
				int tmp = x.best[k];

				x.best[k] = x.best[i];
				x.best[i] = tmp;
			}
	for (k = 0; k < x.best_k; k++) {
		trp_candidate *m = &r->members[k];

		m->muscle = &f->atlas->muscles[x.cand[x.best[k]] / 2];
		m->side = (trp_side)(x.cand[x.best[k]] % 2);
		m->score = x.score[x.best[k]];
	}
	r->nmembers = (size_t)x.best_k;
	/* each painful region and symptom goes to the member with the strongest link to it */
	for (p = 0; p < r->nitems; p++) {
		float best = 0;

		for (k = 0; k < x.best_k; k++)
			if (x.fit[x.best[k]][p] > best) {
				best = x.fit[x.best[k]][p];
				if (p < r->npainful)
					r->attributed[r->painful[p]] = (int8_t)k;
				else
					r->sym_attributed[p - r->npainful] = (int8_t)k;
			}
	}
}

/* ---------------------------------------------------------------- cautions */

static const trp_caution_note caution_text[] = {
	{ "cardiac",
	  "Pain in the left chest with the left arm, jaw or throat can come from the heart. "
	  "Rule that out first: if it is new, comes on with effort, or comes with "
	  "breathlessness, sweating, nausea or faintness, call emergency services now." },
	{ "calf_clot",
	  "Pain in one calf can come from a blood clot (deep vein thrombosis). If the calf is "
	  "swollen, warm or red, or the pain began after surgery, an injury, a long journey or "
	  "bed rest, see a doctor today and do not press or massage it; with sudden "
	  "breathlessness or chest pain, call emergency services." },
	{ "headache",
	  "A sudden, severe headache (the worst of your life, or one that peaks within a "
	  "minute) needs emergency care now, as does headache with fever and a stiff neck, "
	  "confusion, weakness, double vision or trouble speaking. Over 50 with a new headache "
	  "and jaw pain on chewing: see a doctor soon." },
	{ "abdomen",
	  "Belly pain can come from the organs (appendix, gallbladder, kidney, bowel, pelvic "
	  "organs). See a doctor first if it is new or severe, or comes with fever, vomiting, "
	  "blood, or a change in bowel or bladder habits." },
	{ "widespread",
	  "Pain in many parts of the body on both sides is more than a few trigger points "
	  "usually explain. Ask a doctor to look for a whole-body cause (such as an "
	  "inflammatory or thyroid condition, or fibromyalgia) alongside muscle care." },
	/* the symptoms with serious other causes (docs/find.md names the sources) */
	{ "heart_rhythm",
	  "A racing, fluttering or irregular heartbeat needs a doctor to check the heart first "
	  "(a pulse check and a heart tracing). With chest pain, fainting, breathlessness or "
	  "dizziness, call emergency services now." },
	{ "breathing",
	  "A breath cut short by pain can come from the chest-wall muscles, but true "
	  "breathlessness, chest pain, coughing up blood, or breathing trouble that came on "
	  "suddenly needs a doctor first; if it is sudden or severe, call emergency services." },
	{ "numbness",
	  "Numbness or tingling can come from a nerve pressed at the spine, elbow or wrist, or "
	  "from diabetes or a lack of vitamin B12: see a doctor if it lasts, spreads or comes "
	  "with weakness. Sudden numbness or weakness of the face, an arm or a leg on one side, "
	  "or new numbness between the legs with trouble passing water or stool, needs "
	  "emergency care now." },
	{ "swallowing",
	  "Swallowing that stays difficult, food that sticks, or trouble swallowing with weight "
	  "loss needs a doctor soon. Sudden trouble swallowing with a drooping face, slurred "
	  "speech or weakness is an emergency: call emergency services." },
	{ "dizziness",
	  "Dizziness with double vision, slurred speech, weakness or numbness, a sudden severe "
	  "headache or trouble walking can be a stroke: call emergency services. Fainting, or "
	  "dizziness with a racing heartbeat or chest pain, needs a doctor first." },
	{ "bladder",
	  "Needing to pass water often can come from an infection, diabetes, the prostate or "
	  "the bladder: see a doctor if it is new, burns, or comes with blood, fever, thirst or "
	  "weight loss. Being unable to pass water, or new numbness between the legs, is an "
	  "emergency." },
	{ "vision",
	  "Blurred vision can come from the eyes themselves. Sudden loss or blurring of sight, "
	  "double vision or a painful red eye needs urgent care today; over 50 with a new "
	  "headache and blurred vision, see a doctor at once." },
};

enum { C_CARDIAC, C_CALF, C_HEADACHE, C_ABDOMEN, C_WIDESPREAD, C_HEART_RHYTHM, C_BREATHING,
       C_NUMBNESS, C_SWALLOWING, C_DIZZINESS, C_BLADDER, C_VISION, C_COUNT };

/* The symptoms that call for a caution of their own. */
static const struct {
	int caution;
	const char *symptoms[4];
} caution_symptoms[] = {
	{ C_HEART_RHYTHM, { "palpitations" } },
	{ C_BREATHING, { "breath_restriction" } },
	{ C_NUMBNESS, { "hand_numbness", "outer_thigh_numbness", "leg_numbness", "foot_numbness" } },
	{ C_SWALLOWING, { "swallowing_difficulty" } },
	{ C_DIZZINESS, { "dizziness" } },
	{ C_BLADDER, { "urinary_frequency" } },
	{ C_VISION, { "vision_blur" } },
};

/* The groups of regions the cautions look at; the finder resolves the names once. */
enum { G_CHEST = 1, G_ARM = 2, G_JAW = 4, G_HEAD = 8, G_BELLY = 16, G_CALF = 32 };

static const struct {
	unsigned group;
	const char *regions[8];
} caution_groups[] = {
	{ G_CHEST, { "chest", "sternum" } },
	{ G_ARM, { "upper_arm_medial", "upper_arm_front", "elbow_medial", "forearm_ulnar",
		   "ring_little_fingers", "shoulder_front", "armpit" } },
	{ G_JAW, { "jaw", "throat", "lower_teeth" } },
	{ G_HEAD, { "crown", "forehead", "temple", "occiput", "eye" } },
	{ G_BELLY, { "upper_abdomen", "lower_abdomen" } },
	{ G_CALF, { "calf" } },
};

static void resolve_groups(uint8_t *group, uint8_t *symptom_caution)
{
	size_t g, i;

	for (g = 0; g < sizeof caution_symptoms / sizeof caution_symptoms[0]; g++)
		for (i = 0; i < 4 && caution_symptoms[g].symptoms[i]; i++) {
			int s = trp_symptom_find(caution_symptoms[g].symptoms[i]);

			assert(s >= 0); /* the names are checked by the find tests */
			if (s >= 0)
				symptom_caution[s] = (uint8_t)(caution_symptoms[g].caution + 1);
		}
	for (g = 0; g < sizeof caution_groups / sizeof caution_groups[0]; g++)
		for (i = 0; i < 8 && caution_groups[g].regions[i]; i++) {
			int region = trp_region_find(caution_groups[g].regions[i]);

			assert(region >= 0); /* the names are checked by the find tests */
			if (region >= 0)
				group[region] |= (uint8_t)caution_groups[g].group;
		}
}

static void add_caution(trp_find_result *r, int which)
{
	if (r->ncautions < CAUTION_MAX)
		r->cautions[r->ncautions++] = caution_text[which];
}

static void cautions(trp_find_result *r)
{
	const uint8_t *group = r->finder->group;
	/* per side: the groups painful at all, at 7 or more, at 9 or more */
	unsigned any[2] = { 0, 0 }, at7[2] = { 0, 0 }, at9[2] = { 0, 0 };
	size_t i, painful = 0, sides[2] = { 0, 0 };

	r->ncautions = 0;
	for (i = 0; i < r->n; i++) {
		const trp_located *loc = &r->map[i];
		unsigned g = group[loc->region];

		if (r->weight[i] <= 0)
			continue;
		painful++;
		sides[loc->side]++;
		any[loc->side] |= g;
		if (loc->intensity >= 7)
			at7[loc->side] |= g;
		if (loc->intensity >= 9)
			at9[loc->side] |= g;
	}
	if ((any[TRP_LEFT] & G_CHEST) &&
	    ((any[TRP_LEFT] & (G_ARM | G_JAW)) || (any[TRP_RIGHT] & G_JAW)))
		add_caution(r, C_CARDIAC);
	if (((any[TRP_LEFT] ^ any[TRP_RIGHT]) & G_CALF) != 0)
		add_caution(r, C_CALF);
	if (((at9[TRP_LEFT] | at9[TRP_RIGHT]) & G_HEAD) ||
	    ((at7[TRP_LEFT] & G_HEAD) && (at7[TRP_RIGHT] & G_HEAD)))
		add_caution(r, C_HEADACHE);
	if ((any[TRP_LEFT] | any[TRP_RIGHT]) & G_BELLY)
		add_caution(r, C_ABDOMEN);
	if (painful >= 16 && sides[0] >= 5 && sides[1] >= 5)
		add_caution(r, C_WIDESPREAD);
	if (r->nsymptoms) {
		unsigned wanted = 0;
		int c;

		for (i = 0; i < r->nsymptoms; i++) {
			int k = r->finder->symptom_caution[r->symptoms[i].symptom];

			if (k)
				wanted |= 1u << (k - 1);
		}
		for (c = C_HEART_RHYTHM; c < C_COUNT; c++)
			if (wanted & (1u << c))
				add_caution(r, c);
	}
}

/* ---------------------------------------------------------------- the query */

trp_err trp_find(const trp_finder *f, const trp_located *map, size_t n, size_t top,
		 trp_find_result *r)
{
	if (n == 0)
		return TRP_EINVAL;
	return trp_find_symptoms(f, map, n, NULL, 0, top, r);
}

/* Whether the symptoms are in range and distinct (a symptom at most once per side, and
 * not both with a side and without one). */
static int symptoms_valid(const trp_located_symptom *sym, size_t n)
{
	unsigned char seen[256] = { 0 };
	size_t i;

	if (n > TRP_SYMPTOMS_MAX)
		return 0;
	for (i = 0; i < n; i++) {
		int s = sym[i].symptom;
		unsigned bit;

		if (s < 0 || s >= trp__symptom_n || sym[i].side < TRP_NO_SIDE || sym[i].side > TRP_RIGHT ||
		    (sym[i].side != TRP_NO_SIDE && !trp__symptoms[s].sided))
			return 0;
		bit = sym[i].side == TRP_NO_SIDE ? 4u : 1u << sym[i].side;
		if ((seen[s] & bit) || (bit == 4u && seen[s]) || (bit != 4u && (seen[s] & 4u)))
			return 0;
		seen[s] |= (unsigned char)bit;
	}
	return 1;
}

/* Credits every candidate of entries[from..to) with the item p of weight w. */
static inline void credit(trp_find_result *r, const struct entry *entries, uint32_t from, uint32_t to,
		   size_t p, float w)
{
	uint32_t e;

	for (e = from; e < to; e++) {
		const struct entry *en = &entries[e];
		uint16_t c = en->cand;

		if (!r->touched_flag[c]) {
			r->touched_flag[c] = 1;
			r->touched[r->ntouched++] = c;
		}
		r->cover[c] += w * en->weight;
		bits_set(&r->links[c].link[en->link], p);
		if (en->link == TRP_LINK_ESSENTIAL && p < r->npainful)
			r->essential[c] |= 1ull << (en->zone % 64);
	}
}

trp_err trp_find_symptoms(const trp_finder *f, const trp_located *map, size_t n,
			  const trp_located_symptom *symptoms, size_t nsymptoms, size_t top,
			  trp_find_result *r)
{
	float total = 0, *touched_score = r ? r->touched_score : NULL;
	size_t i, t, limit;
	uint32_t e;
	uint8_t seen[LOCATED];

	if (!f || !r || r->finder != f || (n && !map) || n > TRP_MAP_MAX || n + nsymptoms == 0 ||
	    (nsymptoms && !symptoms) || !symptoms_valid(symptoms, nsymptoms))
		return TRP_EINVAL;
	memset(seen, 0, sizeof seen);
	for (i = 0; i < n; i++) {
		unsigned L;

		if (map[i].region < 0 || map[i].region >= trp__region_n ||
		    (unsigned)map[i].side > 1 || map[i].intensity < -1 || map[i].intensity > 10)
			return TRP_EINVAL;
		L = located_index(map[i].region, map[i].side);
		if (seen[L]++)
			return TRP_EINVAL;
	}
	if (n)
		memcpy(r->map, map, n * sizeof *map);
	r->n = n;
	r->npainful = 0;
	r->top = top ? top : 1;
	if (nsymptoms)
		memcpy(r->symptoms, symptoms, nsymptoms * sizeof *symptoms);
	r->nsymptoms = nsymptoms;

	/* 1. accumulate: each region credits the candidates that reach it */
	for (i = 0; i < n; i++) {
		int in = map[i].intensity < 0 ? DEFAULT_INTENSITY : map[i].intensity;
		unsigned L = located_index(map[i].region, map[i].side);
		size_t p = r->npainful;

		r->weight[i] = (float)in / 10.0f;
		r->painful_of[i] = in > 0 ? (int)p : -1;
		if (in > 0) {
			r->item_weight[p] = r->weight[i];
			r->painful[r->npainful++] = (int)i;
		}
		total += r->weight[i];
		if (in > 0) {
			credit(r, f->entries, f->start[L], f->start[L + 1], p, r->weight[i]);
			continue;
		}
		for (e = f->start[L]; e < f->start[L + 1]; e++) {
			const struct entry *en = &f->entries[e];
			uint16_t c = en->cand;

			if (!r->touched_flag[c]) {
				r->touched_flag[c] = 1;
				r->touched[r->ntouched++] = c;
			}
			r->zero[c] *= en->link == TRP_LINK_ESSENTIAL ? ZERO_ESSENTIAL
				    : en->link == TRP_LINK_SPILLOVER ? ZERO_SPILLOVER : 1.0f;
		}
	}
	/* then each symptom, as an item after the painful regions */
	r->nitems = r->npainful;
	for (i = 0; i < nsymptoms; i++) {
		unsigned slot = (unsigned)symptoms[i].symptom * 3u +
				(symptoms[i].side == TRP_NO_SIDE ? 2u : (unsigned)symptoms[i].side);
		size_t p = r->nitems++;

		r->item_weight[p] = (float)DEFAULT_INTENSITY / 10.0f;
		total += r->item_weight[p];
		credit(r, f->sentries, f->sstart[slot], f->sstart[slot + 1], p, r->item_weight[p]);
	}

	/* 2. score every touched candidate; keep the best `limit` in order */
	limit = r->top > RANK_POOL ? r->top : RANK_POOL;
	if (limit > f->ncand)
		limit = f->ncand;
	r->nranked = 0;
	for (t = 0; t < r->ntouched; t++) {
		uint16_t c = r->touched[t];
		float s = score_of(r, c, total);
		size_t j;

		touched_score[t] = s;
		if (s <= 0)
			continue;
		if (r->nranked == limit &&
		    !better(r, s, c, r->ranked[limit - 1].score, r->ranked[limit - 1].cand))
			continue;
		if (r->nranked == limit)
			r->touched_flag[r->ranked[limit - 1].cand] = 1;   /* drops out */
		j = r->nranked < limit ? r->nranked++ : limit - 1;
		for (; j > 0 && better(r, s, c, r->ranked[j - 1].score, r->ranked[j - 1].cand); j--)
			r->ranked[j] = r->ranked[j - 1];
		r->ranked[j].cand = c;
		r->ranked[j].score = s;
		r->ranked[j].links = r->links[c];
		r->touched_flag[c] = 2;
	}
	for (t = 0; t < r->nranked; t++) {
		r->shown[t].muscle = &f->atlas->muscles[r->ranked[t].cand / 2];
		r->shown[t].side = (trp_side)(r->ranked[t].cand % 2);
		r->shown[t].score = r->ranked[t].score;
	}

	/* 3. the explanation, while the per-candidate links are still there */
	explain(r, touched_score);

	/* clear the per-candidate storage of this query */
	for (t = 0; t < r->ntouched; t++) {
		uint16_t c = r->touched[t];

		r->cover[c] = 0;
		r->essential[c] = 0;
		r->zero[c] = 1.0f;
		memset(&r->links[c], 0, sizeof r->links[c]);
		r->touched_flag[c] = 0;
	}
	r->ntouched = 0;

	/* 4. cautions */
	cautions(r);
	return TRP_OK;
}

size_t trp_find_candidates(const trp_find_result *r, const trp_candidate **items)
{
	*items = r->shown;
	return r->nranked < r->top ? r->nranked : r->top;
}

size_t trp_find_explains(const trp_find_result *r, size_t i, size_t *regions, trp_link *links,
			 size_t max)
{
	size_t p, n = 0;

	if (i >= r->nranked)
		return 0;
	for (p = 0; p < r->npainful; p++) {
		int k = link_at(&r->ranked[i].links, p);

		if (k < 0)
			continue;
		if (n < max) {
			if (regions)
				regions[n] = (size_t)r->painful[p];
			if (links)
				links[n] = (trp_link)k;
		}
		n++;
	}
	return n;
}

size_t trp_find_map(const trp_find_result *r, const trp_located **map)
{
	*map = r->map;
	return r->n;
}

size_t trp_find_map_symptoms(const trp_find_result *r, const trp_located_symptom **symptoms)
{
	*symptoms = r->symptoms;
	return r->nsymptoms;
}

size_t trp_find_explains_symptoms(const trp_find_result *r, size_t i, size_t *items, size_t max)
{
	size_t j, n = 0;

	if (i >= r->nranked)
		return 0;
	for (j = 0; j < r->nsymptoms; j++)
		if (bits_has(&r->ranked[i].links.link[TRP_LINK_ESSENTIAL], r->npainful + j)) {
			if (items && n < max)
				items[n] = j;
			n++;
		}
	return n;
}

trp_side trp_find_symptom_side(const trp_find_result *r, const trp_candidate *c, size_t item)
{
	const trp_located_symptom *s;
	trp_side_rule rule = TRP_SAME_SIDE;

	if (item >= r->nsymptoms)
		return c->side;
	s = &r->symptoms[item];
	if (s->side != TRP_NO_SIDE)
		return (trp_side)s->side;
	if (trp_symptom_sided(s->symptom) && trp_muscle_gives_symptom(c->muscle, s->symptom, &rule) &&
	    rule == TRP_OPPOSITE_SIDE)
		return (trp_side)!c->side;
	return c->side;
}

int trp_find_symptom_attributed(const trp_find_result *r, size_t item)
{
	return item < r->nsymptoms ? r->sym_attributed[item] : -1;
}

size_t trp_find_explanation(const trp_find_result *r, const trp_candidate **members)
{
	*members = r->members;
	return r->nmembers;
}

int trp_find_attributed(const trp_find_result *r, size_t region_index)
{
	return region_index < r->n ? r->attributed[region_index] : -1;
}

size_t trp_find_cautions(const trp_find_result *r, const trp_caution_note **items)
{
	*items = r->cautions;
	return r->ncautions;
}

const char *trp__find_head(const trp_find_result *r, const trp_muscle *m, trp_side side,
			   size_t *len)
{
	const trp_finder *f = r->finder;
	size_t c = m->index * 2 + (side == TRP_RIGHT);

	*len = f->head_at[c + 1] - f->head_at[c];
	return f->heads + f->head_at[c];
}

const char *trp_link_name(trp_link link)
{
	static const char *const names[] = { "essential", "spillover", "trigger_point" };

	return (unsigned)link < 3 ? names[link] : NULL;
}
