/*
 * cmd_diary.c: writing and reading the diary: `trp pain`, `trp log`, `trp history`,
 * `trp edit`, `trp delete` and `trp restore`. Every one works from flags alone.
 */
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli.h"

static const char pain_help[] =
	"usage: trp pain [--at TIME] REGION[=N][:QUALITY]... [--note TEXT] [--json] [--db PATH]\n"
	"\n"
	"Records where it hurts now: each region with its own pain from 0 to 10 (default 5)\n"
	"and, if you like, how it feels: aching, burning, sharp, tingling or throbbing.\n"
	"\n"
	"  --at TIME    when (YYYY-MM-DD or YYYY-MM-DDTHH:MM, local time unless it ends in\n"
	"               Z or +HH:MM); default now\n"
	"  --note TEXT  a note\n"
	"  --json       print the stored entry as JSON\n"
	"  --db PATH    the diary file (default: TRP_DB, else $XDG_DATA_HOME/trp/diary.db,\n"
	"               else ~/.local/share/trp/diary.db)\n"
	"\n"
	"Example: trp pain temple.l=6:aching neck_side.l=3 --note \"after a long call\"\n";

static const char log_help[] =
	"usage: trp log [--at TIME] [--muscle ID --side l|r] --technique NAME [--minutes N]\n"
	"               --before N --after N [--later N] [--soreness N] [--note TEXT] [--json]\n"
	"\n"
	"Records a session: what you did, and your pain just before and just after (0-10).\n"
	"NAME is pressure, ball, roller, stretch, heat, massage, dry_needling, medication,\n"
	"exercise or other; --muscle and --side are for treatments aimed at one muscle.\n"
	"\n"
	"  --later N     pain some time after (an hour on, the next morning)\n"
	"  --soreness N  soreness the next day, 0-10\n"
	"  --at, --note, --json, --db as for 'trp pain'\n"
	"\n"
	"Example: trp log --muscle trapezius_upper --side l --technique pressure --minutes 5 \\\n"
	"             --before 6 --after 3\n";

static const char history_help[] =
	"usage: trp history [--since DATE] [--all] [--json] [--db PATH]\n"
	"\n"
	"Lists the diary, oldest first: pain entries and sessions with their ids.\n"
	"\n"
	"  --since DATE  from this date or time on\n"
	"  --all         deleted entries too\n"
	"  --json        print an array of entries\n";

static const char edit_help[] =
	"usage: trp edit ID [REGION...] [--at TIME] [--note TEXT] [session options] [--json]\n"
	"\n"
	"Changes a stored entry. For a pain entry, regions given replace its map; for a\n"
	"session, the options of 'trp log' change those fields (--later -1 and --soreness -1\n"
	"clear them). --note \"\" clears the note.\n";

static const char delete_help[] =
	"usage: trp delete ID [--db PATH]\n"
	"\n"
	"Deletes an entry from the history and the report. Nothing is lost: 'trp restore ID'\n"
	"brings it back.\n";

static const char restore_help[] =
	"usage: trp restore ID [--db PATH]\n"
	"\n"
	"Brings back a deleted entry.\n";

/* Every option the diary commands know; each command accepts those it lists. */
enum {
	O_AT = 1000, O_NOTE, O_MUSCLE, O_SIDE, O_TECHNIQUE, O_MINUTES, O_BEFORE, O_AFTER, O_LATER,
	O_SORENESS, O_SINCE, O_ALL, O_DB, O_JSON = 'j', O_HELP = 'h'
};

struct entry_opts {
	const char *at, *note, *muscle, *side, *technique, *minutes, *before, *after, *later,
		*soreness, *since;
	int json, all;
};

#define OPT(name, arg, val) { name, arg, NULL, val }
#define COMMON OPT("json", no_argument, O_JSON), OPT("help", no_argument, O_HELP), \
	OPT("db", required_argument, O_DB)
