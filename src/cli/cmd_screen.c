/*
 * cmd_screen.c: `trp screen` asks the safety questions one at a time (or reads the
 * answers from a file) and says what to do: call for help, see a doctor first, self-care
 * with precautions, or self-care as usual.
 */
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "release_input.h"

static const char help[] =
	"usage: trp screen [--json] [--save FILE]\n"
	"       trp screen --answers FILE [--json]\n"
	"       trp screen --list [--json]\n"
	"\n"
	"Asks the safety questions before you treat trigger points yourself, section by\n"
	"section (heart, head, back, legs, ...): warning signs that need emergency care,\n"
	"reasons to see a doctor first, and conditions that change how to treat\n"
	"(precautions). First your age, in whole years; then y (yes) or n (no) to each\n"
	"question. b goes back to the previous question. Questions that cannot apply are\n"
	"skipped (no follow-up after a no). Then it prints the outcome and what to do.\n"
	"\n"
	"  --answers FILE  read the answers instead of asking: a JSON object\n"
	"                  {\"age\": N, \"CODE\": true|false, ...}; codes not named count as\n"
	"                  no ('-' reads standard input)\n"
	"  --save FILE     write the answers to FILE, for 'trp plan --screen FILE'\n"
	"  --list          list the questions by section, and the combinations of answers\n"
	"  --json          print {\"outcome\", \"flags\", \"advice\"} (with --list: [{\"code\",\n"
	"                  \"group\", \"question\", \"section\", ...}]); the questions then go to\n"
	"                  stderr\n"
	"\n"
	"Example: trp screen --save answers.json && trp plan --screen answers.json soleus.r\n";

/* What a question's answer does, for the list. */
static const char *const group_words[] = {
	"a yes: call for help now",
	"a yes: see a doctor first",
	"a yes: the plan changes",
	"counts with other answers: see the combinations below",
};

static const char *const outcome_words[] = {
	"clear: self-care as usual",
	"self-care with precautions",
	"see a doctor first",
	"EMERGENCY: call for help now",
};

/* "a yes: see a doctor first; asked only after a yes to 'headache' and at 50 or over" */
static void describe(const trp_question *q, char *buf, size_t size)
{
	size_t used, k;

	used = (size_t)snprintf(buf, size, "(%s", q->type == TRP_QUESTION_AGE
				? "your age, for the combinations below" : group_words[q->group]);
	for (k = 0; k < q->nask_if_yes && used < size; k++)
		used += (size_t)snprintf(buf + used, size - used, "%s'%s'",
					 k ? " and " : "; asked only after a yes to ", q->ask_if_yes[k]);
	if (q->ask_if_age_at_least && used < size)
		used += (size_t)snprintf(buf + used, size - used, "%s at %d or over (or when the age "
					 "is not given)", q->nask_if_yes ? ", and" : "; asked only",
					 q->ask_if_age_at_least);
	if (used < size)
		snprintf(buf + used, size - used, ")");
}

/* "yes to calf_pain, and to any of clot_risk, pregnancy; at 50 or over" */
static void describe_rule(const trp_screen_rule *r, char *buf, size_t size)
{
	size_t used, k;

	used = (size_t)snprintf(buf, size, "%s: a yes to ", r->group == TRP_GROUP_EMERGENCY
				? "EMERGENCY" : "see a doctor");
	for (k = 0; k < r->nall && used < size; k++)
		used += (size_t)snprintf(buf + used, size - used, "%s'%s'", k ? " and " : "", r->all[k]);
	for (k = 0; k < r->nany && used < size; k++)
		used += (size_t)snprintf(buf + used, size - used, "%s'%s'", k == 0
					 ? ", together with a yes to any of " : k + 1 < r->nany ? ", "
					 : " or ", r->any[k]);
	if (r->age_at_least && used < size)
		snprintf(buf + used, size - used, ", at %d or over (or with the age not given)",
			 r->age_at_least);
}

