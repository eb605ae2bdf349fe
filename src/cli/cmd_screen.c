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
	"Asks the safety questions one at a time before you treat trigger points yourself:\n"
	"warning signs that need emergency care, reasons to see a doctor first, and\n"
	"conditions that change how to treat (precautions). Answer y (yes) or n (no); b goes\n"
	"back to the previous question. Then it prints the outcome and what to do.\n"
	"\n"
	"  --answers FILE  read the answers instead of asking: a JSON object\n"
	"                  {\"CODE\": true|false, ...}; codes not named count as no ('-' reads\n"
	"                  standard input)\n"
	"  --save FILE     write the answers to FILE, for 'trp plan --screen FILE'\n"
	"  --list          list the questions and their codes\n"
	"  --json          print {\"outcome\", \"flags\", \"advice\"} (with --list:\n"
	"                  [{\"code\", \"group\", \"question\"}]); the questions then go to stderr\n"
	"\n"
	"Example: trp screen --save answers.json && trp plan --screen answers.json soleus.r\n";

static const char *const group_titles[] = {
	"Emergency: a yes means call for help now",
	"See a doctor first: a yes means self-treatment waits",
	"Precautions: a yes changes the plan",
};

static const char *const outcome_words[] = {
	"clear: self-care as usual",
	"self-care with precautions",
	"see a doctor first",
	"EMERGENCY: call for help now",
};

static int print_list(int json)
{
	size_t i, n = trp_screen_count();
	int group = -1;

	if (json)
		return cli_print_json(trp_screen_list_json(1));
	for (i = 0; i < n; i++) {
		const trp_question *q = trp_screen_question(i);
		char first[64];

		if ((int)q->group != group) {
			group = (int)q->group;
			printf("%s%s\n", i ? "\n" : "", group_titles[group]);
		}
		snprintf(first, sizeof first, "  %-22s ", q->code);
		cli_wrap(first, 25, q->question);
	}
	return EXIT_DONE;
}

static void print_outcome(const trp_answers *answers, const char *saved, int asked)
{
	const trp_question *flags[TRP_SCREEN_MAX];
	trp_outcome outcome = trp_screen_outcome(answers);
	size_t n = trp_screen_flags(answers, flags, TRP_SCREEN_MAX), i;

	printf("%sOutcome: %s\n", asked ? "\n" : "", outcome_words[outcome]);
	for (i = 0; i < n; i++) {
		char first[64];

		snprintf(first, sizeof first, "  ! %s: ", flags[i]->code);
		cli_wrap(first, 4, flags[i]->message);
	}
	printf("\n");
	cli_wrap("What to do: ", 2, trp_screen_advice(outcome));
	if (saved && strcmp(saved, "-") != 0 && outcome <= TRP_OUTCOME_PRECAUTIONS)
		printf("\nNext: trp plan --screen %s MUSCLE...\n", saved);
	printf("\ntrp informs; it does not diagnose.\n");
}

/* Reads one answer line: 'y', 'n' or 'b' (or the words); 0 at the end of input. */
static int read_answer(FILE *prompt)
{
	char line[256];

	for (;;) {
		size_t len;

		fputs("  y/n (b: back) > ", prompt);
		fflush(prompt);
		if (!fgets(line, sizeof line, stdin))
			return 0;
		len = strcspn(line, "\r\n");
		line[len] = '\0';
		if (strcmp(line, "y") == 0 || strcmp(line, "Y") == 0 || strcmp(line, "yes") == 0)
			return 'y';
		if (strcmp(line, "n") == 0 || strcmp(line, "N") == 0 || strcmp(line, "no") == 0)
			return 'n';
		if (strcmp(line, "b") == 0 || strcmp(line, "B") == 0 || strcmp(line, "back") == 0)
			return 'b';
		fputs("  Please answer y (yes), n (no) or b (back).\n", prompt);
	}
}

/* Asks every question in turn; stops at the first emergency "yes". */
static int ask(trp_answers *answers, FILE *prompt)
{
	size_t i = 0, n = trp_screen_count();

	trp_answers_clear(answers);
	fprintf(prompt, "Safety questions before you treat trigger points yourself (%zu).\n"
		"Answer y or n; b goes back to the previous question.\n", n);
	while (i < n) {
		const trp_question *q = trp_screen_question(i);
		char first[64];
		int a;

		snprintf(first, sizeof first, "\n%2zu/%zu  ", i + 1, n);
		if (prompt == stdout) {
			cli_wrap(first, 7, q->question);
		} else {
			fprintf(prompt, "%s%s\n", first, q->question);
		}
		a = read_answer(prompt);
		if (a == 0)
			return cli_error(EXIT_USAGE, "screen: the input ended at question %zu of %zu ('%s'; "
					 "answer y, n or b)", i + 1, n, q->code);
		if (a == 'b') {
			if (i == 0)
				fputs("  (This is the first question.)\n", prompt);
			else
				i--;
			continue;
		}
		answers->yes[i] = a == 'y';
		if (a == 'y' && q->group == TRP_GROUP_EMERGENCY)
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