#define SESSION_OPTS OPT("muscle", required_argument, O_MUSCLE), \
	OPT("side", required_argument, O_SIDE), OPT("technique", required_argument, O_TECHNIQUE), \
	OPT("minutes", required_argument, O_MINUTES), OPT("before", required_argument, O_BEFORE), \
	OPT("after", required_argument, O_AFTER), OPT("later", required_argument, O_LATER), \
	OPT("soreness", required_argument, O_SORENESS)

/* Reads the options into o; returns -1 to go on, or an exit code (help printed, or an
 * error reported). */
static int parse(struct cli *cli, int argc, char **argv, const struct option *opts,
		 const char *help, struct entry_opts *o)
{
	const char *arg;
	int c;

	memset(o, 0, sizeof *o);
	optind = 0;
	while ((c = cli_getopt(argc, argv, opts, &arg)) != -1) {
		switch (c) {
		case O_HELP: fputs(help, stdout); return EXIT_DONE;
		case O_JSON: o->json = 1; break;
		case O_DB: cli->db_path = arg; break;
		case O_AT: o->at = arg; break;
		case O_NOTE: o->note = arg; break;
		case O_MUSCLE: o->muscle = arg; break;
		case O_SIDE: o->side = arg; break;
		case O_TECHNIQUE: o->technique = arg; break;
		case O_MINUTES: o->minutes = arg; break;
		case O_BEFORE: o->before = arg; break;
		case O_AFTER: o->after = arg; break;
		case O_LATER: o->later = arg; break;
		case O_SORENESS: o->soreness = arg; break;
		case O_SINCE: o->since = arg; break;
		case O_ALL: o->all = 1; break;
		default: return EXIT_USAGE;
		}
	}
	return -1;
}

/* One line for an entry, as history lists it. */
static void print_line(const trp_entry *e)
{
	char when[40], map[TRP_PAIN_REGIONS_MAX * 40];

	trp_time_format(e->at, e->tz, when, sizeof when);
	when[16] = '\0';
	when[10] = ' ';
	printf("%6lld  %s  ", (long long)e->id, when);
	if (e->kind == TRP_PAIN_ENTRY) {
		trp_pain_map_format(e->regions, e->nregions, map, sizeof map);
		printf("pain     %s", map);
	} else {
		printf("session  %s", trp_treatment_name(e->treatment));
		if (e->muscle[0])
			printf(" on %s.%s", e->muscle, trp_side_code((trp_side)e->side));
		if (e->minutes >= 0)
			printf(", %d min", e->minutes);
		printf(", pain %d -> %d", e->before, e->after);
		if (e->later >= 0)
			printf(", later %d", e->later);
		if (e->soreness >= 0)
			printf(", soreness %d", e->soreness);
	}
	if (e->note)
		printf("  \"%s\"", e->note);
	if (e->deleted)
		printf("  [deleted]");
	putchar('\n');
}

static int print_entry(const trp_entry *e, int json, const char *verb)
{
	if (json)
		return cli_print_json(trp_entry_json(e, 1));
	printf("%s:\n", verb);
	print_line(e);
	return EXIT_DONE;
}