static int print_list(int json)
{
	size_t i, n = trp_screen_count(), nr = trp_screen_rule_count();
	const char *section = NULL;

	if (json)
		return cli_print_json(trp_screen_list_json(1));
	for (i = 0; i < n; i++) {
		const trp_question *q = trp_screen_question(i);
		char first[64], what[512];

		if (q->section != section) {
			section = q->section;
			printf("%s%s\n", i ? "\n" : "", q->section_title);
		}
		snprintf(first, sizeof first, "  %-22s ", q->code);
		cli_wrap(first, 25, q->question);
		describe(q, what, sizeof what);
		cli_wrap("                         ", 25, what);
	}
	if (nr)
		printf("\nCombinations: answers that together call for more than each alone\n");
	for (i = 0; i < nr; i++) {
		const trp_screen_rule *r = trp_screen_rule_at(i);
		char first[64], what[1024];

		snprintf(first, sizeof first, "  %-22s ", r->code);
		describe_rule(r, what, sizeof what);
		cli_wrap(first, 25, what);
	}
	return EXIT_DONE;
}

static void print_outcome(const trp_answers *answers, const char *saved, int asked)
{
	trp_flag flags[TRP_SCREEN_FLAGS_MAX];
	trp_outcome outcome = trp_screen_outcome(answers);
	size_t n = trp_screen_flags(answers, flags, TRP_SCREEN_FLAGS_MAX), i;

	printf("%sOutcome: %s\n", asked ? "\n" : "", outcome_words[outcome]);
	for (i = 0; i < n && i < TRP_SCREEN_FLAGS_MAX; i++) {
		char first[64];

		snprintf(first, sizeof first, "  ! %s: ", flags[i].code);
		cli_wrap(first, 4, flags[i].message);
	}
	printf("\n");
	cli_wrap("What to do: ", 2, trp_screen_advice(outcome));
	if (saved && strcmp(saved, "-") != 0 && outcome <= TRP_OUTCOME_PRECAUTIONS)
		printf("\nNext: trp plan --screen %s MUSCLE...\n", saved);
	printf("\ntrp informs; it does not diagnose.\n");
}

/* Reads one answer line without its newline; 0 at the end of input. */
static int read_line(char *line, size_t size)
{
	if (!fgets(line, (int)size, stdin))
		return 0;
	line[strcspn(line, "\r\n")] = '\0';
	return 1;
}

/* Reads one yes/no answer: 'y', 'n' or 'b' (or the words); 0 at the end of input. */
static int read_answer(FILE *prompt)
{
	char line[256];

	for (;;) {
		fputs("  y/n (b: back) > ", prompt);
		fflush(prompt);
		if (!read_line(line, sizeof line))
			return 0;
		if (strcmp(line, "y") == 0 || strcmp(line, "Y") == 0 || strcmp(line, "yes") == 0)
			return 'y';
		if (strcmp(line, "n") == 0 || strcmp(line, "N") == 0 || strcmp(line, "no") == 0)
			return 'n';
		if (strcmp(line, "b") == 0 || strcmp(line, "B") == 0 || strcmp(line, "back") == 0)
			return 'b';
		fputs("  Please answer y (yes), n (no) or b (back).\n", prompt);
	}
}

/* Reads the age: a whole number of years, or 'b'; returns 'a' with *age set, 'b', or 0
 * at the end of input. */
static int read_age(FILE *prompt, int *age)
{
	char line[256];

	for (;;) {
		char *end;
		long v;

		fputs("  age in years (b: back) > ", prompt);
		fflush(prompt);
		if (!read_line(line, sizeof line))
			return 0;
		if (strcmp(line, "b") == 0 || strcmp(line, "B") == 0 || strcmp(line, "back") == 0)
			return 'b';
		v = strtol(line, &end, 10);
		if (line[0] != '\0' && *end == '\0' && v >= TRP_AGE_MIN && v <= TRP_AGE_MAX) {
			*age = (int)v;
			return 'a';
		}
		fprintf(prompt, "  Please give your age as a whole number of years, from %d to %d.\n",
			TRP_AGE_MIN, TRP_AGE_MAX);
	}
}

/* Asks the questions that apply, section by section; 'b' goes back to the previous
 * question asked. Stops at the first answer that makes the outcome an emergency. */
