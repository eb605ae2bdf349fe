/*
 * main.c: the trp tool. Parses the global options, runs one subcommand from the table,
 * and checks that what it printed was written. Everything else lives in cmd_*.c.
 */
#include <stdio.h>
#include <string.h>

#include "cli.h"

static const struct command commands[] = {
	{ "find", cmd_find, "rank the muscles that may cause a pain map, and explain it" },
	{ "regions", cmd_regions, "list the body regions a pain map is written in" },
	{ "symptoms", cmd_symptoms, "list the symptoms besides pain that a pain map may add" },
	{ "muscles", cmd_muscles, "list the muscles of the atlas, or those of one region or symptom" },
	{ "muscle", cmd_muscle, "show one muscle: trigger points, referral, causes, self-care" },
	{ "screen", cmd_screen, "the safety questions to answer before treating yourself" },
	{ "plan", cmd_plan, "a release plan: how hard, how long, how often, what to avoid" },
	{ "session", cmd_session, "walk through a plan step by step, with timers" },
	{ "pain", cmd_pain, "record where it hurts now" },
	{ "log", cmd_log, "record a session: what you did, pain before and after" },
	{ "history", cmd_history, "list the diary" },
	{ "edit", cmd_edit, "change an entry of the diary" },
	{ "delete", cmd_delete, "delete an entry (it can be restored)" },
	{ "restore", cmd_restore, "bring back a deleted entry" },
	{ "report", cmd_report, "what helps you: treatments, trends, comparisons, trials" },
	{ "trial", cmd_trial, "an n-of-1 trial of one treatment against another" },
	{ "export", cmd_export, "write the diary as CSV or JSON" },
	{ "import", cmd_import, "read a diary exported as CSV" },
	{ "check", cmd_check, "look the diary over for damage" },
	{ "clinic", cmd_clinic, "set up a clinic's database, read its audit log, pool its outcomes" },
	{ "experiences", cmd_experiences, "what helped a clinic's patients, from its snapshot" },
	{ "serve", cmd_serve, "start the web app: a body map in your browser" },
};

static const struct command *find_command(const char *name)
{
	size_t i;

	for (i = 0; i < sizeof commands / sizeof commands[0]; i++)
		if (strcmp(commands[i].name, name) == 0)
			return &commands[i];
	return NULL;
}

static int usage(FILE *out)
{
	size_t i;

	fprintf(out,
		"usage: trp [--atlas DIR] COMMAND [ARGS...]\n"
		"\n"
		"trp finds the muscles whose trigger points may cause your pain and shows how\n"
		"to release them. It informs; it does not diagnose.\n"
		"\n"
		"Commands:\n");
	for (i = 0; i < sizeof commands / sizeof commands[0]; i++)
		fprintf(out, "  %-10s %s\n", commands[i].name, commands[i].summary);
	fprintf(out,
		"\n"
		"Options:\n"
		"  --atlas DIR  read the atlas from DIR/*.json instead of the built-in one\n"
		"  --db PATH    the diary (default: TRP_DB, else $XDG_DATA_HOME/trp/diary.db,\n"
		"               else ~/.local/share/trp/diary.db)\n"
		"  --help       show this help ('trp COMMAND --help' for a command)\n"
		"  --version    show the version\n"
		"\n"
		"Examples:\n"
		"  trp find temple.l=7 neck_side.l=4\n"
		"  trp muscles --region temple\n"
		"  trp muscle trapezius_upper\n"
		"  trp muscle scm --json\n"
		"  trp pain temple.l=6:aching\n"
		"  trp log --muscle trapezius_upper --side l --technique pressure --before 6 --after 3\n"
		"  trp report\n");
	return EXIT_DONE;
}

int main(int argc, char **argv)
{
	struct cli cli = { 0 };
	const struct command *cmd;
	int i, code;

	for (i = 1; i < argc && argv[i][0] == '-'; i++) {
		if (strcmp(argv[i], "--help") == 0 || strcmp(argv[i], "-h") == 0)
			return usage(stdout);
		if (strcmp(argv[i], "--version") == 0) {
			printf("trp %s\n", TRP_VERSION);
			return EXIT_DONE;
		}
		if (strcmp(argv[i], "--atlas") == 0) {
			if (i + 1 == argc)
				return cli_error(EXIT_USAGE, "option '--atlas' needs a directory");
			cli.atlas_dir = argv[++i];
		} else if (strncmp(argv[i], "--atlas=", 8) == 0) {
			cli.atlas_dir = argv[i] + 8;
		} else if (strcmp(argv[i], "--db") == 0) {
			if (i + 1 == argc)
				return cli_error(EXIT_USAGE, "option '--db' needs a path");
			cli.db_path = argv[++i];
		} else if (strncmp(argv[i], "--db=", 5) == 0) {
			cli.db_path = argv[i] + 5;
		} else {
			return cli_error(EXIT_USAGE, "unknown option '%s' (see 'trp --help')", argv[i]);
		}
	}
	if (i == argc) {
		usage(stderr);
		return EXIT_USAGE;
	}
	if (strcmp(argv[i], "help") == 0) {
		if (i + 1 == argc)
			return usage(stdout);
		cmd = find_command(argv[i + 1]);
		if (!cmd)
			return cli_error(EXIT_USAGE, "unknown command '%s' (see 'trp --help')", argv[i + 1]);
		{
			char *help_argv[] = { argv[i + 1], (char *)"--help", NULL };

			return cmd->run(&cli, 2, help_argv);
		}
	}
	cmd = find_command(argv[i]);
	if (!cmd)
		return cli_error(EXIT_USAGE, "unknown command '%s' (see 'trp --help')", argv[i]);
	code = cmd->run(&cli, argc - i, argv + i);
	if (cli.diary && trp_diary_repairs(cli.diary) > 0)
		cli_error(code, "warning: %zu %s of the diary held bytes that are not UTF-8 text, or "
			  "control characters; they were shown with U+FFFD in their place, and the "
			  "diary file was left as it is (trp edit ID --note TEXT puts them right)",
			  trp_diary_repairs(cli.diary), trp_diary_repairs(cli.diary) == 1 ? "entry" : "entries");
	trp_diary_close(cli.diary);
	trp_atlas_free(cli.atlas);
	if (fflush(stdout) != 0 || ferror(stdout)) {
		cli_error(EXIT_FAILED, "cannot write the output");
		return EXIT_FAILED;
	}
	return code;
}