/* Applies the session options given to e. */
static int apply_session(struct cli *cli, const struct entry_opts *o, trp_entry *e)
{
	int code = EXIT_DONE, t;

	if (o->technique) {
		t = trp_treatment_parse(o->technique);
		if (t < 0)
			return cli_error(EXIT_USAGE, "--technique: unknown technique '%.32s' (expected "
					 "pressure, ball, roller, stretch, heat, massage, dry_needling, "
					 "medication, exercise or other)", o->technique);
		e->treatment = (trp_treatment)t;
	}
	if (o->muscle) {
		const trp_atlas *atlas = cli_atlas(cli);
		const trp_muscle *m;
		char hint[256];

		if (!atlas)
			return cli->failure;
		if (!*o->muscle) {
			e->muscle[0] = '\0';
			e->side = -1;
		} else {
			m = trp_atlas_find(atlas, o->muscle);
			if (!m)
				return cli_error(EXIT_USAGE, "--muscle: unknown muscle '%.64s'%s", o->muscle,
						 cli_muscle_hint(atlas, o->muscle, hint, sizeof hint));
			snprintf(e->muscle, sizeof e->muscle, "%s", trp_muscle_id(m));
		}
	}
	if (o->side) {
		if (strcmp(o->side, "l") == 0 || strcmp(o->side, "left") == 0)
			e->side = TRP_LEFT;
		else if (strcmp(o->side, "r") == 0 || strcmp(o->side, "right") == 0)
			e->side = TRP_RIGHT;
		else
			return cli_error(EXIT_USAGE, "--side: '%.16s' is not a side (expected l or r)", o->side);
	}
	if (e->muscle[0] && e->side < 0)
		return cli_error(EXIT_USAGE, "--muscle %s needs --side l or r", e->muscle);
	if (!e->muscle[0] && e->side >= 0)
		return cli_error(EXIT_USAGE, "--side needs --muscle ID");
	if ((o->minutes && (code = cli_int("--minutes", o->minutes, 0, 1440, &e->minutes))) ||
	    (o->before && (code = cli_int("--before", o->before, 0, 10, &e->before))) ||
	    (o->after && (code = cli_int("--after", o->after, 0, 10, &e->after))) ||
	    (o->later && (code = cli_int("--later", o->later, -1, 10, &e->later))) ||
	    (o->soreness && (code = cli_int("--soreness", o->soreness, -1, 10, &e->soreness))))
		return code;
	return EXIT_DONE;
}

static int apply_common(const struct entry_opts *o, trp_entry *e)
{
	int code;

	if (o->at && (code = cli_time("--at", o->at, &e->at, &e->tz)))
		return code;
	if (o->note) {
		if (strlen(o->note) > TRP_NOTE_MAX)
			return cli_error(EXIT_USAGE, "--note: longer than %d bytes", TRP_NOTE_MAX);
		e->note = *o->note ? o->note : NULL;
	}
	return EXIT_DONE;
}

/* Replaces the map of a pain entry with the regions given. */
static int apply_regions(char **tokens, int n, trp_entry *e)
{
	char msg[512];
	int i, j;

	e->nregions = 0;
	for (i = 0; i < n; i++) {
		if ((size_t)i == TRP_PAIN_REGIONS_MAX)
			return cli_error(EXIT_USAGE, "more than %d regions", TRP_PAIN_REGIONS_MAX);
		if (trp_pain_region_parse(tokens[i], &e->regions[i], msg, sizeof msg))
			return cli_error(EXIT_USAGE, "%s", msg);
		for (j = 0; j < i; j++)
			if (e->regions[j].region == e->regions[i].region && e->regions[j].side == e->regions[i].side)
				return cli_error(EXIT_USAGE, "region '%s' given twice", tokens[i]);
		e->nregions++;
	}
	return EXIT_DONE;
}

static int store(struct cli *cli, trp_entry *e, int json, const char *verb)
{
	trp_diary *d = cli_diary(cli);
	trp_err err;

	if (!d)
		return cli->failure;
	err = trp_diary_put(d, e);
	if (err)
		return cli_error(err == TRP_EINVAL || err == TRP_ENOTFOUND ? EXIT_USAGE : EXIT_FAILED,
				 "%s", trp_diary_errmsg(d));
	return print_entry(e, json, verb);
}

