/*
 * cli.h: what the subcommands of the trp tool share.
 */
#ifndef TRP_CLI_H
#define TRP_CLI_H

#include <stdio.h>

#include "trp/diary.h"
#include "trp/trp.h"

/* Exit codes of every command (docs/cli.md); EXIT_REFUSED: a plan or session that the
 * safety screening stops. */
enum { EXIT_DONE = 0, EXIT_FAILED = 1, EXIT_USAGE = 2, EXIT_REFUSED = 3 };

/* The state of one run of the tool. */
struct cli {
	const char *atlas_dir;   /* --atlas DIR, or NULL for the built-in atlas */
	trp_atlas *atlas;        /* opened on first use by cli_atlas() */
	int failure;             /* the exit code of cli_atlas()'s or cli_diary()'s failure */
	const char *db_path;     /* --db PATH, else TRP_DB, else the XDG data directory */
	trp_diary *diary;        /* opened on first use by cli_diary() */
	char db_resolved[4096];  /* the diary's path, once cli_diary() has found it */
};

/* One subcommand: runs with argv[0] = its name; returns an exit code. */
struct command {
	const char *name;
	int (*run)(struct cli *cli, int argc, char **argv);
	const char *summary;
};

int cmd_find(struct cli *cli, int argc, char **argv);
int cmd_regions(struct cli *cli, int argc, char **argv);
int cmd_symptoms(struct cli *cli, int argc, char **argv);
int cmd_pain(struct cli *cli, int argc, char **argv);
int cmd_log(struct cli *cli, int argc, char **argv);
int cmd_history(struct cli *cli, int argc, char **argv);
int cmd_edit(struct cli *cli, int argc, char **argv);
int cmd_delete(struct cli *cli, int argc, char **argv);
int cmd_restore(struct cli *cli, int argc, char **argv);
int cmd_report(struct cli *cli, int argc, char **argv);
int cmd_trial(struct cli *cli, int argc, char **argv);
int cmd_export(struct cli *cli, int argc, char **argv);
int cmd_import(struct cli *cli, int argc, char **argv);
int cmd_check(struct cli *cli, int argc, char **argv);
int cmd_clinic(struct cli *cli, int argc, char **argv);
int cmd_experiences(struct cli *cli, int argc, char **argv);
int cmd_serve(struct cli *cli, int argc, char **argv);
int cmd_muscles(struct cli *cli, int argc, char **argv);
int cmd_muscle(struct cli *cli, int argc, char **argv);
int cmd_screen(struct cli *cli, int argc, char **argv);
int cmd_plan(struct cli *cli, int argc, char **argv);
int cmd_session(struct cli *cli, int argc, char **argv);

/* The atlas of this run (built-in or --atlas DIR), or NULL after printing why; then
 * cli->failure is the exit code. */
const trp_atlas *cli_atlas(struct cli *cli);

/* The diary of this run, or NULL after printing why; then cli->failure is the exit
 * code. Creates the default directory ($XDG_DATA_HOME/trp or ~/.local/share/trp). */
trp_diary *cli_diary(struct cli *cli);

/* cli_diary(), then the diary looked over for damage (trp_diary_check): the commands
 * that read all of it (report, export, check) refuse a damaged one with exit 2, and
 * leave it as it is. */
trp_diary *cli_diary_checked(struct cli *cli);

/* The exit code for a failed diary call: 2 for a damaged or foreign diary (TRP_EPARSE)
 * or bad input (TRP_EINVAL), 1 for anything else. */
int cli_diary_exit(trp_err err);

/* The path cli_diary() opened. */
const char *cli_diary_path(const struct cli *cli);

/* Now, as seconds since the epoch and the local offset east of UTC in minutes. */
void cli_now(int64_t *at, int *tz);

/* Parses a date or time given on the command line: with no offset it is local time.
 * Prints the error (naming `option`) and returns EXIT_USAGE on bad input. */
int cli_time(const char *option, const char *text, int64_t *at, int *tz);

/* Parses a whole number in [min, max] given to `option`; EXIT_USAGE after printing. */
int cli_int(const char *option, const char *text, int min, int max, int *out);

/* The function `symbol` of the module `module` (a shared object beside the binary,
 * opened once: module.c), or NULL with the reason in msg. */
void *cli_module_symbol(const char *module, const char *symbol, char *msg, size_t msgsize);

/* Writes len bytes of text with every byte that is not UTF-8 text, and every control
 * character but tab, written as \xNN, so nothing it holds can drive a terminal. */
void cli_put_safe(FILE *f, const char *text, size_t len);

/* Prints "trp: <message>" on stderr (as cli_put_safe writes it) and returns `code`. */
int cli_error(int code, const char *fmt, ...) __attribute__((format(printf, 2, 3)));

/* Parses the options of a subcommand. `opts` is a getopt_long table whose entries are
 * all flags or single arguments; unknown options and missing arguments are reported
 * with the command's name. Returns the option (as getopt_long does), -1 at the end, or
 * '?' after printing the error. *optarg_out gets the argument. */
struct option;
int cli_getopt(int argc, char **argv, const struct option *opts, const char **optarg_out);
extern int cli_optind;

/* A file written whole or not at all (outfile.c): a temporary file made with mkstemp in
 * the target's folder, flushed, then renamed over the target; a target that exists and
 * is not a regular file is refused (exit 1, "cannot be written"). */
struct outfile {
	const char *path, *cmd;
	char dir[4096];
	char tmp[4200];
	int fd;
	FILE *f;                 /* write here between open and commit */
};
/* Each prints its error (naming cmd and the path) and returns an exit code. */
int outfile_open(struct outfile *o, const char *cmd, const char *path);
int outfile_commit(struct outfile *o);
void outfile_abort(struct outfile *o);
/* The three at once, for bytes already in memory. */
int outfile_write(const char *cmd, const char *path, const void *data, size_t size);

/* Prints a JSON text that the library built (NULL: out of memory) and frees it. */
int cli_print_json(char *json);

/* Prints text wrapped to the terminal width: the first line starts with `first`, the
 * rest are indented by `indent` spaces. */
void cli_wrap(const char *first, int indent, const char *text);

/* The nearest names to a misspelt muscle, as " (did you mean 'a' or 'b'?)", or "". */
const char *cli_muscle_hint(const trp_atlas *atlas, const char *name, char *buf, size_t size);

#endif