static int ask(trp_answers *answers, FILE *prompt)
{
	size_t i = 0, n = trp_screen_count(), asked[TRP_SCREEN_MAX], nasked = 0;
	const char *section = NULL;

	trp_answers_clear(answers);
	fprintf(prompt, "Safety questions before you treat trigger points yourself (up to %zu,\n"
		"section by section; some are asked only after a yes). Give your age in\n"
		"whole years, then answer y or n; b goes back to the previous question.\n", n);
	while (i < n) {
		const trp_question *q = trp_screen_question(i);
		char first[64];
		int a;

		if (!trp_screen_applies(answers, i)) {
			answers->yes[i] = 0;   /* an answer given before going back no longer counts */
			i++;
			continue;
		}
		if (q->section != section) {
			section = q->section;
			fprintf(prompt, "\n%s\n", q->section_title);
		}
		snprintf(first, sizeof first, "%2zu/%zu  ", i + 1, n);
		if (prompt == stdout)
			cli_wrap(first, 7, q->question);
		else
			fprintf(prompt, "%s%s\n", first, q->question);
		a = q->type == TRP_QUESTION_AGE ? read_age(prompt, &answers->age) : read_answer(prompt);
		if (a == 0)
			return cli_error(EXIT_USAGE, "screen: the input ended at question %zu of %zu ('%s'; "
					 "answer %s)", i + 1, n, q->code, q->type == TRP_QUESTION_AGE
					 ? "the age in whole years, or b" : "y, n or b");
		if (a == 'b') {
			if (nasked == 0) {
				fputs("  (This is the first question.)\n", prompt);
			} else {
				i = asked[--nasked];
				section = NULL;   /* say the section again */
			}
			continue;
		}
		if (q->type == TRP_QUESTION_YES_NO)
			answers->yes[i] = a == 'y';
		asked[nasked++] = i;
		if (trp_screen_outcome(answers) == TRP_OUTCOME_EMERGENCY)
			break;   /* no need to ask more */
		i++;
	}
	return EXIT_DONE;
}

static int save(const char *path, const trp_answers *answers)
{
	char *json = trp_answers_json(answers, 1);
	FILE *f;
	int ok;

	if (!json)
		return cli_error(EXIT_FAILED, "screen: out of memory");
	f = fopen(path, "w");
	ok = f && fputs(json, f) >= 0 && fputc('\n', f) != EOF;
	if (f && fclose(f) != 0)
		ok = 0;
	free(json);
	if (!ok)
		return cli_error(EXIT_FAILED, "screen: cannot write '%s'", path);
	return EXIT_DONE;
}

int cmd_screen(struct cli *cli, int argc, char **argv)
{
	static const struct option opts[] = {
		{ "answers", required_argument, NULL, 'a' },
		{ "save", required_argument, NULL, 's' },
		{ "list", no_argument, NULL, 'l' },
		{ "json", no_argument, NULL, 'j' },
		{ "help", no_argument, NULL, 'h' },
		{ NULL, 0, NULL, 0 },
	};
	const char *arg, *answers_path = NULL, *save_path = NULL;
	trp_answers answers;
	int json = 0, list = 0, c, code;

	(void)cli;
	optind = 0;
	while ((c = cli_getopt(argc, argv, opts, &arg)) != -1) {
		if (c == 'h') {
			fputs(help, stdout);
			return EXIT_DONE;
		} else if (c == 'a') {
			answers_path = arg;
		} else if (c == 's') {
			save_path = arg;
		} else if (c == 'l') {
			list = 1;
		} else if (c == 'j') {
			json = 1;
		} else {
			return EXIT_USAGE;
		}
	}
	if (cli_optind < argc)
		return cli_error(EXIT_USAGE, "screen: unexpected argument '%s' (see 'trp screen --help')",
				 argv[cli_optind]);
	if (list && (answers_path || save_path))
		return cli_error(EXIT_USAGE, "screen: --list takes no --answers or --save");
	if (list)
		return print_list(json);
	if (answers_path)
		code = release_answers("screen", answers_path, &answers);
	else
		code = ask(&answers, json ? stderr : stdout);
	if (code)
		return code;
	if (save_path && (code = save(save_path, &answers)))
		return code;
	if (json)
		return cli_print_json(trp_screen_json(&answers, 1));
	print_outcome(&answers, save_path ? save_path : answers_path, !answers_path);
	return EXIT_DONE;
}