int cmd_pain(struct cli *cli, int argc, char **argv)
{
	static const struct option opts[] = {
		OPT("at", required_argument, O_AT), OPT("note", required_argument, O_NOTE),
		COMMON, { NULL, 0, NULL, 0 }
	};
	struct entry_opts o;
	trp_entry *e;
	int code = parse(cli, argc, argv, opts, pain_help, &o);

	if (code >= 0)
		return code;
	if (cli_optind == argc)
		return cli_error(EXIT_USAGE, "pain: where does it hurt? (usage: trp pain REGION[=N][:QUALITY]..., "
				 "e.g. 'trp pain temple.l=6:aching')");
	e = malloc(sizeof *e);
	if (!e)
		return cli_error(EXIT_FAILED, "out of memory");
	trp_entry_init(e, TRP_PAIN_ENTRY);
	cli_now(&e->at, &e->tz);
	if (!(code = apply_regions(argv + cli_optind, argc - cli_optind, e)) &&
	    !(code = apply_common(&o, e)))
		code = store(cli, e, o.json, "stored");
	free(e);
	return code;
}

int cmd_log(struct cli *cli, int argc, char **argv)
{
	static const struct option opts[] = {
		OPT("at", required_argument, O_AT), OPT("note", required_argument, O_NOTE),
		SESSION_OPTS, COMMON, { NULL, 0, NULL, 0 }
	};
	struct entry_opts o;
	trp_entry *e;
	int code = parse(cli, argc, argv, opts, log_help, &o);

	if (code >= 0)
		return code;
	if (cli_optind < argc)
		return cli_error(EXIT_USAGE, "log: unexpected argument '%s' (see 'trp log --help')", argv[cli_optind]);
	if (!o.technique || !o.before || !o.after)
		return cli_error(EXIT_USAGE, "log: needs --technique, --before and --after "
				 "(e.g. 'trp log --technique stretch --before 5 --after 3')");
	e = malloc(sizeof *e);
	if (!e)
		return cli_error(EXIT_FAILED, "out of memory");
	trp_entry_init(e, TRP_SESSION_ENTRY);
	cli_now(&e->at, &e->tz);
	if (!(code = apply_session(cli, &o, e)) && !(code = apply_common(&o, e)))
		code = store(cli, e, o.json, "stored");
	free(e);
	return code;
}

struct history {
	int json;
	size_t n;
};

static int history_one(const trp_entry *e, void *arg)
{
	struct history *h = arg;

	if (h->json) {
		char *s = trp_entry_json(e, 0);

		if (!s)
			return 1;
		printf("%s%s", h->n ? ",\n" : "\n", s);
		free(s);
	} else {
		print_line(e);
	}
	h->n++;
	return 0;
}

int cmd_history(struct cli *cli, int argc, char **argv)
{
	static const struct option opts[] = {
		OPT("since", required_argument, O_SINCE), OPT("all", no_argument, O_ALL),
		COMMON, { NULL, 0, NULL, 0 }
	};
	struct entry_opts o;
	struct history h = { 0, 0 };
	int64_t since = INT64_MIN;
	trp_diary *d;
	trp_err err;
	int tz, code = parse(cli, argc, argv, opts, history_help, &o);

	if (code >= 0)
		return code;
	if (cli_optind < argc)
		return cli_error(EXIT_USAGE, "history: unexpected argument '%s'", argv[cli_optind]);
	if (o.since && (code = cli_time("--since", o.since, &since, &tz)))
		return code;
	d = cli_diary(cli);
	if (!d)
		return cli->failure;
	h.json = o.json;
	if (h.json)
		putchar('[');
	err = trp_diary_each(d, since, o.all, history_one, &h);
	if (h.json)
		puts(h.n ? "\n]" : "]");
	if (err)
		return cli_error(cli_diary_exit(err), "%s", trp_diary_errmsg(d));
	if (!h.json && h.n == 0)
		printf("The diary has no entries%s. Record pain with 'trp pain' and sessions with 'trp log'.\n",
		       o.since ? " since then" : " yet");
	return EXIT_DONE;
}

static int parse_id(const char *cmd, int argc, char **argv, int64_t *id)
{
	char *end;
	long long v;

	if (cli_optind >= argc)
		return cli_error(EXIT_USAGE, "%s: which entry? (give its id, from 'trp history')", cmd);
	v = strtoll(argv[cli_optind], &end, 10);
	if (!*argv[cli_optind] || *end || v < 1)
		return cli_error(EXIT_USAGE, "%s: '%.32s' is not an entry id (a whole number from 'trp history')",
				 cmd, argv[cli_optind]);
	*id = v;
	cli_optind++;
	return EXIT_DONE;
}

