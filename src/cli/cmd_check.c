/*
 * cmd_check.c: `trp check` looks the whole diary over for damage (trp_diary_check), the
 * check that `trp report`, `trp export` and `trp serve` run first (docs/diary.md).
 */
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include <jansson.h>

#include "cli.h"

static const char help[] =
	"usage: trp check [--json] [--db PATH]\n"
	"\n"
	"Reads every page of the diary and checks its structure (SQLite's quick_check), and\n"
	"reads every entry and trial. A damaged diary is named with what is wrong (exit 2)\n"
	"and left exactly as it is: restore a backup, or move it away.\n"
	"'trp report', 'trp export' and 'trp serve' run the same check first.\n"
	"\n"
	"  --json   print {\"diary\", \"ok\", \"entries\", \"trials\", \"repaired\", \"problem\"}\n";

static int count_entry(const trp_entry *e, void *arg)
{
	(void)e;
	++*(size_t *)arg;
	return 0;
}

static int count_trial(const trp_trial *t, void *arg)
{
	(void)t;
	++*(size_t *)arg;
	return 0;
}

enum { O_DB = 1000 };

int cmd_check(struct cli *cli, int argc, char **argv)
{
	static const struct option opts[] = {
		{ "json", no_argument, NULL, 'j' }, { "db", required_argument, NULL, O_DB },
		{ "help", no_argument, NULL, 'h' }, { NULL, 0, NULL, 0 },
	};
	const char *arg;
	size_t entries = 0, trials = 0;
	struct timespec t0, t1;
	trp_diary *d;
	trp_err err;
	int json = 0, c;

	optind = 0;
	while ((c = cli_getopt(argc, argv, opts, &arg)) != -1) {
		switch (c) {
		case 'h': fputs(help, stdout); return EXIT_DONE;
		case 'j': json = 1; break;
		case O_DB: cli->db_path = arg; break;
		default: return EXIT_USAGE;
		}
	}
	if (cli_optind < argc)
		return cli_error(EXIT_USAGE, "check: unexpected argument '%s' (see 'trp check --help')",
				 argv[cli_optind]);
	d = cli_diary(cli);
	if (!d)
		return cli->failure;
	clock_gettime(CLOCK_MONOTONIC, &t0);
	err = trp_diary_check(d);
	if (!err)
		err = trp_diary_each(d, INT64_MIN, 1, count_entry, &entries);
	if (!err)
		err = trp_diary_trial_each(d, count_trial, &trials);
	clock_gettime(CLOCK_MONOTONIC, &t1);
	if (json) {
		/* a path is bytes, JSON is UTF-8 */
		char path[4096 * 3], problem[2048];
		json_t *o;

		trp_text_repair(cli_diary_path(cli), strlen(cli_diary_path(cli)), 0, path, sizeof path, NULL);
		trp_text_repair(trp_diary_errmsg(d), strlen(trp_diary_errmsg(d)), 0, problem, sizeof problem, NULL);
		o = json_pack("{s:s, s:b, s:I, s:I, s:I, s:o}", "diary", path, "ok", !err,
			      "entries", (json_int_t)entries, "trials", (json_int_t)trials,
			      "repaired", (json_int_t)trp_diary_repairs(d),
			      "problem", err ? json_string(problem) : json_null());

		if (cli_print_json(o ? json_dumps(o, JSON_INDENT(2)) : NULL) != EXIT_DONE) {
			json_decref(o);
			return EXIT_FAILED;
		}
		json_decref(o);
	}
	if (err)
		return cli_error(err == TRP_EPARSE ? EXIT_USAGE : EXIT_FAILED, "%s", trp_diary_errmsg(d));
	if (!json)
		printf("%s: no damage found: %zu entries and %zu trials read, the structure of every "
		       "page checked (%.0f ms)\n", cli_diary_path(cli), entries, trials,
		       (double)(t1.tv_sec - t0.tv_sec) * 1e3 + (double)(t1.tv_nsec - t0.tv_nsec) / 1e6);
	return EXIT_DONE;
}
