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

/* What a "yes" to a question means. */
typedef enum trp_screen_group {
	TRP_GROUP_EMERGENCY = 0,   /* call emergency services now */
	TRP_GROUP_SEE_DOCTOR,      /* see a doctor before self-treatment */
	TRP_GROUP_PRECAUTION       /* self-treatment with changes to the plan */
} trp_screen_group;

/* The outcome of a screening; a more serious outcome compares greater. */
typedef enum trp_outcome {
	TRP_OUTCOME_CLEAR = 0,
	TRP_OUTCOME_PRECAUTIONS,
	TRP_OUTCOME_SEE_DOCTOR,
	TRP_OUTCOME_EMERGENCY
} trp_outcome;

/* One screening question. The strings are static. */
typedef struct trp_question {
	const char *code;         /* "chest_pressure": the key of an answers file */
	trp_screen_group group;
	const char *question;     /* asked so that "yes" is the warning sign */
	const char *message;      /* what to do after a "yes", in plain words */
	const char *source;       /* the guidance it rests on */
} trp_question;

/* The most questions there can be (the size of trp_answers). */
#define TRP_SCREEN_MAX 64

/* The number of questions, and the i-th in the order they are asked (every emergency
 * question first, then see_doctor, then precaution); NULL when i is out of range. */
size_t trp_screen_count(void);
const trp_question *trp_screen_question(size_t i);

/* The index of the question with this code (exact), or -1. */
int trp_screen_find(const char *code);

/* "emergency", "see_doctor", "precaution"; "clear", "precautions", "see_doctor",
 * "emergency". NULL for an out-of-range value. */
const char *trp_screen_group_name(trp_screen_group group);
const char *trp_outcome_name(trp_outcome outcome);

/* A set of answers: yes[i] != 0 when question i was answered "yes". A value type: copy
 * it freely. */
typedef struct trp_answers {
	unsigned char yes[TRP_SCREEN_MAX];
} trp_answers;

/* Every answer "no". */
void trp_answers_clear(trp_answers *answers);

/* Parses an answers file: a JSON object {"CODE": true|false, ...}; codes not named count
 * as "no". On failure *out is all "no" and the call returns TRP_EPARSE (not JSON; msg
 * gives line and column) or TRP_EINVAL (not an object, an unknown code, a value that is
 * not true or false), with msg naming the field and what would be accepted:
 * "'chest_presure': unknown screening code (did you mean 'chest_pressure'?)". */
trp_err trp_answers_parse(const char *text, size_t len, trp_answers *out, char *msg,
			  size_t msgsize);

/* The answers as an answers file naming every code (true or false), in question order;
 * free() it. NULL only when out of memory. */
char *trp_answers_json(const trp_answers *answers, int pretty);

/* The outcome: emergency if any emergency question was answered yes, else see_doctor,
 * else precautions, else clear. */
trp_outcome trp_screen_outcome(const trp_answers *answers);

/* The questions answered "yes" (the flags), most serious group first and in question
 * order within a group: writes up to max of them into out (which may be NULL when max
 * is 0) and returns how many there are in all. */
size_t trp_screen_flags(const trp_answers *answers, const trp_question **out, size_t max);

/* What to do, for an outcome, in plain words (static). */
const char *trp_screen_advice(trp_outcome outcome);

/* {"outcome", "flags": [{"code", "message"}], "advice"}; free() it. NULL only when out
 * of memory. */
char *trp_screen_json(const trp_answers *answers, int pretty);

/* The questions as [{"code", "group", "question"}]; free() it. NULL only when out of
 * memory. */
char *trp_screen_list_json(int pretty);

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
 * unknown or of the wrong type, an unknown muscle, technique or region; msg gives
 * "file:line: steps[2].technique: ..."), or TRP_ENOMEM. */
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
 * "dropped"} (docs/release.md); free() it. NULL only when out of memory. */
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