int cmd_edit(struct cli *cli, int argc, char **argv)
{
	static const struct option opts[] = {
		OPT("at", required_argument, O_AT), OPT("note", required_argument, O_NOTE),
		SESSION_OPTS, COMMON, { NULL, 0, NULL, 0 }
	};
	struct entry_opts o;
	char note[TRP_NOTE_MAX + 1];
	trp_diary *d;
	trp_entry *e;
	int64_t id;
	trp_err err;
	int code = parse(cli, argc, argv, opts, edit_help, &o);

	if (code >= 0)
		return code;
	if ((code = parse_id("edit", argc, argv, &id)))
		return code;
	d = cli_diary(cli);
	if (!d)
		return cli->failure;
	e = malloc(sizeof *e);
	if (!e)
		return cli_error(EXIT_FAILED, "out of memory");
	err = trp_diary_get(d, id, e);
	if (err) {
		code = cli_error(err == TRP_ENOTFOUND ? EXIT_USAGE : EXIT_FAILED, "edit: %s", trp_diary_errmsg(d));
		goto done;
	}
	if (e->note) {
		snprintf(note, sizeof note, "%s", e->note);
		e->note = note;
	}
	if (e->kind == TRP_PAIN_ENTRY) {
		if (o.muscle || o.side || o.technique || o.minutes || o.before || o.after || o.later || o.soreness) {
			code = cli_error(EXIT_USAGE, "edit: entry %lld is a pain entry; session options do not apply "
					 "(give regions to replace its map)", (long long)id);
			goto done;
		}
		if (cli_optind < argc && (code = apply_regions(argv + cli_optind, argc - cli_optind, e)))
			goto done;
	} else {
		if (cli_optind < argc) {
			code = cli_error(EXIT_USAGE, "edit: entry %lld is a session; regions do not apply",
					 (long long)id);
			goto done;
		}
		if ((code = apply_session(cli, &o, e)))
			goto done;
	}
	if ((code = apply_common(&o, e)))
		goto done;
	code = store(cli, e, o.json, "changed");
done:
	free(e);
	return code;
}

static int set_deleted(struct cli *cli, int argc, char **argv, int deleted)
{
	static const struct option opts[] = { COMMON, { NULL, 0, NULL, 0 } };
	const char *cmd = deleted ? "delete" : "restore";
	struct entry_opts o;
	trp_diary *d;
	int64_t id;
	trp_err err;
	int code = parse(cli, argc, argv, opts, deleted ? delete_help : restore_help, &o);

	if (code >= 0)
		return code;
	if ((code = parse_id(cmd, argc, argv, &id)))
		return code;
	if (cli_optind < argc)
		return cli_error(EXIT_USAGE, "%s: one entry at a time", cmd);
	d = cli_diary(cli);
	if (!d)
		return cli->failure;
	err = trp_diary_set_deleted(d, id, deleted);
	if (err)
		return cli_error(err == TRP_ENOTFOUND ? EXIT_USAGE : EXIT_FAILED, "%s: %s", cmd,
				 trp_diary_errmsg(d));
	if (o.json)
		printf("{\"id\": %lld, \"deleted\": %s}\n", (long long)id, deleted ? "true" : "false");
	else if (deleted)
		printf("deleted entry %lld (bring it back with 'trp restore %lld')\n", (long long)id,
		       (long long)id);
	else
		printf("restored entry %lld\n", (long long)id);
	return EXIT_DONE;
}

int cmd_delete(struct cli *cli, int argc, char **argv)
{
	return set_deleted(cli, argc, argv, 1);
}

int cmd_restore(struct cli *cli, int argc, char **argv)
{
	return set_deleted(cli, argc, argv, 0);
}
