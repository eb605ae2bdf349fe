/*
 * release.h: the release half of libtrp: the safety screening, the release plan, and
 * what a guided session walks through (docs/release.md).
 *
 * The conventions of trp.h hold here too: every call that can fail returns a trp_err,
 * out-parameters are cleared on entry and filled only on success, the caller frees what
 * it is given with the matching call, and a failure that needs more than the code writes
 * one line into `msg` (NULL/0 means no message wanted). Nothing here prints or exits.
 *
 * trp informs; it does not diagnose. The screening questions and what they change are
 * data (data/screen.json, compiled in at build time); the doses are the planner's.
 */
#ifndef TRP_RELEASE_H
#define TRP_RELEASE_H

#include <stddef.h>

#include "trp/trp.h"

#ifdef __cplusplus
extern "C" {
#endif

/* ---------------------------------------------------------------- screening */

/* What a "yes" to a question means on its own (docs/release.md). */
typedef enum trp_screen_group {
	TRP_GROUP_EMERGENCY = 0,   /* call emergency services now */
	TRP_GROUP_SEE_DOCTOR,      /* see a doctor (today or soon) before self-treatment */
	TRP_GROUP_PRECAUTION,      /* self-treatment with changes to the plan */
	TRP_GROUP_COMBINED         /* nothing alone: it counts in the combination rules */
} trp_screen_group;

/* The outcome of a screening; a more serious outcome compares greater. */
typedef enum trp_outcome {
	TRP_OUTCOME_CLEAR = 0,
	TRP_OUTCOME_PRECAUTIONS,
	TRP_OUTCOME_SEE_DOCTOR,
	TRP_OUTCOME_EMERGENCY
} trp_outcome;

/* What a question asks for: yes or no, or the person's age in years. */
typedef enum trp_question_type {
	TRP_QUESTION_YES_NO = 0,
	TRP_QUESTION_AGE
} trp_question_type;

/* One screening question. The strings and lists are static. */
typedef struct trp_question {
	const char *code;          /* "chest_pressure": the key of an answers file */
	const char *section;       /* "heart": the questions come section by section */
	const char *section_title; /* "Heart, chest and breathing" */
	trp_question_type type;
	trp_screen_group group;    /* TRP_GROUP_COMBINED for the age */
	const char *question;      /* asked so that "yes" is the warning sign */
	const char *message;       /* what to do after a "yes", in plain words; NULL for a
				    * combined question and the age (the rules speak for them) */
	const char *source;        /* the guidance it rests on */
	const char *const *covers; /* the red flags it screens for, alone or in a rule
				    * ("cardiac.acute_coronary") */
	size_t ncovers;
	/* asked only when every one of these questions was answered yes ... */
	const char *const *ask_if_yes;
	size_t nask_if_yes;
	/* ... and the age is at least this (0: any age; an age not given counts as old enough) */
	int ask_if_age_at_least;
} trp_question;

/* A combination rule: answers that together (or with the age) call for more than each
 * alone. The strings and lists are static. */
typedef struct trp_screen_rule {
	const char *code;          /* "calf_pain_clot_risk": the flag's code */
	trp_screen_group group;    /* TRP_GROUP_EMERGENCY or TRP_GROUP_SEE_DOCTOR */
	const char *message;
	const char *source;
	const char *const *covers;
	size_t ncovers;
	const char *const *all;    /* every one of these answered yes ... */
	size_t nall;
	const char *const *any;    /* ... and at least one of these (none: no condition) ... */
	size_t nany;
	int age_at_least;          /* ... and the age at least this (0: none; an age not
				    * given is not taken as reassurance: it counts as met) */
} trp_screen_rule;

/* A warning sign the answers raise: a question answered yes, or a rule that fires. */
typedef struct trp_flag {
	const char *code;          /* the question's or the rule's code */
	trp_outcome outcome;       /* what this flag alone calls for */
	int rule;                  /* 1 when a combination rule raised it */
	const char *message;
	const char *source;
} trp_flag;

/* The most questions there can be (the size of trp_answers), the most rules, and the
 * most flags a screening can raise. */
#define TRP_SCREEN_MAX 64
#define TRP_SCREEN_RULES_MAX 32
#define TRP_SCREEN_FLAGS_MAX (TRP_SCREEN_MAX + TRP_SCREEN_RULES_MAX)

/* An age not given, and the ages an answers file accepts (whole years). */
#define TRP_AGE_UNKNOWN (-1)
#define TRP_AGE_MIN 0
#define TRP_AGE_MAX 120

/* The number of questions, and the i-th in the order they are asked (section by
 * section); NULL when i is out of range. */
size_t trp_screen_count(void);
const trp_question *trp_screen_question(size_t i);

/* The index of the question with this code (exact), or -1. */
int trp_screen_find(const char *code);

/* The combination rules, and the i-th; NULL when i is out of range. */
size_t trp_screen_rule_count(void);
const trp_screen_rule *trp_screen_rule_at(size_t i);

/* "emergency", "see_doctor", "precaution", "combined"; "clear", "precautions",
 * "see_doctor", "emergency". NULL for an out-of-range value. */
const char *trp_screen_group_name(trp_screen_group group);
const char *trp_outcome_name(trp_outcome outcome);

/* A set of answers: yes[i] != 0 when question i was answered "yes"; the age in years or
 * TRP_AGE_UNKNOWN. A value type: copy it freely. */
typedef struct trp_answers {
	unsigned char yes[TRP_SCREEN_MAX];
	int age;
} trp_answers;

/* Every answer "no", the age not given. */
void trp_answers_clear(trp_answers *answers);

/* Parses an answers file: a JSON object {"age": N, "CODE": true|false, ...}; codes not
 * named count as "no", an age not named is not given. On failure *out is cleared and
 * the call returns TRP_EPARSE (not JSON; msg gives line and column) or TRP_EINVAL (not
 * an object, an unknown code, a value that is not true or false, an age that is not a
 * whole number from TRP_AGE_MIN to TRP_AGE_MAX), with msg naming the field and what
 * would be accepted: "'chest_presure': unknown screening code (did you mean
 * 'chest_pressure'?)". A yes to a question that its ask_if would have skipped still
 * counts. */
trp_err trp_answers_parse(const char *text, size_t len, trp_answers *out, char *msg,
			  size_t msgsize);

/* The answers as an answers file naming the age (when given) and every yes/no code
 * (true or false), in question order; free() it. NULL only when out of memory. */
char *trp_answers_json(const trp_answers *answers, int pretty);

/* Whether question i is asked, given the answers so far (its ask_if conditions hold).
 * 0 for an index out of range. */
int trp_screen_applies(const trp_answers *answers, size_t i);

/* Whether rule i fires on these answers. 0 for an index out of range. */
int trp_screen_rule_fires(const trp_answers *answers, size_t i);

/* The outcome: the most serious of the flags (a question answered yes counts for its
 * group, a rule that fires for its group), clear when there is none. */
trp_outcome trp_screen_outcome(const trp_answers *answers);

/* The flags, most serious outcome first; within one outcome the questions in the order
 * they are asked, then the rules: writes up to max of them into out (which may be NULL
 * when max is 0) and returns how many there are in all. */
size_t trp_screen_flags(const trp_answers *answers, trp_flag *out, size_t max);

/* What to do, for an outcome, in plain words (static). */
const char *trp_screen_advice(trp_outcome outcome);

/* {"outcome", "flags": [{"code", "message", "outcome", "rule", "source"}], "advice"};
 * free() it. NULL only when out of memory. */
char *trp_screen_json(const trp_answers *answers, int pretty);

/* The questions as [{"code", "group", "question", "section", "section_title", "type",
 * "covers", "source", "ask_if"}]; free() it. NULL only when out of memory. */
char *trp_screen_list_json(int pretty);

/* ---------------------------------------------------------------- whole-body factors */

/* A whole-body factor that keeps trigger points going in any muscle (Travell & Simons
 * vol 1, ch. 4), with when to ask a doctor for a blood test. The strings are static. */
typedef struct trp_body_factor {
	const char *code;          /* "thyroid" */
	const char *name;          /* "an underactive thyroid" */
	const char *text;          /* what it does, in plain words */
	const char *ask;           /* when to ask a doctor (for a blood test, where one helps) */
	const char *const *sources;
	size_t nsources;
} trp_body_factor;

/* The factors (data/perpetuating.json), and the i-th; NULL when i is out of range. */
size_t trp_body_factor_count(void);
const trp_body_factor *trp_body_factor_at(size_t i);

/* The factors as [{"code", "name", "text", "ask", "sources"}]; free() it. NULL only when
 * out of memory. */
char *trp_body_factors_json(int pretty);

/* ---------------------------------------------------------------- the plan */

/* A release plan: for each muscle the steps of a session (heat, pressure on each trigger
 * point, roller, stretch) with a dose a person can follow, spread over days so that a
 * session treats at most a few points, with the atlas's site cautions and the screening
 * precautions applied. Immutable once made; it refers to the atlas, which must outlive
 * it. */
typedef struct trp_plan trp_plan;

/* Side of a target or step: TRP_LEFT, TRP_RIGHT, or this when none was given (the plan
 * is the same for either side). */
#define TRP_SIDE_ANY (-1)

/* A muscle to plan for. */
typedef struct trp_target {
	const trp_muscle *muscle;
	int side;                  /* TRP_LEFT, TRP_RIGHT or TRP_SIDE_ANY */
} trp_target;

/* The most targets one plan takes, and trigger points a session treats. */
#define TRP_PLAN_TARGETS_MAX 64
#define TRP_PLAN_POINTS_DEFAULT 6
#define TRP_PLAN_POINTS_MAX 20

/* No timer of a plan runs longer than these: a hold (pressure, a ball, the roller, a
 * stretch) at most TRP_HOLD_MAX_SECONDS, heat at most TRP_HEAT_MAX_SECONDS. The planner
 * keeps to them and trp_plan_parse() refuses a plan file that does not. */
#define TRP_HOLD_MAX_SECONDS 120
#define TRP_HEAT_MAX_SECONDS (20 * 60)

typedef struct trp_plan_options {
	/* trigger points treated in one session (1..TRP_PLAN_POINTS_MAX); 0 for
	 * TRP_PLAN_POINTS_DEFAULT. More points than this rotate across days. */
	size_t points_per_session;
	/* the screening answers; NULL when the person has not been screened */
	const trp_answers *answers;
	/* other flags to carry into the plan, such as the cautions of the pain map that
	 * chose the muscles (trp_find_cautions); copied */
	const trp_caution_note *notes;
	size_t nnotes;
} trp_plan_options;

/* How much of a technique, and how often within one session. */
typedef struct trp_dose {
	int discomfort_min, discomfort_max; /* how hard, 0-10; both 0 when nothing presses */
	int hold_min, hold_max;             /* seconds per hold (heat: the whole application) */
	int rounds_min, rounds_max;         /* holds per point, or repetitions */
	int rest_seconds;                   /* between rounds */
	int light;                          /* softened to light pressure by a precaution */
	const char *text;                   /* the dose in plain words */
} trp_dose;

/* One step of a session. The strings belong to the plan. */
typedef struct trp_plan_step {
	const trp_muscle *muscle;
	int side;                  /* TRP_LEFT, TRP_RIGHT or TRP_SIDE_ANY */
	trp_technique technique;
	int day;                   /* which day of the rotation: 1 .. trp_plan_days() */
	const char *point;         /* the trigger point's name, or NULL (the whole muscle) */
	int point_region;          /* where that point lies, or -1 */
	const char *instructions;  /* where and how, from the atlas; never a needling or
				    * injection instruction */
	trp_dose dose;
	const char *const *cautions;   /* the site cautions and precautions that apply */
	size_t ncautions;
} trp_plan_step;

/* A technique left out of the plan, and why. */
typedef struct trp_plan_drop {
	const trp_muscle *muscle;
	int side;
	trp_technique technique;
	const char *point;         /* the trigger point it was left out for, or NULL (all) */
	const char *reason;
} trp_plan_drop;

/* Makes the plan for n targets (1..TRP_PLAN_TARGETS_MAX; the same muscle and side given
 * twice counts once). options may be NULL (defaults, not screened). When the answers
 * hold an emergency or see_doctor flag the plan is refused: it has a reason and no
 * steps. Fails with TRP_EINVAL (no targets, too many, a NULL muscle, a side or a points
 * value out of range; msg says which) or TRP_ENOMEM. Free with trp_plan_free(). */
trp_err trp_plan_new(const trp_atlas *atlas, const trp_target *targets, size_t n,
		     const trp_plan_options *options, trp_plan **out, char *msg, size_t msgsize);

/* Reads a plan back from the JSON that trp_plan_json() writes (a plan saved to a file
 * for `trp session --plan FILE`). `file` is the name used in messages. Muscles are
 * looked up in `atlas`. Fails with TRP_EPARSE (not JSON), TRP_EINVAL (a field missing,
 * unknown or of the wrong type, an unknown muscle, technique or region, a timer longer
 * than TRP_HOLD_MAX_SECONDS or TRP_HEAT_MAX_SECONDS; msg gives "file:line:
 * steps[2].technique: ..."), or TRP_ENOMEM. "perpetuating_factors" may be missing (a
 * plan written before it existed); its content is checked, not kept: the plan writes
 * the built-in list. */
trp_err trp_plan_parse(const trp_atlas *atlas, const char *file, const char *text, size_t len,
		       trp_plan **out, char *msg, size_t msgsize);

/* Frees a plan. NULL is a no-op. */
void trp_plan_free(trp_plan *plan);

/* Whether the plan was refused; *reason (when reason is not NULL) gets the reason and
 * what to do instead, or NULL. */
int trp_plan_refused(const trp_plan *plan, const char **reason);

/* The steps, day by day and in the order to do them. */
size_t trp_plan_steps(const trp_plan *plan, const trp_plan_step **steps);

/* The number of days the steps rotate over (1 when every point fits one session; 0 when
 * there are no steps). */
int trp_plan_days(const trp_plan *plan);

/* How often, for how long, and when to judge the result, in plain words. */
const char *trp_plan_frequency(const trp_plan *plan);

/* When to see a professional and what they may offer (never how to do it). */
size_t trp_plan_professional(const trp_plan *plan, const char *const **items);

/* The screening flags and the other notes, most serious first. */
size_t trp_plan_flags(const trp_plan *plan, const trp_caution_note **items);

/* The techniques left out, each with its reason. */
size_t trp_plan_dropped(const trp_plan *plan, const trp_plan_drop **items);

/* The plan as {"refused", "reason", "steps", "frequency", "professional", "flags",
 * "dropped", "perpetuating_factors"} (docs/release.md); free() it. NULL only when out
 * of memory. */
char *trp_plan_json(const trp_plan *plan, int pretty);

/* "l", "r", or NULL for TRP_SIDE_ANY. */
const char *trp_plan_side_code(int side);

/* A technique as it reads in a sentence: "finger or thumb pressure", "a ball against a
 * wall", "moist heat"; NULL for an out-of-range value. */
const char *trp_technique_words(trp_technique technique);

#ifdef __cplusplus
}
#endif

#endif /* TRP_RELEASE_H */
