/*
 * diary_open.c: where the diary lives (--db, TRP_DB, or the XDG data directory), and
 * the person's clock and time zone, for the commands that read or write the diary.
 */
#include <errno.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>

#include "cli.h"
#include "store.h"

/* mkdir -p for the default directory only (an explicit --db names an existing one). */
static int make_dirs(char *path)
{
	char *p;

	for (p = path + 1; *p; p++) {
		if (*p != '/')
			continue;
		*p = '\0';
		if (mkdir(path, 0700) != 0 && errno != EEXIST) {
			*p = '/';
			return -1;
		}
		*p = '/';
	}
	return mkdir(path, 0700) != 0 && errno != EEXIST ? -1 : 0;
}

trp_diary *cli_diary(struct cli *cli)
{
	char *path = cli->db_resolved, msg[1024];
	const char *target = cli->db_path;
	trp_err err;

	if (cli->diary)
		return cli->diary;
	/* an empty path is a mistake (a variable that expanded to nothing), not a request
	 * for the default diary */
	if (target && !*target) {
		cli->failure = cli_error(EXIT_USAGE, "--db: the path is empty (give a file, such as "
					 "--db ~/diary.db, or leave --db out for the default diary)");
		return NULL;
	}
	if (!target) {
		target = getenv("TRP_DB");
		if (target && !*target) {
			cli->failure = cli_error(EXIT_USAGE, "TRP_DB is set but empty (give it a file path, "
						 "or unset it for the default diary)");
			return NULL;
		}
	}
	if (!target) {
		const char *data = getenv("XDG_DATA_HOME"), *home = getenv("HOME");
		int n;

		if (data && *data == '/')
			n = snprintf(path, sizeof cli->db_resolved, "%s/trp", data);
		else if (home && *home)
			n = snprintf(path, sizeof cli->db_resolved, "%s/.local/share/trp", home);
		else {
			cli->failure = cli_error(EXIT_FAILED, "no place for the diary: set HOME, "
						 "XDG_DATA_HOME or TRP_DB, or give --db PATH");
			return NULL;
		}
		if (n < 0 || (size_t)n + sizeof "/diary.db" > sizeof cli->db_resolved || make_dirs(path) != 0) {
			cli->failure = cli_error(EXIT_FAILED, "cannot create the diary directory %s: %s",
						 path, strerror(errno));
			return NULL;
		}
		strcat(path, "/diary.db");
		target = path;
	} else {
		snprintf(cli->db_resolved, sizeof cli->db_resolved, "%s", target);
	}
	if (trp__diary_is_postgres(target)) {
		/* the PostgreSQL back end is in the server's module (module.c says why) */
		const struct trp_store_ops *ops = cli_module_symbol("trp-serve.so", "trp__store_postgres",
								    msg, sizeof msg);

		err = ops ? trp__diary_open_ops(ops, target, &cli->diary, msg, sizeof msg) : TRP_EIO;
	} else {
		err = trp_diary_open(target, &cli->diary, msg, sizeof msg);
	}
	if (err) {
		/* a foreign or damaged file is bad input; anything else a run-time failure */
		cli->failure = cli_error(cli_diary_exit(err), "%s", msg);
		return NULL;
	}
	return cli->diary;
}

int cli_diary_exit(trp_err err)
{
	return err == TRP_EPARSE || err == TRP_EINVAL ? EXIT_USAGE : EXIT_FAILED;
}

trp_diary *cli_diary_checked(struct cli *cli)
{
	trp_diary *d = cli_diary(cli);
	trp_err err;

	if (!d)
		return NULL;
	err = trp_diary_check(d);
	if (err) {
		/* damage is bad input (exit 2) and nothing is written; a check that could not
		 * run is a run-time failure */
		cli->failure = cli_error(err == TRP_EPARSE ? EXIT_USAGE : EXIT_FAILED, "%s",
					 trp_diary_errmsg(d));
		return NULL;
	}
	return d;
}

void cli_now(int64_t *at, int *tz)
{
	time_t now = time(NULL);
	struct tm tm;

	localtime_r(&now, &tm);
	*at = (int64_t)now;
	*tz = (int)(tm.tm_gmtoff / 60);
}

int cli_time(const char *option, const char *text, int64_t *at, int *tz)
{
	char msg[256];
	int has_offset;

	if (trp_time_parse(text, at, tz, &has_offset, msg, sizeof msg))
		return cli_error(EXIT_USAGE, "%s: %s", option, msg);
	if (!has_offset) {
		/* local time: let the C library find the offset that applied then */
		time_t guess = (time_t)*at;
		struct tm tm;

		gmtime_r(&guess, &tm);
		tm.tm_isdst = -1;
		guess = mktime(&tm);
		if (guess == (time_t)-1)
			return cli_error(EXIT_USAGE, "%s: '%s' is not a local time that exists", option, text);
		localtime_r(&guess, &tm);
		*at = (int64_t)guess;
		*tz = (int)(tm.tm_gmtoff / 60);
	}
	return EXIT_DONE;
}

int cli_int(const char *option, const char *text, int min, int max, int *out)
{
	char *end;
	long v;

	errno = 0;
	v = strtol(text, &end, 10);
	if (!*text || *end || errno || v < min || v > max)
		return cli_error(EXIT_USAGE, "%s: '%.32s' is not a whole number from %d to %d", option,
				 text, min, max);
	*out = (int)v;
	return EXIT_DONE;
}

const char *cli_diary_path(const struct cli *cli)
{
	return cli->db_resolved;
}
